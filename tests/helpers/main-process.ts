/**
 * `node server/src/main.ts` as a separate process, as an operator runs it: configured only by
 * environment variables, waited for until it logs that it is ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

export type MainProcess = { child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> };

/**
 * Starts the server on 127.0.0.1 and a free port; `env` must name its DATA_DIR. Keep LOG_LEVEL at info or below: the ready line is an info line.
 * `prefix`: a command that runs it (`nsenter …` for a disk of its own: small-disk.ts).
 */
export async function startMainProcess(env: Record<string, string> & { DATA_DIR: string }, options: { prefix?: string[] } = {}): Promise<MainProcess> {
  const [command, ...args] = [...(options.prefix ?? []), process.execPath, 'server/src/main.ts'];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line within 30 s:\n${output}`));
    }, 30_000);
    child.stdout!.on('data', () => {
      const ready = output.split('\n').find((line) => line.includes('e-Zal is ready'));
      if (ready) {
        clearTimeout(timer);
        resolve(JSON.parse(ready).url);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
  return { child, url, output: () => output, exited };
}
