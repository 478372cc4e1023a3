// `yo fastpy:service <Name>` / `fastpy make:service <Name>`: the service (business logic) of a model, with its repository if missing.
import { ResourcePartsGenerator, type PartsGeneratorSpec } from '../../lib/resource-generator.js';

export default class ServiceGenerator extends ResourcePartsGenerator {
  static override spec: PartsGeneratorSpec = { parts: ['service'], command: 'yo fastpy:service' };
}
