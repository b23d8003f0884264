/**
 * End-to-end: a motion in the hall, in real browsers. The defence lawyer files a motion
 * from the workstation and signs it in the browser with the demo key file (DATA_DIR/demo-keys,
 * db/demo-keys.ts); the judge sees it, the prosecutor objects, the judge denies it with reasons,
 * and the lawyer's screen shows the ruling. The motion refers to a sheet of the case file, picked
 * from the inventory, and the judge's workstation shows that reference. Along the way: a wrong key password and a text with a
 * script are refused with translated messages, and markup in a motion is shown as text.
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium. Run: node --test tests/e2e/motions.spec.ts
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ru } from '../../apps/web/src/lib/i18n/ru.ts';
import { BrowserHarness } from '../helpers/browser.ts';
import { demoHearing, type DemoHearing } from '../helpers/hall.ts';
import { smallPdf } from '../helpers/motions.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const DESKTOP = { width: 1440, height: 900 };

describe('motions in the hall', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let demo: DemoHearing;
  let attachment: string;

  before(async () => {
    server = await startTestServer();
    harness = await BrowserHarness.launch();
    demo = demoHearing(server.sqlite!);
    attachment = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-e2e-motion-')), 'spravka.pdf');
    fs.writeFileSync(attachment, await smallPdf('Spravka'));
  });

  after(async () => {
    await harness?.close();
    await server?.close();
    if (attachment) fs.rmSync(path.dirname(attachment), { recursive: true, force: true });
  });

  async function seat(username: string, role: string): Promise<Page> {
    assert.ok(server && harness);
    const page = await harness.openPage(DESKTOP, 20_000);
    await page.goto(server.url + '/login');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('ezal-demo');
    await page.getByTestId('login-submit').click();
    await page.locator(`[data-testid="hearing-row"][data-hearing-id="${demo.hearingId}"]`).getByTestId('hearing-enter').click();
    await page.waitForURL(`**/hearings/${demo.hearingId}/${role}`);
    await page.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
    return page;
  }

  test('the defender files and signs a motion; the prosecutor objects; the judge denies it; the defender sees the ruling', async () => {
    assert.ok(server);
    const judge = await seat('judge', 'judge');
    await judge.getByTestId('open-hearing').click();
    const [prosecutor, defender] = await Promise.all([seat('prosecutor', 'prosecutor'), seat('defender', 'defender')]);
    const keyFile = path.join(server.dataDir, 'demo-keys', 'defender.p12');

    const form = defender.getByTestId('motion-file');
    await form.locator('summary').click();
    await form.getByTestId('key-file').setInputFiles(keyFile);

    // A wrong password: refused in the browser, in Russian, nothing sent.
    await form.getByTestId('motion-text-input').fill('Прошу приобщить справку.');
    await form.getByTestId('key-password').fill('not-the-password');
    await form.getByTestId('sign-submit').click();
    await assert.doesNotReject(form.locator('[data-testid="signing-error"][data-code="signing.error.wrong_password"]').waitFor());
    assert.equal(await form.getByTestId('signing-error').textContent(), ru['signing.error.wrong_password']);

    // A script in the text: the court refuses it, with the reason.
    await form.getByTestId('motion-text-input').fill('<script>document.title="pwned"</script>');
    await form.getByTestId('key-password').fill('ezal-demo');
    await form.getByTestId('sign-submit').click();
    await form.locator('[data-testid="signing-error"][data-code="error.text_unsafe"]').waitFor();
    assert.equal(await form.getByTestId('signing-error').textContent(), ru['error.text_unsafe']);

    // The real motion, with markup that is not a script: kept, and shown as the characters typed.
    const text = 'Прошу приобщить к делу справку <b>с места работы</b> подсудимого.';
    await form.getByTestId('motion-text-input').fill(text);
    await form.getByTestId('motion-attachments').setInputFiles(attachment);

    // A reference to the case file: the scene protocol (its sheets from the inventory), sheet 7.
    const protocol = server
      .sqlite!.prepare(
        "select d.id, d.title, d.sheet_from as sheetFrom, d.sheet_to as sheetTo, v.number as volume from documents d join volumes v on v.id = d.volume_id where d.case_id = ? and d.source_id = 'd2'",
      )
      .get(demo.caseId) as { id: string; title: string; sheetFrom: number; sheetTo: number; volume: number };
    const refs = form.getByTestId('motion-refs');
    await refs.getByTestId('motion-ref-document').selectOption(protocol.id);
    // A sheet outside the document cannot be added.
    await refs.getByTestId('motion-ref-sheet').fill(String(protocol.sheetTo + 1));
    assert.equal(await refs.getByTestId('motion-ref-add').isDisabled(), true);
    await refs.getByTestId('motion-ref-sheet').fill(String(protocol.sheetFrom + 2));
    await refs.getByTestId('motion-ref-add').click();
    const refText = ru['motions.ref']
      .replace('{volume}', String(protocol.volume))
      .replace('{sheets}', String(protocol.sheetFrom + 2))
      .replace('{title}', protocol.title);
    assert.equal((await refs.getByTestId('motion-ref').textContent())?.replace(ru['motions.refs_remove'], '').trim(), refText);
    await form.getByTestId('key-password').fill('ezal-demo');
    await form.getByTestId('sign-submit').click();
    await form.getByTestId('motion-receipt').waitFor();
    assert.match((await form.getByTestId('motion-receipt').textContent()) ?? '', /M-\d{8}-1/);

    // The judge and the prosecutor see it at once.
    for (const page of [judge, prosecutor]) await page.locator('[data-testid="motion"][data-number="1"][data-status="filed"]').waitFor();
    const shown = judge.locator('[data-testid="motion"][data-number="1"] [data-testid="motion-text"]');
    assert.equal(await shown.textContent(), text);
    assert.equal(await shown.locator('b').count(), 0, 'markup in a motion is never HTML');
    // The judge's workstation shows the reference by volume, sheet and title; the court stored it as filed.
    await judge.locator('[data-testid="motion"][data-number="1"] [data-testid="motion-ref-shown"]', { hasText: refText }).waitFor();
    const stored = server.sqlite!.prepare('select refs from motions where number = 1 and case_id = ?').get(demo.caseId) as { refs: string };
    assert.deepEqual(JSON.parse(stored.refs), [{ documentId: protocol.id, sheet: protocol.sheetFrom + 2 }]);

    // The prosecutor objects.
    const position = prosecutor.locator('[data-testid="motion"][data-number="1"]').getByTestId('position-form');
    await position.getByTestId('position-select').selectOption('objects');
    await position.getByTestId('position-text').fill('Справка не заверена.');
    await position.getByTestId('position-submit').click();
    await judge.locator('[data-testid="motion"][data-number="1"] [data-testid="motion-positions"]', { hasText: ru['motions.position.objects'] }).waitFor();

    // The judge denies it, with reasons.
    const ruling = judge.locator('[data-testid="motion"][data-number="1"]').getByTestId('ruling-form');
    await ruling.getByTestId('ruling-select').selectOption('denied');
    await ruling.getByTestId('ruling-reasons').fill('Справка не относится к предмету доказывания.');
    await ruling.getByTestId('ruling-submit').click();

    // The defender's screen shows the ruling.
    const mine = defender.locator('[data-testid="motion"][data-number="1"][data-status="denied"]');
    await mine.waitFor();
    assert.equal(await mine.getByTestId('motion-status').textContent(), ru['motions.status.denied']);
    assert.match((await mine.getByTestId('motion-ruling').textContent()) ?? '', /Справка не относится к предмету доказывания\./);
    assert.notEqual(await defender.title(), 'pwned');
    await Promise.all([judge, prosecutor, defender].map((p) => p.context().close()));
  });

  test('from the case page: a motion to take part remotely, its receipt, the register; the judge takes it up in the hall', async () => {
    assert.ok(server);
    const defender = await seat('defender', 'defender');
    await defender.goto(`${server.url}/cases/${demo.caseId}`);
    const section = defender.getByTestId('case-motions');
    // The motion of the first test is in the register, with its ruling.
    await section.locator('[data-testid="register-motion"][data-number="1"][data-status="denied"]').waitFor();
    // Its reference to the case file, by volume, sheet and title.
    await section.locator('[data-testid="register-motion"][data-number="1"] [data-testid="register-refs"]', { hasText: /т\. 1, л\. 7 — Протокол осмотра места происшествия/ }).waitFor();

    const form = section.getByTestId('case-motion-file');
    await form.locator('summary').click();
    await form.getByTestId('motion-remote').check();
    await form.getByTestId('motion-text-input').fill('Прошу обеспечить участие подзащитного по видеоконференцсвязи.');
    await form.getByTestId('key-file').setInputFiles(path.join(server.dataDir, 'demo-keys', 'defender.p12'));
    await form.getByTestId('key-password').fill('ezal-demo');
    await form.getByTestId('sign-submit').click();
    await form.getByTestId('motion-receipt').waitFor();
    await section.locator('[data-testid="register-motion"][data-number="2"][data-status="filed"]').waitFor();
    assert.match((await section.locator('[data-testid="register-motion"][data-number="2"]').textContent()) ?? '', new RegExp(ru['motions.remote']));

    // The judge sees it waiting, takes it up, and it joins the hall's motions.
    const judge = await seat('judge', 'judge');
    await judge.locator('[data-testid="outside-motion"][data-number="2"]').getByTestId('take-up').click();
    await judge.locator('[data-testid="motion"][data-number="2"][data-status="filed"]').waitFor();
    await Promise.all([judge, defender].map((p) => p.context().close()));
  });
});
