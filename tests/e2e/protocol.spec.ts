/**
 * End-to-end: the short protocol in real browsers. The secretary writes notes during
 * the hearing — a standard phrase by Alt+3, Enter to add, a correction — and the judge's
 * workstation shows them live; after the judge adjourns, the secretary and then the judge sign the
 * protocol on its page with their demo key files (DATA_DIR/demo-keys), and the protocol appears
 * in the case file's inventory.
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium. Run: node --test tests/e2e/protocol.spec.ts
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { GLOSSARY } from '../../apps/web/src/lib/protocol/glossary.ts';
import { ru } from '../../apps/web/src/lib/i18n/ru.ts';
import { kk } from '../../apps/web/src/lib/i18n/kk.ts';
import { BrowserHarness, logIn } from '../helpers/browser.ts';
import { demoHearing, type DemoHearing } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const DESKTOP = { width: 1440, height: 900 };

describe('the short protocol in the browser', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let demo: DemoHearing;

  before(async () => {
    server = await startTestServer();
    harness = await BrowserHarness.launch();
    demo = demoHearing(server.sqlite!);
  });

  after(async () => {
    await harness?.close();
    await server?.close();
  });

  async function seat(username: string, role: string): Promise<Page> {
    assert.ok(server && harness);
    const page = await harness.openPage(DESKTOP, 20_000);
    await logIn(page, server.url, username);
    await page.locator(`[data-testid="hearing-row"][data-hearing-id="${demo.hearingId}"]`).getByTestId('hearing-enter').click();
    await page.waitForURL(`**/hearings/${demo.hearingId}/${role}`);
    await page.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
    return page;
  }

  async function signOnProtocolPage(page: Page, username: string): Promise<void> {
    assert.ok(server);
    await page.goto(`${server.url}/hearings/${demo.hearingId}/protocol`);
    const form = page.getByTestId('protocol-sign');
    await form.getByTestId('key-file').setInputFiles(path.join(server.dataDir, 'demo-keys', `${username}.p12`));
    await form.getByTestId('key-password').fill('ezal-demo');
    await form.getByTestId('sign-submit').click();
  }

  test('notes with shortcuts, seen live by the judge; signed by the secretary, then the judge; in the case inventory', async () => {
    assert.ok(server);
    const judge = await seat('judge', 'judge');
    await judge.getByTestId('open-hearing').click();
    const secretary = await seat('secretary', 'secretary');
    const language = (server.sqlite!.prepare('select language from cases where id = ?').get(demo.caseId) as { language: 'kk' | 'ru' }).language;

    // Alt+3: the third standard phrase of the preparatory part, in the language of proceedings; Enter adds it.
    const note = secretary.getByTestId('protocol-note');
    await note.waitFor();
    await note.focus();
    await secretary.keyboard.press('Alt+3');
    const phrase = GLOSSARY.preparatory[2][language];
    assert.equal(await note.inputValue(), phrase);
    await secretary.getByTestId('protocol-moment').waitFor();
    await note.press('Enter');
    await secretary.locator('[data-testid="protocol-entry"][data-source="note"]').getByText(phrase).waitFor();
    assert.equal(await note.inputValue(), '', 'the field is ready for the next note');

    await note.fill('Подсудимый ходатайствует о переводчике');
    await secretary.getByTestId('protocol-speaker').selectOption(demo.participants.defendant);
    await note.press('Enter');

    // The judge's workstation follows the protocol live, read-only.
    const judgePanel = judge.getByTestId('protocol-panel');
    await judgePanel.getByText('Подсудимый ходатайствует о переводчике').waitFor();
    await judgePanel.getByText(phrase).waitFor();
    assert.equal(await judgePanel.getByTestId('protocol-note').count(), 0);
    assert.equal(await judgePanel.getByTestId('protocol-edit').count(), 0);

    // A correction: the judge sees the new wording, marked as edited.
    const entry = secretary.locator('[data-testid="protocol-entry"][data-source="note"]').filter({ hasText: 'переводчике' });
    await entry.getByTestId('protocol-edit').click();
    await secretary.getByTestId('protocol-edit-text').fill('Подсудимый ходатайствует о переводчике на казахский язык');
    await secretary.getByTestId('protocol-edit-text').press('Enter');
    await judgePanel.getByText('Подсудимый ходатайствует о переводчике на казахский язык').waitFor();

    // The judge adjourns; the secretary signs the protocol, then the judge.
    await judge.getByTestId('adjourn').click();
    await judge.getByTestId('adjourn-form-reason').fill('Для вызова переводчика');
    await judge.getByTestId('adjourn-form-submit').click();
    await judge.getByTestId('hearing-outcome').waitFor();

    await signOnProtocolPage(secretary, 'secretary');
    await secretary.locator('[data-testid="protocol-page"][data-status="signed_by_secretary"]').waitFor();
    // The secretary's locale is Kazakh.
    await secretary.getByTestId('protocol-page-status').getByText(kk['protocol.status.signed_by_secretary']).waitFor();
    assert.equal(await secretary.getByTestId('protocol-sign').count(), 0, 'nothing more for the secretary to sign');
    assert.ok((await secretary.getByTestId('protocol-table').textContent())?.includes('Подсудимый ходатайствует о переводчике на казахский язык'));

    await signOnProtocolPage(judge, 'judge');
    await judge.locator('[data-testid="protocol-page"][data-status="signed"]').waitFor();
    await judge.getByTestId('protocol-page-status').getByText(ru['protocol.status.signed']).waitFor();

    // In the case file: the new document in the inventory, signed.
    await judge.getByTestId('protocol-in-case-file').waitFor();
    const volume = (server.sqlite!.prepare('select v.number from documents d join volumes v on v.id = d.volume_id where d.source_id = ?').get(`protocol:${demo.hearingId}`) as { number: number })
      .number;
    await judge.goto(`${server.url}/cases/${demo.caseId}`);
    await judge.getByTestId(`volume-toggle-${volume}`).click();
    const doc = judge.locator(`[data-testid="inventory-document"][data-source-id="protocol:${demo.hearingId}"]`);
    await doc.waitFor();
    assert.match((await doc.getByTestId('document-title').textContent()) ?? '', /Протокол судебного заседания|сот отырысының хаттамасы/);
    assert.equal(await doc.getByTestId('document-signature').getAttribute('data-signed'), 'true');
  });
});
