/**
 * An e-Zal node as its own process, as a court runs one: `node server/src/main.ts` (what `npm start`
 * runs) with the cluster's variables; ready once GET /api/health answers 200. Used by
 * `npm run cluster` (start.ts), the cluster failover test and the cluster benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.ts';

const MAIN = path.join(import.meta.dirname, '..', 'src', 'main.ts');

export type NodeProcess = {
  name: string;
  /** host:port, for haproxy's configuration. */
  address: string;
  url: string;
  child: ChildProcess;
  /** kill -9: the node dies as a machine does, with nothing closed. */
  kill(): Promise<void>;
  /** SIGTERM (an orderly shutdown), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
};

export type NodeInput = {
  name: string;
  /** Its DATA_DIR (made when missing); its output goes to `<dataDir>/node.log`. */
  dataDir: string;
  /** The port; default: one nothing listens on now. */
  port?: number;
  host?: string;
  /** The cluster's variables (DATABASE_URL, REDIS_URL, EZAL_SECRET, S3_*…) and any other. */
  env: Record<string, string>;
  /** Node's flags (default: the ones `npm start` uses). */
  execArgv?: string[];
  readyTimeoutMs?: number;
};

export async function startNodeProcess(input: NodeInput): Promise<NodeProcess> {
  fs.mkdirSync(input.dataDir, { recursive: true });
  const host = input.host ?? '127.0.0.1';
  const port = input.port ?? (await freePort());
  const log = fs.openSync(path.join(input.dataDir, 'node.log'), 'a');
  const child = spawn(process.execPath, [...(input.execArgv ?? ['--max-semi-space-size=16', '--heap-growing-percent=20']), MAIN], {
    env: { ...process.env, TRUST_PROXY: '1', LOG_LEVEL: 'warn', ...input.env, NODE_NAME: input.name, DATA_DIR: input.dataDir, HOST: host, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  const waitExit = () => (ended() ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve())));
  const kill = async () => {
    process.off('exit', killOnExit);
    if (ended()) return;
    const exited = waitExit();
    child.kill('SIGKILL');
    await exited;
  };
  const stop = async (graceMs = 10_000) => {
    process.off('exit', killOnExit);
    if (ended()) return;
    const exited = waitExit();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const deadline = Date.now() + (input.readyTimeoutMs ?? 180_000);
  for (;;) {
    if (ended()) throw new Error(`node ${input.name} exited (${child.exitCode ?? child.signalCode}); see ${path.join(input.dataDir, 'node.log')}:\n${tail(path.join(input.dataDir, 'node.log'))}`);
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await kill();
      throw new Error(`node ${input.name} was not healthy at ${url} within ${input.readyTimeoutMs ?? 180_000} ms:\n${tail(path.join(input.dataDir, 'node.log'))}`);
    }
    await sleep(100);
  }
  return { name: input.name, address: `${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`, url, child, kill, stop };
}

function tail(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').slice(-2000) : '';
}
