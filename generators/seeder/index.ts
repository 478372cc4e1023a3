// `yo fastpy:seeder <Name>` / `fastpy make:seeder <Name>`: the seeder of a model, with its factory if missing.
import { ResourcePartsGenerator, type PartsGeneratorSpec } from '../../lib/resource-generator.js';

export default class SeederGenerator extends ResourcePartsGenerator {
  static override spec: PartsGeneratorSpec = { parts: ['seeder'], command: 'yo fastpy:seeder' };
}
