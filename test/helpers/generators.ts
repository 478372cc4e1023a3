// Shared by the generator tests: running a generator that must fail, pretending to have a
// terminal, and reading what a run wrote.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Pretends stdin is (or is not) a terminal; returns the function that undoes it. */
export function simulateTerminal(isTTY: boolean): () => void {
  const previous = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');
  Object.defineProperty(process.stdin, 'isTTY', { value: isTTY, configurable: true });
  return () => {
    if (previous) Object.defineProperty(process.stdin, 'isTTY', previous);
    else delete (process.stdin as { isTTY?: boolean }).isTTY;
  };
}

/** The part of a yeoman-test run context these helpers use. */
interface RunContext extends PromiseLike<unknown> {
  onTargetDirectory(callback: (dir: string) => unknown): unknown;
}

/** Runs a generator that must fail; returns its error and the directory it ran in. */
export async function failing(context: RunContext): Promise<{ error: Error; dir: string }> {
  let dir = '';
  context.onTargetDirectory((target) => {
    dir = target;
  });
  try {
    await context;
  } catch (error) {
    return { error: error as Error, dir };
  }
  throw new Error('the generator was expected to fail');
}

/** Every file below a directory, relative to it, sorted. */
export function tree(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

export const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

interface AskedQuestion {
  name: string;
  type: string;
  message: string;
  validate?: (value: unknown, answers?: unknown) => unknown;
}

/**
 * Answers each asked question from a queue of its name, in order, as a person at the terminal
 * would: an answer the question's own validate refuses is recorded with its message and the next
 * one in the queue is given instead. Pass `callback` to yeoman-test's `withAnswers({}, { callback })`.
 *
 * @example
 * const typist = answerQueue({ fieldName: ['Title', 'title'], action: ['done'] });
 * await run.withAnswers(typist.answers, { callback: typist.callback });
 * typist.refused // [{ name: 'fieldName', answer: 'Title', message: 'field names are snake_case…' }]
 */
export function answerQueue(queues: Record<string, unknown[]>) {
  const refused: Array<{ name: string; answer: unknown; message: string }> = [];
  const asked: string[] = [];
  const callback = (fallback: unknown, { question }: { question: AskedQuestion }) => {
    asked.push(question.name);
    const queue = queues[question.name];
    for (;;) {
      if (!queue || queue.length === 0) {
        if (fallback === undefined)
          throw new Error(`answerQueue: no answer left for "${question.name}" (${question.message})`);
        return fallback;
      }
      const answer = queue.shift();
      const verdict = question.validate?.(answer, {});
      if (verdict === true || verdict === undefined) return answer;
      refused.push({
        name: question.name,
        answer,
        message: typeof verdict === 'string' ? verdict : JSON.stringify(verdict),
      });
    }
  };
  // Mocked answers only keep yeoman-test from warning that a question has none: the queues answer.
  const answers = Object.fromEntries(Object.entries(queues).map(([name, queue]) => [name, queue[0]]));
  return {
    answers,
    callback,
    refused,
    asked,
    left: () => Object.fromEntries(Object.entries(queues).filter(([, queue]) => queue.length > 0)),
  };
}
