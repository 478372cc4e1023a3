// `yo fastpy:model <Name>` / `fastpy make:model <Name>`: the model (its fields, -f) and with -m the migration creating its table.
import { ResourcePartsGenerator, type PartsGeneratorSpec } from '../../lib/resource-generator.js';

export default class ModelGenerator extends ResourcePartsGenerator {
  static override spec: PartsGeneratorSpec = { parts: ['model'], command: 'yo fastpy:model' };
}
