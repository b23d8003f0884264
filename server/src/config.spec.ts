import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

function envExample(): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(root, '.env.example'), 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) values[match[1]] = match[2];
  }
  return values;
}

test('with no environment, the defaults serve a demo court on port 3000', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.demo, true);
  assert.equal(config.dataDir, path.join(root, 'data'));
  assert.equal(config.loginRateLimit.max, 10);
});

test('every bad variable is reported at once, by name', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', EZAL_DEMO: 'maybe', MEDIA_RTC_MIN_PORT: '50000', MEDIA_RTC_MAX_PORT: '40000' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /PORT must be a whole number from 0 to 65535, got 'eighty'/);
      assert.match(error.message, /EZAL_DEMO must be 1 or 0/);
      assert.match(error.message, /MEDIA_RTC_MIN_PORT must not be greater than MEDIA_RTC_MAX_PORT/);
      return true;
    },
  );
});

test('.env.example lists every variable the server reads', () => {
  const source = fs.readFileSync(path.join(import.meta.dirname, 'config.ts'), 'utf8');
  const read = [...source.matchAll(/read\.\w+\('([A-Z0-9_]+)'/g)].map((m) => m[1]);
  assert.ok(read.length > 10);
  const listed = Object.keys(envExample());
  assert.deepEqual(
    read.filter((name) => !listed.includes(name)),
    [],
  );
});

test('.env.example states the real defaults: loading it changes nothing', () => {
  // Paths in .env.example are relative to the repository root, where npm start runs.
  const resolved = Object.fromEntries(Object.entries(envExample()).map(([k, v]) => [k, v.startsWith('./') ? path.join(root, v) : v]));
  assert.deepEqual(loadConfig(resolved), loadConfig({}));
});

test('notifications are off unless configured; a mail server needs a sender, a gateway a web address', () => {
  assert.deepEqual(loadConfig({}).notifications, { email: null, sms: null, maxAttempts: 10, retryBaseSeconds: 30 });
  const on = loadConfig({
    SMTP_HOST: 'mail.court.kz',
    SMTP_PORT: '465',
    SMTP_SECURE: '1',
    SMTP_FROM: 'Суд <no-reply@court.kz>',
    SMS_GATEWAY_URL: 'https://sms.example.kz/send',
    SMS_GATEWAY_TOKEN: 't',
  });
  assert.deepEqual(on.notifications.email, { host: 'mail.court.kz', port: 465, secure: true, user: undefined, pass: undefined, from: 'Суд <no-reply@court.kz>' });
  assert.deepEqual(on.notifications.sms, { url: 'https://sms.example.kz/send', token: 't' });
  assert.throws(
    () => loadConfig({ SMTP_HOST: 'mail.court.kz', SMS_GATEWAY_URL: 'ftp://sms', HEARING_DEFAULT_DURATION_MINUTES: '5' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /SMTP_FROM must be set when SMTP_HOST is/);
      assert.match(error.message, /SMS_GATEWAY_URL must be an http:\/\/ or https:\/\/ address, got 'ftp:\/\/sms'/);
      assert.match(error.message, /HEARING_DEFAULT_DURATION_MINUTES must be a whole number from 15 to 720/);
      return true;
    },
  );
});
