// `yo fastpy:factory <Name>` / `fastpy make:factory <Name>`: the factory of a model, registered in src/factories/index.ts.
import { ResourcePartsGenerator, type PartsGeneratorSpec } from '../../lib/resource-generator.js';

export default class FactoryGenerator extends ResourcePartsGenerator {
  static override spec: PartsGeneratorSpec = { parts: ['factory'], command: 'yo fastpy:factory' };
}
