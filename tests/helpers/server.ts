/**
 * Starts the real suite in this process for a test: a fresh DATA_DIR (temporary SQLite file),
 * a random port on loopback, demo data loaded. Every test owns and closes its own server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../server/src/config.ts';
import { startServer, type RunningServer } from '../../server/src/server.ts';

export type TestServer = RunningServer & { dataDir: string };

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-test-'));
  const config = loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MEDIA_WORKERS: '0', LOG_LEVEL: 'silent', ...env });
  const server = await startServer(config, pino({ level: process.env.TEST_LOG_LEVEL ?? config.logLevel }));
  return {
    ...server,
    dataDir,
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
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
