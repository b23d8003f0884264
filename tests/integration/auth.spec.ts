import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

describe('logging in and out', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ LOGIN_ACCOUNT_DELAY_BASE_MS: '20', LOGIN_ACCOUNT_DELAY_MAX_MS: '200' });
  });
  after(() => server.close());

  test('the demo judge logs in and sees who they are', async () => {
    const client = new ApiClient(server.url);
    const login = await client.login('judge');
    assert.equal(login.user.username, 'judge');
    assert.deepEqual(login.user.roles, ['judge']);
    assert.equal(login.user.court.code, '7511');

    const cookie = [...client.cookies.keys()];
    assert.ok(cookie.includes('ezal_session'), 'a session cookie is set');

    const me = await client.get('/api/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.user.fullName, 'Ахметова Гульнара Сериковна');
  });

  test('the session cookie is httpOnly and never the raw database id', async () => {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'secretary', password: 'ezal-demo' }),
    });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('ezal_session='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    const token = cookie.split(';')[0].split('=')[1];
    const stored = await sqlOf(server).all<{ id: string }>('select id from sessions');
    assert.ok(stored.length > 0);
    assert.ok(
      stored.every((s) => s.id !== token),
      'the database keeps a hash of the token, not the token',
    );
  });

  test('a wrong password is refused without saying which part was wrong, and audited', async () => {
    const client = new ApiClient(server.url);
    const wrong = await client.post('/api/auth/login', { username: 'judge', password: 'nope' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'invalid_credentials');
    const unknown = await client.post('/api/auth/login', { username: 'nobody', password: 'nope' });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error.code, 'invalid_credentials');

    const denied = await sqlOf(server).all<{ actor: string }>("select actor, outcome from audit_log where action = 'auth.login' and outcome = 'denied' order by id");
    assert.deepEqual(
      denied.map((d) => d.actor),
      ['judge', 'nobody'],
    );
  });

  test('a malformed login is a 400 with a code, not a crash', async () => {
    const client = new ApiClient(server.url);
    const missing = await client.post('/api/auth/login', { username: 'judge' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'invalid_request');
    const notJson = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user' });
    assert.equal(notJson.status, 400);
    assert.equal(((await notJson.json()) as any).error.code, 'invalid_request');
  });

  test('without a session the API answers 401', async () => {
    const client = new ApiClient(server.url);
    for (const url of ['/api/me', '/api/cases', '/api/hearings']) {
      const response = await client.get(url);
      assert.equal(response.status, 401, url);
      assert.equal(response.body.error.code, 'unauthenticated');
    }
  });

  test('writes need the CSRF token of the same session', async () => {
    const judge = new ApiClient(server.url);
    await judge.login('judge');
    const other = new ApiClient(server.url);
    await other.login('prosecutor');

    const token = judge.csrfToken;
    judge.csrfToken = undefined;
    const without = await judge.patch('/api/me', { locale: 'kk' });
    assert.equal(without.status, 403);
    assert.equal(without.body.error.code, 'csrf_invalid');

    judge.csrfToken = other.csrfToken;
    const foreign = await judge.patch('/api/me', { locale: 'kk' });
    assert.equal(foreign.status, 403, "another session's token is refused");

    judge.csrfToken = token;
    const ok = await judge.patch('/api/me', { locale: 'kk' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.user.locale, 'kk');
  });

  test('the chosen language is kept per user across sessions', async () => {
    const first = new ApiClient(server.url);
    await first.login('defender');
    assert.equal((await first.patch('/api/me', { locale: 'en' })).status, 200);
    const invalid = await first.patch('/api/me', { locale: 'de' });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.error.code, 'invalid_request');

    const second = new ApiClient(server.url);
    const login = await second.login('defender');
    assert.equal(login.user.locale, 'en');
  });

  test('logout ends the session', async () => {
    const client = new ApiClient(server.url);
    await client.login('office');
    const sessionCookie = client.cookies.get('ezal_session');
    assert.equal((await client.post('/api/auth/logout')).status, 200);
    assert.equal(client.cookies.has('ezal_session'), false, 'the cookie is cleared');

    // Even a client that kept the old cookie is logged out: the session is gone on the server.
    const stale = new ApiClient(server.url);
    stale.cookies.set('ezal_session', sessionCookie!);
    assert.equal((await stale.get('/api/me')).status, 401);
  });

  test('an expired session is refused', async () => {
    const client = new ApiClient(server.url);
    const login = await client.login('prosecutor');
    assert.equal((await client.get('/api/me')).status, 200);
    await sqlOf(server).run('update sessions set expires_at = ? where user_id = ?', new Date(Date.now() - 1), login.user.id);
    const expired = await client.get('/api/me');
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, 'unauthenticated');
  });

  test('password guessing on one account is slowed down, never locked: the right password still logs in', async () => {
    const client = new ApiClient(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await client.post('/api/auth/login', { username: 'chair', password: 'wrong' })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401], 'wrong passwords are answered 401, slower and slower (docs/api.md)');
    const correct = await client.post('/api/auth/login', { username: 'chair', password: 'ezal-demo' });
    assert.equal(correct.status, 200, 'the owner is not locked out of the account');
    assert.equal((await client.post('/api/auth/login', { username: 'admin', password: 'ezal-demo' })).status, 200);
  });
});
