/**
 * End-to-end: the electronic hall in real browsers, one browser profile per seat — the presiding
 * judge, the prosecutor, the defence lawyer and the hall's wall screen — on the demo hearing and
 * its case file (db/demo.ts, db/demo-case-file.ts: two volumes of 12 sheets).
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium (`apt-get install -y chromium`).
 * Run: node --test tests/e2e/hall.spec.ts
 * With E2E_SCREENSHOTS=/some/dir it saves a screenshot of each workstation there.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { kk } from '../../apps/web/src/lib/i18n/kk.ts';
import { ru } from '../../apps/web/src/lib/i18n/ru.ts';
import { BrowserHarness } from '../helpers/browser.ts';
import { demoHearing, type DemoHearing } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const SCREENSHOTS = process.env.E2E_SCREENSHOTS;
const DESKTOP = { width: 1440, height: 900 };
const WALL = { width: 1920, height: 1080 };

describe('the electronic hall: workstations, shared viewing, the hall display', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let demo: DemoHearing;
  const seats: Record<'judge' | 'prosecutor' | 'defender' | 'display', Page> = {} as never;

  before(async () => {
    server = await startTestServer();
    harness = await BrowserHarness.launch();
    demo = demoHearing(server.sqlite!);
    if (SCREENSHOTS) fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await harness?.close();
    await server?.close();
  });

  /** A fresh browser profile, logged in as `username`. */
  async function logIn(username: string, viewport = DESKTOP): Promise<Page> {
    assert.ok(server && harness, 'the server or the browser did not start');
    const page = await harness.openPage(viewport, 20_000);
    await page.goto(server.url + '/login');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('ezal-demo');
    await page.getByTestId('login-submit').click();
    // The wall screen's account sees its hall's hearings like anyone sees theirs.
    await page.getByTestId('hearing-row').first().waitFor();
    return page;
  }

  /** From the home page's hearing list into the hearing: each person lands on their own seat's page. */
  async function enterHall(page: Page, seat: string): Promise<void> {
    await page.locator(`[data-testid="hearing-row"][data-hearing-id="${demo.hearingId}"]`).getByTestId('hearing-enter').click();
    await page.waitForURL(`**/hearings/${demo.hearingId}/${seat}`);
    await page.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
  }

  const viewerOf = (page: Page): Locator => page.getByTestId('case-file-viewer');

  /** Resolves once the viewer shows that sheet and pdf.js has drawn it. */
  async function seesSheet(page: Page, volume: number, sheet: number): Promise<void> {
    await page.locator(`[data-testid="case-file-viewer"][data-volume="${volume}"][data-sheet="${sheet}"]`).waitFor();
    await viewerOf(page).locator(`[data-testid="viewer-sheet"][data-sheet="${sheet}"] [data-testid="viewer-page"][data-status="ready"]`).waitFor();
  }

  /** Goes to a sheet with the viewer's own tools, as a person would. */
  async function goToSheet(page: Page, volume: number, sheet: number): Promise<void> {
    await page.getByTestId('viewer-goto-volume').selectOption(String(volume));
    await page.getByTestId('viewer-goto-sheet').fill(String(sheet));
    await page.getByTestId('viewer-goto-submit').click();
  }

  async function screenshot(page: Page, name: string) {
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  }

  test('the judge opens the hearing and gives the floor to the prosecutor, who shows sheet 5 of volume 2 to the defender and the hall', async () => {
    seats.judge = await logIn('judge');
    seats.prosecutor = await logIn('prosecutor');
    seats.defender = await logIn('defender');
    seats.display = await logIn('hall1', WALL);
    await enterHall(seats.judge, 'judge');
    await enterHall(seats.prosecutor, 'prosecutor');
    await enterHall(seats.defender, 'defender');
    await enterHall(seats.display, 'display');

    // The wall screen has nothing to press: no header, no language switch, no logout.
    assert.equal(await seats.display.getByTestId('logout').count(), 0);
    assert.equal(await seats.display.locator('button, input, select, textarea').count(), 0, 'the wall screen has controls');

    // The judge opens the hearing: everyone sees the preparatory part.
    const { judge, prosecutor, defender, display } = seats;
    await judge.getByTestId('open-hearing').click();
    for (const page of [judge, prosecutor, defender]) await page.locator('[data-testid="hall-stage"][data-stage="preparatory"]').waitFor();
    // The wall screen speaks its account's language (Kazakh for the demo `hall1`).
    await display.locator('[data-testid="display-stage"][data-stage="preparatory"]').getByText(kk['stage.preparatory']).waitFor();
    // Only the stage the rules allow next is offered.
    assert.deepEqual(await judge.getByTestId('move-stage').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-stage'))), ['investigation']);

    // The floor to the prosecutor.
    await judge.locator('[data-testid="give-floor"][data-role="prosecutor"]').click();
    await prosecutor.getByTestId('presenting-bar').waitFor();
    await display.locator('[data-testid="display-presenter"][data-presenter-role="prosecutor"]').waitFor();
    await defender.locator('[data-testid="viewer-follow"][data-following="true"]').waitFor();

    // The prosecutor goes to sheet 5 of volume 2: it is the hall's page.
    await seesSheet(prosecutor, 1, 1);
    await goToSheet(prosecutor, 2, 5);
    await seesSheet(prosecutor, 2, 5);

    await seesSheet(defender, 2, 5);
    await seesSheet(display, 2, 5);
    const sheet = display.getByTestId('display-sheet');
    assert.equal((await sheet.textContent())?.trim(), fill(kk['hall.volume_sheet'], { volume: 2, sheet: 5 }));
    await judge
      .locator('[data-testid="hall-shown"]')
      .getByText(fill(ru['hall.volume_sheet'], { volume: 2, sheet: 5 }))
      .waitFor();

    // The wall screen shows the whole page, large — higher than half the screen — and all of it on screen
    // (tests/e2e/wall-screen.spec.ts looks closer: a marked region, nothing covering it).
    const box = await display.locator('[data-testid="viewer-sheet"][data-sheet="5"] [data-testid="viewer-page"]').boundingBox();
    assert.ok(box && box.height > WALL.height / 2, `the shown page is ${box?.height} px high on a ${WALL.height} px screen`);
    assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= WALL.width && box.y + box.height <= WALL.height, `the shown page is at ${JSON.stringify(box)}, not all on the screen`);

    await screenshot(judge, 'hall-judge');
    await screenshot(prosecutor, 'hall-prosecutor-presenting');
    await screenshot(defender, 'hall-defender-following');
    await screenshot(display, 'hall-display');
    harness?.assertNoPageErrors();
  });

  test('the defender steps away to browse on their own and returns to follow in one click', async () => {
    const { prosecutor, defender, display } = seats;
    assert.ok(defender && display, 'needs the hall of the first test');

    await goToSheet(defender, 1, 3);
    await seesSheet(defender, 1, 3);
    await defender.locator('[data-testid="viewer-follow"][data-following="false"]').waitFor();
    await screenshot(defender, 'hall-defender-away');

    // Browsing alone changes nothing for anyone else.
    await seesSheet(display, 2, 5);
    await seesSheet(prosecutor, 2, 5);

    // Meanwhile the prosecutor turns to sheet 6: the defender, browsing, stays where they are…
    await goToSheet(prosecutor, 2, 6);
    await seesSheet(display, 2, 6);
    await seesSheet(defender, 1, 3);

    // …until one click brings them back to the hall's page.
    await defender.getByTestId('viewer-follow-toggle').click();
    await seesSheet(defender, 2, 6);
    await defender.locator('[data-testid="viewer-follow"][data-following="true"]').waitFor();

    // And back to sheet 5 of volume 2 with the presenter.
    await goToSheet(prosecutor, 2, 5);
    await seesSheet(defender, 2, 5);
    await seesSheet(display, 2, 5);
    harness?.assertNoPageErrors();
  });

  test('a workstation that loses its connection says so, stays read-only, and is back in step without a reload', async () => {
    const { judge, prosecutor, defender } = seats;
    assert.ok(judge && defender, 'needs the hall of the first test');
    const reloads = { judge: 0, defender: 0 };
    judge.on('load', () => reloads.judge++);
    defender.on('load', () => reloads.defender++);

    await judge.context().setOffline(true);
    await defender.context().setOffline(true);
    for (const page of [judge, defender]) {
      await page.locator('[data-testid="hall-connection"][data-status="offline"]').getByText(ru['hearing_connection.offline']).waitFor();
    }
    // The last state stays on screen, and nothing can be changed.
    await judge.locator('[data-testid="hall-stage"][data-stage="preparatory"]').waitFor();
    assert.equal(await judge.getByTestId('take-floor-back').isDisabled(), true);
    assert.equal(await judge.getByTestId('adjourn').isDisabled(), true);
    await seesSheet(defender, 2, 5);
    await screenshot(judge, 'hall-judge-offline');

    // The hall moves on without them.
    await goToSheet(prosecutor, 1, 7);
    await seesSheet(prosecutor, 1, 7);

    await judge.context().setOffline(false);
    await defender.context().setOffline(false);
    await seesSheet(defender, 1, 7);
    await judge
      .locator('[data-testid="hall-shown"]')
      .getByText(fill(ru['hall.volume_sheet'], { volume: 1, sheet: 7 }))
      .waitFor();
    for (const page of [judge, defender]) await page.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
    assert.equal(await judge.getByTestId('hall-connection').count(), 0, 'the banner goes once the connection is back');
    assert.equal(await judge.getByTestId('take-floor-back').isDisabled(), false);
    assert.deepEqual(reloads, { judge: 0, defender: 0 }, 'no page was reloaded');

    // And the judge can act again: the floor comes back.
    await judge.getByTestId('take-floor-back').click();
    await prosecutor.getByTestId('presenting-bar').waitFor({ state: 'detached' });
    await defender.getByTestId('hall-presenter').getByText(ru['hall.nobody_presents']).waitFor();
    harness?.assertNoPageErrors();
  });

  test('the secretary records attendance and marks events against the running clock; the judge sees the attendance at once', async () => {
    const { judge } = seats;
    assert.ok(judge, 'needs the hall of the first test');
    // This time through the case page's hearings.
    const secretary = await logIn('secretary');
    await secretary.getByTestId('hearing-case-number').first().click();
    await secretary.locator(`[data-testid="scheduled-hearing"][data-hearing-id="${demo.hearingId}"]`).getByTestId('hearing-enter').click();
    await secretary.waitForURL(`**/hearings/${demo.hearingId}/secretary`);
    await secretary.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
    // The secretary's account speaks Kazakh (demo data); the log reads in it.
    const row = (role: string) => secretary.locator(`[data-testid="attendance-row"][data-role="${role}"]`);

    await row('defendant').getByTestId('attendance-present').click();
    await row('witness').getByTestId('attendance-remote').click();
    await row('victim').getByTestId('attendance-absent').click();
    await secretary.locator('[data-testid="attendance-row"][data-role="victim"][data-attendance="absent"]').waitFor();
    await judge.locator('[data-testid="count-present"]').getByText('1', { exact: true }).waitFor();
    assert.equal(await judge.getByTestId('count-remote').textContent(), '1');
    assert.equal(await judge.getByTestId('count-absent').textContent(), '1');
    assert.equal(await judge.getByTestId('count-unchecked').textContent(), '2', 'the prosecutor and the defender are not checked yet');

    // Identities and rights: offered only for those who are there; each done once, then checked.
    assert.equal(await row('victim').getByTestId('identity-steps').count(), 0, 'not for the absent victim');
    await row('defendant').getByTestId('identity-document').fill('удостоверение личности № 012345678');
    await row('defendant').getByTestId('identity-establish').click();
    const judgeRow = judge.locator('[data-testid="attendance-summary-row"]').filter({ hasText: 'Иванов Петр Сергеевич' });
    await judgeRow.locator('[data-testid="identity-steps"][data-identified="true"][data-rights-explained="false"]').waitFor();
    await judgeRow.getByTestId('rights-explain').click();
    await row('defendant').locator('[data-testid="identity-steps"][data-identified="true"][data-rights-explained="true"]').waitFor();
    assert.equal(await row('defendant').getByTestId('identity-establish').isDisabled(), true);
    assert.equal(await row('defendant').getByTestId('rights-explain').isDisabled(), true);
    await secretary
      .getByTestId('log-text')
      .getByText(
        fill(kk['hall_event.identity_established_document'], {
          who: fill(kk['hall.who'], { role: kk['participant.defendant'], name: 'Иванов Петр Сергеевич' }),
          document: 'удостоверение личности № 012345678',
        }),
      )
      .waitFor();

    // A mark carries its time since the opening; it heads the log.
    const clock = await secretary.getByTestId('mark-form').getByTestId('hall-clock').textContent();
    assert.match(clock ?? '', /\d\d:\d\d:\d\d/);
    await secretary.getByTestId('mark-text').fill('Начат допрос подсудимого');
    await secretary.getByTestId('mark-submit').click();
    const first = secretary.getByTestId('log-entry').first();
    await first.getByText('Начат допрос подсудимого').waitFor();
    assert.equal(await first.getAttribute('data-type'), 'mark.added');
    assert.equal(await secretary.getByTestId('mark-text').inputValue(), '', 'the field is cleared for the next mark');
    // Earlier entries in the reader's language: the floor given to the prosecutor.
    await secretary
      .getByTestId('log-text')
      .getByText(fill(kk['hall_event.floor_given'], { who: `${kk['role.prosecutor']} Сапаров Ерлан Маратович` }))
      .waitFor();
    await screenshot(secretary, 'hall-secretary');
    harness?.assertNoPageErrors();
  });

  test('the judge announces a break and resumes, then adjourns with a reason: every screen says so', async () => {
    const { judge, display } = seats;
    assert.ok(judge && display, 'needs the hall of the first test');
    await judge.getByTestId('start-break').click();
    await judge.getByTestId('break-form-reason').fill('Обеденный перерыв');
    await judge.getByTestId('break-form-time').fill('23:59');
    await judge.getByTestId('break-form-submit').click();
    await display
      .locator('[data-testid="display-stage"][data-status="break"]')
      .getByText(fill(kk['hall.on_break_until'], { time: '23:59' }))
      .waitFor();
    await judge.getByTestId('break-note').getByText('Обеденный перерыв', { exact: false }).waitFor();

    await judge.getByTestId('end-break').click();
    await display.locator('[data-testid="display-stage"][data-status="in_progress"]').waitFor();

    // An adjournment needs its reason: without one nothing is sent.
    await judge.getByTestId('adjourn').click();
    await judge.getByTestId('adjourn-form-submit').click();
    await judge.getByTestId('adjourn-form').getByText(ru['hall.reason_missing']).waitFor();
    assert.equal(await judge.locator('[data-testid="hall-stage"][data-stage="preparatory"]').count(), 1);

    await judge.getByTestId('adjourn-form-reason').fill('Неявка свидетеля');
    await judge.getByTestId('adjourn-form-date').fill('2026-12-15');
    await judge.getByTestId('adjourn-form-submit').click();
    const outcome = judge.getByTestId('hearing-outcome');
    await outcome.getByText(`${ru['hall.outcome_adjourned']}: Неявка свидетеля`).waitFor();
    await outcome.getByText(fill(ru['hall.continues_on'], { date: '15.12.2026' })).waitFor();
    await display.locator('[data-testid="display-stage"][data-status="adjourned"]').getByText(kk['hall.outcome_adjourned']).waitFor();
    // Nothing more to do in an ended hearing.
    assert.equal(await judge.getByTestId('adjourn').count(), 0);
    assert.equal(await judge.locator('[data-testid="give-floor"]:enabled').count(), 0);
    harness?.assertNoPageErrors();
  });

  test('someone with no part in the hearing is refused, with the reason in their language', async () => {
    assert.ok(server);
    const page = await harness!.openPage(DESKTOP);
    await page.goto(server.url + '/login');
    await page.getByTestId('login-username').fill('judge2');
    await page.getByTestId('login-password').fill('ezal-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').waitFor();
    await page.goto(`${server.url}/hearings/${demo.hearingId}`);
    const refusal = page.getByTestId('hall-refused');
    await refusal.getByRole('heading', { name: ru['hall.refused_title'] }).waitFor();
    await refusal.getByText(ru['error.forbidden']).waitFor();
    assert.equal(await page.getByTestId('hearing-page').count(), 0);
    harness?.assertNoPageErrors();
  });
});

/** `{name}` parameters filled in, as i18n.t does. */
function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
