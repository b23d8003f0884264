/**
 * How the server hands out the web app: deep links open the app, hashed assets are cached for
 * good and sent precompressed, unknown API routes stay JSON errors, and every answer carries the
 * security headers, the page's Content-Security-Policy among them.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { demoHearing, seedCaseFile } from '../helpers/hall.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';

/** The policy of the page's meta tag, as the browser reads it. */
function metaPolicy(html: string): string {
  const policy = /<meta http-equiv="content-security-policy" content="([^"]*)"/.exec(html)?.[1];
  assert.ok(policy, 'the page has a Content-Security-Policy meta tag');
  return policy;
}

describe('serving the web app', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('a deep link gets the app page, with its Content-Security-Policy and no caching', async () => {
    const response = await fetch(`${server.url}/cases/some-case-id`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    const html = await response.text();
    assert.match(html, /<meta http-equiv="content-security-policy" content="default-src 'self';[^"]*script-src 'self' 'sha256-/);
    assert.match(html, /object-src 'none'/);
    // The same policy as a header (the boot script's hash included), and framing refused, which only a header can say.
    assert.equal(response.headers.get('content-security-policy'), `${metaPolicy(html)}; frame-ancestors 'none'`);
  });

  test('hashed assets are cached for good; a missing one is the app page, never a directory listing', async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    const asset = /\/_app\/immutable\/[^"]+\.js/.exec(html)?.[0];
    assert.ok(asset, 'the page links a hashed script');
    const response = await fetch(server.url + asset);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const traversal = await fetch(`${server.url}/_app/..%2f..%2f..%2fpackage.json`);
    assert.doesNotMatch(await traversal.text(), /"name": "e-zal"/);
  });

  test('an unknown API route is a JSON 404, not the app page', async () => {
    const response = await fetch(`${server.url}/api/no-such-thing`);
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'not_found');
  });

  test('scripts come precompressed by Accept-Encoding, varying on it, still cached for good', async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    // The largest script the page loads (a tiny one may not shrink).
    let asset = '';
    let plain = Buffer.alloc(0);
    for (const [url] of html.matchAll(/\/_app\/immutable\/[^"]+\.js/g)) {
      const body = Buffer.from(await (await fetch(server.url + url, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());
      if (body.length > plain.length) [asset, plain] = [url, body];
    }
    assert.ok(plain.length > 10_000, 'the page loads a script of some size');
    const decoders: Record<string, (body: Buffer) => Buffer> = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync };
    for (const [accept, encoding] of [
      ['br, gzip', 'br'],
      ['gzip, deflate', 'gzip'],
      ['identity', null],
    ] as const) {
      // node:http, not fetch: fetch would decode the body and hide what was sent.
      const { headers, body } = await rawGet(server.url + asset, { 'accept-encoding': accept });
      assert.equal(headers['content-encoding'], encoding ?? undefined, accept);
      assert.match(String(headers['vary']), /accept-encoding/i, accept);
      assert.match(String(headers['content-type']), /javascript/, accept);
      assert.equal(headers['cache-control'], 'public, max-age=31536000, immutable', accept);
      assert.deepEqual(encoding ? decoders[encoding](body) : body, plain, accept);
      if (encoding) assert.ok(body.length < plain.length, `${accept}: smaller than the file itself`);
    }
    // The app page itself, too, never cached.
    const page = await rawGet(`${server.url}/cases/x`, { 'accept-encoding': 'br' });
    assert.equal(page.headers['content-encoding'], 'br');
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.match(zlib.brotliDecompressSync(page.body).toString(), /content-security-policy/);
  });

  test('every answer carries the security headers', async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    const policy = `${metaPolicy(html)}; frame-ancestors 'none'`;
    const asset = /\/_app\/immutable\/[^"]+\.js/.exec(html)?.[0];
    // A case-file PDF, for a logged-in judge.
    const judge = new ApiClient(server.url);
    await judge.login('judge');
    const demo = await demoHearing(server.db);
    const pdf = `/api/cases/${demo.caseId}/documents/${(await seedCaseFile(server.db, demo.caseId)).indictment}/content`;
    // socket.io's long-polling answers are written outside fastify: they carry the same headers.
    const polling = '/socket.io/?EIO=4&transport=polling';
    for (const url of ['/', '/api/health', '/api/me', '/api/no-such-thing', asset, '/_app/immutable/missing.js', pdf, polling]) {
      const response = await fetch(server.url + url, url === pdf ? { headers: { cookie: judge.cookieHeader } } : {});
      if (url === pdf) assert.equal(response.headers.get('content-type'), 'application/pdf');
      await response.arrayBuffer();
      assert.equal(response.headers.get('content-security-policy'), policy, url);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', url);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', url);
      assert.equal(response.headers.get('referrer-policy'), 'same-origin', url);
      assert.equal(response.headers.get('strict-transport-security'), null, `${url}: no HSTS over plain HTTP`);
    }
  });
});

/** A GET whose body comes back as sent (no decoding), with its headers. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}
