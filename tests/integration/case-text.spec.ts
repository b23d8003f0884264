/**
 * Text search in the case file: the text of every PDF page is read in the background after
 * intake, searched per case with snippets in volume-and-sheet order, refused to users without
 * access, safe against FTS query syntax, and completed after a restart that interrupted it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDb } from '../../db/database.ts';
import { EcaseBuilder, makeTestPki, type TestPki } from '../helpers/ecase-builder.ts';
import { ingestAsOffice, linkDemoProsecutor } from '../helpers/ingest.ts';
import { ApiClient, startTestServer, TEST_DIALECT, testDatabaseUrl, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

/** The known text: on which page of which document (volume, 0-based index in it, page). */
const TEXT: Record<string, string[]> = {
  '1/0/2': ['Протокол осмотра места происшествия', 'Похищен телефон Samsung'],
  '2/1/1': ['Заключение эксперта: кража телефона подтверждена'],
  '2/2/2': ['Қылмыстық іс бойынша айыптау актісі', 'Ёмкость для хранения'],
};

type Hit = { documentId: string; page: number; volume: number; sheet: number; snippet: { text: string; hit: boolean }[] };

describe('text search in the case file', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-case-text-'));
  let pki: TestPki;
  let server: TestServer;
  let caseId: string;
  let inventory: { volumes: { number: number; documents: { id: string; kind: string; sheetFrom: number | null }[] }[] };
  let prosecutor: ApiClient;

  const start = async () => {
    server = await startTestServer({ DATA_DIR: dataDir, ECASE_TRUST_ROOTS: path.join(dataDir, 'root.pem') });
    prosecutor = new ApiClient(server.url);
    await prosecutor.login('prosecutor');
  };
  const search = (q: string, client = prosecutor) => client.get(`/api/cases/${caseId}/search?q=${encodeURIComponent(q)}`);
  /** The document at (volume, index among its PDFs) in the inventory. */
  const documentAt = (volume: number, index: number) => inventory.volumes[volume - 1].documents.filter((d) => d.kind !== 'media')[index];

  before(async () => {
    pki = await makeTestPki();
    fs.writeFileSync(path.join(dataDir, 'root.pem'), pki.root.pem);
    await start();
    const builder = linkDemoProsecutor(await EcaseBuilder.create(pki, { volumes: 2, documentsPerVolume: 4, pages: () => 3, pageText: (v, i, p) => TEXT[`${v}/${i}/${p}`] ?? null }));
    const zip = await builder.writeZip(path.join(dataDir, 'case.zip'));
    caseId = (await ingestAsOffice(server.url, zip)).caseId;
    inventory = (await prosecutor.get(`/api/cases/${caseId}/inventory`)).body;
    await server.textIndex.idle();
  });
  after(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('every PDF of the case is indexed after intake', async () => {
    const { status, body } = await search('телефон');
    assert.equal(status, 200);
    assert.deepEqual(body.coverage, { documents: 8, indexed: 8, failed: 0 });
  });

  test('a word is found on its pages, in volume and sheet order, with the match marked in the snippet', async () => {
    const { body } = await search('Телефона');
    assert.deepEqual(body.terms, ['телефон']);
    assert.equal(body.total, 2);
    const first = documentAt(1, 0);
    const second = documentAt(2, 1);
    assert.deepEqual(
      body.hits.map((h: Hit) => [h.documentId, h.page, h.volume, h.sheet]),
      [
        [first.id, 2, 1, first.sheetFrom! + 1],
        [second.id, 1, 2, second.sheetFrom!],
      ],
    );
    const marked = body.hits[1].snippet.filter((part: { hit: boolean }) => part.hit).map((part: { text: string }) => part.text);
    assert.deepEqual(marked, ['телефона']);
    assert.equal(body.hits[1].snippet.map((part: { text: string }) => part.text).join(''), 'Заключение эксперта: кража телефона подтверждена');
  });

  test('Kazakh words in any case, ё as е, several words together', async () => {
    const kazakh = (await search('ҚЫЛМЫСТЫҚ іс')).body;
    assert.equal(kazakh.total, 1);
    assert.deepEqual([kazakh.hits[0].volume, kazakh.hits[0].sheet], [2, documentAt(2, 2).sheetFrom! + 1]);
    assert.equal((await search('емкость')).body.total, 1);
    assert.equal((await search('кража телефона')).body.total, 1);
    assert.equal((await search('кража Samsung')).body.total, 0);
    assert.equal((await search('несуществующее')).body.total, 0);
  });

  test('query syntax in the input is only text; input with no word is a clear 400', async () => {
    for (const q of ['NEAR(телефон', 'телефон OR кража', 'body:телефон', 'телефон"', '"телефон', 'телеф*', 'a"b OR "c']) {
      const { status, body } = await search(q);
      assert.equal(status, 200, `${q}: ${JSON.stringify(body)}`);
    }
    // OR is a word here, not an operator (which would find both pages with «телефон»): on SQLite a
    // word no page has; on PostgreSQL a stop word, left out (full-text.ts), so both words must be there.
    assert.equal((await search('телефон OR кража')).body.total, TEST_DIALECT === 'postgres' ? 1 : 0, 'OR is a word here, not an operator');
    assert.equal((await search('телеф*')).body.total, 2);
    for (const q of ['***', '"', '()']) {
      const { status, body } = await search(q);
      assert.equal(status, 400, q);
      assert.equal(body.error.code, 'invalid_request');
    }
    assert.equal((await search('а'.repeat(201))).status, 400);
    assert.equal((await prosecutor.get(`/api/cases/${caseId}/search`)).status, 400);
    assert.equal((await prosecutor.get(`/api/cases/${caseId}/search?q=x&limit=0`)).status, 400);
    assert.equal((await prosecutor.get(`/api/cases/${caseId}/search?q=x&limit=101`)).status, 400);
  });

  test('results come in portions', async () => {
    const all = (await prosecutor.get(`/api/cases/${caseId}/search?q=${encodeURIComponent('Test case file')}`)).body;
    assert.equal(all.total, 24 - 3);
    const second = (await prosecutor.get(`/api/cases/${caseId}/search?q=${encodeURIComponent('Test case file')}&limit=5&offset=5`)).body;
    assert.equal(second.total, all.total);
    assert.deepEqual(second.hits, all.hits.slice(5, 10));
  });

  test('only users with access to the case may search it; refusals are audited', async () => {
    const judge2 = new ApiClient(server.url);
    await judge2.login('judge2');
    const refused = await search('телефон', judge2);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    const audited = await sqlOf(server).one<{ n: number }>("select count(*) as n from audit_log where actor = 'judge2' and action = 'case.search' and outcome = 'denied' and case_id = ?", caseId);
    assert.equal(audited?.n, 1);
    assert.equal((await search('телефон', new ApiClient(server.url))).status, 401);
    assert.equal((await prosecutor.get(`/api/cases/no-such-case/search?q=x`)).status, 404);
  });

  test('a restart finishes what an interrupted indexing left, and indexes nothing twice', async () => {
    // Document d26 has a page of its own; the others share one file (the same two-page template).
    const builder = linkDemoProsecutor(
      await EcaseBuilder.create(pki, { volumes: 3, documentsPerVolume: 20, pages: () => 2, pageText: (v, i, p) => (v === 2 && i === 5 && p === 1 ? ['Страница только этого документа'] : null) }),
    );
    const zip = await builder.writeZip(path.join(dataDir, 'second.zip'));
    const second = (await ingestAsOffice(server.url, zip)).caseId;
    // Stopped at once: the indexing of the new case has only just begun.
    await server.close();
    // And as if a crash had also lost the text of two documents of the first case.
    const database = await openDb({ dataDir, databaseUrl: testDatabaseUrl(dataDir) });
    const db = sqlOf(database);
    const lost = await db.all<{ id: string }>('select document_id as id from document_text where case_id = ? order by document_id limit 2', caseId);
    for (const { id } of lost) {
      await db.run('delete from case_text where document_id = ?', id);
      await db.run('delete from document_text where document_id = ?', id);
    }
    // And one stored PDF of the second case no longer a PDF (a disk fault): it is recorded, not retried.
    const broken = (await db.one<{ id: string; sha256: string }>("select id, file_sha256 as sha256 from documents where case_id = ? and source_id = 'd26'", second))!;
    await db.run('delete from case_text where document_id = ?', broken.id);
    await db.run('delete from document_text where document_id = ?', broken.id);
    // A small file is kept in its database row, a larger one on disk: spoilt wherever it is.
    const inline = await db.run('update stored_files set content = ? where sha256 = ? and content is not null', Buffer.from('not a PDF any more'), broken.sha256);
    await database.close();
    if (inline.changes === 0) {
      const file = path.join(dataDir, 'files', broken.sha256.slice(0, 2), broken.sha256);
      fs.chmodSync(file, 0o644);
      fs.writeFileSync(file, 'not a PDF any more');
    }

    await start();
    await server.textIndex.idle();
    const coverage = (await prosecutor.get(`/api/cases/${second}/search?q=test`)).body.coverage;
    assert.deepEqual(coverage, { documents: 60, indexed: 59, failed: 1 });
    const failure = (await sqlOf(server).one<{ status: string; error: string }>('select status, error from document_text where document_id = ?', broken.id))!;
    assert.equal(failure.status, 'failed');
    assert.ok(failure.error.length > 0);
    assert.equal((await search('телефона')).body.total, 2);
    // The two ingested cases (the demo case's own case file is indexed too, and counted apart).
    const pages = (await sqlOf(server).one<{ n: number; distinctPages: number }>(
      'select count(*) as n, count(distinct document_id || \'/\' || page) as "distinctPages" from case_text where document_id in (select id from documents where case_id in (?, ?))',
      caseId,
      second,
    ))!;
    assert.equal(pages.n, pages.distinctPages, 'no page is in the index twice');
    assert.equal(pages.n, 8 * 3 + 59 * 2);
  });
});
