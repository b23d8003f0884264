/**
 * Judicial acts: the judge marks a document as the act of the hearing; the act is
 * searched by key phrases with filters; readers entitled to the case see it as written, everyone
 * else depersonalised — and nobody unentitled reaches the original through any route.
 * The demo case's verdict (db/demo-files/v2-d6-verdict.pdf) is the text of
 * server/src/acts/depersonalise.fixtures.ts, with the demo participants' data.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RU_LEAKS } from '../../server/src/acts/depersonalise.fixtures.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';

type Part = { text: string; hit: boolean };
type Hit = { act: { id: string; caseNumber: string; kind: string; articles: string[] }; depersonalised: boolean; snippet: Part[] };

describe('judicial acts: marking, search, depersonalisation', () => {
  let server: TestServer;
  const clients = new Map<string, ApiClient>();
  let caseId: string;
  let verdictId: string;
  let indictmentId: string;
  let actId: string;

  const as = (username: string) => clients.get(username)!;
  const search = (username: string, query: string) => as(username).get(`/api/acts/search?${query}`);
  const textOf = (snippet: Part[]) => snippet.map((p) => p.text).join('');
  const leaksIn = (text: string) => RU_LEAKS.filter((leak) => text.toLowerCase().includes(leak.toLowerCase()));

  before(async () => {
    server = await startTestServer();
    for (const username of ['judge', 'judge2', 'secretary', 'chair', 'admin', 'office', 'prosecutor', 'hall1']) {
      const client = new ApiClient(server.url);
      await client.login(username);
      clients.set(username, client);
    }
    caseId = (await as('judge').get('/api/cases')).body.cases[0].id;
    const inventory = (await as('judge').get(`/api/cases/${caseId}/inventory`)).body;
    const documents = inventory.volumes.flatMap((v: { documents: { id: string; sourceId: string }[] }) => v.documents);
    verdictId = documents.find((d: { sourceId: string }) => d.sourceId === 'd6').id;
    indictmentId = documents.find((d: { sourceId: string }) => d.sourceId === 'd1').id;
    await server.textIndex.idle();
  });
  after(async () => server?.close());

  test('only the judge of the case marks an act; bad input is refused with a clear code', async () => {
    const body = { documentId: verdictId, kind: 'verdict', outcome: 'conviction', date: '2026-11-20' };
    let answer = await as('secretary').post(`/api/cases/${caseId}/acts`, body);
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'not_case_judge');
    answer = await as('judge2').post(`/api/cases/${caseId}/acts`, body);
    assert.equal(answer.body.error.code, 'forbidden');
    answer = await as('judge').post(`/api/cases/${caseId}/acts`, { ...body, kind: 'sentence' });
    assert.equal(answer.body.error.code, 'invalid_request');
    answer = await as('judge').post(`/api/cases/${caseId}/acts`, { ...body, date: '2026-13-01' });
    assert.equal(answer.body.error.code, 'invalid_request');
    answer = await as('judge').post(`/api/cases/${caseId}/acts`, { ...body, documentId: 'no-such-document' });
    assert.equal(answer.status, 404);

    // The demo already marked the verdict: marking again changes its facts (200), and it is indexed.
    answer = await as('judge').post(`/api/cases/${caseId}/acts`, body);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.act.indexed, true);
    assert.deepEqual(answer.body.act.articles, ['188']);
    actId = answer.body.act.id;

    // A second act (the indictment marked as a ruling, for the test's sake) is new: 201.
    answer = await as('judge').post(`/api/cases/${caseId}/acts`, { documentId: indictmentId, kind: 'ruling', outcome: 'other', date: '2026-10-25' });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const listed = await as('secretary').get(`/api/cases/${caseId}/acts`);
    assert.deepEqual(
      listed.body.acts.map((a: { kind: string }) => a.kind),
      ['ruling', 'verdict'],
    );
    assert.equal((await as('judge2').get(`/api/cases/${caseId}/acts`)).status, 403);
  });

  test('entitled readers find the act by a name in another form and read it as written', async () => {
    for (const username of ['judge', 'chair', 'prosecutor']) {
      const answer = await search(username, `q=${encodeURIComponent('Иванову')}&kind=verdict`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const hit = (answer.body.hits as Hit[]).find((h) => h.act.id === actId);
      assert.ok(hit, `${username} finds the verdict`);
      assert.equal(hit.depersonalised, false);
      assert.ok(
        hit.snippet.some((p) => p.hit && /^Иванов/.test(p.text)),
        textOf(hit.snippet),
      );
    }
    const full = await as('judge').get(`/api/acts/${actId}/text`);
    assert.equal(full.body.depersonalised, false);
    assert.match(full.body.text, /Иванова Петра Сергеевича/);
  });

  test('others find the act by key phrases and read it depersonalised: no name, IIN, phone, e-mail of the case', async () => {
    for (const username of ['judge2', 'admin']) {
      const answer = await search(username, `q=${encodeURIComponent('"лишение свободы" кража')}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      // "кража" in no form is in the verdict ("похитил"): nothing; the phrase alone finds it.
      assert.equal(answer.body.total, 0);
      const phrase = await search(username, `q=${encodeURIComponent('"лишения свободы" похитил')}`);
      const hit = (phrase.body.hits as Hit[]).find((h) => h.act.id === actId);
      assert.ok(hit, `${username} finds the verdict by a key phrase in another form`);
      assert.equal(hit.depersonalised, true);
      assert.deepEqual(leaksIn(textOf(hit.snippet)), []);
      const full = await as(username).get(`/api/acts/${actId}/text`);
      assert.equal(full.status, 200);
      assert.equal(full.body.depersonalised, true);
      assert.deepEqual(leaksIn(full.body.text), [], full.body.text);
      assert.match(full.body.text, /Признать Лицо 1 виновным/);
    }
  });

  test('an unentitled reader cannot find an act by what the depersonalised text hides', async () => {
    for (const q of ['Иванов', 'Касымова', '990314300234', 'victim@ezal.test', '+77011234567', 'Жандосова']) {
      const answer = await search('judge2', `q=${encodeURIComponent(q)}`);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.total, 0, `judge2 searching ${q}`);
    }
    // …while the judge of the case can (the IIN is in the text as written).
    assert.equal((await search('judge', 'q=990314300234')).body.total, 1);
  });

  test('no other route leads an unentitled reader to the original', async () => {
    const judge2 = as('judge2');
    for (const url of [
      `/api/cases/${caseId}`,
      `/api/cases/${caseId}/inventory`,
      `/api/cases/${caseId}/documents/${verdictId}/content`,
      `/api/cases/${caseId}/search?q=${encodeURIComponent('Иванов')}`,
      `/api/cases/${caseId}/notes`,
      `/api/cases/${caseId}/acts`,
    ]) {
      const answer = await judge2.get(url);
      assert.equal(answer.status, 403, `${url}: ${answer.status}`);
      assert.deepEqual(leaksIn(JSON.stringify(answer.body)), []);
    }
    // A hall's wall screen reads no acts at all.
    assert.equal((await search('hall1', 'q=приговор')).status, 403);
    assert.equal((await as('hall1').get(`/api/acts/${actId}/text`)).status, 403);
  });

  test('filters: court, judge, article, dates, outcome, kind', async () => {
    const q = `q=${encodeURIComponent('приговор')}`;
    const total = async (filters: string) => (await search('judge', `${q}&${filters}`)).body.total as number;
    const judge = (await as('judge').post(`/api/cases/${caseId}/acts`, { documentId: verdictId, kind: 'verdict', outcome: 'conviction', date: '2026-11-20' })).body.act;
    assert.equal(await total('article=188'), 1);
    assert.equal(await total('article=190'), 0);
    assert.equal(await total('outcome=conviction'), 1);
    assert.equal(await total('outcome=acquittal'), 0);
    assert.equal(await total('from=2026-11-20&to=2026-11-20'), 1);
    assert.equal(await total('from=2026-11-21'), 0);
    assert.equal(await total(`courtId=${judge.court.id}&judgeId=${judge.judge.id}`), 1);
    assert.equal(await total('judgeId=someone-else'), 0);
    assert.equal(await total('kind=decision'), 0);
    const bad = await search('judge', 'q=%22%22%20...');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_request');
    assert.equal((await search('judge', `${q}&outcome=guilty`)).body.error.code, 'invalid_request');
  });
});
