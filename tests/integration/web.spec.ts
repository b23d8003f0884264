/**
 * How the server hands out the web app: deep links open the app, hashed assets are cached for
 * good, unknown API routes stay JSON errors, and every answer carries the security headers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.ts';

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

  test('every answer carries the security headers', async () => {
    for (const url of ['/', '/api/health', '/api/me']) {
      const response = await fetch(server.url + url);
      assert.equal(response.headers.get('x-frame-options'), 'SAMEORIGIN', url);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', url);
      assert.equal(response.headers.get('referrer-policy'), 'same-origin', url);
      assert.equal(response.headers.get('strict-transport-security'), null, `${url}: no HSTS over plain HTTP`);
    }
  });
});
