/**
 * Starts the real suite in this process for a test: a fresh DATA_DIR (temporary SQLite file),
 * a random port on loopback, demo data loaded. Every test owns and closes its own server.
 *
 * The database switch (issue 20): with EZAL_TEST_DATABASE=postgres (`npm run test:integration:pg`)
 * each server gets a fresh PostgreSQL database instead (`ezal_<n>`, passed as DATABASE_URL) in one
 * private cluster per test process (tests/helpers/postgres.ts), started on first use and stopped
 * when the process exits. A test that passes its own DATABASE_URL keeps it; one that needs the
 * SQLite file asks for `{ dialect: 'sqlite' }`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { loadConfig } from '../../server/src/config.ts';
import { startServer, type RunningServer } from '../../server/src/server.ts';
import { startPrivatePostgres, type PrivatePostgres } from './postgres.ts';

/** `databaseUrl`: its PostgreSQL database (undefined on SQLite), for a command-line tool run beside it. */
export type TestServer = RunningServer & { dataDir: string; databaseUrl: string | undefined };

export type TestDialect = 'sqlite' | 'postgres';

/** The dialect the integration suite runs on: EZAL_TEST_DATABASE=postgres, else SQLite. */
export const TEST_DIALECT: TestDialect = process.env.EZAL_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

/** For `test(name, { skip: sqliteOnly }, …)`: a test of the SQLite file itself, skipped when the suite runs on PostgreSQL. */
export const sqliteOnly: string | false = TEST_DIALECT === 'postgres' ? 'SQLite file only' : false;

let cluster: Promise<PrivatePostgres> | null = null;
let databases = 0;

/** The process's private cluster, started on first use; stopped (and its folder removed) when the process exits, however it exits. */
function testCluster(): Promise<PrivatePostgres> {
  if (!cluster) {
    cluster = startPrivatePostgres();
    cluster.then(
      (started) => {
        const stop = () => {
          try {
            started.stop();
          } catch (error) {
            console.error('stopping the test PostgreSQL cluster failed', error);
          }
        };
        // 'exit' also follows a failed test file and an uncaught error; a signal (the runner's
        // timeout, ^C) would end the process without it, so those stop the cluster and exit too.
        process.once('exit', stop);
        for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
          process.once(signal, () => {
            stop();
            process.exit(128 + (os.constants.signals[signal] ?? 0));
          });
        }
      },
      () => (cluster = null),
    );
  }
  return cluster;
}

/** A fresh, empty database in the process's cluster: its connection string. */
export async function freshPostgresDatabase(): Promise<string> {
  const { url } = await testCluster();
  const name = `ezal_${++databases}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return fresh.toString();
}

/** Drops a database made by `freshPostgresDatabase` (its server closed): the cluster's disk stays small. */
async function dropPostgresDatabase(databaseUrl: string): Promise<void> {
  const { url } = await testCluster();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop database if exists ${new URL(databaseUrl).pathname.slice(1)} with (force)`);
  } finally {
    await client.end();
  }
}

const TEST_SECRET = 'the-test-court-secret-shared-by-every-node-0123456789';

/** Databases of test-owned DATA_DIRs: a server started again on the same folder finds its data again. */
const databaseOfDataDir = new Map<string, string>();

/**
 * The PostgreSQL database of a test-owned DATA_DIR a server was started on (undefined on SQLite):
 * for a test that looks into the data while no server runs (`openDb({ dataDir, databaseUrl })`).
 */
export function testDatabaseUrl(dataDir: string): string | undefined {
  return databaseOfDataDir.get(dataDir);
}

/** The environment of a command-line tool (`npm run admin`, …) run beside a test server: its data folder, and on PostgreSQL its database and the secret the nodes share. */
export function toolEnvOf(server: TestServer): Record<string, string> {
  return { DATA_DIR: server.dataDir, ...(server.databaseUrl ? { DATABASE_URL: server.databaseUrl, EZAL_SECRET: process.env.EZAL_SECRET ?? TEST_SECRET } : {}) };
}

/**
 * `options.dialect`: 'sqlite' for a test of the SQLite file itself, whatever the switch says.
 * On PostgreSQL a test that passes its own DATA_DIR owns the data: a server started again on that
 * folder gets the same database (kept until the process exits); otherwise the server's database is
 * dropped when it closes.
 */
export async function startTestServer(env: Record<string, string> = {}, options: { dialect?: TestDialect } = {}): Promise<TestServer> {
  const dialect = options.dialect ?? TEST_DIALECT;
  const ownedDataDir = env.DATA_DIR;
  let ownDatabase: string | undefined;
  let dropOnClose = false;
  if (dialect === 'postgres' && env.DATABASE_URL === undefined) {
    ownDatabase = ownedDataDir === undefined ? undefined : databaseOfDataDir.get(ownedDataDir);
    if (!ownDatabase) {
      ownDatabase = await freshPostgresDatabase();
      if (ownedDataDir === undefined) dropOnClose = true;
      else databaseOfDataDir.set(ownedDataDir, ownDatabase);
    }
  }
  // A data folder the test passed stays when the server closes (the test removes it); a folder of our own goes.
  const dataDir = ownedDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-test-'));
  const removeDataDir = () => {
    if (ownedDataDir === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  // PostgreSQL is for several nodes, so the configuration asks for the secret they share (server/src/config.ts).
  const postgres = ownDatabase ? { DATABASE_URL: ownDatabase, EZAL_SECRET: env.EZAL_SECRET ?? process.env.EZAL_SECRET ?? TEST_SECRET } : {};
  const config = loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MEDIA_WORKERS: '0', LOG_LEVEL: 'silent', ...env, ...postgres });
  const server = await startServer(config, pino({ level: process.env.TEST_LOG_LEVEL ?? config.logLevel })).catch(async (error: unknown) => {
    removeDataDir();
    if (ownDatabase && dropOnClose) await dropPostgresDatabase(ownDatabase).catch(() => undefined);
    throw error;
  });
  return {
    ...server,
    dataDir,
    databaseUrl: ownDatabase ?? env.DATABASE_URL,
    async close() {
      await server.close();
      removeDataDir();
      if (ownDatabase && dropOnClose) await dropPostgresDatabase(ownDatabase);
    },
  };
}

/** A tiny HTTP client that keeps cookies and the CSRF token, like a browser tab of the web app. */
export class ApiClient {
  readonly baseUrl: string;
  cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.csrfToken && method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    const response = await fetch(this.baseUrl + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    const parsed = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (parsed && typeof parsed === 'object' && 'csrfToken' in parsed) this.csrfToken = parsed.csrfToken;
    return { status: response.status, body: parsed };
  }

  get(url: string) {
    return this.request('GET', url);
  }

  post(url: string, body?: unknown) {
    return this.request('POST', url, body);
  }

  patch(url: string, body?: unknown) {
    return this.request('PATCH', url, body);
  }

  delete(url: string, body?: unknown) {
    return this.request('DELETE', url, body);
  }

  async login(username: string, password = 'ezal-demo') {
    const response = await this.post('/api/auth/login', { username, password });
    if (response.status !== 200) throw new Error(`login as ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }
}
