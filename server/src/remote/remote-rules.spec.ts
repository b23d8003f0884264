/**
 * The rules of remote participation, decided like every hearing step: who invites, admits,
 * refuses, sends back to the lobby and mutes; the participant's own steps; the lobby's order.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../http/errors.ts';
import { decide, type DecisionContext, type HearingCommand } from '../hearings/hearing-rules.ts';
import { applyEvent, initialLiveState, type HearingEvent, type HearingLiveState } from '../hearings/hearing-state.ts';

const JUDGE = 'u-judge';
const SECRETARY = 'u-secretary';
const WITNESS = 'p-witness';

function context(state: HearingLiveState, actor: string, remoteParticipantId: string | null = null): DecisionContext {
  return {
    state,
    actor: { userId: actor, fullName: actor },
    presidingJudgeId: JUDGE,
    secretaryId: SECRETARY,
    now: 1_000,
    participant: (id) => (id === WITNESS ? { id, role: 'witness', fullName: 'Свидетель', userId: null } : undefined),
    fullNameOf: () => '?',
    document: () => undefined,
    shownDuring: () => [],
    newId: () => 'x',
    remoteParticipantId,
    recordingSources: () => 0,
  };
}

/** Applies a command's events to the state (or throws the refusal). */
function step(state: HearingLiveState, command: HearingCommand, actor: string, remote: string | null = null): HearingLiveState {
  let next = state;
  for (const body of decide(command, context(state, actor, remote))) {
    next = applyEvent(next, { ...body, hearingId: 'h', version: next.version + 1, at: 1_000, actor: { userId: actor, fullName: actor, role: 'secretary' } } as HearingEvent);
  }
  return next;
}

function refusedWith(code: string, run: () => unknown): void {
  assert.throws(run, (error: unknown) => error instanceof AppError && error.code === code);
}

const invited = () => step(initialLiveState({ version: 0, status: 'scheduled', stage: null }), { type: 'invite_remote', participantId: WITNESS, expiresAt: 2_000, channels: ['sms'] }, SECRETARY);

describe('remote participation rules', () => {
  test('the secretary or the judge invites a case participant; nobody else, and nobody outside the case', () => {
    assert.equal(invited().remote?.[WITNESS]?.status, 'invited');
    const empty = initialLiveState({ version: 0, status: 'scheduled', stage: null });
    refusedWith('forbidden_action', () => step(empty, { type: 'invite_remote', participantId: WITNESS, expiresAt: 2_000, channels: [] }, 'u-prosecutor'));
    refusedWith('not_found', () => step(empty, { type: 'invite_remote', participantId: 'p-other', expiresAt: 2_000, channels: [] }, JUDGE));
  });

  test('only the participant themself arrives in the lobby; admitted from the lobby only, by the judge or the secretary', () => {
    const state = invited();
    refusedWith('forbidden_action', () => step(state, { type: 'remote_arrive', participantId: WITNESS }, SECRETARY));
    refusedWith('forbidden_action', () => step(state, { type: 'remote_arrive', participantId: WITNESS }, '', 'p-someone-else'));
    refusedWith('invalid_transition', () => step(state, { type: 'admit_remote', participantId: WITNESS }, JUDGE));
    const lobby = step(state, { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS);
    assert.equal(lobby.remote?.[WITNESS]?.status, 'lobby');
    refusedWith('forbidden_action', () => step(lobby, { type: 'admit_remote', participantId: WITNESS }, '', WITNESS));
    const live = step(lobby, { type: 'admit_remote', participantId: WITNESS }, SECRETARY);
    assert.equal(live.remote?.[WITNESS]?.status, 'live');
  });

  test('the presiding judge sends a witness back to the lobby and calls them again; the secretary cannot send back', () => {
    const live = step(step(invited(), { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS), { type: 'admit_remote', participantId: WITNESS }, JUDGE);
    refusedWith('forbidden_action', () => step(live, { type: 'send_remote_to_lobby', participantId: WITNESS }, SECRETARY));
    const back = step(live, { type: 'send_remote_to_lobby', participantId: WITNESS }, JUDGE);
    assert.equal(back.remote?.[WITNESS]?.status, 'lobby');
    assert.equal(step(back, { type: 'admit_remote', participantId: WITNESS }, JUDGE).remote?.[WITNESS]?.status, 'live');
  });

  test('a refused participant cannot come back to the lobby', () => {
    const lobby = step(invited(), { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS);
    const refused = step(lobby, { type: 'refuse_remote', participantId: WITNESS }, JUDGE);
    assert.equal(refused.remote?.[WITNESS]?.status, 'refused');
    refusedWith('forbidden', () => step(refused, { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS));
  });

  test('muting: the judge or the secretary, anyone; muting twice changes nothing', () => {
    const target = { userId: null, participantId: WITNESS, fullName: 'Свидетель' };
    const muted = step(invited(), { type: 'mute', target, muted: true }, SECRETARY);
    assert.deepEqual(muted.mutedByCourt, [`participant:${WITNESS}`]);
    assert.deepEqual(decide({ type: 'mute', target, muted: true }, context(muted, JUDGE)), []);
    refusedWith('forbidden_action', () => step(muted, { type: 'mute', target, muted: false }, '', WITNESS));
    assert.deepEqual(step(muted, { type: 'mute', target, muted: false }, JUDGE).mutedByCourt, []);
  });

  test('nothing happens in a hearing that is over', () => {
    const over = { ...invited(), status: 'finished' as const };
    refusedWith('invalid_transition', () => step(over, { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS));
  });
});
