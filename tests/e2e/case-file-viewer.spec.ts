/**
 * End-to-end: the case-file viewer of an ingested case in Chromium. Going to a sheet of a volume,
 * stepping across documents, searching the text and jumping to the hit with the word marked on
 * the page, private notes and highlights, and a 10,000-sheet case that keeps only what is on
 * screen. Everything loads from the court's own origin under the app's Content-Security-Policy.
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium.
 * Run: node --test tests/e2e/case-file-viewer.spec.ts (E2E_SCREENSHOTS=/dir saves screenshots).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { kk } from '../../apps/web/src/lib/i18n/kk.ts';
import { ru } from '../../apps/web/src/lib/i18n/ru.ts';
import { BrowserHarness } from '../helpers/browser.ts';
import { EcaseBuilder, makeTestPki, type TestPki } from '../helpers/ecase-builder.ts';
import { ingestAsOffice, linkDemoProsecutor } from '../helpers/ingest.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';

const SCREENSHOTS = process.env.E2E_SCREENSHOTS;
const DESKTOP = { width: 1280, height: 900 };

type Inventory = { volumes: { number: number; documents: { id: string; kind: string; title: string; sheetFrom: number | null }[] }[] };

describe('web app: the case-file viewer', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-viewer-e2e-'));
  let pki: TestPki;
  let server: TestServer;
  let harness: BrowserHarness;
  let caseId: string;
  let inventory: Inventory;

  before(async () => {
    pki = await makeTestPki();
    fs.writeFileSync(path.join(tmp, 'root.pem'), pki.root.pem);
    server = await startTestServer({ ECASE_TRUST_ROOTS: path.join(tmp, 'root.pem') });
    // Three volumes of four documents of three pages: sheet 5 of volume 2 is page 2 of its second
    // document; the word to find is on page 2 of the second document of volume 3.
    const builder = linkDemoProsecutor(
      await EcaseBuilder.create(pki, {
        volumes: 3,
        documentsPerVolume: 4,
        pages: () => 3,
        pageText: (v, i, p) => (v === 3 && i === 1 && p === 2 ? ['Протокол выемки', 'Изъят мобильный телефон Samsung'] : null),
      }),
    );
    caseId = (await ingestAsOffice(server.url, await builder.writeZip(path.join(tmp, 'case.zip')))).caseId;
    await server.textIndex.idle();
    const prosecutor = new ApiClient(server.url);
    await prosecutor.login('prosecutor');
    inventory = (await prosecutor.get(`/api/cases/${caseId}/inventory`)).body;
    harness = await BrowserHarness.launch();
    if (SCREENSHOTS) fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await harness?.close();
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A fresh browser profile logged in as `username`, noting any Content-Security-Policy violation. */
  async function logIn(username: string): Promise<Page> {
    const page = await harness.openPage(DESKTOP, 20_000);
    await page.addInitScript(() => {
      (window as unknown as { cspViolations: string[] }).cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => (window as unknown as { cspViolations: string[] }).cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    await page.goto(server.url + '/login');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('ezal-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').waitFor();
    return page;
  }

  const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

  /** The rendered page of a sheet, once pdf.js has drawn it. */
  const drawnSheet = (page: Page, sheet: number): Locator => page.locator(`[data-testid="viewer-sheet"][data-sheet="${sheet}"] [data-testid="viewer-page"][data-status="ready"]`);

  async function viewerAt(page: Page, volume: number, sheet: number) {
    await page.locator(`[data-testid="case-file-viewer"][data-volume="${volume}"][data-sheet="${sheet}"]`).waitFor();
    await drawnSheet(page, sheet).waitFor();
  }

  async function goTo(page: Page, volume: number, sheet: number) {
    await page.getByTestId('viewer-goto-volume').selectOption(String(volume));
    await page.getByTestId('viewer-goto-sheet').fill(String(sheet));
    await page.getByTestId('viewer-goto-submit').click();
  }

  const pdfDocuments = (volume: number) => inventory.volumes[volume - 1].documents.filter((d) => d.kind !== 'media');

  async function screenshot(page: Page, name: string) {
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  }

  test('the prosecutor opens the viewer, goes to sheet 5 of volume 2 and steps across documents', async () => {
    const page = await logIn('prosecutor');
    await page.goto(`${server.url}/cases/${caseId}`);
    await page.getByTestId('open-viewer').click();
    await viewerAt(page, 1, 1);
    assert.equal(new URL(page.url()).pathname, `/cases/${caseId}/file`);

    await goTo(page, 2, 5);
    await viewerAt(page, 2, 5);
    const second = pdfDocuments(2)[1];
    const viewer = page.getByTestId('case-file-viewer');
    assert.equal(await viewer.getAttribute('data-document-id'), second.id);
    assert.equal(await viewer.getAttribute('data-page'), '2');
    const label = page.locator('[data-testid="viewer-sheet"][data-sheet="5"] .label');
    assert.equal((await label.textContent())?.replace(/\s+/g, ' ').trim(), `${fill(ru['viewer.sheet_n'], { n: 5 })} ${second.title} · ${fill(ru['viewer.page_of'], { page: 2, pages: 3 })}`);
    assert.equal(new URL(page.url()).search, '?volume=2&sheet=5', 'the address keeps the sheet');
    // The inventory shows where the reader is.
    assert.equal(await page.locator(`[data-testid="viewer-document"][data-document-id="${second.id}"]`).getAttribute('aria-current'), 'true');
    await screenshot(page, 'viewer-sheet-desktop-ru');

    // Next twice: past the last page of the document into the next one.
    await page.getByTestId('viewer-next').click();
    await page.getByTestId('viewer-next').click();
    await viewerAt(page, 2, 7);
    assert.equal(await viewer.getAttribute('data-document-id'), pdfDocuments(2)[2].id);
    assert.equal(await viewer.getAttribute('data-page'), '1');

    // Back from the first sheet of volume 3 to the last of volume 2.
    await goTo(page, 3, 1);
    await viewerAt(page, 3, 1);
    await page.getByTestId('viewer-previous').click();
    await viewerAt(page, 2, 12);

    // Scrolled to a sheet by hand, then sent elsewhere, the inventory brings the reader back.
    await page
      .getByTestId('viewer-pages')
      .evaluate((el, to) => el.scrollTo(0, to), await page.locator('[data-testid="viewer-sheet"][data-sheet="11"]').evaluate((el) => (el as HTMLElement).offsetTop));
    await viewerAt(page, 2, 11);
    await goTo(page, 1, 2);
    await viewerAt(page, 1, 2);
    await page.getByTestId('viewer-goto-volume').selectOption('2');
    await page.getByTestId('viewer-goto-sheet').fill('11');
    await page.getByTestId('viewer-goto-submit').click();
    await viewerAt(page, 2, 11);
    assert.ok(
      Math.abs(
        (await page.getByTestId('viewer-pages').evaluate((el) => el.scrollTop)) - (await page.locator('[data-testid="viewer-sheet"][data-sheet="11"]').evaluate((el) => (el as HTMLElement).offsetTop)),
      ) < 2,
      'sheet 11 is at the top',
    );

    // A sheet the volume does not have is refused, in words.
    await goTo(page, 2, 99);
    await page
      .getByTestId('viewer-goto-error')
      .getByText(fill(ru['viewer.no_such_sheet'], { volume: 2, from: 1, to: 12 }))
      .waitFor();
    assert.equal(await viewer.getAttribute('data-sheet'), '11');

    // A reload opens at the same sheet.
    await page.reload();
    await viewerAt(page, 2, 11);

    // Zoom keeps the sheet in view.
    await page.getByTestId('viewer-zoom-in').click();
    await page.getByTestId('viewer-zoom').getByText('125%').waitFor();
    await viewerAt(page, 2, 11);

    assert.deepEqual(await cspViolations(page), []);
    harness.assertNoPageErrors();
  });

  test('a search finds the word, and its hit opens the page with the word marked', async () => {
    const page = await logIn('prosecutor');
    await page.goto(`${server.url}/cases/${caseId}/file?volume=1&sheet=1`);
    await viewerAt(page, 1, 1);

    await page.getByTestId('viewer-tab-search').click();
    await page.getByTestId('viewer-search-input').fill('Телефона');
    await page.getByTestId('viewer-search-submit').click();
    await page
      .getByTestId('viewer-search-total')
      .getByText(fill(ru['count.found_pages.one'], { n: 1 }))
      .waitFor();
    const hit = page.getByTestId('viewer-search-hit');
    assert.equal(await hit.count(), 1);
    const target = pdfDocuments(3)[1];
    const sheet = target.sheetFrom! + 1;
    assert.equal(await hit.getAttribute('data-volume'), '3');
    assert.equal(await hit.getAttribute('data-sheet'), String(sheet));
    assert.equal(await hit.locator('mark').textContent(), 'телефон');

    await hit.click();
    await viewerAt(page, 3, sheet);
    const marked = page.locator(`[data-testid="viewer-sheet"][data-sheet="${sheet}"] .textLayer mark`);
    await marked.first().waitFor();
    assert.equal(await marked.first().textContent(), 'телефон');
    await screenshot(page, 'viewer-search-desktop-ru');

    // Words the case file does not have, and input that is no word.
    await page.getByTestId('viewer-search-input').fill('несуществующее');
    await page.getByTestId('viewer-search-submit').click();
    await page.getByTestId('viewer-search-total').getByText(ru['viewer.search_none']).waitFor();
    await page.getByTestId('viewer-search-input').fill('***');
    await page.getByTestId('viewer-search-submit').click();
    await page.getByText(ru['viewer.search_no_word']).waitFor();

    assert.deepEqual(await cspViolations(page), []);
    harness.assertNoPageErrors();
  });

  test('a private note with a highlighted region stays with its author only', async () => {
    const page = await logIn('prosecutor');
    await page.goto(`${server.url}/cases/${caseId}/file?volume=2&sheet=5`);
    await viewerAt(page, 2, 5);

    // Mark a region on the sheet, then keep it as a private note.
    await page.getByTestId('viewer-draw').click();
    const surface = page.locator('[data-testid="viewer-sheet"][data-sheet="5"] [data-testid="region-surface"]');
    const box = await surface.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.1);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.3, { steps: 5 });
    await page.mouse.up();
    await page.locator('[data-testid="viewer-sheet"][data-sheet="5"] [data-testid="viewer-region"]').waitFor();

    await page.getByTestId('viewer-tab-notes').click();
    await page.getByText(fill(ru['viewer.note_on'], { volume: 2, sheet: 5 })).waitFor();
    await page.getByTestId('viewer-note-text').fill('Сверить с показаниями свидетеля');
    assert.equal(await page.getByTestId('viewer-note-with-region').isChecked(), true);
    await page.getByTestId('viewer-note-save').click();
    const note = page.getByTestId('viewer-note');
    await note.getByText('Сверить с показаниями свидетеля').waitFor();
    assert.equal((await note.getByTestId('viewer-note-go').textContent())?.includes(fill(ru['viewer.volume_sheet'], { volume: 2, sheet: 5 })), true);
    await page.locator('[data-testid="viewer-sheet"][data-sheet="5"] [data-testid="note-region"]').waitFor();
    await page.locator('[data-testid="viewer-sheet"][data-sheet="5"] [data-testid="note-badge"]').waitFor();
    await screenshot(page, 'viewer-note-desktop-ru');

    // Still there after a reload; in Kazakh the panel says the notes are private.
    await page.reload();
    await viewerAt(page, 2, 5);
    await page.getByTestId(`lang-kk`).click();
    await page.getByTestId('viewer-tab-notes').getByText(kk['viewer.tab_notes']).waitFor();
    await page.getByTestId('viewer-tab-notes').click();
    await page.getByText(kk['viewer.notes_private']).waitFor();
    await page.getByTestId('viewer-note').getByText('Сверить с показаниями свидетеля').waitFor();
    await page.getByTestId(`lang-ru`).click();

    // The court office sees the case file, but not the prosecutor's note (its user works in Kazakh).
    const office = await logIn('office');
    await office.goto(`${server.url}/cases/${caseId}/file?volume=2&sheet=5`);
    await viewerAt(office, 2, 5);
    await office.getByTestId('viewer-tab-notes').click();
    await office.getByText(kk['viewer.notes_none']).waitFor();
    assert.equal(await office.locator('[data-testid="note-region"], [data-testid="note-badge"]').count(), 0);

    harness.assertNoPageErrors();
  });

  test('a long document opens at a late page with range requests, not downloaded whole', async () => {
    // One volume of one 120-page document, each page carrying 24 KB of text that does not compress.
    let seed = 7;
    const noise = () =>
      Array.from({ length: 240 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), String.fromCharCode(33 + (seed % 90))))
        .join('')
        .replace(/[()\\]/g, 'x');
    const builder = linkDemoProsecutor(await EcaseBuilder.create(pki, { volumes: 1, documentsPerVolume: 1, pages: () => 120, media: false, pageText: () => Array.from({ length: 100 }, noise) }));
    const long = (await ingestAsOffice(server.url, await builder.writeZip(path.join(tmp, 'long.zip')))).caseId;
    const file = builder.files.get(builder.manifest.volumes[0].documents[0].file!) as Buffer;
    const page = await logIn('prosecutor');
    const ranges: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/content') && response.status() === 206) ranges.push(Number(response.headers()['content-length']));
    });
    await page.goto(`${server.url}/cases/${long}/file?volume=1&sheet=100`);
    await viewerAt(page, 1, 100);
    assert.ok(ranges.length > 0, 'the document is read in ranges');
    const ranged = ranges.reduce((sum, bytes) => sum + bytes, 0);
    assert.ok(ranged < file.length / 2, `${ranged} bytes of ${file.length} read in ranges to show one page`);
    harness.assertNoPageErrors();
  });

  test('a 10,000-sheet case: only the pages on screen exist, and few documents stay open', async () => {
    const builder = linkDemoProsecutor(await EcaseBuilder.create(pki, { volumes: 40, documentsPerVolume: 50, pages: () => 5, media: false }));
    const big = (await ingestAsOffice(server.url, await builder.writeZip(path.join(tmp, 'big.zip')))).caseId;
    const page = await logIn('prosecutor');
    await page.goto(`${server.url}/cases/${big}/file?volume=40&sheet=250`);
    await viewerAt(page, 40, 250);

    const viewer = page.getByTestId('case-file-viewer');
    const visited: string[] = [];
    for (let i = 0; i < 12; i++) {
      const volume = 1 + ((i * 7) % 40);
      const sheet = 1 + ((i * 37) % 250);
      await goTo(page, volume, sheet);
      await viewerAt(page, volume, sheet);
      visited.push(`${volume}/${sheet}`);
      // Only the sheets on screen and one either side are in the page, each with one canvas.
      assert.ok((await page.getByTestId('viewer-sheet').count()) <= 4, `sheets in the page at ${volume}/${sheet}`);
      assert.ok((await page.locator('[data-testid="viewer-page"] canvas').count()) <= 4);
      // At most 8 documents stay open, besides those on screen.
      assert.ok(Number(await viewer.getAttribute('data-open-documents')) <= 8 + 3, `open documents at ${volume}/${sheet}`);
      // The inventory lists the documents of the volume being read only.
      assert.equal(await page.getByTestId('viewer-document').count(), 50);
    }
    assert.equal(visited.length, 12);
    harness.assertNoPageErrors();
  });
});

/** `{name}` parameters filled in, as i18n.t does. */
function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
