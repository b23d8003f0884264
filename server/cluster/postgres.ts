/**
 * A private PostgreSQL 15 cluster for one test file (or for `npm run cluster`, start.ts): its own folder under the system's temp
 * folder, its own port and socket, stopped and removed by `stop()`. Debian's binaries
 * (`postgresql-15`, installed by `npm run setup`); no system-wide service is involved. PostgreSQL
 * refuses to run as root, so as root the cluster runs as the `postgres` user (`runuser`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.ts';

export const POSTGRES_BIN = process.env.EZAL_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export type PrivatePostgres = {
  /** postgres://ezal@127.0.0.1:<port>/ezal (trust authentication, local only). */
  url: string;
  port: number;
  dir: string;
  /** Stops the server (immediately: nothing in it is worth keeping) and removes its folder. */
  stop(): void;
};

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const initdb = path.join(POSTGRES_BIN, 'initdb');
  if (!fs.existsSync(initdb)) {
    throw new Error(`PostgreSQL 15 is not installed (${initdb} is missing): run \`npm run setup\` (as root), which installs Debian's postgresql-15`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) fs.chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  const run = (bin: string, args: string[]) => {
    const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(POSTGRES_BIN, bin), ...args]] : [path.join(POSTGRES_BIN, bin), args];
    const result = spawnSync(command, argv, { encoding: 'utf8', cwd: dir });
    if (result.status !== 0) throw new Error(`${bin} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`);
  };
  const data = path.join(dir, 'data');
  const port = await freePort();
  let started = false;
  const stop = () => {
    try {
      if (started) run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
    } finally {
      started = false;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    // A UTF-8 locale: the text search configurations fold Cyrillic and Kazakh letters by it.
    run('initdb', ['-D', data, '-U', 'ezal', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
    const options = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses='127.0.0.1'", '-c fsync=off', '-c shared_buffers=16MB', '-c max_connections=20'];
    run('pg_ctl', ['start', '-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', options.join(' ')]);
    started = true;
    run('createdb', ['-h', dir, '-p', String(port), '-U', 'ezal', 'ezal']);
  } catch (error) {
    const log = path.join(dir, 'server.log');
    const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
    stop();
    throw new Error(`${(error as Error).message}${tail ? `\nserver log:\n${tail}` : ''}`, { cause: error });
  }
  return { url: `postgres://ezal@127.0.0.1:${port}/ezal`, port, dir, stop };
}
