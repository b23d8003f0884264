/**
 * A long day in the hall: after 2,000 notes of the secretary, a command still writes
 * what it changes — the 2,001st note costs the disk what the first did, and the stored live state
 * is as small as on a fresh hearing — while every screen still gets the whole picture: a
 * workstation joining gets every note in order, an edit of the day's first note is decided and
 * seen, and the protocol is built with every note. A real server, real SQLite, real sockets.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { ProtocolView } from '../../server/src/shared/api/protocol.ts';
import { closeAll, dataOf, demoHearing, inStep, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const NOTES = 2_000;
/** Notes in flight at once while the day is seeded (one socket: the server takes them one after another). */
const IN_FLIGHT = 20;
const TEXT = 'Свидетель пояснил, что видел подсудимого у дома № 12 около 21:00 и узнал его по куртке и походке';
/** What one note may write to the disk: its row, its event, the small state and the hearing's row, with room for B-tree page splits. */
const NOTE_WRITE_LIMIT = 96 * 1024;

describe('a long hearing: a command costs what it changes', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let judge: Workstation;
  let secretary: Workstation;
  const stations: Workstation[] = [];

  const storedStateBytes = () => (server.sqlite!.prepare('select length(cast(state as blob)) as bytes from hearing_states where hearing_id = ?').get(demo.hearingId) as { bytes: number }).bytes;
  /** Bytes `act` makes the server write to the WAL (the WAL is emptied first; nothing else writes meanwhile). */
  const walBytesOf = async (act: () => Promise<unknown>) => {
    const [emptied] = server.sqlite!.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    assert.equal(emptied.busy, 0, 'the WAL was emptied before the command');
    await act();
    return fs.statSync(`${server.sqlite!.name}-wal`).size;
  };
  const addNote = (i: number) =>
    secretary.follower.send('protocol:add-note', { text: `${TEXT} (${i})`, speakerParticipantId: i % 3 === 0 ? demo.participants.defendant : null, startedAt: Date.now() });
  const join = async (username: string) => {
    const station = await workstation(server.url, username, demo.hearingId);
    stations.push(station);
    await inStep(station);
    return station;
  };

  before(async () => {
    // The day is seeded at machine speed, far beyond the pace of a person that SOCKET_COMMAND_RATE is set for.
    // On SQLite whatever EZAL_TEST_DATABASE says: the first test measures the SQLite file's WAL and
    // the stored state's bytes in it, and the others follow on from its 2,001 notes.
    server = await startTestServer({ SOCKET_COMMAND_RATE: '100000' }, { dialect: 'sqlite' });
    demo = await demoHearing(server.db);
    judge = await join('judge');
    secretary = await join('secretary');
    dataOf(await judge.follower.send('hearing:open', {}));
  });

  after(async () => {
    closeAll(stations);
    await server?.close();
  });

  test('the 2,001st note writes no more than a note on a fresh hearing, and the stored state does not grow', async () => {
    const firstWrites = await walBytesOf(async () => dataOf(await addNote(1)));
    const firstState = storedStateBytes();
    for (let i = 2; i <= NOTES; i += IN_FLIGHT) {
      const batch = Array.from({ length: Math.min(IN_FLIGHT, NOTES - i + 1) }, (_, k) => addNote(i + k));
      for (const answer of await Promise.all(batch)) dataOf(answer);
    }
    const lastWrites = await walBytesOf(async () => dataOf(await addNote(NOTES + 1)));
    const lastState = storedStateBytes();

    // Rewriting every note with the state would be over half a megabyte by now.
    assert.ok(lastWrites <= NOTE_WRITE_LIMIT, `the 2,001st note wrote ${lastWrites} bytes (the first: ${firstWrites})`);
    // The same state but for its version's digits.
    assert.ok(lastState <= firstState + 8, `the stored state grew from ${firstState} to ${lastState} bytes`);
    await secretary.follower.reached(dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' })).version);
    assert.equal(secretary.follower.replica.state?.protocol?.notes.length, NOTES + 1, 'the secretary’s screen followed every note');
  });

  test('a workstation joining gets every note, in order, as the screens that followed them hold them', async () => {
    const office = await join('office');
    const notes = office.follower.replica.state?.protocol?.notes ?? [];
    assert.equal(notes.length, NOTES + 1);
    assert.deepEqual(notes, secretary.follower.replica.state?.protocol?.notes);
    assert.deepEqual(
      notes.slice(0, 3).map((n) => n.text),
      [1, 2, 3].map((i) => `${TEXT} (${i})`),
    );
    // And the whole picture is the one the screens that followed the day hold.
    assert.deepEqual(office.follower.replica.state, judge.follower.replica.state);
  });

  test('the day’s first note can still be corrected, a note nobody wrote cannot; everyone and the protocol see the correction', async () => {
    const first = secretary.follower.replica.state!.protocol!.notes[0];
    const missing = await secretary.follower.send('protocol:edit-note', { noteId: '00000000-0000-4000-8000-000000000000', text: 'Поправка' });
    assert.equal('error' in missing && missing.error.code, 'not_found');
    // Unchanged wording and speaker: nothing to record.
    const unchanged = secretary.follower.replica.version!;
    assert.equal(dataOf(await secretary.follower.send('protocol:edit-note', { noteId: first.id, text: first.text, speakerParticipantId: first.speakerParticipantId })).version, unchanged);

    const corrected = 'Свидетель пояснил, что видел подсудимого у дома № 14';
    const { version } = dataOf(await secretary.follower.send('protocol:edit-note', { noteId: first.id, text: corrected, speakerParticipantId: demo.participants.witness }));
    await judge.follower.reached(version);
    assert.deepEqual(judge.follower.replica.state?.protocol?.notes[0], { ...first, text: corrected, speakerParticipantId: demo.participants.witness, edits: 1 });

    const late = await join('office');
    assert.deepEqual(late.follower.replica.state?.protocol?.notes, judge.follower.replica.state?.protocol?.notes, 'a late joiner sees the correction');

    const answer = await judge.api.get(`/api/hearings/${demo.hearingId}/protocol`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const entries = (answer.body as ProtocolView).protocol.entries.filter((e) => e.source === 'note');
    assert.equal(entries.length, NOTES + 1, 'the protocol has every note');
    const entry = entries.find((e) => e.noteId === first.id)!;
    assert.equal(entry.text, corrected);
    assert.equal(entry.edits, 1);
  });
});
