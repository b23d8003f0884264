import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { loadConfig } from '../config.ts';
import { iceServersFor, turnRestCredentials } from './turn-credentials.ts';

test('TURN REST credentials: <expiry>:<label>, base64 HMAC-SHA1 of the username with the shared secret', () => {
  const { username, credential } = turnRestCredentials('north-court-turn-secret', 'abc:1', 1_700_000_000.7);
  assert.equal(username, '1700000000:abc-1');
  assert.equal(credential, createHmac('sha1', 'north-court-turn-secret').update('1700000000:abc-1').digest('base64'));
  // The same as openssl computes: printf '1:user' | openssl dgst -sha1 -hmac secret -binary | base64
  assert.equal(turnRestCredentials('secret', 'user', 1).credential, '2bAU+Ug5rOCG/OSDF/Vya99JHNs=');
});

test('with MEDIA_TURN_SECRET each connection gets its own credentials expiring after MEDIA_TURN_TTL_SECONDS', () => {
  const config = loadConfig({ DATA_DIR: '/tmp/ezal-unused', MEDIA_TURN_URLS: 'turns:turn.court.kz:443?transport=tcp', MEDIA_TURN_SECRET: 'a-secret-of-twenty-chars', MEDIA_TURN_TTL_SECONDS: '600' });
  const servers = iceServersFor(config.media.turn, () => 1_000_000_000_000);
  const [first] = servers('peer-1');
  const [second] = servers('peer-2');
  assert.deepEqual(first!.urls, ['turns:turn.court.kz:443?transport=tcp']);
  assert.equal(first!.username, '1000000600:peer-1');
  assert.notEqual(first!.credential, second!.credential);
});

test('without the secret the static credentials are handed out; without URLs nothing', () => {
  const config = loadConfig({ DATA_DIR: '/tmp/ezal-unused', MEDIA_TURN_URLS: 'turn:a:3478, turns:b:443', MEDIA_TURN_USERNAME: 'u', MEDIA_TURN_CREDENTIAL: 'p' });
  assert.deepEqual(iceServersFor(config.media.turn)('x'), [{ urls: ['turn:a:3478', 'turns:b:443'], username: 'u', credential: 'p' }]);
  assert.deepEqual(iceServersFor(loadConfig({ DATA_DIR: '/tmp/ezal-unused' }).media.turn)('x'), []);
  assert.throws(() => loadConfig({ DATA_DIR: '/tmp/ezal-unused', MEDIA_TURN_URLS: 'turns:b:443', MEDIA_TURN_SECRET: 'short' }), /MEDIA_TURN_SECRET/);
});
