/**
 * End-to-end, the court's disk fills up under a running server, and the people in the
 * hall are told so in their language — not with a generic error. The presiding judge's step is
 * refused with a banner that stays in view (`error.storage_unavailable`), health answers 503, a
 * case-file sheet that cannot open (reading writes an audit line) says the same instead of "check
 * the connection", and so does a login; once the disk is freed, the banner goes by itself, the next
 * step goes through and the sheet opens.
 *
 * The server is `node server/src/main.ts` as an operator runs it, with its data folder on a small
 * tmpfs of its own (tests/helpers/small-disk.ts: a private user and mount namespace), serving the
 * built web app; only the free-space thresholds of health are off, since the whole disk is 32 MiB
 * (what health reports here comes from its writes failing, as in tests/integration/disk-full.spec.ts).
 *
 * Needs the web app built (`npm run build:web`), Debian's Chromium (`apt-get install -y chromium`)
 * and a kernel that lets users make namespaces (else it is skipped, saying why).
 * Run: node --test tests/e2e/storage-unavailable.spec.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { kk } from '../../apps/web/src/lib/i18n/kk.ts';
import { ru } from '../../apps/web/src/lib/i18n/ru.ts';
import { BrowserHarness, logIn } from '../helpers/browser.ts';
import { startMainProcess, type MainProcess } from '../helpers/main-process.ts';
import { SmallDisk } from '../helpers/small-disk.ts';

const disk = await SmallDisk.mount(32);
const skip = 'skip' in disk ? disk.skip : false;
const DESKTOP = { width: 1280, height: 720 };

describe('a full disk, as the people in the hall see it', { skip }, () => {
  const small = disk as SmallDisk;
  let server: MainProcess | undefined;
  let harness: BrowserHarness | undefined;
  let hearingId: string;

  const health = async (): Promise<{ status: number; body: { status: string } }> => {
    const response = await fetch(`${server!.url}/api/health`);
    return { status: response.status, body: (await response.json()) as { status: string } };
  };
  /** Health is cached for a few seconds (it is polled): asks until it answers `status`. */
  const healthUntil = async (status: number) => {
    let last = await health();
    const deadline = Date.now() + 15_000;
    while (last.status !== status && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      last = await health();
    }
    return last;
  };

  before(async () => {
    server = await startMainProcess({ DATA_DIR: small.dir, MEDIA_WORKERS: '0', HEALTH_MIN_FREE_MB: '0', HEALTH_CRITICAL_FREE_MB: '0' }, { prefix: small.command() });
    harness = await BrowserHarness.launch();
    hearingId = JSON.parse(
      small.runNode(
        `import Database from 'better-sqlite3';
         import { demoHearing } from './tests/helpers/hall.ts';
         const sqlite = new Database(process.env.DB, { readonly: true });
         console.log(JSON.stringify(demoHearing(sqlite).hearingId));`,
        { DB: `${small.dir}/ezal.sqlite` },
      ),
    );
  });

  after(async () => {
    await harness?.close();
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await small.close();
  });

  /** Fills the disk so that any commit needs space it does not have. */
  function fillTheDisk(): void {
    small.fillUnderDatabase('ezal.sqlite');
  }

  async function goToSheet(page: Page, volume: number, sheet: number): Promise<void> {
    await page.getByTestId('viewer-goto-volume').selectOption(String(volume));
    await page.getByTestId('viewer-goto-sheet').fill(String(sheet));
    await page.getByTestId('viewer-goto-submit').click();
  }

  async function seesSheet(page: Page, volume: number, sheet: number): Promise<void> {
    await page.locator(`[data-testid="case-file-viewer"][data-volume="${volume}"][data-sheet="${sheet}"]`).waitFor();
    await page.locator(`[data-testid="viewer-sheet"][data-sheet="${sheet}"] [data-testid="viewer-page"][data-status="ready"]`).waitFor();
  }

  /** The banner's box lies wholly inside the window. */
  async function inView(page: Page): Promise<boolean> {
    const box = await page.getByTestId('hall-action-error').boundingBox();
    return box !== null && box.height > 0 && box.y >= 0 && box.y + box.height <= DESKTOP.height;
  }

  test('the judge is told the server cannot save, in Russian, pinned; a login is told so in Kazakh; freed, all works again', async () => {
    assert.ok(server && harness, 'the server or the browser did not start');
    assert.equal((await health()).status, 200);

    // The judge at the workstation, in step, before anything goes wrong.
    const judge = await harness.openPage(DESKTOP, 20_000);
    await logIn(judge, server.url, 'judge');
    await judge.goto(`${server.url}/hearings/${hearingId}/judge`);
    await judge.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
    await judge.getByTestId('open-hearing').waitFor();
    assert.equal(await judge.getByTestId('hall-action-error').count(), 0);

    fillTheDisk();
    const failing = await healthUntil(503);
    assert.equal(failing.status, 503, JSON.stringify(failing.body));
    assert.equal(failing.body.status, 'failing');

    // The judge opens the hearing: it cannot be saved, and the judge is told so in their language.
    await judge.getByTestId('open-hearing').click();
    const banner = judge.locator('[data-testid="hall-action-error"][data-code="storage_unavailable"]');
    await banner.getByText(ru['error.storage_unavailable']).waitFor();
    await banner.getByText(ru['hall.storage_failed_detail']).waitFor();
    assert.equal(await judge.getByText(ru['error.internal']).count(), 0, 'a generic error is shown too');
    // Nothing changed: the hearing is not open.
    await judge.getByTestId('open-hearing').waitFor();
    assert.equal(await judge.locator('[data-testid="hall-stage"][data-stage="preparatory"]').count(), 0);

    // Pinned: it stays, in view, while the judge scrolls the workstation and waits.
    await judge.mouse.move(DESKTOP.width / 4, DESKTOP.height / 2);
    await judge.mouse.wheel(0, 5000);
    await judge.waitForTimeout(3000);
    const scrolled = await judge.getByTestId('judge-workstation').boundingBox();
    assert.ok(scrolled && scrolled.y < -100, `the workstation did not scroll: ${JSON.stringify(scrolled)}`);
    assert.equal(await banner.isVisible(), true, 'the banner went away by itself');
    assert.equal(await banner.evaluate((el) => getComputedStyle(el.parentElement!).position), 'sticky');
    assert.ok(await inView(judge), `the banner scrolled out of view: ${JSON.stringify(await banner.boundingBox())}`);
    assert.equal((await health()).status, 503);

    // Reading the case file writes its audit line, so a sheet of another document cannot open
    // either: the viewer says why, not "check the connection".
    await goToSheet(judge, 2, 5);
    const failedSheet = judge.locator('[data-testid="viewer-sheet"][data-sheet="5"] [data-testid="viewer-page"][data-status="error"]');
    await failedSheet.getByText(ru['error.storage_unavailable']).waitFor();
    assert.equal(await judge.getByText(ru['viewer.page_failed']).count(), 0, 'the viewer blames the connection');
    if (process.env.E2E_SCREENSHOTS) await judge.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/storage-unavailable-judge.png` });
    assert.ok(await inView(judge), 'the banner is out of view');

    // Someone logging in on the full disk (in Kazakh, chosen on the login page) is told the same.
    const clerk = await harness.openPage(DESKTOP, 20_000);
    await clerk.goto(`${server.url}/login`);
    await clerk.getByTestId('lang-kk').click();
    await clerk.getByTestId('login-username').fill('secretary');
    await clerk.getByTestId('login-password').fill('ezal-demo');
    const answer = clerk.waitForResponse((r) => r.url().endsWith('/api/auth/login') && r.request().method() === 'POST');
    await clerk.getByTestId('login-submit').click();
    const refused = await answer;
    assert.equal(refused.status(), 503);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'storage_unavailable');
    await clerk.getByTestId('login-error').getByText(kk['error.storage_unavailable']).waitFor();
    assert.equal(await clerk.getByTestId('login-form').count(), 1, 'still on the login page');

    // The disk is freed: health is well again, the banner goes by itself (its text says to take
    // the step again when it has gone), and the judge's step goes through.
    small.free();
    const recovered = await healthUntil(200);
    assert.equal(recovered.status, 200, JSON.stringify(recovered.body));
    await judge.getByTestId('hall-action-error').waitFor({ state: 'detached' });
    await judge.getByTestId('open-hearing').click();
    await judge.locator('[data-testid="hall-stage"][data-stage="preparatory"]').waitFor();
    assert.equal(await judge.getByTestId('hall-action-error').count(), 0);
    // The sheet opens again once the judge goes back to it.
    await goToSheet(judge, 1, 1);
    await seesSheet(judge, 1, 1);
    await goToSheet(judge, 2, 5);
    await seesSheet(judge, 2, 5);

    // And the login goes through.
    await clerk.getByTestId('login-submit').click();
    await clerk.getByTestId('hearing-row').first().waitFor();
    harness.assertNoPageErrors();
  });
});
