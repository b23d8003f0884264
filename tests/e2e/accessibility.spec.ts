/**
 * End-to-end: every page of the court as its users open it, checked by axe-core (the rules of
 * WCAG 2.x A/AA and best practice): no serious or critical violation anywhere — the login page,
 * home, a case and its scheduling form, the case-file viewer, each seat's hearing workstation, the
 * wall screen, a remote witness's join page, the situation centre, judicial acts, the recording,
 * the protocol, the office's intake and the administrator's page. A failure lists each rule with the elements it found.
 * Moderate and minor findings are printed, not failed.
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium.
 * Run: node --test tests/e2e/accessibility.spec.ts
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { BrowserHarness, FAKE_MEDIA_ARGS } from '../helpers/browser.ts';
import { demoHearing, seedCaseFile, type DemoHearing } from '../helpers/hall.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';

/** Evaluated, not added as a script tag: the pages' Content-Security-Policy refuses inline scripts. */
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const DESKTOP = { width: 1440, height: 900 };
const WALL = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };

type Violation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

/** Runs axe-core on the page as it is now; every violation, worst first. */
async function axe(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Violation[] }> } }).axe.run(document, {
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  const rank = ['critical', 'serious', 'moderate', 'minor'];
  return violations.sort((a, b) => rank.indexOf(a.impact ?? 'minor') - rank.indexOf(b.impact ?? 'minor'));
}

const describeViolation = (v: Violation) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`;

describe('accessibility: no serious or critical axe-core violation on any page', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let demo: DemoHearing;
  /** Page name → violations by impact, printed at the end. */
  const report: Record<string, Record<string, number>> = {};

  before(async () => {
    server = await startTestServer();
    harness = await BrowserHarness.launch(FAKE_MEDIA_ARGS);
    demo = demoHearing(server.sqlite!);
    seedCaseFile(server.sqlite!, demo.caseId);
  });

  after(async () => {
    if (Object.keys(report).length > 0) console.log(JSON.stringify({ axe: report }, null, 1));
    await harness?.close();
    await server?.close();
  });

  /** Asserts `page` as it is now has no serious or critical violation; records all of them. */
  async function check(name: string, page: Page): Promise<void> {
    const violations = await axe(page);
    report[name] = {};
    for (const v of violations) report[name][v.impact ?? 'unknown'] = (report[name][v.impact ?? 'unknown'] ?? 0) + 1;
    const lesser = violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
    if (lesser.length > 0) console.log(`${name}, not failing:\n  ${lesser.map(describeViolation).join('\n  ')}`);
    const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(grave.map(describeViolation), [], `${name}: serious or critical violations`);
  }

  /** A fresh browser profile logged in as `username`, on `path` once its `ready` element shows. */
  async function open(username: string | null, path: string, ready: string, viewport = DESKTOP): Promise<Page> {
    assert.ok(server && harness, 'the server or the browser did not start');
    const page = await harness.openPage(viewport, 20_000, { permissions: ['camera', 'microphone'] });
    if (username) {
      await page.goto(server.url + '/login');
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill('ezal-demo');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('user-name').waitFor();
    }
    await page.goto(server.url + path);
    await page.locator(ready).first().waitFor();
    return page;
  }

  test('the login page', async () => {
    await check('login', await open(null, '/login', '[data-testid="login-form"]'));
  });

  test('home: the hearings and cases of a judge', async () => {
    await check('home', await open('judge', '/', '[data-testid="hearing-row"]'));
  });

  test('a case, and its scheduling form', async () => {
    const page = await open('office', `/cases/${demo.caseId}`, '[data-testid="case-hearings"]');
    await check('case', page);
    await page.getByTestId('schedule-new').click();
    await page.getByTestId('hearing-form').getByTestId('form-hall').waitFor();
    await check('scheduling', page);
  });

  test('the case-file viewer', async () => {
    const page = await open('judge', `/cases/${demo.caseId}/file`, '[data-testid="case-file-viewer"] canvas');
    await check('case file viewer', page);
  });

  for (const seat of ['judge', 'secretary', 'prosecutor', 'defender'] as const) {
    test(`the ${seat}'s hearing workstation`, async () => {
      const page = await open(seat, `/hearings/${demo.hearingId}/${seat}`, '[data-testid="hearing-page"][data-status="online"]');
      if (seat !== 'secretary') await page.getByTestId('shared-viewer').locator('canvas').first().waitFor();
      await check(`${seat} workstation`, page);
    });
  }

  test('the hall wall screen', async () => {
    const page = await open('hall1', `/hearings/${demo.hearingId}/display`, '[data-testid="hearing-page"][data-status="online"]', WALL);
    await check('wall screen', page);
  });

  test("a remote witness's join page", async () => {
    assert.ok(server);
    const secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    const invited = await secretary.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId: demo.participants.witness });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const link = new URL(invited.body.invitation.link as string);
    const page = await open(null, link.pathname + link.search + link.hash, '[data-testid="join-page"][data-phase="check"]', PHONE);
    await check('join page', page);
  });

  test('the situation centre', async () => {
    const page = await open('chair', '/situation', '[data-testid="trend-chart"]');
    await check('situation centre', page);
  });

  test('judicial acts', async () => {
    const page = await open('judge2', '/acts', '[data-testid="acts"]');
    await page.getByTestId('acts-search').click();
    await page.waitForLoadState('networkidle');
    await check('judicial acts', page);
  });

  test('the recording of a hearing', async () => {
    await check('recording', await open('judge', `/hearings/${demo.hearingId}/recording`, '[data-testid="recording-page"]'));
  });

  test('the protocol of a hearing', async () => {
    await check('protocol', await open('judge', `/hearings/${demo.hearingId}/protocol`, '[data-testid="protocol-page"]'));
  });

  test("the office's intake of electronic case files", async () => {
    await check('intake', await open('office', '/office/intake', '[data-testid="intake-page"]'));
  });

  test("the administrator's page: the audit chain's verdict", async () => {
    await check('admin', await open('admin', '/admin', '[data-testid="audit-verdict"]'));
  });
});
