/**
 * End-to-end: the court office receives e-case packages through the web app, and the case file
 * appears on the case page.
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium (`apt-get install -y chromium`).
 * Run: node --test tests/e2e/ecase-intake.spec.ts
 * With E2E_SCREENSHOTS=/some/dir it also saves screenshots of each screen there (desktop and
 * phone, Russian and Kazakh).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import yauzl from 'yauzl';
import { kk } from '../../apps/web/src/lib/i18n/kk.ts';
import { PROBLEM_TEXTS } from '../../apps/web/src/lib/i18n/problem-texts.ts';
import { ru } from '../../apps/web/src/lib/i18n/ru.ts';
import { BrowserHarness } from '../helpers/browser.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { ECASE_PACKAGE_DIR } from '../helpers/shared-material.ts';

const ECASE_DIR = ECASE_PACKAGE_DIR;
const TRUST_ROOT = path.join(ECASE_DIR, 'test-ca', 'root.pem');
const VALID = path.join(ECASE_DIR, 'samples', 'valid-small.zip');
const INVALID = path.join(ECASE_DIR, 'samples', 'invalid-mixed.zip');
const SCREENSHOTS = process.env.E2E_SCREENSHOTS;

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

type Manifest = {
  case: { erdrNumber: string };
  volumes: { number: number; sheets: number; documents: { title: string; sha256: string; sheetFrom?: number; sheetTo?: number }[] }[];
};

describe('web app: e-case intake and the case file', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let manifest: Manifest;
  /** The case valid-small.zip made (set by the first test). */
  let caseId: string | undefined;

  before(async () => {
    for (const file of [TRUST_ROOT, VALID, INVALID]) assert.ok(fs.existsSync(file), `missing test material: ${file}`);
    manifest = JSON.parse((await readZipEntry(VALID, 'manifest.json')).toString('utf8')) as Manifest;
    server = await startTestServer({ ECASE_TRUST_ROOTS: TRUST_ROOT });
    harness = await BrowserHarness.launch();
    if (SCREENSHOTS) fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await harness?.close();
    await server?.close();
  });

  const openPage = (viewport: { width: number; height: number }) => {
    assert.ok(harness, 'the browser did not start');
    return harness.openPage(viewport);
  };

  /** Logs in on the login page and waits for the app. */
  async function logIn(page: Page, username: string) {
    assert.ok(server);
    await page.goto(server.url + '/login');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('ezal-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').waitFor();
  }

  /** Switches the interface language and waits until the server has saved it. */
  async function useLanguage(page: Page, locale: 'kk' | 'ru') {
    if ((await page.getByTestId(`lang-${locale}`).getAttribute('aria-pressed')) === 'true') return;
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH');
    await page.getByTestId(`lang-${locale}`).click();
    assert.equal((await saved).status(), 200);
  }

  async function upload(page: Page, file: string) {
    await page.getByTestId('intake-file').setInputFiles(file);
    await page.getByTestId('intake-chosen').getByText(path.basename(file)).waitFor();
    await page.getByTestId('intake-submit').click();
    await page.getByTestId('intake-answer').waitFor();
  }

  async function screenshot(page: Page, name: string) {
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  async function assertNoSidewaysScroll(page: Page) {
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.equal(overflow, 0, 'the page is wider than the screen');
  }

  test('the office uploads valid-small.zip, reads the acceptance report and opens the case file', async () => {
    assert.ok(server);
    const page = await openPage(DESKTOP);
    await logIn(page, 'office');
    await useLanguage(page, 'ru');

    // The header leads the office to the intake page.
    await page.getByTestId('nav-intake').click();
    await page.getByTestId('intake-page').waitFor();
    assert.equal(new URL(page.url()).pathname, '/office/intake');
    await page.getByRole('heading', { level: 1, name: ru['intake.title'] }).waitFor();
    await page.getByTestId('ingestions-empty').waitFor();

    await upload(page, VALID);
    const answer = page.getByTestId('intake-answer');
    assert.equal(await answer.getAttribute('data-kind'), 'accepted');
    await answer.getByRole('heading', { name: ru['intake.accepted_title'] }).waitFor();

    // The counts are the package's own.
    const documents = manifest.volumes.reduce((n, v) => n + v.documents.length, 0);
    const sheets = manifest.volumes.reduce((n, v) => n + v.sheets, 0);
    assert.equal(await page.getByTestId('intake-volumes').textContent(), String(manifest.volumes.length));
    assert.equal(await page.getByTestId('intake-documents').textContent(), String(documents));
    assert.equal(await page.getByTestId('intake-sheets').textContent(), String(sheets));
    assert.equal(await page.getByTestId('intake-erdr').textContent(), manifest.case.erdrNumber);

    // The link names the case by its court number once it is known.
    const link = page.getByTestId('intake-case-link');
    await link.getByText(/№/).waitFor();
    caseId = (await link.getAttribute('href'))?.split('/').pop();
    assert.ok(caseId, 'the report does not link to the case');

    // The log has the package on top.
    const first = page.getByTestId('ingestion-row').first();
    await first.waitFor();
    assert.equal(await first.getAttribute('data-outcome'), 'accepted');
    assert.equal(await first.getByTestId('ingestion-erdr').textContent(), manifest.case.erdrNumber);
    assert.equal((await first.getByTestId('ingestion-via').textContent())?.trim(), fill(ru['via.user'], { name: 'office' }));
    await screenshot(page, 'intake-accepted-desktop-ru');

    // The case page: the package line, volumes closed, volume 1's inventory on request.
    await link.click();
    await page.getByTestId('case-detail').waitFor();
    assert.equal(new URL(page.url()).pathname, `/cases/${caseId}`);
    assert.equal(await page.getByTestId('case-erdr').textContent(), manifest.case.erdrNumber);
    await page.getByTestId('package-line').waitFor();
    assert.equal(await page.getByTestId('volume').count(), manifest.volumes.length);
    assert.equal(await page.getByTestId('inventory-document').count(), 0, 'volumes should start closed');

    await page.getByTestId('volume-toggle-1').click();
    const volume1 = page.locator('[data-testid="volume"][data-volume="1"]');
    const firstDocument = volume1.getByTestId('inventory-document').first();
    await firstDocument.waitFor();
    const expected = manifest.volumes[0].documents[0];
    assert.ok(expected.sheetFrom !== undefined && expected.sheetTo !== undefined);
    assert.equal(await firstDocument.getByTestId('document-title').textContent(), expected.title);
    assert.equal(await firstDocument.getByTestId('document-sheets').textContent(), fill(ru['casefile.sheet_range'], { from: expected.sheetFrom, to: expected.sheetTo }));
    assert.equal(await volume1.getByTestId('inventory-document').count(), manifest.volumes[0].documents.length);

    // The document opens from the court's storage.
    const href = await firstDocument.getByTestId('document-open').getAttribute('href');
    assert.ok(href);
    const content = await page.request.get(server.url + href);
    assert.equal(content.status(), 200);
    assert.equal(content.headers()['content-type'], 'application/pdf');

    // Verification against the signed package.
    await page.getByTestId('verify-button').click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-ok'), 'true');
    await result.getByText(ru['verify.ok']).waitFor();
    await screenshot(page, 'case-file-desktop-ru');

    // The same page in Kazakh: sheets as "1–4 п.".
    await useLanguage(page, 'kk');
    assert.equal(await firstDocument.getByTestId('document-sheets').textContent(), fill(kk['casefile.sheet_range'], { from: expected.sheetFrom, to: expected.sheetTo }));
    await screenshot(page, 'case-file-desktop-kk');
    await useLanguage(page, 'ru');

    harness?.assertNoPageErrors();
  });

  test('the same package again (phone) is "already accepted": no second case', async () => {
    assert.ok(server && caseId, 'needs the case of the first test');
    const api = new ApiClient(server.url);
    await api.login('office');
    const before = (await api.get('/api/cases')).body.cases.length as number;

    const page = await openPage(PHONE);
    await logIn(page, 'office');
    await page.goto(server.url + '/office/intake');
    await upload(page, VALID);
    const answer = page.getByTestId('intake-answer');
    assert.equal(await answer.getAttribute('data-kind'), 'already');
    await answer.getByRole('heading', { name: ru['intake.already_title'] }).waitFor();
    assert.equal(await page.getByTestId('intake-case-link').getAttribute('href'), `/cases/${caseId}`);
    const first = page.getByTestId('ingestion-row').first();
    await page.locator('[data-testid="ingestion-row"][data-outcome="already_accepted"]').first().waitFor();
    assert.equal(await first.getAttribute('data-outcome'), 'already_accepted');
    await assertNoSidewaysScroll(page);
    await screenshot(page, 'intake-already-phone-ru');

    // The home page lists the case once, and the court has as many cases as before.
    assert.equal((await api.get('/api/cases')).body.cases.length, before);
    await page.getByTestId('back-home').click();
    await page.getByTestId('case-row').first().waitFor();
    assert.equal(await page.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`).count(), 1);
    assert.equal(await page.getByTestId('case-row').count(), before);

    // The case page on a phone: nothing sticks out sideways with a volume open.
    await page.goto(`${server.url}/cases/${caseId}`);
    await page.getByTestId('volume-toggle-1').click();
    await page.getByTestId('inventory-document').first().waitFor();
    await assertNoSidewaysScroll(page);
    await screenshot(page, 'case-file-phone-ru');

    harness?.assertNoPageErrors();
  });

  test('invalid-mixed.zip is rejected with every problem translated, in Russian and in Kazakh', async () => {
    assert.ok(server);
    const api = new ApiClient(server.url);
    await api.login('office');
    const before = (await api.get('/api/cases')).body.cases.length as number;

    const page = await openPage(PHONE);
    await logIn(page, 'office');
    await page.goto(server.url + '/office/intake');
    await upload(page, INVALID);
    const answer = page.getByTestId('intake-answer');
    assert.equal(await answer.getAttribute('data-kind'), 'rejected');
    await answer.getByRole('heading', { name: ru['intake.rejected_title'] }).waitFor();

    // Every problem is in Russian (none falls back to the server's English), with its place in words.
    const problems = answer.getByTestId('problem');
    const count = await problems.count();
    assert.ok(count >= 3, `expected several problems, got ${count}`);
    const codes: string[] = [];
    for (let i = 0; i < count; i++) {
      const problem = problems.nth(i);
      const code = (await problem.getAttribute('data-code')) ?? '';
      codes.push(code);
      assert.ok(code in PROBLEM_TEXTS.ru, `no translation for ${code}`);
      assert.equal(await problem.getByTestId('problem-text').textContent(), PROBLEM_TEXTS.ru[code as keyof typeof PROBLEM_TEXTS.ru]);
    }
    // The mixed-up sheets are reported where they are: volume 1, document 2, its first sheet.
    assert.ok(codes.includes('sheet_gap'), `codes: ${codes.join(', ')}`);
    const gap = answer.locator('[data-testid="problem"][data-code="sheet_gap"]').first();
    assert.equal(await gap.getByTestId('problem-place').textContent(), `${fill(ru['problem_place.document'], { volume: 1, n: 2 })} — ${ru['field.sheetFrom']}`);
    await page.getByTestId('intake-problem-count').waitFor();
    await assertNoSidewaysScroll(page);
    await screenshot(page, 'intake-rejected-phone-ru');

    // In Kazakh, at once.
    await useLanguage(page, 'kk');
    await answer.getByRole('heading', { name: kk['intake.rejected_title'] }).waitFor();
    await gap.getByTestId('problem-text').getByText(PROBLEM_TEXTS.kk.sheet_gap).waitFor();
    assert.equal(await gap.getByTestId('problem-place').textContent(), `${fill(kk['problem_place.document'], { volume: 1, n: 2 })} — ${kk['field.sheetFrom']}`);
    const unlisted = answer.locator('[data-testid="problem"][data-code="file_unreferenced"]');
    await unlisted.getByText(PROBLEM_TEXTS.kk.file_unreferenced).waitFor();
    await screenshot(page, 'intake-rejected-phone-kk');

    // The log keeps the rejection, its problems behind a disclosure, in Kazakh too.
    const row = page.locator('[data-testid="ingestion-row"][data-outcome="rejected"]').first();
    await row.waitFor();
    await row.getByTestId('outcome-badge').getByText(kk['outcome.rejected']).waitFor();
    await row.getByTestId('ingestion-problems').locator('summary').click();
    await row.getByText(PROBLEM_TEXTS.kk.sheet_gap).waitFor();

    // Nothing of the package stayed.
    assert.equal((await api.get('/api/cases')).body.cases.length, before);
    harness?.assertNoPageErrors();
  });

  test('verification names a file that no longer matches the signed package', async () => {
    assert.ok(server && caseId, 'needs the case of the first test');
    // Change one stored file behind the court's back. The sample's files are small, so the court
    // keeps them inline in the database (stored_files.content), addressed by their hash.
    const changed = manifest.volumes[0].documents[1];
    const altered = server.sqlite!.prepare("update stored_files set content = content || x'0a' where sha256 = ? and content is not null").run(changed.sha256);
    assert.equal(altered.changes, 1, 'the stored file was not found');

    const page = await openPage(DESKTOP);
    await logIn(page, 'office');
    await useLanguage(page, 'ru');
    await page.goto(`${server.url}/cases/${caseId}`);
    await page.getByTestId('verify-button').click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-ok'), 'false');
    const failures = result.getByTestId('verify-failure');
    assert.equal(await failures.count(), 1);
    const text = (await failures.first().textContent()) ?? '';
    assert.ok(text.includes(fill(ru['verify.document'], { volume: 1, title: changed.title })), text);
    assert.ok(text.includes(ru['verify.file_changed']), text);

    // The volume says so before it is opened, and the document's line once it is.
    await page.locator('[data-testid="volume"][data-volume="1"]').getByText(ru['casefile.mismatch'], { exact: false }).waitFor();
    await page.getByTestId('volume-toggle-1').click();
    const rows = page.locator('[data-testid="inventory-document"][data-mismatch="true"]');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.first().getByTestId('document-title').textContent(), changed.title);
    await screenshot(page, 'verification-failed-desktop-ru');

    harness?.assertNoPageErrors();
  });

  test('the judge has no intake link, gets the no-access page at /office/intake, and the server refuses uploads', async () => {
    assert.ok(server);
    const page = await openPage(DESKTOP);
    await logIn(page, 'judge');
    await page.getByTestId('my-cases').waitFor();
    assert.equal(await page.getByTestId('nav-intake').count(), 0);

    // The demo case's file (db/demo-case-file.ts) came without a signed package: its two
    // volumes, no package line.
    await page.getByTestId('case-row').first().getByTestId('case-number').click();
    await page.getByTestId('volumes').waitFor();
    assert.equal(await page.getByTestId('volume').count(), 2);
    assert.equal(await page.getByTestId('package-line').count(), 0);

    await page.goto(server.url + '/office/intake');
    const refusal = page.getByTestId('intake-forbidden');
    await refusal.waitFor();
    assert.equal(await page.getByTestId('intake-page').count(), 0);
    assert.equal(await page.getByTestId('intake-file').count(), 0);

    // Not only hidden: the API says no as well.
    const api = new ApiClient(server.url);
    await api.login('judge');
    const response = await fetch(server.url + '/api/office/ecases', {
      method: 'POST',
      headers: { cookie: api.cookieHeader, 'x-csrf-token': api.csrfToken ?? '', 'content-type': 'application/zip' },
      body: new Blob([new Uint8Array(fs.readFileSync(VALID))]),
    });
    assert.equal(response.status, 403);
    assert.equal((await api.get('/api/ecases/ingestions')).status, 403);

    harness?.assertNoPageErrors();
  });
});

/** `{name}` parameters filled in, as i18n.t does. */
function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** One entry of a zip archive, read whole. */
function readZipEntry(zipPath: string, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error(`cannot open ${zipPath}`));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error(`cannot read ${name}`));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            zip.close();
            resolve(Buffer.concat(chunks));
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => reject(new Error(`${name} is not in ${zipPath}`)));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
