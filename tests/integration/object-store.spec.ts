/**
 * Stored files in an S3-compatible object store (server/src/storage/object-file-store.ts): a real
 * e-Zal server with S3_* set, against a real RADOS Gateway (tests/helpers/object-store.ts), takes a
 * package, keeps its files as objects named by their SHA-256, and serves them byte for byte as the
 * server on local disk does; the sweep spares what another node may be committing; a wrong key stops
 * the start with its reason.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ObjectFileStore } from '../../server/src/storage/object-file-store.ts';
import { ingestAsOffice } from '../helpers/ingest.ts';
import { startPrivateObjectStore, type PrivateObjectStore } from '../helpers/object-store.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';
import { ECASE_PACKAGE_DIR } from '../helpers/shared-material.ts';

const SAMPLE = path.join(ECASE_PACKAGE_DIR, 'samples', 'valid-small.zip');
const SAMPLE_ROOT = path.join(ECASE_PACKAGE_DIR, 'test-ca', 'root.pem');
const sha256 = (bytes: Buffer | string) => crypto.createHash('sha256').update(bytes).digest('hex');

describe('stored files in an S3-compatible object store', () => {
  let objects: PrivateObjectStore;
  let server: TestServer;
  let onDisk: TestServer;

  before(async () => {
    objects = await startPrivateObjectStore();
    // Every file into the store (none inline in the database), so the package's files are all objects.
    const env = { ECASE_TRUST_ROOTS: SAMPLE_ROOT, FILES_INLINE_MAX_KB: '0' };
    server = await startTestServer({ ...env, ...objects.env('ezal-court') });
    onDisk = await startTestServer(env);
  });
  after(async () => {
    await server?.close();
    await onDisk?.close();
    await objects?.stop();
  });

  const storeOf = (bucket: string, graceMs?: number) => {
    const { endpoint, accessKeyId, secretAccessKey } = objects;
    return new ObjectFileStore({ endpoint, bucket, accessKeyId, secretAccessKey, region: 'us-east-1', forcePathStyle: true }, { inlineMaxBytes: 0, graceMs });
  };

  test('a package is kept in the bucket under its hashes, and nothing of it in DATA_DIR/files', async () => {
    const { caseId } = await ingestAsOffice(server.url, SAMPLE);
    const office = new ApiClient(server.url);
    await office.login('office');
    const documents = (await office.get(`/api/cases/${caseId}/inventory`)).body.volumes.flatMap((v: { documents: { sha256: string }[] }) => v.documents);
    assert.equal(documents.length, 9);

    const store = storeOf('ezal-court');
    const keys = (await Array.fromAsync(store.list())).map((o) => o.sha256);
    store.close();
    for (const d of documents) assert.ok(keys.includes(d.sha256), `document ${d.sha256} is an object named by its hash`);
    const rows = await sqlOf(server).all<{ sha256: string }>('select sha256 from stored_files where content is null');
    assert.deepEqual(rows.map((r) => r.sha256).sort(), [...keys].sort(), 'the bucket holds exactly the stored files, the demo case included');
    assert.equal(fs.existsSync(path.join(server.dataDir, 'files')), false, 'no DATA_DIR/files at all');
    const inDataDir = fs.readdirSync(server.dataDir, { recursive: true }).filter((name) => /[0-9a-f]{64}$/.test(String(name)));
    assert.deepEqual(inDataDir, [], 'no stored file anywhere in DATA_DIR');

    const verification = (await office.get(`/api/cases/${caseId}/verification`)).body;
    assert.equal(verification.ok, true, 'every object hashes to its name and every signature verifies');
  });

  test('a document is served by byte ranges exactly as from local disk: bytes, 206, Content-Range, 416', async () => {
    const served = async (target: TestServer) => {
      const { caseId } = await ingestAsOffice(target.url, SAMPLE);
      const office = new ApiClient(target.url);
      await office.login('office');
      const d3 = (await office.get(`/api/cases/${caseId}/inventory`)).body.volumes[0].documents[2];
      return { url: `${target.url}/api/cases/${caseId}/documents/${d3.id}/content`, cookie: office.cookieHeader, sha256: d3.sha256 as string };
    };
    const fromS3 = await served(server);
    const fromDisk = await served(onDisk);
    const whole = Buffer.from(await (await fetch(fromS3.url, { headers: { cookie: fromS3.cookie } })).arrayBuffer());
    assert.equal(sha256(whole), fromS3.sha256, 'the court serves the very bytes the prosecutor signed');
    assert.ok(whole.length > 1000);

    const answer = async (target: { url: string; cookie: string }, range: string | undefined) => {
      const response = await fetch(target.url, { headers: { cookie: target.cookie, ...(range ? { range } : {}) } });
      const body = Buffer.from(await response.arrayBuffer());
      const header = (name: string) => response.headers.get(name);
      const answer = { status: response.status, contentRange: header('content-range'), contentLength: header('content-length'), body: sha256(body) };
      // A 416 has no body to type: @fastify/send's says text/html, the inline path's (byte-ranges.ts) the document's type, as the object store's does.
      return response.status === 416 ? answer : { ...answer, acceptRanges: header('accept-ranges'), type: header('content-type') };
    };
    // A page as pdf.js asks for it, the tail, a suffix, an open end, past the end, junk and two ranges (both ignored: the whole file).
    const ranges = [undefined, 'bytes=0-1023', `bytes=${whole.length - 100}-${whole.length + 500}`, 'bytes=-200', 'bytes=500-', `bytes=${whole.length + 5}-`, 'bytes=abc', 'bytes=0-1,5-9'];
    for (const range of ranges) {
      const s3 = await answer(fromS3, range);
      assert.deepEqual(s3, await answer(fromDisk, range), `Range: ${range ?? '(none)'}`);
      if (range === 'bytes=0-1023') assert.deepEqual([s3.status, s3.contentRange, s3.body], [206, `bytes 0-1023/${whole.length}`, sha256(whole.subarray(0, 1024))]);
      if (range === `bytes=${whole.length + 5}-`) assert.deepEqual([s3.status, s3.contentRange], [416, `bytes */${whole.length}`]);
    }
  });

  test('an object lost from the bucket is named by the verification view and answered 404, not 500', async () => {
    const { caseId } = await ingestAsOffice(server.url, SAMPLE);
    const office = new ApiClient(server.url);
    await office.login('office');
    const d1 = (await office.get(`/api/cases/${caseId}/inventory`)).body.volumes[0].documents[0];
    const s3 = new S3Client({ endpoint: objects.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: objects.accessKeyId, secretAccessKey: objects.secretAccessKey } });
    await s3.send(new DeleteObjectCommand({ Bucket: 'ezal-court', Key: d1.sha256 }));
    s3.destroy();

    const verification = (await office.get(`/api/cases/${caseId}/verification`)).body;
    assert.equal(verification.ok, false);
    assert.deepEqual(
      verification.documents.filter((d: { hashOk: boolean }) => !d.hashOk).map((d: { sourceId: string; actualSha256: string | null }) => [d.sourceId, d.actualSha256]),
      [['d1', null]],
    );
    const content = await fetch(`${server.url}/api/cases/${caseId}/documents/${d1.id}/content`, { headers: { cookie: office.cookieHeader, range: 'bytes=0-99' } });
    assert.equal(content.status, 404);
  });

  test('the sweep removes an old unreferenced object, keeps a fresh one, a referenced one and one adopted again', async () => {
    const graceMs = 3000;
    const store = storeOf('ezal-sweep', graceMs);
    await store.open();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-sweep-'));
    const adopt = async (text: string) => {
      const stagedPath = path.join(dir, sha256(text));
      fs.writeFileSync(stagedPath, text);
      await store.adoptAll([{ stagedPath, sha256: sha256(text) }]);
      return sha256(text);
    };
    try {
      const old = await adopt('left by an import that failed a while ago');
      const referenced = await adopt('a document of a committed case');
      const reused = await adopt('content another node is committing again right now');
      await sleep(graceMs + 1000);
      // Another node uploads this content for a commit still under way: its object becomes fresh again.
      await adopt('content another node is committing again right now');
      const fresh = await adopt('just uploaded by another node, its rows not committed yet');

      const unreferenced = async (hash: string) => hash !== referenced;
      assert.equal(await store.removeUnreferenced([fresh, reused], unreferenced), 0, 'a failed import does not take objects as young as a commit');
      assert.equal(await store.sweepOrphans(unreferenced), 1);
      assert.deepEqual(
        { old: await store.has(old), referenced: await store.has(referenced), reused: await store.has(reused), fresh: await store.has(fresh) },
        { old: false, referenced: true, reused: true, fresh: true },
      );
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a wrong secret key or address stops the start, naming the setting', async () => {
    await assert.rejects(
      startTestServer({ ...objects.env('ezal-court'), S3_SECRET_ACCESS_KEY: 'not-the-secret' }),
      /object store cannot be used \(bucket ezal-court at http:\/\/127\.0\.0\.1:\d+\): it refused the keys \(SignatureDoesNotMatch\): check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/,
    );
    // Port 9 (discard): nothing listens on loopback.
    await assert.rejects(startTestServer({ ...objects.env('ezal-court'), S3_ENDPOINT: 'http://127.0.0.1:9' }), /nothing answers there \(ECONNREFUSED\): check S3_ENDPOINT/);
  });
});
