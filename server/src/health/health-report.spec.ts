import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessHealth, type HealthInput } from './health-report.ts';
import type { LocationReport, StorageReport } from './storage-probe.ts';

const MB = 1024 * 1024;
const folder = (name: LocationReport['name'], freeMb: number, failure: LocationReport['failure'] = null): LocationReport => ({ name, freeBytes: freeMb * MB, failure, error: failure ? 'x' : null });
const storage = (locations: LocationReport[], database: StorageReport['database'] = { failure: null, error: null }): StorageReport => ({ database, locations });
const input = (over: Partial<HealthInput> = {}): HealthInput => ({
  databaseUp: true,
  storage: storage([folder('data', 10_000), folder('files', 10_000), folder('recordings', 10_000)]),
  media: null,
  minFreeBytes: 512 * MB,
  criticalFreeBytes: 64 * MB,
  ...over,
});
const codes = (health: ReturnType<typeof assessHealth>) => health.reasons.map((r) => `${r.level} ${r.code} ${r.where}`);

test('all well: 200 ok, no reasons', () => {
  const health = assessHealth(input());
  assert.deepEqual({ http: health.httpStatus, status: health.status, reasons: health.reasons }, { http: 200, status: 'ok', reasons: [] });
  assert.deepEqual(
    health.storage.locations.map((l) => l.freeMb),
    [10_000, 10_000, 10_000],
  );
});

test('a full or read-only disk fails health (503), named by where, never by path', () => {
  const health = assessHealth(
    input({ storage: storage([folder('data', 0, 'disk_full'), folder('files', 0, 'disk_full'), folder('recordings', 900, 'not_writable')], { failure: 'disk_full', error: 'SQLITE_FULL' }) }),
  );
  assert.equal(health.httpStatus, 503);
  assert.equal(health.status, 'failing');
  assert.deepEqual(codes(health), ['failing disk_full database', 'failing disk_full data', 'failing disk_full files', 'failing not_writable recordings']);
  assert.equal(health.database.status, 'not_writable');
  assert.equal(health.storage.status, 'failing');
  assert.ok(
    health.reasons.every((r) => !r.message.includes('/')),
    'no paths',
  );
});

test('free space: below HEALTH_MIN_FREE_MB a warning (200), below HEALTH_CRITICAL_FREE_MB disk_full (503) before any write fails', () => {
  const low = assessHealth(input({ storage: storage([folder('data', 300), folder('files', 300), folder('recordings', 10_000)]) }));
  assert.equal(low.httpStatus, 200);
  assert.equal(low.status, 'warning');
  assert.deepEqual(codes(low), ['warning disk_low data', 'warning disk_low files']);
  assert.equal(low.storage.status, 'low');

  const critical = assessHealth(input({ storage: storage([folder('data', 10), folder('files', 10_000), folder('recordings', 10_000)]) }));
  assert.equal(critical.httpStatus, 503);
  assert.deepEqual(codes(critical), ['failing disk_full data']);
});

test('the database not answering, a media worker down, and media nobody can reach each fail health', () => {
  assert.deepEqual(codes(assessHealth(input({ databaseUp: false }))), ['failing database_down database']);
  const worker = (alive: boolean) => ({ index: 0, pid: 1, alive, restarts: 0 });
  const dead = assessHealth(input({ media: { status: 'degraded', workers: [worker(true), worker(false)] } }));
  assert.equal(dead.httpStatus, 503);
  assert.deepEqual(codes(dead), ['failing media_worker_down media']);
  assert.match(dead.reasons[0].message, /1 of 2/);
  const unreachable = assessHealth(input({ media: { status: 'down', workers: [worker(true)] } }));
  assert.deepEqual(codes(unreachable), ['failing media_unreachable media']);
});

test('media addresses only this machine can reach: a warning, its text also in `warnings` as before', () => {
  const health = assessHealth(input({ media: { status: 'ok', workers: [{ index: 0, pid: 1, alive: true, restarts: 0 }], warnings: ['only loopback is announced'] } }));
  assert.equal(health.httpStatus, 200);
  assert.equal(health.status, 'warning');
  assert.deepEqual(health.reasons, [{ code: 'media_address', level: 'warning', where: 'media', message: 'only loopback is announced' }]);
});
