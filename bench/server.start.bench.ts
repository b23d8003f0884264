/**
 * Server start: from spawning `node server/src/main.ts` to the first healthy answer of
 * /api/health, on an empty DATA_DIR (cold: creates the database, migrates, loads demo data) and
 * on an existing one (warm). Baseline: spawning Node with a bare http server that answers once,
 * i.e. what any Node server pays before running a line of our code.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { BenchResult } from './benchmarks.ts';
import { nodeFlagsOf } from './node-flags.ts';
import { median, round } from './stats.ts';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = 5;

export async function serverStart(): Promise<BenchResult[]> {
  const workers = os.availableParallelism();
  const baseline: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    baseline.push(await timeToHealthy(['-e', BARE_SERVER], {}));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-bench-'));
    try {
      cold.push(await timeToHealthy([...nodeFlagsOf('start'), 'server/src/main.ts'], { DATA_DIR: dataDir, MEDIA_WORKERS: String(workers) }));
      warm.push(await timeToHealthy([...nodeFlagsOf('start'), 'server/src/main.ts'], { DATA_DIR: dataDir, MEDIA_WORKERS: String(workers) }));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const base = round(median(baseline), 1);
  return [
    { metric: 'cold_start_ms', value: round(median(cold), 1), unit: 'ms', baseline: base, runs: RUNS, mediaWorkers: workers, note: 'empty DATA_DIR: migrate + demo data' },
    { metric: 'warm_start_ms', value: round(median(warm), 1), unit: 'ms', baseline: base, runs: RUNS, mediaWorkers: workers },
  ];
}

const BARE_SERVER = `require('node:http').createServer((q, s) => s.end('{"status":"ok"}')).listen(Number(process.env.PORT), '127.0.0.1')`;

async function timeToHealthy(args: string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (response.ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      if (performance.now() - started > 60_000) throw new Error('not healthy within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
