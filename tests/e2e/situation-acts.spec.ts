/**
 * End-to-end: the chair opens the situation centre, clicks a figure and gets its cases;
 * a judge not on the demo case searches judicial acts and reads the demo verdict depersonalised,
 * while the case's own judge reads it as written; the judge marks a document as an act on the case
 * page and finds it in acts search.
 * Needs the web app built (`npm run build:web`) and Debian's Chromium.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RU_LEAKS } from '../../server/src/acts/depersonalise.fixtures.ts';
import { BrowserHarness, logInAs } from '../helpers/browser.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';

describe('web app: situation centre and judicial acts', () => {
  let server: TestServer;
  let harness: BrowserHarness;
  let caseId: string;

  before(async () => {
    server = await startTestServer();
    harness = await BrowserHarness.launch();
    // The demo verdict enters the acts index once its text is read (the judge marking it again indexes it at once).
    await server.textIndex.idle();
    const judge = new ApiClient(server.url);
    await judge.login('judge');
    caseId = (await judge.get('/api/cases')).body.cases[0].id;
    const inventory = (await judge.get(`/api/cases/${caseId}/inventory`)).body;
    const verdict = inventory.volumes.flatMap((v: { documents: { id: string; sourceId: string }[] }) => v.documents).find((d: { sourceId: string }) => d.sourceId === 'd6');
    const marked = await judge.post(`/api/cases/${caseId}/acts`, { documentId: verdict.id, kind: 'verdict', outcome: 'conviction', date: '2026-11-20' });
    assert.equal(marked.body.act.indexed, true);
  });
  after(async () => {
    await harness?.close();
    await server?.close();
  });

  test('the chair sees the figures and the cases behind one', async () => {
    const page = await harness.openPage({ width: 1366, height: 900 }, 15_000);
    await logInAs(page, server.url, 'chair');
    await page.getByTestId('nav-situation').click();
    await page.getByTestId('figure-open').waitFor();
    assert.equal((await page.getByTestId('figure-open').locator('.value').textContent())?.trim(), '1');
    await page.getByTestId('trend-chart').waitFor();
    await page.getByTestId('figure-open').click();
    await page.getByTestId('drill-case').first().waitFor();
    assert.match((await page.getByTestId('drill-case').first().textContent()) ?? '', /7511-26-00-1\/245/);
    assert.match((await page.getByTestId('drill-csv').getAttribute('href')) ?? '', /^\/api\/situation\/cases\.csv\?figure=open/);

    // Per category: the demo case is a crime; its open figure drills down to the same case.
    const crime = page.locator('[data-testid="category-row"][data-category="crime"]');
    assert.equal((await crime.getByTestId('category-open').textContent())?.trim(), '1');
    await crime.getByTestId('category-open').click();
    await page.locator('[data-testid="drill-csv"][href*="category=crime"]').waitFor();
    assert.equal(await page.getByTestId('drill-case').count(), 1);
    assert.match((await page.getByTestId('drill-case').first().textContent()) ?? '', /7511-26-00-1\/245/);
    harness.assertNoPageErrors();
  });

  test('a judge not on the case reads the verdict depersonalised; the judge of the case as written', async () => {
    const page = await harness.openPage({ width: 1280, height: 900 }, 15_000);
    await logInAs(page, server.url, 'judge2');
    await page.getByTestId('nav-acts').click();
    await page.getByTestId('acts-q').fill('"лишения свободы"');
    await page.getByTestId('acts-search').click();
    await page.getByTestId('acts-hit').first().waitFor();
    await page.getByTestId('acts-depersonalised').first().waitFor();
    await page.getByTestId('acts-hit').first().getByRole('button').click();
    const text = (await page.getByTestId('acts-text').textContent()) ?? '';
    assert.match(text, /Лицо 1/);
    assert.deepEqual(
      RU_LEAKS.filter((leak) => text.toLowerCase().includes(leak.toLowerCase())),
      [],
    );

    const own = await harness.openPage({ width: 1280, height: 900 }, 15_000);
    await logInAs(own, server.url, 'judge');
    await own.goto(server.url + '/acts');
    await own.getByTestId('acts-q').fill('Иванову');
    await own.getByTestId('acts-search').click();
    await own.getByTestId('acts-hit').first().waitFor();
    assert.equal(await own.getByTestId('acts-depersonalised').count(), 0);
    assert.match((await own.getByTestId('acts-hit').first().locator('mark').first().textContent()) ?? '', /^Иванов/);
    harness.assertNoPageErrors();
  });

  test('the judge marks a document as a judicial act on the case page and finds it in acts search', async () => {
    const page = await harness.openPage({ width: 1366, height: 900 }, 15_000);
    await logInAs(page, server.url, 'judge');
    await page.goto(`${server.url}/cases/${caseId}`);
    await page.getByTestId('volume-toggle-1').click();
    const line = page.locator('[data-testid="inventory-document"][data-source-id="d3"]');
    assert.equal(await line.getByTestId('act-mark').getAttribute('data-marked'), 'false');
    await line.getByTestId('act-mark-open').click();
    await line.getByTestId('act-kind').selectOption('decision');
    await line.getByTestId('act-outcome').selectOption('other');
    await line.getByTestId('act-date').fill('2026-11-21');
    await line.getByTestId('act-save').click();
    await line.locator('[data-testid="act-mark"][data-marked="true"]').waitFor();
    assert.match((await line.getByTestId('act-marked').textContent()) ?? '', /Решение, Иное, 21\.11\.2026/);
    // The marked state survives a reload, and offers a change.
    await page.reload();
    await page.getByTestId('volume-toggle-1').click();
    await line.getByTestId('act-marked').waitFor();
    assert.match((await line.getByTestId('act-mark-open').textContent()) ?? '', /Изменить/);

    await page.goto(server.url + '/acts');
    await page.getByTestId('acts-q').fill('потерпевшей');
    await page.getByTestId('acts-kind').selectOption('decision');
    await page.getByTestId('acts-search').click();
    await page.getByTestId('acts-hit').first().waitFor();
    assert.equal(await page.getByTestId('acts-hit').count(), 1);
    assert.match((await page.getByTestId('acts-hit').first().textContent()) ?? '', /Решение · 7511-26-00-1\/245 · 2026-11-21 · Иное/);
    harness.assertNoPageErrors();
  });

  test('only the judge of the case is offered the marking', async () => {
    const page = await harness.openPage({ width: 1366, height: 900 }, 15_000);
    await logInAs(page, server.url, 'secretary');
    await page.goto(`${server.url}/cases/${caseId}`);
    await page.getByTestId('volume-toggle-2').click();
    const verdict = page.locator('[data-testid="inventory-document"][data-source-id="d6"]');
    await verdict.getByTestId('act-marked').waitFor();
    assert.equal(await page.getByTestId('act-mark-open').count(), 0);
    harness.assertNoPageErrors();
  });
});
