// `yo fastpy:controller <Name>` / `fastpy make:controller <Name>`: the controller (CRUD handlers) of a model, with its service and repository if missing.
import { ResourcePartsGenerator, type PartsGeneratorSpec } from '../../lib/resource-generator.js';

export default class ControllerGenerator extends ResourcePartsGenerator {
  static override spec: PartsGeneratorSpec = { parts: ['controller'], command: 'yo fastpy:controller' };
}
