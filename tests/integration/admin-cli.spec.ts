/**
 * A production installation (EZAL_DEMO=0) starts empty; the administrator makes its court, halls
 * and first users with `npm run admin`, and those users can log in.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ApiClient, freshPostgresDatabase, startTestServer, TEST_DIALECT } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-admin-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
/** On PostgreSQL (EZAL_TEST_DATABASE=postgres) the command line and the server share one fresh database. */
const database: Record<string, string> = {};
before(async () => {
  if (TEST_DIALECT === 'postgres') Object.assign(database, { DATABASE_URL: await freshPostgresDatabase(), EZAL_SECRET: 'the-court-secret-of-this-installation-0123456789' });
});

function admin(args: string[], stdin = '') {
  const result = spawnSync(process.execPath, ['server/src/cli/admin.ts', ...args], {
    cwd: root,
    input: stdin,
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: dataDir, EZAL_DEMO: '0', ...database },
  });
  return { code: result.status, out: result.stdout.trim(), err: result.stderr.trim() };
}

test('the administrator creates a court, a hall and a judge, who can then log in', async () => {
  assert.equal(admin(['court:create', '1990', '--ru', 'Суд №2 г. Астаны', '--kk', 'Астана қаласының №2 соты', '--en', 'Astana Court No. 2']).code, 0);
  const hall = ['hall:create', '1990', '3', '--ru', 'Зал № 3', '--kk', '№ 3 зал', '--en', 'Courtroom 3', '--address-ru', 'г. Астана, ул. Примерная, 2', '--address-kk', 'Астана қ., Примерная к-сі, 2'];
  assert.equal(admin(hall).code, 0);
  const created = admin(['user:create', 'a.serikov', '--name', 'Сериков Арман', '--roles', 'judge,chair', '--court', '1990', '--locale', 'kk'], 'a-long-enough-password\n');
  assert.equal(created.code, 0, created.err);
  assert.equal(created.out, 'user a.serikov created with role(s) judge, chair');
  const screen = admin(['user:create', 'screen3', '--name', 'Зал № 3', '--roles', 'hall_display', '--court', '1990', '--hall', '3'], 'a-long-enough-password\n');
  assert.equal(screen.code, 0, screen.err);

  const refused = [
    admin(['user:create', 'x.short', '--name', 'X', '--roles', 'judge'], 'short\n'),
    admin(['user:create', 'x.role', '--name', 'X', '--roles', 'wizard'], 'a-long-enough-password\n'),
    admin(['user:create', 'a.serikov', '--name', 'Again', '--roles', 'judge'], 'a-long-enough-password\n'),
    admin(['hall:create', '0000', '1', '--ru', 'a', '--kk', 'b', '--en', 'c']),
    admin(['user:create', 'screen4', '--name', 'X', '--roles', 'hall_display', '--court', '1990'], 'a-long-enough-password\n'),
    admin(['user:create', 'screen5', '--name', 'X', '--roles', 'hall_display', '--court', '1990', '--hall', '9'], 'a-long-enough-password\n'),
  ];
  assert.deepEqual(
    refused.map((r) => [r.code, r.err]),
    [
      [1, 'error: the password must be at least 10 characters'],
      [1, 'error: unknown role(s) wizard; roles are judge, secretary, prosecutor, defender, office, chair, admin, hall_display'],
      [1, 'error: user a.serikov already exists'],
      [1, 'error: no court 0000'],
      [1, 'error: a hall_display account needs --hall <hall code> (with --court), and only it takes --hall'],
      [1, 'error: no hall 9 in court 1990'],
    ],
  );

  const server = await startTestServer({ DATA_DIR: dataDir, EZAL_DEMO: '0', ...database });
  try {
    const client = new ApiClient(server.url);
    const login = await client.login('a.serikov', 'a-long-enough-password');
    assert.deepEqual(login.user.roles.sort(), ['chair', 'judge']);
    assert.equal(login.user.locale, 'kk');
    assert.equal(login.user.court.name.kk, 'Астана қаласының №2 соты');
    const screenLogin = await new ApiClient(server.url).login('screen3', 'a-long-enough-password');
    assert.deepEqual(screenLogin.user.roles, ['hall_display']);
    const hall = await sqlOf(server).one<{ code: string }>('select h.code from hall_displays d join halls h on h.id = d.hall_id join users u on u.id = d.user_id where u.username = ?', 'screen3');
    assert.equal(hall?.code, '3', 'the screen is bound to hall 3');
    // The hall's address is what its summonses will state.
    const halls = (await client.get('/api/halls')).body.halls;
    assert.deepEqual(
      halls.map((h: { code: string; address: unknown }) => [h.code, h.address]),
      [['3', { kk: 'Астана қ., Примерная к-сі, 2', ru: 'г. Астана, ул. Примерная, 2' }]],
    );
    assert.equal((await new ApiClient(server.url).post('/api/auth/login', { username: 'judge', password: 'ezal-demo' })).status, 401, 'no demo users');
  } finally {
    await server.close();
  }
});
