// `yo fastpy:repository <Name>` / `fastpy make:repository <Name>`: the repository (data access) of a model.
import { ResourcePartsGenerator, type PartsGeneratorSpec } from '../../lib/resource-generator.js';

export default class RepositoryGenerator extends ResourcePartsGenerator {
  static override spec: PartsGeneratorSpec = { parts: ['repository'], command: 'yo fastpy:repository' };
}
