/**
 * End-to-end: the court office schedules a hearing on the case page, sees it listed with its
 * summonses, is refused a double booking in its own language, moves the hearing and cancels it;
 * the defence lawyer sees the schedule but no form.
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium (`apt-get install -y chromium`).
 * Run: node --test tests/e2e/scheduling.spec.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { kk } from '../../apps/web/src/lib/i18n/kk.ts';
import { ru } from '../../apps/web/src/lib/i18n/ru.ts';
import { BrowserHarness } from '../helpers/browser.ts';
import { courtDate } from '../helpers/scheduling.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';

describe('web app: scheduling a hearing', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let caseId: string;

  before(async () => {
    server = await startTestServer();
    harness = await BrowserHarness.launch();
    const api = new ApiClient(server.url);
    await api.login('office');
    caseId = (await api.get('/api/cases')).body.cases[0].id;
  });

  after(async () => {
    await harness?.close();
    await server?.close();
  });

  async function openCaseAs(username: string): Promise<Page> {
    assert.ok(server && harness);
    const page = await harness.openPage({ width: 1280, height: 900 });
    await page.goto(`${server.url}/cases/${caseId}`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('ezal-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('case-hearings').waitFor();
    return page;
  }

  test('the office schedules a hearing, sees it listed, is refused a double booking, moves it and cancels it', async () => {
    const page = await openCaseAs('office');
    // The office's saved language is Kazakh.
    await page.getByRole('heading', { level: 2, name: kk['case.hearings'] }).waitFor();
    const demoHearings = await page.getByTestId('scheduled-hearing').count();

    await page.getByTestId('schedule-new').click();
    const form = page.getByTestId('hearing-form');
    await form.getByTestId('form-hall').waitFor();
    // The demo sends no notices, and the form says so before anyone is summoned.
    await form.getByTestId('email-off').getByText(kk['schedule.email_off']).waitFor();

    const day = courtDate(14);
    await form.getByTestId('form-hall').selectOption({ label: '№ 2 сот отырысы залы' });
    await form.getByTestId('form-date').fill(day);
    await form.getByTestId('form-time').fill('11:00');
    // The case's own judge and secretary are proposed.
    assert.equal(await form.getByTestId('form-judge').locator('option:checked').textContent(), 'Ахметова Гульнара Сериковна');
    assert.equal(await form.getByTestId('form-secretary').locator('option:checked').textContent(), 'Жумабекова Айгерим Кайратовна');
    const victim = form.locator('[data-testid="form-participant"][data-role="victim"]');
    assert.match((await victim.textContent()) ?? '', /victim@ezal\.test/, 'the contact the summons goes to is shown');
    await victim.getByRole('checkbox').check();
    await form.locator('[data-testid="form-participant"][data-role="witness"]').getByRole('checkbox').check();
    await form.getByTestId('form-submit').click();

    // Listed, with its time in court time, the hall, and the summonses as recorded.
    await form.waitFor({ state: 'detached' });
    const found = page.locator('[data-testid="scheduled-hearing"][data-status="scheduled"]').filter({ hasText: '№ 2 сот отырысы залы' });
    await found.waitFor();
    const listed = page.locator(`[data-testid="scheduled-hearing"][data-hearing-id="${await found.getAttribute('data-hearing-id')}"]`);
    assert.equal(await page.getByTestId('scheduled-hearing').count(), demoHearings + 1);
    assert.equal(await listed.getByTestId('scheduled-time').textContent(), '11:00–13:00');
    assert.match((await listed.getByTestId('scheduled-hall').textContent()) ?? '', /Алматы қ\., Примерная к-сі, 1, 3-қабат/);
    assert.deepEqual(await listed.getByTestId('summons').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-role'))), ['victim', 'witness']);
    const notice = listed.locator('[data-testid="summons"][data-role="victim"] [data-testid="notice"]');
    assert.equal(await notice.getAttribute('data-status'), 'skipped');
    assert.match((await notice.textContent()) ?? '', new RegExp(kk['notice.skipped']));

    // The same hall at the same time again: refused, in Kazakh, with the slot that is taken.
    await page.getByTestId('schedule-new').click();
    await form.getByTestId('form-hall').selectOption({ label: '№ 2 сот отырысы залы' });
    await form.getByTestId('form-date').fill(day);
    await form.getByTestId('form-time').fill('12:00');
    await form.getByTestId('form-submit').click();
    const refusal = form.getByTestId('form-error');
    await refusal.waitFor();
    assert.equal(await refusal.getAttribute('data-code'), 'hall_busy');
    assert.match((await refusal.textContent()) ?? '', new RegExp(`${kk['error.hall_busy']}.*11:00–13:00`));
    // Switching the language translates the refusal at once.
    await page.getByTestId('lang-ru').click();
    await refusal.getByText(ru['error.hall_busy'], { exact: false }).waitFor();
    await form.getByTestId('form-close').click();

    // Move it to 15:00: the list shows the new time and who changed it.
    await listed.getByTestId('hearing-change').click();
    const edit = listed.getByTestId('hearing-form');
    await edit.getByTestId('form-time').waitFor();
    assert.equal(await edit.getByTestId('form-time').inputValue(), '11:00');
    await edit.getByTestId('form-time').fill('15:00');
    await edit.getByTestId('form-submit').click();
    await edit.waitFor({ state: 'detached' });
    await listed.getByTestId('scheduled-time').getByText('15:00–17:00').waitFor();
    assert.match((await listed.getByTestId('scheduled-history').textContent()) ?? '', /Изменено .*Омарова Динара Ерлановна/);

    // Cancel it, with a reason.
    await listed.getByTestId('hearing-cancel').click();
    await listed.getByTestId('cancel-reason').fill('Болезнь судьи');
    await listed.getByTestId('cancel-confirm').click();
    await page.locator('[data-testid="scheduled-hearing"][data-status="cancelled"]').waitFor();
    const cancelled = listed;
    assert.match((await cancelled.textContent()) ?? '', new RegExp(ru['hearing_status.cancelled']));
    assert.match((await cancelled.getByTestId('scheduled-history').textContent()) ?? '', /Причина: Болезнь судьи/);
    assert.equal(await cancelled.getByTestId('hearing-change').count(), 0, 'a cancelled hearing cannot be changed');

    harness?.assertNoPageErrors();
  });

  test('the defence lawyer sees the hearings and who is summoned, with no form and no contacts', async () => {
    const page = await openCaseAs('defender');
    await page.getByTestId('scheduled-hearing').first().waitFor();
    assert.equal(await page.getByTestId('schedule-new').count(), 0);
    assert.equal(await page.getByTestId('hearing-change').count(), 0);
    const text = (await page.getByTestId('case-hearings').textContent()) ?? '';
    assert.ok(text.includes('Касымова Алия Нурлановна'), 'the summoned victim is listed');
    assert.ok(!text.includes('victim@ezal.test'), 'her e-mail is not shown to the lawyer');
    harness?.assertNoPageErrors();
  });
});
