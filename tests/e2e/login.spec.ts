/**
 * End-to-end: the built web app in a real browser against a real server.
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium (`apt-get install -y chromium`).
 * Run: node --test tests/e2e/login.spec.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { kk } from '../../apps/web/src/lib/i18n/kk.ts';
import { ru } from '../../apps/web/src/lib/i18n/ru.ts';
import { BrowserHarness } from '../helpers/browser.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';

/** The demo data's case and hall (db/demo.ts). */
const DEMO_CASE_NUMBER = '7511-26-00-1/245';
const DEMO_HALL_KK = '№ 1 сот отырысы залы';

describe('web app: login, home, language, access', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;

  before(async () => {
    server = await startTestServer();
    harness = await BrowserHarness.launch();
  });

  after(async () => {
    await harness?.close();
    await server?.close();
  });

  const openPage = (viewport: { width: number; height: number }) => {
    assert.ok(harness, 'the browser did not start');
    return harness.openPage(viewport, 10_000);
  };

  async function logIn(page: Page, username: string) {
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('ezal-demo');
    await page.getByTestId('login-submit').click();
  }

  test('the judge logs in, switches to Kazakh, sees the hearing, and Kazakh stays after a reload', async () => {
    assert.ok(server);
    const page = await openPage({ width: 1280, height: 800 });

    // Not logged in: the app sends the user to the login page.
    await page.goto(server.url + '/');
    await page.getByTestId('login-form').waitFor();
    assert.equal(new URL(page.url()).pathname, '/login');

    // A wrong password gets a translated error (the browser is Russian; the login page follows it).
    await page.getByTestId('login-username').fill('judge');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').getByText(ru['error.invalid_credentials']).waitFor();

    await logIn(page, 'judge');
    await page.getByTestId('hearing-row').first().waitFor();
    // The live connection (socket.io, under the page's Content-Security-Policy) is up.
    await page.locator('[data-testid="connection-status"][data-state="online"]').waitFor();
    assert.equal(await page.getByTestId('user-name').textContent(), 'Ахметова Гульнара Сериковна');

    // Switch to Kazakh; wait until the server has saved it.
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
    await page.getByTestId('lang-kk').click();
    assert.equal((await saved).status(), 200);
    await assertKazakhHome(page);

    // Reload with this device's memory wiped: the language can only come from the user's record.
    // (Strings, not functions: this file is type-checked without the DOM library.)
    await page.evaluate('localStorage.clear()');
    await page.reload();
    await page.getByTestId('hearing-row').first().waitFor();
    await assertKazakhHome(page);

    // And the API says so too.
    const api = new ApiClient(server.url);
    await api.login('judge');
    const me = await api.get('/api/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.user.locale, 'kk');

    harness?.assertNoPageErrors();
  });

  test('judge2 (phone) is brought back to the case after login, is refused it, has no hearings, and logs out', async () => {
    assert.ok(server);
    // The judge's case, which judge2 has nothing to do with.
    const api = new ApiClient(server.url);
    await api.login('judge');
    const cases = await api.get('/api/cases');
    const caseId: string = cases.body.cases.find((c: { caseNumber: string }) => c.caseNumber === DEMO_CASE_NUMBER)?.id;
    assert.ok(caseId, 'the demo case is missing');

    const page = await openPage({ width: 360, height: 740 });

    // Opening the case URL directly while logged out: login first, then back to that URL.
    await page.goto(`${server.url}/cases/${caseId}`);
    await page.getByTestId('login-form').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('next'), `/cases/${caseId}`);
    await logIn(page, 'judge2');

    // judge2's saved language is Russian: the translated "no access" page.
    const refusal = page.getByTestId('case-forbidden');
    await refusal.waitFor();
    assert.equal(new URL(page.url()).pathname, `/cases/${caseId}`);
    await refusal.getByRole('heading', { name: ru['case.forbidden_title'] }).waitFor();
    assert.equal(await page.getByTestId('case-detail').count(), 0);

    // The same page in Kazakh, at once.
    await page.getByTestId('lang-kk').click();
    await refusal.getByRole('heading', { name: kk['case.forbidden_title'] }).waitFor();

    // Home: no hearings, and a message saying so rather than an empty box.
    await page.getByTestId('back-home').click();
    await page.getByTestId('no-hearings').waitFor();
    assert.equal((await page.getByTestId('no-hearings').textContent())?.trim(), kk['home.no_hearings']);
    assert.equal(await page.getByTestId('hearing-row').count(), 0);

    // Nothing sticks out sideways on a phone.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.equal(overflow, 0, 'the page is wider than the phone screen');

    // Logout leads to a plain login page (no ?next= into the former user's pages) that says so.
    await page.getByTestId('logout').click();
    await page.getByTestId('login-notice').getByText(kk['login.signed_out']).waitFor();
    assert.equal(new URL(page.url()).search, '');
    const me = await page.request.get(server.url + '/api/me');
    assert.equal(me.status(), 401, 'the session should be over on the server too');

    harness?.assertNoPageErrors();
  });
});

/** What a Kazakh-speaking judge sees on the home page. */
async function assertKazakhHome(page: Page) {
  await page.getByRole('heading', { level: 1, name: kk['home.title'] }).waitFor();
  await page.getByRole('heading', { level: 2, name: kk['home.hearings'] }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'kk');
  assert.equal(await page.getByTestId('lang-kk').getAttribute('aria-pressed'), 'true');

  const row = page.getByTestId('hearing-row').filter({ hasText: DEMO_CASE_NUMBER });
  assert.equal(await row.count(), 1, 'the demo hearing is not listed');
  const text = (await row.textContent()) ?? '';
  assert.ok(text.includes(DEMO_HALL_KK), `the hall is not shown in Kazakh: ${text}`);
  assert.ok(text.includes(kk['hearing_status.scheduled']), `the status is not shown in Kazakh: ${text}`);
}
