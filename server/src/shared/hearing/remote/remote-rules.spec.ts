/**
 * The rules of remote participation, decided like every hearing step: who invites, admits,
 * refuses, sends back to the lobby and mutes; the participant's own steps; the lobby's order.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../errors.ts';
import type { DecisionContext } from '../core.ts';
import { decide, type HearingCommand } from '../rules.ts';
import type { HearingMotion } from '../motions/motions.ts';
import { applyEvent, initialLiveState, type HearingEvent, type HearingLiveState } from '../state.ts';
import { testDecisionContext } from '../testing-context.ts';

const JUDGE = 'u-judge';
const SECRETARY = 'u-secretary';
const WITNESS = 'p-witness';
const DEFENDANT = 'p-defendant';

function context(state: HearingLiveState, actor: string, remoteParticipantId: string | null = null, system = false): DecisionContext {
  return testDecisionContext(state, actor, {
    system,
    presidingJudgeId: JUDGE,
    secretaryId: SECRETARY,
    participant: async (id) =>
      id === WITNESS ? { id, role: 'witness', fullName: 'Свидетель', userId: null } : id === DEFENDANT ? { id, role: 'defendant', fullName: 'Подсудимый', userId: null } : undefined,
    remoteParticipantId,
  });
}

/** Applies a command's events to the state (or rejects with the refusal). */
async function step(state: HearingLiveState, command: HearingCommand, actor: string, remote: string | null = null): Promise<HearingLiveState> {
  let next = state;
  for (const body of await decide(command, context(state, actor, remote))) {
    next = applyEvent(next, { ...body, hearingId: 'h', version: next.version + 1, at: 1_000, actor: { userId: actor, fullName: actor, role: 'secretary' } } as HearingEvent);
  }
  return next;
}

/** The server itself (HearingsService.executeAsSystem): no user, no seat. */
async function systemStep(state: HearingLiveState, command: HearingCommand): Promise<HearingLiveState> {
  let next = state;
  for (const body of await decide(command, context(state, '', null, true))) {
    next = applyEvent(next, { ...body, hearingId: 'h', version: next.version + 1, at: 1_000, actor: { userId: '', fullName: '', role: 'system' } } as HearingEvent);
  }
  return next;
}

async function refusedWith(code: string, run: () => Promise<unknown>): Promise<void> {
  await assert.rejects(
    async () => run(),
    (error: unknown) => error instanceof AppError && error.code === code,
  );
}

const invited = () => step(initialLiveState({ version: 0, status: 'scheduled', stage: null }), { type: 'invite_remote', participantId: WITNESS, expiresAt: 2_000, channels: ['sms'] }, SECRETARY);

describe('remote participation rules', () => {
  test('the secretary or the judge invites a case participant; nobody else, and nobody outside the case', async () => {
    assert.equal((await invited()).remote?.[WITNESS]?.status, 'invited');
    const empty = initialLiveState({ version: 0, status: 'scheduled', stage: null });
    await refusedWith('forbidden_action', () => step(empty, { type: 'invite_remote', participantId: WITNESS, expiresAt: 2_000, channels: [] }, 'u-prosecutor'));
    await refusedWith('not_found', () => step(empty, { type: 'invite_remote', participantId: 'p-other', expiresAt: 2_000, channels: [] }, JUDGE));
  });

  test('only the participant themself arrives in the lobby; admitted from the lobby only, by the judge or the secretary', async () => {
    const state = await invited();
    await refusedWith('forbidden_action', () => step(state, { type: 'remote_arrive', participantId: WITNESS }, SECRETARY));
    await refusedWith('forbidden_action', () => step(state, { type: 'remote_arrive', participantId: WITNESS }, '', 'p-someone-else'));
    await refusedWith('invalid_transition', () => step(state, { type: 'admit_remote', participantId: WITNESS }, JUDGE));
    const lobby = await step(state, { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS);
    assert.equal(lobby.remote?.[WITNESS]?.status, 'lobby');
    await refusedWith('forbidden_action', () => step(lobby, { type: 'admit_remote', participantId: WITNESS }, '', WITNESS));
    const live = await step(lobby, { type: 'admit_remote', participantId: WITNESS }, SECRETARY);
    assert.equal(live.remote?.[WITNESS]?.status, 'live');
  });

  test('the presiding judge sends a witness back to the lobby and calls them again; the secretary cannot send back', async () => {
    const live = await step(await step(await invited(), { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS), { type: 'admit_remote', participantId: WITNESS }, JUDGE);
    await refusedWith('forbidden_action', () => step(live, { type: 'send_remote_to_lobby', participantId: WITNESS }, SECRETARY));
    const back = await step(live, { type: 'send_remote_to_lobby', participantId: WITNESS }, JUDGE);
    assert.equal(back.remote?.[WITNESS]?.status, 'lobby');
    assert.equal((await step(back, { type: 'admit_remote', participantId: WITNESS }, JUDGE)).remote?.[WITNESS]?.status, 'live');
  });

  test('a refused participant cannot come back to the lobby', async () => {
    const lobby = await step(await invited(), { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS);
    const refused = await step(lobby, { type: 'refuse_remote', participantId: WITNESS }, JUDGE);
    assert.equal(refused.remote?.[WITNESS]?.status, 'refused');
    await refusedWith('forbidden', () => step(refused, { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS));
  });

  test('muting: the judge or the secretary, anyone; muting twice changes nothing', async () => {
    const target = { userId: null, participantId: WITNESS, fullName: 'Свидетель' };
    const muted = await step(await invited(), { type: 'mute', target, muted: true }, SECRETARY);
    assert.deepEqual(muted.mutedByCourt, [`participant:${WITNESS}`]);
    assert.deepEqual(await decide({ type: 'mute', target, muted: true }, context(muted, JUDGE)), []);
    await refusedWith('forbidden_action', () => step(muted, { type: 'mute', target, muted: false }, '', WITNESS));
    assert.deepEqual((await step(muted, { type: 'mute', target, muted: false }, JUDGE)).mutedByCourt, []);
  });

  test('nothing happens in a hearing that is over', async () => {
    const over = { ...(await invited()), status: 'finished' as const };
    await refusedWith('invalid_transition', () => step(over, { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS));
  });

  // ---- presence: lost connections, a restart, inviting again ----
  test('the server records a participant in the lobby or the hearing as disconnected; nobody else may', async () => {
    const lost: HearingCommand & { type: 'remote_disconnect' } = { type: 'remote_disconnect', participantId: WITNESS, reason: 'connection_lost' };
    const lobby = await step(await invited(), { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS);
    const live = await step({ ...lobby, status: 'in_progress' }, { type: 'admit_remote', participantId: WITNESS }, JUDGE);
    for (const state of [lobby, live]) assert.equal((await systemStep(state, lost)).remote?.[WITNESS]?.status, 'disconnected');
    await refusedWith('forbidden_action', () => step(live, lost, JUDGE));
    await refusedWith('forbidden_action', () => step(live, lost, '', WITNESS));
    // Not there: nothing to record (invited, refused, left, already gone, the hearing over).
    assert.deepEqual(await decide(lost, context(await invited(), '', null, true)), []);
    assert.deepEqual(await decide(lost, context(await systemStep(live, lost), '', null, true)), []);
    assert.deepEqual(await decide(lost, context({ ...live, status: 'finished' }, '', null, true)), []);
    const body = await decide({ ...lost, reason: 'server_restarted' }, context(live, '', null, true));
    assert.deepEqual(body, [{ type: 'remote.disconnected', payload: { participantId: WITNESS, reason: 'server_restarted' } }]);
  });

  test('a new invitation waits while the participant is in the lobby or the hearing; once gone, they are invited again and come back through the lobby', async () => {
    const invite: HearingCommand = { type: 'invite_remote', participantId: WITNESS, expiresAt: 3_000, channels: [] };
    const lobby = await step(await invited(), { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS);
    const live = await step(lobby, { type: 'admit_remote', participantId: WITNESS }, JUDGE);
    await refusedWith('invalid_transition', () => step(lobby, invite, SECRETARY));
    await refusedWith('invalid_transition', () => step(live, invite, SECRETARY));
    const gone = await systemStep(live, { type: 'remote_disconnect', participantId: WITNESS, reason: 'connection_lost' });
    const again = await step(gone, invite, SECRETARY);
    assert.equal(again.remote?.[WITNESS]?.status, 'invited');
    const back = await step(again, { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS);
    assert.equal((await step(back, { type: 'admit_remote', participantId: WITNESS }, JUDGE)).remote?.[WITNESS]?.status, 'live');
    // Left by themself, too.
    const left = await step(live, { type: 'remote_leave', participantId: WITNESS }, '', WITNESS);
    assert.equal((await step(left, invite, SECRETARY)).remote?.[WITNESS]?.status, 'invited');
  });

  test('admitted by video is appearing by video, unless the secretary recorded otherwise; leaving does not undo it', async () => {
    const lobby = await step(await invited(), { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS);
    const live = await step(lobby, { type: 'admit_remote', participantId: WITNESS }, JUDGE);
    assert.equal(live.attendance[WITNESS], 'remote');
    assert.equal((await systemStep(live, { type: 'remote_disconnect', participantId: WITNESS, reason: 'connection_lost' })).attendance[WITNESS], 'remote');
    const recorded = await step(lobby, { type: 'record_attendance', participantId: WITNESS, attendance: 'present' }, SECRETARY);
    const events = await decide({ type: 'admit_remote', participantId: WITNESS }, context(recorded, JUDGE));
    assert.deepEqual(
      events.map((e) => e.type),
      ['remote.admitted'],
    );
  });

  test('a remote party files a motion as themself, once admitted; a witness never; nobody for another', async () => {
    const motionOf = (participantId: string) => ({ id: 'm1', filer: { userId: '', participantId, fullName: '?', role: 'defendant' } }) as unknown as HearingMotion;
    const file = (participantId: string): HearingCommand => ({ type: 'file_motion', motion: motionOf(participantId) });
    const sitting = (state: HearingLiveState): HearingLiveState => ({ ...state, status: 'in_progress' });
    const invite = (id: string, state: HearingLiveState) => step(state, { type: 'invite_remote', participantId: id, expiresAt: 2_000, channels: [] }, SECRETARY);
    let state = sitting(await invite(DEFENDANT, await invite(WITNESS, initialLiveState({ version: 0, status: 'scheduled', stage: null }))));
    for (const id of [WITNESS, DEFENDANT]) state = await step(state, { type: 'remote_arrive', participantId: id }, '', id);
    await refusedWith('not_admitted', () => step(state, file(DEFENDANT), '', DEFENDANT));
    for (const id of [WITNESS, DEFENDANT]) state = await step(state, { type: 'admit_remote', participantId: id }, JUDGE);
    await refusedWith('not_a_party', () => step(state, file(WITNESS), '', WITNESS));
    await refusedWith('not_a_party', () => step(state, file(DEFENDANT), '', WITNESS));
    await refusedWith('not_a_party', () => step(state, file(DEFENDANT), JUDGE));
    assert.equal((await step(state, file(DEFENDANT), '', DEFENDANT)).motions?.length, 1);
  });
});
