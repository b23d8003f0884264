/**
 * Odd requests get a 4xx, never a 5xx (server/src/http/request-guard.ts, byte-ranges.ts): NUL and
 * control characters in a path, bad percent-encoding, over-long URLs, malformed Range headers; and
 * a fuzz over every route fastify has (enumerated from `printRoutes`), each path parameter and the
 * query parameters, sent as anonymous, a judge and the wall screen.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { demoHearing, seedCaseFile, type CaseFile, type DemoHearing } from '../helpers/hall.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';

type Answer = { status: number; body: string; headers: http.IncomingHttpHeaders };

/** A raw HTTP request: the path goes out exactly as given (fetch would normalise `..` and re-encode). */
function raw(agent: http.Agent, base: URL, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    const request = http.request({ agent, host: base.hostname, port: base.port, method, path, headers: sent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: response.headers }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

type Route = { method: string; path: string };

/** Every route fastify has, from its printed tree (`commonPrefix: false` prints each node's own segment). */
function routesOf(tree: string): Route[] {
  const routes: Route[] = [];
  const parents: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?) \(([^)]*)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    // One node may hold several parameter names (/:id|:hearingId): the first names it for us.
    const segment = match[2].replace(/:([A-Za-z]+)(\|:[A-Za-z]+)+/g, ':$1');
    // The root's own children are printed without their slash when they are a bare wildcard.
    const path = (parents[depth - 1] ?? '') + (depth === 0 && !segment.startsWith('/') ? '/' + segment : segment);
    parents[depth] = path;
    parents.length = depth + 1;
    for (const method of match[3].split(', ')) if (method !== 'HEAD') routes.push({ method, path });
  }
  return routes;
}

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Values sent as they are (already a path segment): bad encodings, traversal, numbers, words that mean something to JavaScript. */
const RAW_VALUES = [
  '%00',
  'a%00b',
  '%zz',
  '%',
  '%%',
  '%2',
  '%c0%af',
  '%ff',
  '%e2%82',
  '%ed%a0%80',
  '..',
  '.',
  '%2e%2e',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e%5c%2e%2e',
  '-1',
  '0',
  '-0',
  '00',
  '1.5',
  '1e309',
  '-1e309',
  '0x10',
  '+1',
  '2147483648',
  '9007199254740993',
  '-9007199254740993',
  '9'.repeat(400),
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  'false',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '*',
  '~',
  '$',
  "'",
  '"',
  '`',
  "'%20OR%201=1--",
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%E2%80%AE',
  '%F0%9F%98%80',
  '%D0%96%D0%B0%D0%BB%D0%BE%D0%B1%D0%B0',
  '%0d%0a',
  '%09',
  '%5c',
  '%2f',
  'a'.repeat(64),
  'a'.repeat(65),
  'a'.repeat(1000),
  'a'.repeat(5000),
];

/** The first of RAW_VALUES go out as every user; the rest, like the generated ones, as one user each in turn. */
const EVERY_USER = 12;

/** Characters the generated values are made of: controls, separators, quotes, non-Latin letters, surrogates. */
const ALPHABET = [
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\t',
  '\n',
  '\r',
  ' ',
  '/',
  '\\',
  '.',
  '%',
  '?',
  '#',
  '&',
  '=',
  '+',
  ';',
  ':',
  '"',
  "'",
  '<',
  '>',
  '{',
  '}',
  '[',
  ']',
  '-',
  '0',
  '9',
  'a',
  'Z',
  'Ж',
  'ә',
  '😀',
  '\u202e',
  '\ufeff',
  '\ud800',
  'ﬀ',
  'İ',
];

function generated(next: () => number, count: number): string[] {
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = Math.floor(next() ** 3 * 300) + 1;
    let value = '';
    for (let j = 0; j < length; j++) value += ALPHABET[Math.floor(next() * ALPHABET.length)];
    if (next() < 0.3) value = String(Math.floor((next() - 0.5) * 2 ** (next() * 70)));
    // A lone surrogate cannot be percent-encoded as UTF-8; RAW_VALUES sends one (%ed%a0%80) as bytes.
    values.push(encodeURIComponent(value.toWellFormed()));
  }
  return values;
}

/** Query parameters of the routes that take them, with a valid value each, for fuzzing one at a time. */
const QUERY_BASELINE: Record<string, Record<string, string>> = {
  '/api/cases/:id/search': { q: 'кража', limit: '5', offset: '0' },
  '/api/acts/search': { q: 'кража', limit: '5', offset: '0', article: '188', from: '2026-01-01', to: '2026-12-31' },
  '/api/situation': { at: '2026-12-01T10:00:00Z' },
  '/api/situation/cases': { figure: 'open', category: 'crime' },
  '/api/situation/cases.csv': { figure: 'open', lang: 'ru' },
  '/api/ecases/ingestions': { limit: '5' },
  '/api/hearings/:id/protocol': { version: '1' },
  '/api/hearings/:id/protocol.pdf': { version: '1' },
  '/api/hearings/:id/protocol.json': { version: '1' },
  '/api/hearings/:id/protocol.vtt': { version: '1' },
  '/api/hearings/:id/recording/export': { tracks: 'mix' },
  '/api/cases/:id/motions/register.pdf': { lang: 'ru' },
};

/** Odd query shapes: repeated keys (arrays), bracketed keys (objects), empty and bare keys. */
const QUERY_SHAPES = (key: string, value: string) => [
  `${key}=${value}`,
  `${key}=${value}&${key}=${value}`,
  `${key}[]=${value}`,
  `${key}[a]=${value}`,
  `${key}[__proto__][x]=${value}`,
  `${key}`,
  `${key}=`,
  `&&${key}=${value}&&`,
];

describe('odd requests get a 4xx', () => {
  let server: TestServer;
  let base: URL;
  let demo: DemoHearing;
  let file: CaseFile;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 48 });

  before(async () => {
    server = await startTestServer();
    base = new URL(server.url);
    demo = await demoHearing(server.db);
    file = await seedCaseFile(server.db, demo.caseId);
    // Thousands of refusals are audited here; this test asserts answers, not that each survives a power cut.
    // (SQLite's pragma; a test cluster on PostgreSQL runs with fsync off already.)
    server.sqlite?.pragma('synchronous = OFF');
  });
  after(async () => {
    agent.destroy();
    await server?.close();
  });

  async function loggedIn(username: string): Promise<Record<string, string>> {
    const api = new ApiClient(server.url);
    await api.login(username);
    return { cookie: api.cookieHeader, 'x-csrf-token': api.csrfToken ?? '' };
  }

  test('a NUL or another control character in a path is a 400, API or not', async () => {
    for (const path of [
      '/cases/%00',
      '/%00',
      '/a%00b/c',
      '/_app/%00.js',
      '/api/cases/%00',
      '/api/hearings/%00/protocol',
      '/cases/%0a',
      '/api/cases/%1f/inventory',
      '/%zz',
      '/api/cases/%zz',
      '/x?q=%zz',
      '/api/cases?x=%00',
    ]) {
      const answer = await raw(agent, base, 'GET', path);
      assert.equal(answer.status, 400, `${path}: ${answer.status} ${answer.body.slice(0, 200)}`);
      assert.equal(JSON.parse(answer.body).error.code, 'invalid_request', path);
    }
    assert.equal((await raw(agent, base, 'GET', '/cases/' + 'a'.repeat(9000))).status, 400, 'an over-long URL');
  });

  test('a Range header that does not parse is ignored (200); one past the end is a 416', async () => {
    const judge = await loggedIn('judge');
    const document = `/api/cases/${demo.caseId}/documents/${file.indictment}/content`;
    const whole = await raw(agent, base, 'GET', document, judge);
    assert.equal(whole.status, 200);
    for (const range of ['bytes=abc', 'bytes=5-2', 'bytes=0-1,4-5', 'bytes=-', 'bytes=--1', 'items=0-1', 'bytes 0-1', 'bytes=0-1 , 3-4', `bytes=${'9'.repeat(40)}-`]) {
      for (const path of [document, '/', '/favicon.svg']) {
        const answer = await raw(agent, base, 'GET', path, { ...judge, range });
        assert.equal(answer.status, 200, `${path} with Range: ${range} answered ${answer.status}`);
      }
    }
    const past = await raw(agent, base, 'GET', document, { ...judge, range: 'bytes=99999999-' });
    assert.equal(past.status, 416);
    assert.match(String(past.headers['content-range']), /^bytes \*\/\d+$/);
    assert.equal((await raw(agent, base, 'GET', document, { ...judge, range: 'bytes=0-9' })).status, 206);
    assert.equal((await raw(agent, base, 'GET', '/favicon.svg', { range: 'bytes=99999999-' })).status, 416);
  });

  test('fuzz: every route, every path and query parameter, as anonymous, a judge and the wall screen: no 5xx', async () => {
    const routes = routesOf(server.app.printRoutes({ commonPrefix: false }));
    assert.ok(routes.length > 40, `found ${routes.length} routes`);
    const users: [string, Record<string, string>][] = [
      ['anonymous', {}],
      ['judge', await loggedIn('judge')],
      ['hall1', await loggedIn('hall1')],
    ];
    // Plausible values for the parameters not being fuzzed, so the route gets past them.
    const plausible: Record<string, string> = {
      id: demo.caseId,
      hearingId: demo.hearingId,
      docId: file.indictment,
      actId: 'x',
      noteId: 'x',
      motionId: 'x',
      position: '1',
      trackId: 'x',
      seq: '0',
      '*': 'cases',
    };
    const next = random(20261206);
    // Every parameter gets some 200 odd values: the worst hand-picked ones as every user, the other
    // hand-picked and the generated ones shared out between the users (each as one of them in
    // turn), which keeps the run near half a minute.
    const generatedValues = generated(next, 140);
    const userCount = users.length;

    const jobs: { user: string; headers: Record<string, string>; method: string; path: string; body?: string }[] = [];
    let turn = 0;
    const add = (everyone: boolean, method: string, path: string, body: string | undefined) => {
      for (const [user, headers] of everyone ? users : [users[turn++ % userCount]]) jobs.push({ user, headers, method, path, body });
    };
    for (const route of routes) {
      // Logging out would end the fuzzing user's session; it has nothing to fuzz anyway.
      if (route.path === '/api/auth/logout') continue;
      const body = route.method === 'GET' ? undefined : '{}';
      const params = [...route.path.matchAll(/:([A-Za-z]+)|\*/g)].map((m) => m[1] ?? '*');
      const fill = (name: string, value: string) =>
        route.path.replace(/:([A-Za-z]+)|\*/g, (_whole, param: string | undefined) => {
          const key = param ?? '*';
          return key === name ? value : (plausible[key] ?? 'x');
        });
      for (const name of params) {
        RAW_VALUES.forEach((value, i) => add(i < EVERY_USER, route.method, fill(name, value), body));
        for (const value of generatedValues) add(false, route.method, fill(name, value), body);
      }
      // The query: each known parameter of the route in odd values and shapes, the others valid;
      // and, for every route, odd shapes of a parameter it does not know.
      const path = fill('', '');
      const baseline = QUERY_BASELINE[route.path.replace(/:hearingId/g, ':id')] ?? {};
      for (const key of Object.keys(baseline)) {
        const others = Object.entries(baseline)
          .filter(([k]) => k !== key)
          .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
        // A valid query of a PDF or CSV route renders it: those get the hand-picked values only.
        const oddValues = /\.(pdf|csv)$/.test(route.path) ? RAW_VALUES : [...RAW_VALUES, ...generatedValues.slice(0, 40)];
        for (const value of oddValues) add(false, route.method, `${path}?${[...others, `${key}=${value}`].join('&')}`, body);
        for (const shape of QUERY_SHAPES(key, encodeURIComponent(baseline[key]))) add(true, route.method, `${path}?${[...others, shape].join('&')}`, body);
      }
      for (const value of ['%00', '9'.repeat(400), '__proto__']) for (const shape of QUERY_SHAPES('zz', value)) add(false, route.method, `${path}?${shape}`, body);
    }

    const failures: string[] = [];
    const started = Date.now();
    let at = 0;
    const lane = async () => {
      while (at < jobs.length) {
        const job = jobs[at++];
        try {
          const answer = await raw(agent, base, job.method, job.path, job.headers, job.body);
          if (answer.status >= 500) failures.push(`${job.user} ${job.method} ${job.path.slice(0, 200)} → ${answer.status} ${answer.body.slice(0, 200)}`);
        } catch (error) {
          failures.push(`${job.user} ${job.method} ${job.path.slice(0, 200)} → ${(error as Error).message}`);
        }
      }
    };
    // Eight at a time: more only queue in the one server process.
    await Promise.all(Array.from({ length: 8 }, lane));
    const seconds = (Date.now() - started) / 1000;
    console.log(`fuzz: ${jobs.length} requests over ${routes.length} routes in ${seconds.toFixed(1)} s`);
    assert.deepEqual(failures.slice(0, 30), [], `${failures.length} requests answered 5xx or failed`);
  });
});
