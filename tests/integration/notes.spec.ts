/**
 * Private notes and highlights on pages of the case file: only their author ever sees or changes
 * them, whoever else has access to the case; writes need the CSRF token; bad input is a clear 400.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EcaseBuilder, makeTestPki } from '../helpers/ecase-builder.ts';
import { ingestAsOffice, linkDemoProsecutor } from '../helpers/ingest.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

type InventoryDocument = { id: string; kind: string; pages: number | null; sheetFrom: number | null };

describe('private notes on the case file', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-notes-'));
  let server: TestServer;
  let caseId: string;
  let document: InventoryDocument;
  let media: InventoryDocument;
  const clients: Record<string, ApiClient> = {};

  before(async () => {
    const pki = await makeTestPki();
    fs.writeFileSync(path.join(tmp, 'root.pem'), pki.root.pem);
    server = await startTestServer({ ECASE_TRUST_ROOTS: path.join(tmp, 'root.pem') });
    const builder = linkDemoProsecutor(await EcaseBuilder.create(pki, { volumes: 2, documentsPerVolume: 3, pages: () => 4 }));
    caseId = (await ingestAsOffice(server.url, await builder.writeZip(path.join(tmp, 'case.zip')))).caseId;
    for (const username of ['prosecutor', 'office', 'chair', 'judge2']) {
      clients[username] = new ApiClient(server.url);
      await clients[username].login(username);
    }
    const inventory = (await clients.prosecutor.get(`/api/cases/${caseId}/inventory`)).body;
    document = inventory.volumes[1].documents[1];
    media = inventory.volumes[0].documents.find((d: InventoryDocument) => d.kind === 'media');
  });
  after(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const notesUrl = () => `/api/cases/${caseId}/notes`;

  test('a note with a highlighted region is kept where it was made, and only its author lists it', async () => {
    const created = await clients.prosecutor.post(notesUrl(), { documentId: document.id, page: 3, region: { x: 0.1, y: 0.2, w: 0.5, h: 0.1 }, text: '  Противоречие с показаниями свидетеля  ' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const note = created.body.note;
    assert.equal(note.text, 'Противоречие с показаниями свидетеля');
    assert.deepEqual([note.documentId, note.page, note.volume, note.sheet], [document.id, 3, 2, document.sheetFrom! + 2]);
    assert.deepEqual(note.region, { x: 0.1, y: 0.2, w: 0.5, h: 0.1 });

    const highlight = await clients.prosecutor.post(notesUrl(), { documentId: document.id, page: 1, region: { x: 0, y: 0, w: 1, h: 0.5 } });
    assert.equal(highlight.status, 201, 'a highlight needs no text');

    const mine = (await clients.prosecutor.get(notesUrl())).body.notes;
    assert.deepEqual(
      mine.map((n: { page: number }) => n.page),
      [1, 3],
      'in case-file order',
    );
    for (const other of ['office', 'chair']) {
      const { status, body } = await clients[other].get(notesUrl());
      assert.equal(status, 200);
      assert.deepEqual(body.notes, [], `${other} sees none of the prosecutor's notes`);
    }
  });

  test("nobody else can change or delete a user's note: it is not there for them, and the attempt is audited", async () => {
    const note = (await clients.prosecutor.post(notesUrl(), { documentId: document.id, page: 2, text: 'Только для меня' })).body.note;
    for (const other of ['office', 'chair']) {
      const patched = await clients[other].patch(`${notesUrl()}/${note.id}`, { text: 'changed' });
      assert.equal(patched.status, 404);
      assert.equal(patched.body.error.code, 'not_found');
      assert.equal((await clients[other].delete(`${notesUrl()}/${note.id}`)).status, 404);
    }
    const still = (await clients.prosecutor.get(notesUrl())).body.notes.find((n: { id: string }) => n.id === note.id);
    assert.equal(still.text, 'Только для меня');
    const audited = await sqlOf(server).all<{ actor: string; action: string }>("select actor, action from audit_log where target = ? and outcome = 'denied' order by id", note.id);
    assert.deepEqual(
      audited.map((a) => `${a.actor} ${a.action}`),
      ['office note.update', 'office note.delete', 'chair note.update', 'chair note.delete'],
    );
  });

  test('the author edits and deletes a note', async () => {
    const note = (await clients.office.post(notesUrl(), { documentId: document.id, page: 4, text: 'Черновик' })).body.note;
    const edited = await clients.office.patch(`${notesUrl()}/${note.id}`, { text: 'Исправлено', region: { x: 0.5, y: 0.5, w: 0.5, h: 0.5 } });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.note.text, 'Исправлено');
    assert.deepEqual(edited.body.note.region, { x: 0.5, y: 0.5, w: 0.5, h: 0.5 });
    assert.ok(edited.body.note.updatedAt >= note.updatedAt);
    const removed = await clients.office.delete(`${notesUrl()}/${note.id}`);
    assert.equal(removed.status, 204);
    assert.equal((await clients.office.get(notesUrl())).body.notes.length, 0);
    assert.equal((await clients.office.delete(`${notesUrl()}/${note.id}`)).status, 404);
  });

  test('users without access to the case get 403 (audited); writes without the CSRF token are refused', async () => {
    assert.equal((await clients.judge2.get(notesUrl())).status, 403);
    const refused = await clients.judge2.post(notesUrl(), { documentId: document.id, page: 1, text: 'x' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    const audited = await sqlOf(server).all<{ action: string }>("select action from audit_log where actor = 'judge2' and outcome = 'denied' and case_id = ? order by id", caseId);
    assert.deepEqual(
      audited.map((a) => a.action),
      ['note.list', 'note.create'],
    );

    const noCsrf = new ApiClient(server.url);
    await noCsrf.login('prosecutor');
    noCsrf.csrfToken = undefined;
    const response = await noCsrf.post(notesUrl(), { documentId: document.id, page: 1, text: 'x' });
    assert.equal(response.status, 403);
    assert.equal(response.body.error.code, 'csrf_invalid');
    assert.equal((await new ApiClient(server.url).get(notesUrl())).status, 401);
  });

  test('bad notes are refused with a clear error', async () => {
    const post = (body: unknown) => clients.prosecutor.post(notesUrl(), body);
    const cases: [unknown, number][] = [
      [{ documentId: document.id, page: 5, text: 'past the last page' }, 400],
      [{ documentId: document.id, page: 0, text: 'x' }, 400],
      [{ documentId: document.id, page: 1 }, 400],
      [{ documentId: document.id, page: 1, text: '   ' }, 400],
      [{ documentId: document.id, page: 1, region: { x: 0.8, y: 0, w: 0.5, h: 0.1 } }, 400],
      [{ documentId: document.id, page: 1, region: { x: 0.1, y: 0.1, w: 0, h: 0.1 } }, 400],
      [{ documentId: document.id, page: 1, region: { x: -0.1, y: 0, w: 0.5, h: 0.1 } }, 400],
      [{ documentId: document.id, page: 1, text: 'x'.repeat(4001) }, 400],
      [{ documentId: media.id, page: 1, text: 'a video has no pages' }, 404],
      [{ documentId: 'no-such-document', page: 1, text: 'x' }, 404],
    ];
    for (const [body, status] of cases) {
      const response = await post(body);
      assert.equal(response.status, status, JSON.stringify(body));
      assert.equal(response.body.error.code, status === 400 ? 'invalid_request' : 'not_found');
    }
    const note = (await post({ documentId: document.id, page: 1, text: 'x' })).body.note;
    assert.equal((await clients.prosecutor.patch(`${notesUrl()}/${note.id}`, {})).status, 400);
    assert.equal((await clients.prosecutor.patch(`${notesUrl()}/${note.id}`, { text: '' })).status, 400, 'nothing left of the note');
  });
});
