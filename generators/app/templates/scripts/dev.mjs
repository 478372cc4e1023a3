// `npm run dev`: the development server, restarted on every change under src/ (tsx watch) and on
// a change to .env, which tsx watch never sees (it leaves out every dotfile). A start that fails (a
// bad setting, a port in use) prints its one line and waits for the next change.
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { join } from 'node:path';

const windows = process.platform === 'win32';
const tsx = join('node_modules', '.bin', windows ? 'tsx.cmd' : 'tsx');
let server;
let restarting = false;

function start() {
  server = spawn(tsx, ['watch', '--clear-screen=false', 'src/server.ts'], { stdio: 'inherit', shell: windows });
  server.on('exit', (code, signal) => {
    if (restarting) {
      restarting = false;
      start();
    } else process.exit(code ?? (signal ? 1 : 0));
  });
}

// The folder, not the file: editors often replace .env rather than write into it.
let pending;
watch('.', (_event, file) => {
  if (file !== '.env') return;
  clearTimeout(pending);
  pending = setTimeout(() => {
    console.log('.env changed: restarting');
    restarting = true;
    server.kill('SIGTERM');
  }, 150);
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
start();
