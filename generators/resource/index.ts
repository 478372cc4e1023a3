// `yo fastpy:resource <Name>` / `fastpy make:resource <Name> -f … -m -p`: a complete CRUD resource
// (model, migration, repository, service, controller, routes, tests, factory, seeder), wired in.
import { PARTS, ResourcePartsGenerator, type PartsGeneratorSpec } from '../../lib/resource-generator.js';

export default class ResourceGenerator extends ResourcePartsGenerator {
  static override spec: PartsGeneratorSpec = { parts: PARTS, command: 'yo fastpy:resource' };
}
