/**
 * End-to-end: the hall's wall screen as the room sees it. The judge opens the demo hearing and
 * gives the floor to the prosecutor, who presents sheet 5 of volume 2 and marks a region on it;
 * the wall screen (`hall1`, 1920×1080, nobody at it) must show that region large and uncovered,
 * then the whole sheet once the mark is cleared, with the stage and the presenter legible, one
 * h1, and nothing anyone could press or tab to.
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium.
 * Run: node --test tests/e2e/wall-screen.spec.ts (a screenshot of the wall goes to /tmp/wall.png,
 * or to WALL_SCREENSHOT).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { kk } from '../../apps/web/src/lib/i18n/kk.ts';
import { BrowserHarness, logIn } from '../helpers/browser.ts';
import { demoHearing, type DemoHearing } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const DESKTOP = { width: 1440, height: 900 };
const WALL = { width: 1920, height: 1080 };
const SCREENSHOT = process.env.WALL_SCREENSHOT ?? '/tmp/wall.png';

/** A rectangle as fractions of the page (x, y from the top left). */
type Fractions = { x: number; y: number; w: number; h: number };
const WHOLE_PAGE: Fractions = { x: 0, y: 0, w: 1, h: 1 };

/** Where the wall draws a part of the shown sheet, and whether it is on screen, uncovered and sharp. */
type Seen = {
  rect: { left: number; top: number; right: number; bottom: number; width: number; height: number };
  viewport: { width: number; height: number };
  /** Probe points (corners just inside, and the centre) where something other than the sheet is on top. */
  covered: string[];
  /** Canvas pixels per CSS pixel of the drawing (below 1: an upscaled, blurred drawing). */
  sharpness: number;
};

describe('the hall wall screen', () => {
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

  /** A fresh browser profile logged in as `username`, in the hearing at their seat's page. */
  async function seat(username: string, path: string, viewport = DESKTOP): Promise<Page> {
    assert.ok(server && harness, 'the server or the browser did not start');
    const page = await harness.openPage(viewport, 20_000);
    await logIn(page, server.url, username);
    await page.locator(`[data-testid="hearing-row"][data-hearing-id="${demo.hearingId}"]`).getByTestId('hearing-enter').click();
    await page.waitForURL(`**/hearings/${demo.hearingId}/${path}`);
    await page.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
    return page;
  }

  const drawnSheet = (page: Page, sheet: number) => page.locator(`[data-testid="viewer-sheet"][data-sheet="${sheet}"] [data-testid="viewer-page"][data-status="ready"]`);

  /** Resolves once the sheet is drawn for what is shown now, and stays so (a change of region draws it anew). */
  async function settled(page: Page, sheet: number): Promise<void> {
    await drawnSheet(page, sheet).waitFor();
    await page.waitForTimeout(300);
    await drawnSheet(page, sheet).waitFor();
  }

  /** Where `fractions` of the drawn sheet are on the wall, probed with elementFromPoint. */
  function seen(page: Page, sheet: number, fractions: Fractions): Promise<Seen> {
    return page.evaluate(
      ({ sheet, f }) => {
        const element = document.querySelector(`[data-testid="viewer-sheet"][data-sheet="${sheet}"] [data-testid="viewer-page"]`);
        if (!element) throw new Error('no drawn sheet');
        const box = element.getBoundingClientRect();
        const left = box.left + f.x * box.width;
        const top = box.top + f.y * box.height;
        const width = f.w * box.width;
        const height = f.h * box.height;
        const inset = 3;
        const points: [string, number, number][] = [
          ['top left', left + inset, top + inset],
          ['top right', left + width - inset, top + inset],
          ['bottom left', left + inset, top + height - inset],
          ['bottom right', left + width - inset, top + height - inset],
          ['centre', left + width / 2, top + height / 2],
        ];
        const covered = points
          .filter(([, x, y]) => {
            const hit = document.elementFromPoint(x, y);
            return !hit || !element.contains(hit);
          })
          .map(([name, x, y]) => `${name} (${Math.round(x)}, ${Math.round(y)}): ${document.elementFromPoint(x, y)?.outerHTML.slice(0, 120) ?? 'nothing'}`);
        // The canvas drawn where the centre of the part is.
        const cx = left + width / 2;
        const cy = top + height / 2;
        const canvas = Array.from(element.querySelectorAll('canvas')).find((c) => {
          const r = c.getBoundingClientRect();
          return r.width > 0 && cx >= r.left && cx <= r.right && cy >= r.top && cy <= r.bottom;
        });
        const sharpness = canvas ? canvas.width / canvas.getBoundingClientRect().width : 0;
        return {
          rect: { left, top, right: left + width, bottom: top + height, width, height },
          viewport: { width: window.innerWidth, height: window.innerHeight },
          covered,
          sharpness,
        };
      },
      { sheet, f: fractions },
    );
  }

  function assertOnScreen(what: string, at: Seen): void {
    const { rect, viewport } = at;
    const box = `${Math.round(rect.left)},${Math.round(rect.top)} → ${Math.round(rect.right)},${Math.round(rect.bottom)}`;
    assert.ok(
      rect.left >= 0 && rect.top >= 0 && rect.right <= viewport.width && rect.bottom <= viewport.height,
      `${what} is drawn at ${box}, not all of it on the ${viewport.width}×${viewport.height} screen`,
    );
    assert.deepEqual(at.covered, [], `${what} is covered`);
    assert.ok(at.sharpness >= 0.99, `${what} is drawn at ${at.sharpness.toFixed(2)} canvas pixels per screen pixel: blurred`);
  }

  test('the prosecutor presents a sheet, then marks a region on it: the wall shows the whole sheet, then the region, large and uncovered; stage and presenter legible; nothing to press', async () => {
    const judge = await seat('judge', 'judge');
    const prosecutor = await seat('prosecutor', 'prosecutor');
    const wall = await seat('hall1', 'display', WALL);

    await judge.getByTestId('open-hearing').click();
    await wall.locator('[data-testid="display-stage"][data-stage="preparatory"]').waitFor();
    await wall.getByTestId('display-idle').waitFor();

    await judge.locator('[data-testid="give-floor"][data-role="prosecutor"]').click();
    await prosecutor.getByTestId('presenting-bar').waitFor();

    // The prosecutor turns to sheet 5 of volume 2: the wall shows the whole sheet.
    await drawnSheet(prosecutor, 1).waitFor();
    await prosecutor.getByTestId('viewer-goto-volume').selectOption('2');
    await prosecutor.getByTestId('viewer-goto-sheet').fill('5');
    await prosecutor.getByTestId('viewer-goto-submit').click();
    await drawnSheet(prosecutor, 5).waitFor();
    await wall.locator('[data-testid="case-file-viewer"][data-volume="2"][data-sheet="5"]').waitFor();
    await settled(wall, 5);
    await wall.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-page.png') });
    const wholePage = await seen(wall, 5, WHOLE_PAGE);
    assertOnScreen('the whole sheet', wholePage);
    assert.ok(wholePage.rect.height >= WALL.height * 0.6, `the whole sheet is only ${Math.round(wholePage.rect.height)} px high on a ${WALL.height} px screen`);

    // Stage and presenter, in the wall's language (Kazakh for `hall1`), on screen.
    const stage = wall.getByTestId('display-stage');
    assert.equal((await stage.textContent())?.trim(), kk['stage.preparatory']);
    const who = fill(kk['hall.who'], { role: kk['role.prosecutor'], name: 'Сапаров Ерлан Маратович' });
    const presenter = wall.getByTestId('display-presenter');
    assert.ok((await presenter.textContent())?.includes(who), `the presenter is not named: ${await presenter.textContent()}`);
    for (const [name, locator] of [
      ['the stage', stage],
      ['the presenter', presenter],
    ] as const) {
      assert.ok(await locator.isVisible(), `${name} is not visible`);
      const box = await locator.boundingBox();
      assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= WALL.width && box.y + box.height <= WALL.height, `${name} is off the screen`);
    }

    // Nothing to press or tab to, and one h1.
    const focusable = await wall.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('a[href],button,input,select,textarea,[tabindex]:not([tabindex="-1"]),[contenteditable="true"]'))
        .filter((element) => element.checkVisibility({ visibilityProperty: true }))
        .map((element) => element.outerHTML.slice(0, 160)),
    );
    assert.deepEqual(focusable, [], 'the wall screen has something to press or tab to');
    assert.equal(await wall.locator('h1').count(), 1, 'the wall screen has exactly one h1');

    // The prosecutor marks the upper part of the sheet.
    await prosecutor.getByTestId('viewer-draw').click();
    // The workstation's viewer is below the hearing's panels: bring it up, as the prosecutor would.
    await prosecutor.getByTestId('case-file-viewer').evaluate((viewer) => viewer.scrollIntoView({ block: 'start' }));
    const surface = await prosecutor.locator('[data-testid="viewer-sheet"][data-sheet="5"] [data-testid="region-surface"]').boundingBox();
    assert.ok(surface, 'no surface to mark a region on');
    await prosecutor.mouse.move(surface.x + surface.width * 0.1, surface.y + surface.height * 0.1);
    await prosecutor.mouse.down();
    await prosecutor.mouse.move(surface.x + surface.width * 0.9, surface.y + surface.height * 0.3, { steps: 5 });
    await prosecutor.mouse.up();

    // The region as the presenter marked it, in fractions of their page.
    const marked = prosecutor.locator('[data-testid="viewer-sheet"][data-sheet="5"] [data-testid="viewer-region"]');
    await marked.waitFor();
    const region = await marked.evaluate((element): Fractions => {
      const page = element.closest('[data-testid="viewer-page"]')!.getBoundingClientRect();
      const r = element.getBoundingClientRect();
      return { x: (r.left - page.left) / page.width, y: (r.top - page.top) / page.height, w: r.width / page.width, h: r.height / page.height };
    });

    // The wall shows the region, large, on screen, uncovered.
    await wall.locator('[data-testid="viewer-sheet"][data-sheet="5"] [data-testid="viewer-region"]').waitFor();
    await settled(wall, 5);
    await wall.screenshot({ path: SCREENSHOT });
    const atRegion = await seen(wall, 5, region);
    assertOnScreen('the marked region', atRegion);
    assert.ok(
      atRegion.rect.height >= WALL.height / 2 || atRegion.rect.width >= WALL.width / 2,
      `the marked region is ${Math.round(atRegion.rect.width)}×${Math.round(atRegion.rect.height)} px on a ${WALL.width}×${WALL.height} screen: too small to read from the room`,
    );

    // The mark cleared: the whole sheet again.
    await prosecutor.getByTestId('viewer-clear-region').click();
    await wall.locator('[data-testid="viewer-sheet"][data-sheet="5"] [data-testid="viewer-region"]').waitFor({ state: 'detached' });
    await settled(wall, 5);
    assertOnScreen('the whole sheet', await seen(wall, 5, WHOLE_PAGE));
    harness?.assertNoPageErrors();
  });
});

/** `{name}` parameters filled in, as i18n.t does. */
function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
