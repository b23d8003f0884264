/**
 * The intake API as the ERDR side and the court see it: a real server, packages built and signed
 * by the test PKI, and the samples that come with the contract.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EcaseBuilder, makeTestPki, type TestPki } from '../helpers/ecase-builder.ts';
import { ApiClient, startTestServer, toolEnvOf, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';
import { ECASE_PACKAGE_DIR } from '../helpers/shared-material.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const samples = path.join(ECASE_PACKAGE_DIR, 'samples');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-intake-'));

describe('e-case intake', () => {
  let server: TestServer;
  let pki: TestPki;
  let token: string;

  before(async () => {
    pki = await makeTestPki();
    const roots = path.join(tmp, 'roots');
    fs.mkdirSync(roots);
    fs.writeFileSync(path.join(roots, 'court-root.pem'), pki.root.pem);
    fs.copyFileSync(path.resolve(samples, '..', 'test-ca', 'root.pem'), path.join(roots, 'sample-root.pem'));
    server = await startTestServer({ ECASE_TRUST_ROOTS: roots, ECASE_MAX_ARCHIVE_MB: '20' });
    token = admin(server, 'token:create', 'erdr').out;
  });
  after(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const send = async (file: string | Buffer, bearer: string | null = token, contentType = 'application/zip') => {
    const response = await fetch(`${server.url}/api/ecases`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: new Uint8Array(Buffer.isBuffer(file) ? file : fs.readFileSync(file)),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const count = async (table: string) => (await sqlOf(server).one<{ n: number }>(`select count(*) as n from ${table}`))!.n;
  const storedFiles = async () => fs.readdirSync(path.join(server.dataDir, 'files'), { recursive: true }).filter((f) => /[0-9a-f]{64}$/.test(String(f))).length + (await count('stored_files'));
  const build = async (name: string, change?: (b: EcaseBuilder) => void) => {
    const builder = await EcaseBuilder.create(pki);
    change?.(builder);
    return builder.writeZip(path.join(tmp, `${name}.zip`));
  };

  test('without a valid token the intake refuses and audits', async () => {
    assert.equal((await send(path.join(samples, 'valid-small.zip'), null)).status, 401);
    assert.equal((await send(path.join(samples, 'valid-small.zip'), 'ezal_forged')).status, 401);
    const audited = (await sqlOf(server).one<{ n: number }>("select count(*) as n from audit_log where action = 'ecase.intake' and outcome = 'denied'"))!;
    assert.equal(audited.n, 2);
  });

  test('the valid sample is accepted: 201 with the counts, then 200 with the same case, never a copy', async () => {
    const first = await send(path.join(samples, 'valid-small.zip'));
    assert.equal(first.status, 201);
    assert.deepEqual(
      { ...first.body, caseId: undefined },
      { status: 'accepted', caseId: undefined, caseNumber: nextCaseNumber(), erdrNumber: '241500059705605', volumes: 2, documents: 9, sheets: 24 },
    );
    const again = await send(path.join(samples, 'valid-small.zip'));
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal((await sqlOf(server).one<{ n: number }>("select count(*) as n from cases where erdr_number = '241500059705605'"))!.n, 1);
  });

  test('the inventory keeps volume and sheet order, signatures and media; the prosecutor is linked to his account', async () => {
    const prosecutor = new ApiClient(server.url);
    await prosecutor.login('prosecutor');
    const kase = (await prosecutor.get('/api/cases')).body.cases.find((c: { erdrNumber: string }) => c.erdrNumber === '241500059705605');
    assert.ok(kase, 'the prosecutor of the package (IIN 850412300125) sees the case');
    assert.equal(kase.summary.ru, 'Ахметов Данияр Серикович — п. 3 ч. 2 ст. 188 УК РК');

    const inventory = (await prosecutor.get(`/api/cases/${kase.id}/inventory`)).body;
    assert.deepEqual(
      inventory.volumes.map((v: any) => [v.number, v.sheets, v.documents.map((d: any) => `${d.sourceId}:${d.sheetFrom ?? '-'}-${d.sheetTo ?? '-'}`)]),
      [
        [1, 12, ['d1:1-4', 'd2:5-6', 'd3:7-11', 'd4:12-12', 'm1:---']],
        [2, 12, ['d5:1-6', 'd6:7-8', 'd7:9-10', 'd8:11-12']],
      ],
    );
    const d1 = inventory.volumes[0].documents[0];
    assert.equal(d1.signatures[0].signerIin, '850412300125');
    assert.equal(inventory.package.signer.signerIin, '850412300125');
    assert.equal(inventory.volumes[0].documents[4].mimeType, 'video/webm');

    const content = await fetch(`${server.url}/api/cases/${kase.id}/documents/${d1.id}/content`, { headers: { cookie: prosecutor.cookieHeader } });
    const bytes = Buffer.from(await content.arrayBuffer());
    assert.equal(content.status, 200);
    assert.equal(content.headers.get('content-type'), 'application/pdf');
    assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), d1.sha256, 'the court serves the very bytes the prosecutor signed');
    const part = await fetch(`${server.url}/api/cases/${kase.id}/documents/${d1.id}/content`, { headers: { cookie: prosecutor.cookieHeader, range: 'bytes=100-199' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-199/${bytes.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(100, 200));
    const beyond = await fetch(`${server.url}/api/cases/${kase.id}/documents/${d1.id}/content`, { headers: { cookie: prosecutor.cookieHeader, range: `bytes=${bytes.length + 5}-` } });
    assert.equal(beyond.status, 416);
    const cached = await fetch(`${server.url}/api/cases/${kase.id}/documents/${d1.id}/content`, { headers: { cookie: prosecutor.cookieHeader, 'if-none-match': content.headers.get('etag')! } });
    assert.equal(cached.status, 304, 'an unchanged document is not sent again');

    const judge2 = new ApiClient(server.url);
    await judge2.login('judge2');
    assert.equal((await judge2.get(`/api/cases/${kase.id}/inventory`)).status, 403);
    assert.equal((await fetch(`${server.url}/api/cases/${kase.id}/documents/${d1.id}/content`, { headers: { cookie: judge2.cookieHeader } })).status, 403);
  });

  test('the verification view proves the files unchanged, and names a tampered one', async () => {
    const office = new ApiClient(server.url);
    await office.login('office');
    const kase = (await office.get('/api/cases')).body.cases.find((c: { erdrNumber: string }) => c.erdrNumber === '241500059705605');
    const before = (await office.get(`/api/cases/${kase.id}/verification`)).body;
    assert.equal(before.ok, true);
    assert.equal(before.documents.length, 9);

    // The sample's files are small, so they are kept inline in the database: tamper with the row.
    const d3 = before.documents.find((d: { sourceId: string }) => d.sourceId === 'd3');
    const row = { run: (content: Buffer, sha256: string) => sqlOf(server).run('update stored_files set content = ? where sha256 = ?', content, sha256) };
    const original = (await sqlOf(server).one<{ content: Buffer }>('select content from stored_files where sha256 = ?', d3.actualSha256))!.content;
    assert.ok(original, 'd3 is stored inline');
    const tampered = Buffer.from(original);
    tampered[tampered.length - 10] ^= 0xff;
    await row.run(tampered, d3.actualSha256);
    try {
      const afterTamper = (await office.get(`/api/cases/${kase.id}/verification`)).body;
      assert.equal(afterTamper.ok, false);
      assert.deepEqual(
        afterTamper.documents.filter((d: { hashOk: boolean }) => !d.hashOk).map((d: { sourceId: string }) => d.sourceId),
        ['d3'],
      );
    } finally {
      await row.run(original, d3.actualSha256);
    }
  });

  test('the invalid sample is refused with every problem, and nothing of it stays', async () => {
    const cases = await count('cases');
    const documents = await count('documents');
    const files = await storedFiles();
    const refused = await send(path.join(samples, 'invalid-mixed.zip'));
    assert.equal(refused.status, 422);
    assert.equal(refused.body.status, 'rejected');
    assert.deepEqual(refused.body.problems.map((p: { code: string }) => p.code).sort(), ['file_unreferenced', 'hash_mismatch', 'iin_invalid', 'pdf_page_count', 'reference_unknown', 'sheet_gap']);
    assert.equal(await count('cases'), cases);
    assert.equal(await count('documents'), documents);
    assert.equal(await storedFiles(), files, 'no stored file');
    assert.deepEqual(fs.readdirSync(path.join(server.dataDir, 'staging')), [], 'no staging left');
    const logged = (await sqlOf(server).one<{ outcome: string; problems: string; erdr_number: string; package_id: string }>(
      'select outcome, problems, erdr_number, package_id from ingestions order by received_at desc limit 1',
    ))!;
    assert.equal(logged.outcome, 'rejected');
    assert.ok(/^\d{15}$/.test(logged.erdr_number) && logged.package_id, 'the log names the refused package as far as it could be read');
    assert.equal(JSON.parse(logged.problems).length, 6, 'the ingestion log keeps why');
  });

  test('another package for an ERDR number the court has is a 409 naming the case', async () => {
    const existing = (await sqlOf(server).one<{ id: string }>("select id from cases where erdr_number = '241500059705605'"))!.id;
    const file = await build('same-erdr', (b) => (b.manifest.case.erdrNumber = '241500059705605'));
    const answer = await send(file);
    assert.equal(answer.status, 409);
    assert.equal(answer.body.existingCaseId, existing);
    assert.deepEqual(
      answer.body.problems.map((p: { code: string }) => p.code),
      ['erdr_number_exists'],
    );
  });

  test('a package for another court is refused', async () => {
    const answer = await send(await build('other-court', (b) => (b.manifest.recipientCourt.code = '1990')));
    assert.equal(answer.status, 422);
    assert.deepEqual(
      answer.body.problems.map((p: { code: string }) => p.code),
      ['court_unknown'],
    );
  });

  test('a package signed by an untrusted root is refused', async () => {
    const answer = await send(await build('untrusted', (b) => (b.manifestSigner = pki.untrusted)));
    assert.equal(answer.status, 422);
    assert.ok(answer.body.problems.some((p: { code: string }) => p.code === 'signature_untrusted'));
  });

  test('a package generated by our builder is accepted and its participants become the case participants', async () => {
    const answer = await send(await build('generated'));
    assert.equal(answer.status, 201);
    const roles = await sqlOf(server).all('select role, source_id from case_participants where case_id = ? order by source_id', answer.body.caseId);
    assert.deepEqual(roles, [
      { role: 'defendant', source_id: 'p1' },
      { role: 'defender', source_id: 'p2' },
      { role: 'victim', source_id: 'p3' },
      { role: 'prosecutor', source_id: 'p4' },
    ]);
  });

  test('the ingestion log is read page by page, newest first, without gaps or repeats', async () => {
    const office = new ApiClient(server.url);
    await office.login('office');
    const all = (await office.get('/api/ecases/ingestions?limit=200')).body;
    assert.ok(all.ingestions.length >= 5, 'earlier tests logged several packages');
    assert.equal(all.next, null);
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page: { body: { ingestions: { id: string }[]; next: string | null } } = await office.get(`/api/ecases/ingestions?limit=2${next ? `&before=${next}` : ''}`);
      assert.ok(page.body.ingestions.length <= 2);
      seen.push(...page.body.ingestions.map((i) => i.id));
      next = page.body.next;
    } while (next);
    assert.deepEqual(
      seen,
      all.ingestions.map((i: { id: string }) => i.id),
    );
    assert.equal((await office.get('/api/ecases/ingestions?before=yesterday')).status, 400);
  });

  test('a body that is not a zip, or too large, is refused without being read whole', async () => {
    const wrongType = await send(Buffer.from('{}'), token, 'application/json');
    assert.equal(wrongType.status, 415);

    // Declared too large: answered from the headers alone, before any of the body is sent.
    const declared = await rawPost({ 'content-length': String(21 * 1024 * 1024) }, null);
    assert.equal(declared.status, 413);
    assert.equal(declared.body.problems[0].code, 'archive_too_large');

    // Chunked, with no declared length: cut off as soon as it passes the limit. The server answers
    // 413 and closes the connection; a sender still writing may see the close (EPIPE) before it
    // has read the answer, so either is the refusal, and the log says why.
    const logged = () => count('ingestions');
    const before = await logged();
    const streamed = await rawPost({ 'transfer-encoding': 'chunked' }, 25 * 1024 * 1024);
    if (streamed.status !== null) assert.equal(streamed.status, 413);
    assert.ok(streamed.sent < 25 * 1024 * 1024, `the server stopped the upload early (sent ${streamed.sent} bytes)`);
    assert.equal(await logged(), before + 1);
    const last = (await sqlOf(server).one<{ outcome: string; problems: string }>('select outcome, problems from ingestions order by received_at desc limit 1'))!;
    assert.deepEqual([last.outcome, JSON.parse(last.problems)[0].code], ['rejected', 'archive_too_large']);
  });

  /**
   * POSTs to the intake with raw headers; `bytes` of zeros streamed in 64 KiB chunks (null: none).
   * `status` is null when the server closed the connection before its answer could be read.
   */
  function rawPost(headers: Record<string, string>, bytes: number | null): Promise<{ status: number | null; body: any; sent: number }> {
    return new Promise((resolve, reject) => {
      const url = new URL(`${server.url}/api/ecases`);
      let sent = 0;
      let answered = false;
      const request = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/zip', authorization: `Bearer ${token}`, ...headers } },
        (response) => {
          answered = true;
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text), sent }));
        },
      );
      // Once answered, the server closes the connection: writes after that fail, as they should.
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (answered) return;
        if (bytes !== null && (error.code === 'EPIPE' || error.code === 'ECONNRESET')) resolve({ status: null, body: null, sent });
        else reject(error);
      });
      if (bytes === null) return request.flushHeaders(); // headers only: wait for the answer
      const chunk = Buffer.alloc(64 * 1024);
      const write = () => {
        while (sent < bytes && !answered) {
          sent += chunk.length;
          if (!request.write(chunk)) return request.once('drain', write);
        }
        request.end();
      };
      write();
    });
  }
});

/** The number the court gives the first ingested case: after the demo case 7511-26-00-1/245 in 2026, from 1 in a later year. */
function nextCaseNumber(): string {
  const year = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Almaty', year: '2-digit' }).format(new Date());
  return `7511-${year}-00-1/${year === '26' ? 246 : 1}`;
}

function admin(server: TestServer, ...args: string[]) {
  const result = spawnSync(process.execPath, ['server/src/cli/admin.ts', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...toolEnvOf(server) } });
  if (result.status !== 0) throw new Error(result.stderr);
  return { out: result.stdout.trim() };
}

describe('e-case intake with every file on disk (FILES_INLINE_MAX_KB=0)', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ ECASE_TRUST_ROOTS: path.resolve(samples, '..', 'test-ca', 'root.pem'), FILES_INLINE_MAX_KB: '0' });
  });
  after(() => server.close());

  test('files are served from disk with ranges, and a file tampered with on disk is named', async () => {
    const token = admin(server, 'token:create', 'erdr').out;
    const accepted = await fetch(`${server.url}/api/ecases`, {
      method: 'POST',
      headers: { 'content-type': 'application/zip', authorization: `Bearer ${token}` },
      body: new Uint8Array(fs.readFileSync(path.join(samples, 'valid-small.zip'))),
    });
    assert.equal(accepted.status, 201);
    const { caseId } = (await accepted.json()) as { caseId: string };
    const inline = (await sqlOf(server).one<{ n: number }>('select count(*) as n from stored_files where content is not null'))!;
    assert.equal(inline.n, 0, 'nothing is kept inline');

    const office = new ApiClient(server.url);
    await office.login('office');
    const d3 = (await office.get(`/api/cases/${caseId}/inventory`)).body.volumes[0].documents[2];
    const url = `${server.url}/api/cases/${caseId}/documents/${d3.id}/content`;
    const whole = Buffer.from(await (await fetch(url, { headers: { cookie: office.cookieHeader } })).arrayBuffer());
    assert.equal(crypto.createHash('sha256').update(whole).digest('hex'), d3.sha256);
    const part = await fetch(url, { headers: { cookie: office.cookieHeader, range: 'bytes=10-19' } });
    assert.equal(part.status, 206);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), whole.subarray(10, 20));

    const file = path.join(server.dataDir, 'files', d3.sha256.slice(0, 2), d3.sha256);
    const tampered = Buffer.from(whole);
    tampered[tampered.length - 10] ^= 0xff;
    fs.writeFileSync(file, tampered);
    const verification = (await office.get(`/api/cases/${caseId}/verification`)).body;
    assert.equal(verification.ok, false);
    assert.deepEqual(
      verification.documents.filter((d: { hashOk: boolean }) => !d.hashOk).map((d: { sourceId: string }) => d.sourceId),
      ['d3'],
    );
  });
});
