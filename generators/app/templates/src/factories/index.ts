// Every factory, by table. Factories use it to create parent records for foreign keys; fastpy adds
// each generated resource's factory here.
import type { FactoryBuilder } from 'fastpy-runtime/factories';
import { userFactory } from './user-factory.js';

/** A function, so that factories importing it are fully loaded before it is read. */
export function factoryRegistry(): Record<string, FactoryBuilder> {
  return {
    users: userFactory as FactoryBuilder,
    // fastpy:factories — generated factories are registered above this line
  };
}
