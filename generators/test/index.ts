// `yo fastpy:test <Name>` / `fastpy make:test <Name>`: the contract tests of a model's routes, with the routes and factory if missing.
import { ResourcePartsGenerator, type PartsGeneratorSpec } from '../../lib/resource-generator.js';

export default class TestGenerator extends ResourcePartsGenerator {
  static override spec: PartsGeneratorSpec = { parts: ['test'], command: 'yo fastpy:test' };
}
