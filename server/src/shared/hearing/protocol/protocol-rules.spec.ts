/** The hearing's rules for the short protocol (hearing-rules.ts, block "The short protocol"), without a server. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../errors.ts';
import type { DecisionContext } from '../core.ts';
import { decide, type HearingCommand } from '../rules.ts';
import type { ProtocolSignature } from './protocol.ts';
import { applyEvent, initialLiveState, type HearingEvent, type HearingLiveState } from '../state.ts';

const JUDGE = 'u-judge';
const SECRETARY = 'u-secretary';
const OPENED = 100_000;

function context(state: HearingLiveState, actor: string, now = OPENED + 60_000): DecisionContext {
  return {
    state,
    actor: { userId: actor, fullName: actor, participantId: null },
    presidingJudgeId: JUDGE,
    secretaryId: SECRETARY,
    now,
    participant: async (id) => (id === 'p1' ? { id: 'p1', role: 'defendant', fullName: 'Подсудимый', userId: null } : undefined),
    fullNameOf: async () => 'Судья',
    document: async () => undefined,
    // As the server looks a note up: the note as the state holds it after the events so far.
    protocolNote: async (id) => state.protocol?.notes.find((n) => n.id === id),
    shownDuring: async () => [],
    newId: () => 'note-1',
    recordingSources: () => 0,
  };
}

/** Applies what `command` decides, as the service would. */
async function run(state: HearingLiveState, actor: string, command: HearingCommand, now?: number): Promise<HearingLiveState> {
  return (await decide(command, context(state, actor, now))).reduce(
    (s, body) => applyEvent(s, { ...body, hearingId: 'h', version: s.version + 1, at: now ?? OPENED + 60_000, actor: { userId: actor, fullName: actor, role: 'secretary' } } as HearingEvent),
    state,
  );
}

async function codeOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return 'ok';
}

const opened = () => run(initialLiveState({ version: 0, status: 'scheduled', stage: null }), JUDGE, { type: 'open' }, OPENED);
const signature = (by: 'secretary' | 'judge', sha256 = 'pdf'): ProtocolSignature => ({
  by,
  userId: by === 'secretary' ? SECRETARY : JUDGE,
  fullName: by,
  sha256,
  signatureSha256: `sig-${by}`,
  at: 1,
  signer: { signerName: by, signerIin: '1', issuer: 'CA', serialNumber: '1', signingTime: null, validFrom: '', validTo: '' },
});

test('a note is the secretary’s, timed when typing began, clamped to the opening and now', async () => {
  let state = await opened();
  assert.equal(await codeOf(async () => decide({ type: 'add_protocol_note', text: 'x', speakerParticipantId: null, startedAt: OPENED }, context(state, JUDGE))), 'forbidden_action');
  state = await run(state, SECRETARY, { type: 'add_protocol_note', text: 'Личность установлена', speakerParticipantId: 'p1', startedAt: OPENED + 30_000 });
  assert.deepEqual(state.protocol?.notes, [{ id: 'note-1', at: OPENED + 30_000, text: 'Личность установлена', speakerParticipantId: 'p1', edits: 0 }]);
  // A clock a little behind or ahead is corrected; far off is refused.
  const [early] = await decide({ type: 'add_protocol_note', text: 'x', speakerParticipantId: null, startedAt: OPENED - 5_000 }, context(state, SECRETARY));
  assert.equal((early.payload as { startedAt: number }).startedAt, OPENED);
  assert.equal(await codeOf(async () => decide({ type: 'add_protocol_note', text: 'x', speakerParticipantId: null, startedAt: OPENED - 3_600_000 }, context(state, SECRETARY))), 'invalid_request');
  assert.equal(await codeOf(async () => decide({ type: 'add_protocol_note', text: 'x', speakerParticipantId: 'nobody', startedAt: OPENED }, context(state, SECRETARY))), 'not_found');
});

test('an edit keeps the note’s moment and counts; an edit that changes nothing is no event', async () => {
  let state = await run(await opened(), SECRETARY, { type: 'add_protocol_note', text: 'a', speakerParticipantId: null, startedAt: OPENED + 1 });
  state = await run(state, SECRETARY, { type: 'edit_protocol_note', noteId: 'note-1', text: 'b', speakerParticipantId: 'p1' });
  assert.deepEqual(state.protocol?.notes[0], { id: 'note-1', at: OPENED + 1, text: 'b', speakerParticipantId: 'p1', edits: 1 });
  assert.deepEqual(await decide({ type: 'edit_protocol_note', noteId: 'note-1', text: 'b', speakerParticipantId: 'p1' }, context(state, SECRETARY)), []);
  assert.equal(await codeOf(async () => decide({ type: 'edit_protocol_note', noteId: 'nope', text: 'b', speakerParticipantId: null }, context(state, SECRETARY))), 'not_found');
});

test('signing: after the end, the secretary then the judge over the same PDF; then frozen', async () => {
  let state = await run(await opened(), SECRETARY, { type: 'add_protocol_note', text: 'a', speakerParticipantId: null, startedAt: OPENED + 1 });
  const sign = (by: 'secretary' | 'judge', frozenVersion: number, sha = 'pdf') => ({
    type: 'sign_protocol' as const,
    signature: signature(by, sha),
    frozenVersion,
    documentId: by === 'judge' ? 'doc-1' : null,
  });
  assert.equal(await codeOf(async () => decide(sign('secretary', state.version), context(state, SECRETARY))), 'invalid_transition', 'not while sitting');
  state = await run(state, JUDGE, { type: 'adjourn', reason: 'r', nextDate: null });
  assert.equal(await codeOf(async () => decide(sign('judge', state.version), context(state, JUDGE))), 'invalid_transition', 'the secretary first');
  assert.equal(await codeOf(async () => decide(sign('secretary', state.version - 1), context(state, SECRETARY))), 'stale_version');
  assert.equal(await codeOf(async () => decide(sign('secretary', state.version), context(state, JUDGE))), 'forbidden_action');
  const frozen = state.version;
  state = await run(state, SECRETARY, sign('secretary', frozen));
  assert.equal(state.protocol?.status, 'signed_by_secretary');
  assert.equal(state.protocol?.frozenVersion, frozen);
  assert.equal(await codeOf(async () => decide(sign('secretary', frozen), context(state, SECRETARY))), 'protocol_already_signed');
  assert.equal(await codeOf(async () => decide({ type: 'edit_protocol_note', noteId: 'note-1', text: 'c', speakerParticipantId: null }, context(state, SECRETARY))), 'protocol_signed');
  assert.equal(await codeOf(async () => decide({ type: 'add_protocol_note', text: 'c', speakerParticipantId: null, startedAt: OPENED + 2 }, context(state, SECRETARY))), 'protocol_signed');
  assert.equal(await codeOf(async () => decide(sign('judge', frozen, 'another pdf'), context(state, JUDGE))), 'invalid_request');
  assert.equal(await codeOf(async () => decide(sign('judge', frozen), context(state, SECRETARY))), 'forbidden_action');
  state = await run(state, JUDGE, sign('judge', frozen));
  assert.equal(state.protocol?.status, 'signed');
  assert.equal(state.protocol?.documentId, 'doc-1');
  assert.equal(await codeOf(async () => decide(sign('judge', frozen), context(state, JUDGE))), 'protocol_already_signed');
});
