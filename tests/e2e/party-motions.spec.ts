/**
 * End-to-end: parties who are people file motions. The demo defendant logs in, sees their case (and
 * none of the court's own pages), and files a motion from the case page signed with their demo key
 * file. Then, invited to the hearing, the defendant on a phone (Chromium's fake camera and
 * microphone) waits in the lobby, is admitted, and files a motion from the phone page: the receipt
 * shows there, and the judge's workstation has the motion.
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium.
 * Run: node --test tests/e2e/party-motions.spec.ts
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { ru } from '../../apps/web/src/lib/i18n/ru.ts';
import { BrowserHarness, FAKE_MEDIA_ARGS } from '../helpers/browser.ts';
import { closeAll, dataOf, demoHearing, inStep, until, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('the defendant files motions: from the case page, and on the phone in the hearing', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let demo: DemoHearing;
  let judge: Workstation | undefined;

  before(async () => {
    server = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_RTC_MIN_PORT: '44000', MEDIA_RTC_MAX_PORT: '44999' });
    harness = await BrowserHarness.launch(FAKE_MEDIA_ARGS);
    demo = demoHearing(server.sqlite!);
  });

  after(async () => {
    if (judge) closeAll([judge]);
    await harness?.close();
    await server?.close();
  });

  /** Fills the shared filing form and signs with the demo defendant's key file. */
  async function fileWith(form: Locator, text: string): Promise<void> {
    assert.ok(server);
    await form.locator('summary').click();
    await form.getByTestId('motion-text-input').fill(text);
    await form.getByTestId('key-file').setInputFiles(path.join(server.dataDir, 'demo-keys', 'defendant.p12'));
    await form.getByTestId('key-password').fill('ezal-demo');
    await form.getByTestId('sign-submit').click();
    await form.getByTestId('motion-receipt').waitFor();
  }

  test('the defendant logs in: their case, no court pages; files a motion from the case page', async () => {
    assert.ok(server && harness);
    const page: Page = await harness.openPage(DESKTOP);
    await page.goto(server.url + '/login');
    await page.getByTestId('login-username').fill('defendant');
    await page.getByTestId('login-password').fill('ezal-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('my-cases').getByRole('link').first().waitFor();
    assert.equal(await page.getByTestId('user-roles').textContent(), ru['role.party']);
    assert.equal(await page.getByTestId('nav-intake').count(), 0);
    assert.equal(await page.getByTestId('nav-situation').count(), 0);
    await page.getByTestId('hearing-row').first().waitFor();
    assert.equal(await page.getByTestId('hearing-enter').count(), 0, 'no hall workstation for a party who is a person');

    await page.goto(`${server.url}/cases/${demo.caseId}`);
    const section = page.getByTestId('case-motions');
    await fileWith(section.getByTestId('case-motion-file'), 'Прошу вызвать в суд свидетеля защиты.');
    await section.locator('[data-testid="register-motion"][data-number="1"][data-status="filed"]').waitFor();
    await page.context().close();
  });

  test('invited, the defendant on a phone is admitted and files a motion in the hearing; the judge has it', async () => {
    assert.ok(server && harness);
    judge = await workstation(server.url, 'judge', demo.hearingId);
    await inStep(judge);
    dataOf(await judge.follower.send('hearing:open', {}));
    const secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    const invited = await secretary.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId: demo.participants.defendant });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));

    const phone = await harness.openPage(PHONE, 30_000, { permissions: ['camera', 'microphone'], isMobile: true });
    await phone.goto(invited.body.invitation.link);
    await phone.getByTestId('join-enter').click();
    await phone.locator('[data-testid="join-state"][data-state="lobby"]').waitFor();
    assert.equal(await phone.getByTestId('join-motion').count(), 0, 'no motion form in the lobby');

    dataOf(await judge.follower.send('remote:admit', { participantId: demo.participants.defendant }));
    await phone.locator('[data-testid="join-state"][data-state="live"]').waitFor();
    const text = 'Прошу приобщить к делу характеристику с места работы.';
    await fileWith(phone.getByTestId('join-motion-file'), text);
    await until(() => (judge!.follower.replica.state?.motions ?? []).some((m) => m.text === text && m.filer.participantId === demo.participants.defendant));
    harness.assertNoPageErrors();
  });
});
