// Classes known by name, so a worker process can rebuild an instance from a queued payload (jobs,
// queued notifications). Two different classes under one name are refused: the worker would run the
// wrong one.

/**
 * @example
 * const jobs = new ClassRegistry<JobClass>('job', (type) => type.jobName ?? type.name, 'give one a static jobName', (message) => new QueueError(message));
 * jobs.register(SendWelcomeEmail);
 * jobs.get('SendWelcomeEmail'); // the class
 */
export class ClassRegistry<T extends abstract new (...args: never[]) => unknown> {
  readonly #types = new Map<string, T>();

  constructor(
    private readonly kind: string,
    readonly nameOf: (type: T) => string,
    private readonly remedy: string,
    private readonly error: (message: string) => Error,
  ) {}

  register(...types: T[]): void {
    for (const type of types) {
      const name = this.nameOf(type);
      const existing = this.#types.get(name);
      if (existing && existing !== type) throw this.error(`two ${this.kind} classes are named ${name}; ${this.remedy}`);
      this.#types.set(name, type);
    }
  }

  get(name: string): T | undefined {
    return this.#types.get(name);
  }
}
