// Event: listen/dispatch with wildcards (`user.*`, `*.created`), subscriber classes, async
// listeners awaited in the order they were registered, and a fake for tests.
import { FastpyError } from '../../utils/errors.js';
import { wildcard } from '../../utils/wildcard.js';

// A listener's payload is whatever the event carries: `any` unless the listener names its type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Listener<T = any> = (payload: T, event: string) => unknown;

export interface Subscriber {
  subscribe(events: EventDispatcher): void;
}

interface Registration {
  pattern: string;
  matches: (event: string) => boolean;
  listener: Listener;
}

export class EventAssertionError extends FastpyError {
  constructor(message: string) {
    super('E_EVENT_ASSERTION', message);
  }
}

export class EventDispatcher {
  #registrations: Registration[] = [];
  #faked: Array<{ event: string; payload: unknown }> | undefined;

  /** Calls `listener` for each event (or pattern) given; returns a function that stops it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  listen<T = any>(events: string | readonly string[], listener: Listener<T>): () => void {
    if (typeof listener !== 'function') throw new TypeError('Event.listen(): the listener must be a function');
    const added = ([] as string[]).concat(events).map((pattern) => {
      if (typeof pattern !== 'string' || pattern === '')
        throw new TypeError('Event.listen(): an event name is a non-empty string');
      return { pattern, matches: wildcard(pattern), listener: listener as Listener };
    });
    this.#registrations.push(...added);
    return () => {
      this.#registrations = this.#registrations.filter((registration) => !added.includes(registration));
    };
  }

  /** Lets a subscriber register its listeners: `Event.subscribe(new UserSubscriber())`. */
  subscribe(subscriber: Subscriber): void {
    subscriber.subscribe(this);
  }

  /**
   * Calls every listener whose name or pattern matches, one after another, awaiting each; returns
   * their results. A listener that throws stops the dispatch and the error reaches the caller.
   */
  async dispatch<T = unknown>(event: string, payload?: T): Promise<unknown[]> {
    if (typeof event !== 'string' || event === '')
      throw new TypeError('Event.dispatch(): an event name is a non-empty string');
    if (this.#faked) {
      this.#faked.push({ event, payload });
      return [];
    }
    const results: unknown[] = [];
    for (const registration of this.#registrations.filter((candidate) => candidate.matches(event)))
      results.push(await registration.listener(payload, event));
    return results;
  }

  hasListeners(event: string): boolean {
    return this.#registrations.some((registration) => registration.matches(event));
  }

  /** Removes the listeners registered under this exact name or pattern. */
  forget(pattern: string): void {
    this.#registrations = this.#registrations.filter((registration) => registration.pattern !== pattern);
  }

  /** Every listener removed (and the fake ended). */
  reset(): void {
    this.#registrations = [];
    this.#faked = undefined;
  }

  /** Records dispatched events instead of calling listeners, for assertions in tests. */
  fake(): this {
    this.#faked = [];
    return this;
  }

  /** Back to calling listeners. */
  restore(): void {
    this.#faked = undefined;
  }

  /** The payloads dispatched with this name (while faked). */
  dispatched<T = unknown>(event: string): T[] {
    if (!this.#faked) throw new EventAssertionError('Event.dispatched(): call Event.fake() first');
    return this.#faked.filter((record) => record.event === event).map((record) => record.payload as T);
  }

  assertDispatched<T = unknown>(event: string, predicate?: (payload: T) => boolean): void {
    const payloads = this.dispatched<T>(event);
    if (payloads.length === 0)
      throw new EventAssertionError(`expected "${event}" to be dispatched; dispatched: ${this.#names()}`);
    if (predicate && !payloads.some(predicate))
      throw new EventAssertionError(
        `"${event}" was dispatched ${payloads.length} time(s), but never with a payload that passes the check`,
      );
  }

  assertDispatchedTimes(event: string, times: number): void {
    const count = this.dispatched(event).length;
    if (count !== times)
      throw new EventAssertionError(
        `expected "${event}" to be dispatched ${times} time(s), it was dispatched ${count} time(s)`,
      );
  }

  assertNotDispatched(event: string): void {
    const count = this.dispatched(event).length;
    if (count > 0)
      throw new EventAssertionError(`expected "${event}" not to be dispatched; it was dispatched ${count} time(s)`);
  }

  #names(): string {
    const names = [...new Set(this.#faked!.map((record) => record.event))];
    return names.length ? names.join(', ') : 'nothing';
  }
}

/**
 * @example
 * Event.listen('user.*', (data) => log(data));
 * await Event.dispatch('user.registered', { user });
 */
export const Event = new EventDispatcher();
