// fastpy-runtime/console: the project console's tasks (migrate, seed, db:create, doctor, …).
export * from '../console-tasks.js';
