import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HearingSync } from './events.ts';
import { initialLiveState, type HearingEvent, type HearingSnapshot } from '../hearing/state.ts';
import { HearingReplica, KEPT_EVENTS } from './hearing-replica.ts';

const actor = { userId: 'u-secretary', fullName: 'Секретарь', role: 'secretary' as const };

/** Attendance of participant `p<version>` recorded at version `version`: each event leaves its own trace. */
const event = (version: number): HearingEvent => ({
  hearingId: 'h1',
  version,
  at: 1_000 + version,
  actor,
  type: 'attendance.recorded',
  payload: { participantId: `p${version}`, attendance: 'present', previous: null },
});

const snapshotAt = (version: number, serverTime = 50_000): HearingSync => ({
  kind: 'snapshot',
  snapshot: {
    hearing: { id: 'h1' } as HearingSnapshot['hearing'],
    state: { ...initialLiveState({ version, status: 'in_progress', stage: 'preparatory' }), openedAt: 40_000, attendance: attendanceUpTo(version) },
    recentEvents: version > 0 ? [event(version)] : [],
    you: { userId: 'u-judge', role: 'presiding_judge', participantId: null },
    serverTime,
  },
});
const eventsFrom = (from: number, to: number): HearingSync => ({
  kind: 'events',
  hearingId: 'h1',
  events: Array.from({ length: to - from + 1 }, (_, i) => event(from + i)),
  serverTime: 50_000,
});
function attendanceUpTo(version: number): Record<string, 'present'> {
  return Object.fromEntries(Array.from({ length: version }, (_, i) => [`p${i + 1}`, 'present' as const]));
}

test('events apply in version order; duplicates are ignored', () => {
  const replica = new HearingReplica();
  replica.sync(snapshotAt(3), 0);
  assert.equal(replica.receive(event(4)), 'applied');
  assert.equal(replica.receive(event(4)), 'duplicate');
  assert.equal(replica.receive(event(2)), 'duplicate');
  assert.equal(replica.version, 4);
  assert.deepEqual(replica.state!.attendance, attendanceUpTo(4));
  assert.deepEqual(
    replica.events.map((e) => e.version),
    [3, 4],
  );
});

test('a missing version is a gap: later events are held until the resync fills it', () => {
  const replica = new HearingReplica();
  replica.sync(snapshotAt(3), 0);
  assert.equal(replica.receive(event(5)), 'gap');
  assert.equal(replica.receive(event(6)), 'gap');
  assert.equal(replica.version, 3, 'nothing applied out of order');
  assert.equal(replica.hasGap, true);

  // The resync answers with what was missed (and some of what is already held).
  assert.equal(replica.sync(eventsFrom(4, 5), 0), false, 'no gap remains');
  assert.equal(replica.version, 6, 'the held event 6 follows on');
  assert.deepEqual(replica.state!.attendance, attendanceUpTo(6));
});

test('a gap that a resync leaves open is reported, so the caller asks again', () => {
  const replica = new HearingReplica();
  replica.sync(snapshotAt(3), 0);
  replica.receive(event(7));
  assert.equal(replica.sync(eventsFrom(4, 5), 0), true);
  assert.equal(replica.version, 5);
  assert.equal(replica.sync(eventsFrom(6, 6), 0), false);
  assert.equal(replica.version, 7);
});

test('events that arrive before the first snapshot wait for it; those it already covers are dropped', () => {
  const replica = new HearingReplica();
  assert.equal(replica.receive(event(4)), 'waiting');
  assert.equal(replica.receive(event(5)), 'waiting');
  assert.equal(replica.state, null);
  assert.equal(replica.sync(snapshotAt(4), 0), false);
  assert.equal(replica.version, 5);
  assert.deepEqual(replica.state!.attendance, attendanceUpTo(5));
});

test('a snapshot replaces everything, even a state that was ahead (another server, restored from backup)', () => {
  const replica = new HearingReplica();
  replica.sync(snapshotAt(9), 0);
  replica.sync(snapshotAt(2), 0);
  assert.equal(replica.version, 2);
  assert.deepEqual(replica.state!.attendance, attendanceUpTo(2));
});

test('the running clock follows the server’s time, whatever the device’s clock says', () => {
  const replica = new HearingReplica();
  assert.equal(replica.clock(0), null);
  // The device's clock is 20 s behind the server's: the snapshot says 50 000 when the device says 30 000.
  replica.sync(snapshotAt(1, 50_000), 30_000);
  assert.equal(replica.clock(30_000), 10_000, 'opened at 40 000 server time');
  assert.equal(replica.clock(35_000), 15_000);
});

test('a replica keeps the latest events, not all of them; each change gives readers a new list', () => {
  const replica = new HearingReplica();
  replica.sync(snapshotAt(0), 0);
  for (let v = 1; v <= 3 * KEPT_EVENTS; v++) replica.receive(event(v));
  const kept = replica.events;
  assert.ok(kept.length >= KEPT_EVENTS && kept.length < 2 * KEPT_EVENTS, `${kept.length} kept`);
  assert.equal(kept.at(-1)!.version, 3 * KEPT_EVENTS);
  assert.deepEqual(
    kept.map((e) => e.version),
    kept.map((_, i) => 3 * KEPT_EVENTS - kept.length + 1 + i),
    'the newest, in order, without a hole',
  );
  assert.equal(replica.events, kept, 'the same list while nothing changes');
  replica.receive(event(3 * KEPT_EVENTS + 1));
  assert.notEqual(replica.events, kept);
  assert.equal(kept.at(-1)!.version, 3 * KEPT_EVENTS, 'a list handed out is never changed afterwards');
});
