/**
 * The short protocol end to end: a real server, real SQLite, real sockets. A hearing run
 * by socket clients yields a protocol whose entries are the log's; the secretary's notes are seen
 * live by the judge and keep their edit history; the hearing is recorded from a real mediasoup
 * worker's synthetic microphone and camera; the secretary and then the judge sign the PDF in
 * "the browser" (the web app's signing module), after which nothing changes, and the protocol is
 * in the case file with both signatures and its recording (the hall mix, checked with ffprobe)
 * beside it. Every refusal is checked with the code a user would see.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { MEDIA_CODECS, SyntheticSources } from '../../media/src/recording/testing/synthetic-sources.ts';
import { resolveWorkerBin } from '../../media/worker/worker-bin.ts';
import { TextExtractor } from '../../server/src/case-text/text-extractor.ts';
import type { ProtocolView } from '../../server/src/shared/api/protocol.ts';
import { closeAll, dataOf, demoHearing, inStep, seedCaseFile, until, workstation, type CaseFile, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { addAddendum, makeProtocolPki, protocolPdf, signProtocol, type ProtocolPki } from '../helpers/protocol.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

function errorOf(answer: { data: unknown } | { error: { code: string } }): string {
  return 'error' in answer ? answer.error.code : 'ok';
}

/** The log's event types that become entries of the protocol (the rest are summed up by them or are signatures). */
const ENTRY_TYPES = new Set([
  'hearing.opened',
  'stage.changed',
  'break.started',
  'break.ended',
  'hearing.adjourned',
  'hearing.suspended',
  'hearing.ended',
  'attendance.recorded',
  'identity.established',
  'rights.explained',
  'mark.added',
  'presentation.ended',
  'motion.filed',
  'motion.taken_up',
  'motion.position_stated',
  'motion.ruled',
  'protocol.note_added',
  'recording.started',
  'recording.paused',
  'recording.resumed',
  'recording.stopped',
  'recording.gap_started',
  'recording.gap_ended',
]);

describe('the short protocol', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let file: CaseFile;
  let pki: ProtocolPki;
  let judge: Workstation;
  let secretary: Workstation;
  let prosecutor: Workstation;
  let worker: types.Worker;
  let room: SyntheticSources;
  const stations = () => [judge, secretary, prosecutor];
  const act = async (s: Workstation, name: string, payload: object) => dataOf(await s.follower.send(name as never, payload as never));
  const view = async (s: Workstation): Promise<ProtocolView> => {
    const answer = await s.api.get(`/api/hearings/${demo.hearingId}/protocol`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };

  before(async () => {
    pki = await makeProtocolPki(fs.mkdtempSync('/tmp/ezal-protocol-pki-'));
    server = await startTestServer({ ECASE_TRUST_ROOTS: pki.rootFile, PUBLIC_URL: 'https://court.test', RECORDING_SEGMENT_SECONDS: '2' });
    demo = await demoHearing(server.db);
    file = await seedCaseFile(server.db, demo.caseId);
    [judge, secretary, prosecutor] = await Promise.all(['judge', 'secretary', 'prosecutor'].map((u) => workstation(server.url, u, demo.hearingId)));
    await Promise.all(stations().map((s) => inStep(s)));
    worker = await mediasoup.createWorker({ workerBin: resolveWorkerBin(), logLevel: 'warn' });
    room = new SyntheticSources(await worker.createRouter({ mediaCodecs: MEDIA_CODECS }));
  });

  after(async () => {
    closeAll(stations());
    await server?.close();
    room?.close();
    worker?.close();
  });
  const segmentsInDb = async () => (await sqlOf(server).one<{ n: number }>('select count(*) as n from recording_segments'))!.n;

  test('a hearing run by socket clients: notes seen live by the judge, edits kept, entries matching the log', async () => {
    // Before the hearing opens there is nothing to note.
    assert.equal(errorOf(await secretary.follower.send('protocol:add-note', { text: 'Рано', startedAt: Date.now() })), 'invalid_transition');
    await act(judge, 'hearing:open', {});
    await act(secretary, 'attendance:record', { participantId: demo.participants.defendant, attendance: 'present' });
    await act(secretary, 'attendance:record', { participantId: demo.participants.victim, attendance: 'absent' });
    // Recording starts after the roll call: what came before has no recording time.
    await act(secretary, 'recording:start', {});
    // The hall's microphone and camera (as the hall's media room plugs in).
    await room.add('hall-mic-1', 'audio', 'Микрофон судьи');
    await room.add('hall-cam-1', 'video', 'Камера зала');
    await server.app.recording.attachRoom(demo.hearingId, room);
    await until(async () => (await segmentsInDb()) >= 2, 30_000);

    // Identities and rights: the secretary establishes the defendant's identity, the judge explains the rights.
    await act(secretary, 'participant:identify', { participantId: demo.participants.defendant, document: 'удостоверение личности № 012345678' });
    await act(judge, 'participant:explain-rights', { participantId: demo.participants.defendant });
    // Every workstation's replica comes to see both (broadcast, not the command's answer).
    for (const s of [judge, secretary]) await until(() => s.follower.replica.state?.identification?.[demo.participants.defendant]?.rightsExplained === true);
    assert.deepEqual(secretary.follower.replica.state?.identification?.[demo.participants.defendant], { identified: true, rightsExplained: true });
    assert.equal(errorOf(await secretary.follower.send('participant:explain-rights', { participantId: demo.participants.defendant })), 'invalid_transition', 'rights are explained once');
    assert.equal(errorOf(await secretary.follower.send('participant:identify', { participantId: demo.participants.victim })), 'participant_not_present', 'the victim is absent');
    assert.equal(errorOf(await prosecutor.follower.send('participant:identify', { participantId: demo.participants.defendant })), 'forbidden_action');
    assert.equal(errorOf(await secretary.follower.send('participant:identify', { participantId: 'nobody' })), 'not_found');
    assert.equal(errorOf(await secretary.follower.send('participant:identify', { participantId: demo.participants.defendant, document: 'x'.repeat(201) })), 'invalid_request');

    // The note is dated when the secretary began typing it, not when it was sent.
    const begun = Date.now() - 1500;
    await act(secretary, 'protocol:add-note', { text: 'Личность подсудимого установлена', speakerParticipantId: null, startedAt: begun });
    await until(() => (judge.follower.replica.state?.protocol?.notes.length ?? 0) === 1);
    const note = judge.follower.replica.state!.protocol!.notes[0];
    assert.equal(note.text, 'Личность подсудимого установлена');
    // (A start claimed before the opening, by a skewed clock, is moved to the opening.)
    assert.equal(note.at, Math.max(begun, judge.follower.replica.state!.openedAt!), 'the note keeps the moment typing began');

    // Only the secretary writes the protocol; nobody else, and no note about a stranger.
    assert.equal(errorOf(await prosecutor.follower.send('protocol:add-note', { text: 'Моя заметка', startedAt: Date.now() })), 'forbidden_action');
    assert.equal(errorOf(await judge.follower.send('protocol:edit-note', { noteId: note.id, text: 'Иначе' })), 'forbidden_action');
    assert.equal(errorOf(await secretary.follower.send('protocol:add-note', { text: 'Кто-то', speakerParticipantId: 'nobody', startedAt: Date.now() })), 'not_found');
    assert.equal(errorOf(await secretary.follower.send('protocol:add-note', { text: 'Из прошлого года', startedAt: Date.now() - 400 * 86_400_000 })), 'invalid_request');
    assert.equal(errorOf(await secretary.follower.send('protocol:add-note', { text: '<script>alert(1)</script>', startedAt: Date.now() })), 'text_unsafe');

    await act(secretary, 'protocol:edit-note', { noteId: note.id, text: 'Личность подсудимого установлена, права разъяснены', speakerParticipantId: demo.participants.defendant });
    await until(() => judge.follower.replica.state?.protocol?.notes[0].edits === 1);

    await act(judge, 'hearing:move-stage', { to: 'investigation' });
    await act(judge, 'floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } });
    await act(prosecutor, 'presenter:show', { documentId: file.expertOpinion, page: 2, zoom: 1 });
    await act(prosecutor, 'presenter:show', { documentId: file.expertOpinion, page: 3, zoom: 1 });
    await act(prosecutor, 'floor:end', {});
    await act(judge, 'hearing:start-break', { reason: 'Перерыв 10 минут' });
    await act(judge, 'hearing:end-break', {});
    await act(secretary, 'mark:add', { text: 'Отметка секретаря' });

    // Not before the hearing has ended: the protocol is signed once it is complete.
    assert.equal((await signProtocol(secretary.api, demo.hearingId, pki.secretary)).body.error.code, 'invalid_transition');
    await act(judge, 'hearing:adjourn', { reason: 'Неявка потерпевшей', nextDate: '2030-01-15' });
    // The adjournment stopped the recording; once its last segments are in, the hall mix is made.
    await until(() => server.app.recording.hallMix(demo.hearingId) !== null, 60_000);
    // Notes may still be added and edited until the secretary signs.
    await act(secretary, 'protocol:add-note', { text: 'Дата следующего заседания объявлена участникам', startedAt: Date.now() });

    const { protocol, status, you } = await view(secretary);
    assert.equal(status, 'draft');
    assert.deepEqual(you, { canEdit: true, signAs: 'secretary', canAddAddendum: false });
    const log = await sqlOf(server).all<{ version: number; type: string }>('select version, type from hearing_events where hearing_id = ? order by version', demo.hearingId);
    assert.deepEqual(
      protocol.entries.map((e) => e.version).sort((a, b) => a - b),
      log.filter((e) => ENTRY_TYPES.has(e.type)).map((e) => e.version),
      'one entry per event of the log that makes one',
    );
    const noteEntry = protocol.entries.find((e) => e.noteId === note.id)!;
    assert.equal(noteEntry.text, 'Личность подсудимого установлена, права разъяснены');
    assert.equal(noteEntry.edits, 1);
    assert.match(noteEntry.speaker ?? '', /Иванов Петр Сергеевич/);
    const presentation = protocol.entries.find((e) => e.type === 'presentation.ended');
    assert.match(presentation?.text ?? '', /^прокурор Сапаров Ерлан Маратович представил\(а\) \(до \d\d:\d\d:\d\d\): «[^»]+» \(т\. 2, л\.д\. \d+, \d+\)$/, 'who showed which document and sheets');
    assert.match(protocol.outcome, /Неявка потерпевшей/);
    // Recording times: none before the start; from the start on, they grow, and the break (recording paused) adds none.
    assert.equal(protocol.recording.recorded, true);
    const started = protocol.entries.find((e) => e.type === 'recording.started')!;
    assert.equal(started.recordingMs, 0);
    // The adjournment stopped it: the note added afterwards has no recording time either.
    const stopped = protocol.entries.find((e) => e.type === 'recording.stopped')!;
    for (const e of protocol.entries) {
      if (e.at < started.at || e.at > stopped.at) assert.equal(e.recordingMs, null, `${e.type} outside the recording`);
      else assert.notEqual(e.recordingMs, null, `${e.type} while recording`);
    }
    const recorded = protocol.entries.filter((e) => e.recordingMs !== null).map((e) => e.recordingMs!);
    assert.deepEqual(
      recorded,
      [...recorded].sort((a, b) => a - b),
    );
    assert.ok(protocol.entries.some((e) => e.type === 'recording.paused') && protocol.entries.some((e) => e.type === 'recording.resumed'), 'the break paused and resumed it');
    assert.deepEqual(protocol.absent, ['потерпевший Касымова Алия Нурлановна']);
    const identity = protocol.entries.find((e) => e.type === 'identity.established');
    assert.equal(identity?.text, 'Установлена личность: подсудимый Иванов Петр Сергеевич (удостоверение личности № 012345678)');
    const rights = protocol.entries.find((e) => e.type === 'rights.explained');
    assert.equal(rights?.text, 'подсудимый Иванов Петр Сергеевич: разъяснены процессуальные права и обязанности');
    assert.ok(identity!.recordingMs !== null && rights!.recordingMs! >= identity!.recordingMs!, 'both during the recording, in order');
    // The edit history is the log: both wordings are there.
    const wordings = (
      await sqlOf(server).all<{ payload: string }>("select payload from hearing_events where hearing_id = ? and type in ('protocol.note_added', 'protocol.note_edited')", demo.hearingId)
    ).map((r) => JSON.parse(r.payload).text);
    assert.ok(wordings.includes('Личность подсудимого установлена') && wordings.includes('Личность подсудимого установлена, права разъяснены'));
  });

  test('signing: the secretary, then the judge; every other attempt refused; then the protocol is in the case file', async () => {
    // Someone else's key, someone else signing, the judge first, a PDF of another version.
    assert.equal((await signProtocol(secretary.api, demo.hearingId, pki.prosecutor)).body.error.code, 'signer_mismatch');
    const foreign = await signProtocol(prosecutor.api, demo.hearingId, pki.prosecutor);
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.error.code, 'forbidden_action');
    assert.equal((await signProtocol(judge.api, demo.hearingId, pki.judge)).body.error.code, 'invalid_transition');
    const draft = await protocolPdf(secretary.api, demo.hearingId);
    assert.equal((await signProtocol(secretary.api, demo.hearingId, pki.secretary, { version: draft.version - 1 })).body.error.code, 'stale_version');

    const signed = await signProtocol(secretary.api, demo.hearingId, pki.secretary);
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    assert.equal(signed.body.status, 'signed_by_secretary');
    assert.equal(signed.body.frozenVersion, draft.version);
    await until(() => judge.follower.replica.state?.protocol?.status === 'signed_by_secretary');
    assert.equal((await view(judge)).you.signAs, 'judge');

    // Frozen: no more notes or edits, no second signature; the PDF is the one signed.
    const noteId = judge.follower.replica.state!.protocol!.notes[0].id;
    assert.equal(errorOf(await secretary.follower.send('protocol:edit-note', { noteId, text: 'Поправка' })), 'protocol_signed');
    assert.equal(errorOf(await secretary.follower.send('protocol:add-note', { text: 'Ещё', startedAt: Date.now() })), 'protocol_signed');
    assert.equal((await signProtocol(secretary.api, demo.hearingId, pki.secretary)).body.error.code, 'protocol_already_signed');
    const frozen = await protocolPdf(judge.api, demo.hearingId);
    assert.equal(frozen.sha256, draft.sha256, 'the judge is shown the very PDF the secretary signed');
    assert.equal(frozen.sha256, createHash('sha256').update(frozen.bytes).digest('hex'));

    assert.equal((await signProtocol(judge.api, demo.hearingId, pki.secretary)).body.error.code, 'signer_mismatch');
    const done = await signProtocol(judge.api, demo.hearingId, pki.judge);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.status, 'signed');
    assert.deepEqual(
      done.body.signatures.map((s: { by: string }) => s.by),
      ['secretary', 'judge'],
    );
    assert.equal((await signProtocol(judge.api, demo.hearingId, pki.judge)).body.error.code, 'protocol_already_signed');
    await until(() => secretary.follower.replica.state?.protocol?.status === 'signed');

    // In the case file: a new document, its bytes the signed PDF, with both signatures.
    const inventory = await judge.api.get(`/api/cases/${demo.caseId}/inventory`);
    const documents = inventory.body.volumes.flatMap((v: { documents: unknown[] }) => v.documents) as {
      id: string;
      sourceId: string;
      type: string;
      title: string;
      sha256: string;
      pages: number;
      sheetFrom: number;
      signatures: { signerIin: string }[];
    }[];
    const protocolDoc = documents.find((d) => d.sourceId === `protocol:${demo.hearingId}`)!;
    assert.ok(protocolDoc, 'the protocol is in the inventory');
    assert.equal(protocolDoc.id, done.body.documentId);
    assert.equal(protocolDoc.type, 'protocol');
    assert.equal(protocolDoc.sha256, draft.sha256);
    assert.deepEqual(protocolDoc.signatures.map((s) => s.signerIin).sort(), ['780315400123', '950201400789']);
    const content = await fetch(`${server.url}/api/cases/${demo.caseId}/documents/${protocolDoc.id}/content`, { headers: { cookie: judge.api.cookieHeader } });
    assert.equal(
      createHash('sha256')
        .update(new Uint8Array(await content.arrayBuffer()))
        .digest('hex'),
      draft.sha256,
    );

    // Beside it, attached to it, the hearing's recording: the hall mix of the whole recording, its bytes stored in the case file.
    const recordingDoc = inventory.body.volumes.flatMap((v: { documents: unknown[] }) => v.documents).find((d: { sourceId: string }) => d.sourceId === `protocol:${demo.hearingId}:recording`) as {
      id: string;
      kind: string;
      type: string;
      title: string;
      mimeType: string;
      durationSec: number;
      attachedTo: string;
      position: number;
      sha256: string;
      sheetFrom: number | null;
    };
    assert.ok(recordingDoc, 'the recording is in the inventory');
    assert.deepEqual(
      [recordingDoc.kind, recordingDoc.type, recordingDoc.mimeType, recordingDoc.attachedTo, recordingDoc.sheetFrom],
      ['media', 'video_record', 'video/webm', `protocol:${demo.hearingId}`, null],
    );
    assert.match(recordingDoc.title, /^Аудио-, видеозапись судебного заседания от \d\d\.\d\d\.\d{4}$/);
    assert.ok(recordingDoc.durationSec >= 2, `a recording of ${recordingDoc.durationSec} s`);
    assert.deepEqual(done.body.recording, { documentId: recordingDoc.id, title: recordingDoc.title, sha256: recordingDoc.sha256, durationSec: recordingDoc.durationSec });
    const media = await fetch(`${server.url}/api/cases/${demo.caseId}/documents/${recordingDoc.id}/content`, { headers: { cookie: judge.api.cookieHeader } });
    assert.equal(media.status, 200);
    const mediaBytes = new Uint8Array(await media.arrayBuffer());
    assert.equal(createHash('sha256').update(mediaBytes).digest('hex'), recordingDoc.sha256);
    const mediaFile = path.join(server.dataDir, 'filed-recording.webm');
    fs.writeFileSync(mediaFile, mediaBytes);
    const probe = await promisify(execFile)('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', mediaFile]);
    assert.deepEqual(probe.stdout.trim().split('\n').sort(), ['opus', 'vp8'], 'the hall microphone mixed, the hall camera');

    // What the PDF says, read back with pdf.js.
    const extractor = new TextExtractor();
    try {
      const text = (await extractor.extract(frozen.bytes)).join('\n').replace(/\s+/g, ' ');
      assert.match(text, /ПРОТОКОЛ СУДЕБНОГО ЗАСЕДАНИЯ/);
      assert.match(text, /Личность подсудимого установлена, права разъяснены/);
      assert.match(text, /Неявка потерпевшей/);
    } finally {
      await extractor.close();
    }

    // The sidecars follow the signed protocol.
    const json = await judge.api.get(`/api/hearings/${demo.hearingId}/protocol.json`);
    assert.equal(json.body.version, draft.version);
    const vtt = await judge.api.get(`/api/hearings/${demo.hearingId}/protocol.vtt`);
    assert.match(vtt.body, /^WEBVTT\n/);
  });

  test('a correction after signing is a new signed addendum in the case file, never an edit', async () => {
    // Only the secretary and the presiding judge write addenda.
    const foreign = await addAddendum(prosecutor.api, demo.hearingId, 'Исправление', pki.prosecutor);
    assert.equal(foreign.body.error.code, 'forbidden_action');
    assert.equal((await addAddendum(secretary.api, demo.hearingId, 'Исправление', pki.secretary, { number: 2 })).body.error.code, 'stale_version');
    assert.equal((await addAddendum(secretary.api, demo.hearingId, 'Исправление', pki.judge)).body.error.code, 'signer_mismatch');
    const text = 'В записи 10:01 вместо «права разъяснены» следует читать «права и обязанности разъяснены».';
    const added = await addAddendum(secretary.api, demo.hearingId, text, pki.secretary);
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.addenda.length, 1);
    assert.equal(added.body.status, 'signed', 'the protocol itself is unchanged');

    const inventory = await judge.api.get(`/api/cases/${demo.caseId}/inventory`);
    const documents = inventory.body.volumes.flatMap((v: { documents: unknown[] }) => v.documents) as {
      id: string;
      sourceId: string;
      attachedTo: string | null;
      title: string;
      signatures: { signerIin: string }[];
    }[];
    const addendum = documents.find((d) => d.id === added.body.addenda[0].documentId)!;
    assert.equal(addendum.sourceId, `protocol:${demo.hearingId}:addendum:1`);
    assert.equal(addendum.attachedTo, `protocol:${demo.hearingId}`);
    assert.deepEqual(
      addendum.signatures.map((s) => s.signerIin),
      ['950201400789'],
    );
    const content = await fetch(`${server.url}/api/cases/${demo.caseId}/documents/${addendum.id}/content`, { headers: { cookie: judge.api.cookieHeader } });
    const extractor = new TextExtractor();
    try {
      const pdfText = (await extractor.extract(new Uint8Array(await content.arrayBuffer()))).join('\n').replace(/\s+/g, ' ');
      assert.match(pdfText, /ДОПОЛНЕНИЕ № 1 к протоколу судебного заседания/);
      assert.ok(pdfText.includes(text), pdfText);
      assert.ok(pdfText.includes((await view(judge)).signatures[0].sha256), 'it names the protocol it corrects by its hash');
    } finally {
      await extractor.close();
    }
  });
});
