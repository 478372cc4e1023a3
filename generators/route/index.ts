// `yo fastpy:route <Name>` / `fastpy make:route <Name>`: the routes of a model (--protected for a bearer token), registered in src/routes/index.ts.
import { ResourcePartsGenerator, type PartsGeneratorSpec } from '../../lib/resource-generator.js';

export default class RouteGenerator extends ResourcePartsGenerator {
  static override spec: PartsGeneratorSpec = { parts: ['route'], command: 'yo fastpy:route' };
}
