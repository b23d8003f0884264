/**
 * End-to-end: the administrator opens Administration from the header and reads
 * that the audit log is whole; someone with the database file drops the append-only triggers and
 * rewrites an entry; "Check again" then says the log has been tampered with and names the entry.
 * A judge has no such link, and the page tells them it is not theirs.
 * Needs the web app built (`npm run build:web`) and Debian's Chromium.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { BrowserHarness, logInAs } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('web app: the audit chain on the admin page', () => {
  let server: TestServer;
  let harness: BrowserHarness;

  before(async () => {
    server = await startTestServer();
    harness = await BrowserHarness.launch();
  });
  after(async () => {
    await harness?.close();
    await server?.close();
  });

  test('whole, then tampered with: "check again" names the entry', async () => {
    const page = await harness.openPage({ width: 1366, height: 900 }, 15_000);
    await logInAs(page, server.url, 'admin');
    await page.getByTestId('nav-admin').click();
    const verdict = page.getByTestId('audit-verdict');
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-ok'), 'true');
    // The demo administrator reads English.
    assert.match((await verdict.textContent()) ?? '', /The audit log is whole: \d+ entr(y|ies) checked\./);
    assert.equal(await page.locator('h1').count(), 1);

    // Someone with the database file rewrites the administrator's own login as refused.
    const db = new Database(server.sqlite!.name);
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete');
    const { id } = db.prepare("select id from audit_log where actor = 'admin' and action = 'auth.login' order by id desc limit 1").get() as { id: number };
    db.prepare("update audit_log set outcome = 'denied' where id = ?").run(id);
    db.close();

    await page.getByTestId('audit-check-again').click();
    await page.locator('[data-testid="audit-verdict"][data-ok="false"]').waitFor();
    assert.match((await verdict.textContent()) ?? '', new RegExp(`tampered with: the chain breaks at entry no\\. ${id}\\.`));
    const problem = page.getByTestId('audit-problem').first();
    assert.equal(await problem.getAttribute('data-kind'), 'hash_mismatch');
    assert.equal(await problem.getAttribute('data-audit-id'), String(id));

    // The same verdict in Russian and in Kazakh.
    await page.getByTestId('lang-ru').click();
    await page.getByText(`Журнал аудита повреждён: цепочка нарушена на записи № ${id}.`).waitFor();
    await page.getByTestId('lang-kk').click();
    await page.getByText(`Аудит журналы бүлінген: тізбек № ${id} жазбада үзілген.`).waitFor();
    harness.assertNoPageErrors();
  });

  test('a judge has no link to it, and the page is not theirs', async () => {
    const page = await harness.openPage({ width: 1366, height: 900 }, 15_000);
    await logInAs(page, server.url, 'judge');
    assert.equal(await page.getByTestId('nav-admin').count(), 0);
    await page.goto(server.url + '/admin');
    await page.getByTestId('admin-no-access').waitFor();
    assert.equal(await page.getByTestId('audit-verdict').count(), 0);
    harness.assertNoPageErrors();
  });
});
