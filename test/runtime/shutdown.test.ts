// onShutdown: the steps run once and in order however many signals arrive, and a failing step
// ends the process with 1 and the reason in the log.
import test from 'ava';
import { onShutdown } from '../../runtime/utils/shutdown.js';
import { createLogger } from '../../runtime/utils/logger.js';

function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

test('steps run once, in order, then the log is flushed and the process exits 0', async (t) => {
  const { logger, lines } = recordingLogger();
  const calls: string[] = [];
  const exits: number[] = [];
  let release!: () => void;
  const shutdown = onShutdown(
    logger,
    {
      draining: 'finishing in-flight requests',
      stop: () => new Promise<void>((resolve) => ((release = resolve), calls.push('stop'))),
      close: async () => void calls.push('close'),
      done: 'shut down cleanly',
      exit: (code) => void exits.push(code),
    },
    [],
  );
  const first = shutdown('SIGTERM');
  const second = shutdown('SIGINT'); // a second signal while stopping changes nothing
  t.deepEqual(calls, ['stop']);
  release();
  await Promise.all([first, second]);
  t.deepEqual(calls, ['stop', 'close']);
  t.deepEqual(exits, [0]);
  t.deepEqual(
    lines.map((line) => line.msg),
    ['SIGTERM received: finishing in-flight requests', 'shut down cleanly'],
  );
});

test('a step that fails is logged with its reason and the process exits 1', async (t) => {
  const { logger, lines } = recordingLogger();
  const exits: number[] = [];
  const shutdown = onShutdown(
    logger,
    {
      draining: 'finishing the job in hand',
      stop: async () => undefined,
      close: async () => {
        throw new Error('pool did not close');
      },
      done: 'worker stopped cleanly',
      exit: (code) => void exits.push(code),
    },
    [],
  );
  await shutdown('SIGTERM');
  t.deepEqual(exits, [1]);
  const failure = lines.find((line) => line.level === 50);
  t.is(failure?.msg, 'could not shut down cleanly: pool did not close');
  t.false(lines.some((line) => line.msg === 'worker stopped cleanly'));
});

test('the signals given are the ones listened to', async (t) => {
  const { logger } = recordingLogger();
  const exits: number[] = [];
  const before = process.listenerCount('SIGUSR2');
  onShutdown(
    logger,
    {
      draining: 'd',
      stop: async () => undefined,
      close: async () => undefined,
      done: 'done',
      exit: (code) => void exits.push(code),
    },
    ['SIGUSR2'],
  );
  t.is(process.listenerCount('SIGUSR2'), before + 1);
  process.emit('SIGUSR2', 'SIGUSR2');
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(exits, [0]);
});
