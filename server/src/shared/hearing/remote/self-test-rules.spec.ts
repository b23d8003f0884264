/**
 * The self-test in the hearing's rules and its verdict: only the participant records their own
 * result, it lands on their entry (and stays there across a new invitation); the verdict reads
 * the checks as the page and the court's panel show them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../errors.ts';
import type { DecisionContext } from '../core.ts';
import { decide, type HearingCommand } from '../rules.ts';
import { applyEvent, initialLiveState, type HearingEvent, type HearingLiveState } from '../state.ts';
import { testDecisionContext } from '../testing-context.ts';
import { selfTestVerdict, type SelfTestChecks } from '../../socket/self-test.ts';

const JUDGE = 'u-judge';
const SECRETARY = 'u-secretary';
const WITNESS = 'p-witness';

function context(state: HearingLiveState, actor: string, remoteParticipantId: string | null = null): DecisionContext {
  return testDecisionContext(state, actor, {
    presidingJudgeId: JUDGE,
    secretaryId: SECRETARY,
    participant: async (id) => (id === WITNESS ? { id, role: 'witness', fullName: 'Свидетель', userId: null } : undefined),
    remoteParticipantId,
  });
}

async function step(state: HearingLiveState, command: HearingCommand, actor: string, remote: string | null = null, at = 1_000): Promise<HearingLiveState> {
  let next = state;
  for (const body of await decide(command, context(state, actor, remote))) {
    next = applyEvent(next, { ...body, hearingId: 'h', version: next.version + 1, at, actor: { userId: actor, fullName: actor, role: 'secretary' } } as HearingEvent);
  }
  return next;
}

const ALL_PASS: SelfTestChecks = { camera: 'pass', microphone: 'pass', echo: 'pass', speaker: 'pass', udp: 'pass', tcp: 'pass', relay: 'not_offered', relayProtocol: null, uploadKbps: 2400 };
const VIA_RELAY: SelfTestChecks = { ...ALL_PASS, udp: 'fail', tcp: 'fail', relay: 'pass', relayProtocol: 'tls' };
const selfTest = (checks: SelfTestChecks): HearingCommand => ({ type: 'remote_self_test', participantId: WITNESS, verdict: selfTestVerdict(checks), checks });

async function invited(): Promise<HearingLiveState> {
  return step(initialLiveState({ version: 0, status: 'scheduled', stage: null }), { type: 'invite_remote', participantId: WITNESS, expiresAt: 9_000, channels: ['sms'] }, SECRETARY);
}

describe('the self-test verdict', () => {
  test('everything works directly: ready', () => assert.equal(selfTestVerdict(ALL_PASS), 'ready'));
  test('only the relay connects: ready through the relay', () => assert.equal(selfTestVerdict(VIA_RELAY), 'ready_relay'));
  test('UDP blocked but TCP direct: still ready', () => assert.equal(selfTestVerdict({ ...ALL_PASS, udp: 'fail' }), 'ready'));
  test('no path at all, or a device that does not work: fails', () => {
    assert.equal(selfTestVerdict({ ...ALL_PASS, udp: 'fail', tcp: 'fail', relay: 'fail', uploadKbps: null }), 'fails');
    assert.equal(selfTestVerdict({ ...ALL_PASS, udp: 'fail', tcp: 'fail', relay: 'not_offered', uploadKbps: null }), 'fails');
    assert.equal(selfTestVerdict({ ...ALL_PASS, camera: 'fail' }), 'fails');
    assert.equal(selfTestVerdict({ ...ALL_PASS, speaker: 'fail' }), 'fails');
  });
  test('a slow upload: limited', () => assert.equal(selfTestVerdict({ ...VIA_RELAY, uploadKbps: 120 }), 'limited'));
});

describe('the self-test in the hearing', () => {
  test("the participant's result lands on their entry, with the time it was recorded", async () => {
    const state = await step(await invited(), selfTest(VIA_RELAY), '', WITNESS, 5_000);
    assert.deepEqual(state.remote[WITNESS]?.selfTest, { verdict: 'ready_relay', checks: VIA_RELAY, at: 5_000 });
    // A second run replaces it.
    const again = await step(state, selfTest(ALL_PASS), '', WITNESS, 6_000);
    assert.equal(again.remote[WITNESS]?.selfTest?.verdict, 'ready');
  });

  test('only the participant records their own; not the secretary, not another participant', async () => {
    const state = await invited();
    const refused = (error: unknown) => error instanceof AppError && error.code === 'forbidden_action';
    await assert.rejects(() => step(state, selfTest(ALL_PASS), SECRETARY), refused);
    await assert.rejects(() => step(state, selfTest(ALL_PASS), '', 'p-other'), refused);
  });

  test('a new invitation keeps the last result; a refused participant records no more', async () => {
    const tested = await step(await invited(), selfTest(VIA_RELAY), '', WITNESS);
    const arrived = await step(tested, { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS);
    const refused = await step(arrived, { type: 'refuse_remote', participantId: WITNESS }, SECRETARY);
    assert.equal(refused.remote[WITNESS]?.selfTest?.verdict, 'ready_relay');
    await assert.rejects(
      () => step(refused, selfTest(ALL_PASS), '', WITNESS),
      (error: unknown) => error instanceof AppError && error.code === 'forbidden',
    );
    const left = await step(await step(tested, { type: 'remote_arrive', participantId: WITNESS }, '', WITNESS), { type: 'remote_leave', participantId: WITNESS }, '', WITNESS);
    const reinvited = await step(left, { type: 'invite_remote', participantId: WITNESS, expiresAt: 9_000, channels: ['sms'] }, SECRETARY);
    assert.equal(reinvited.remote[WITNESS]?.status, 'invited');
    assert.equal(reinvited.remote[WITNESS]?.selfTest?.verdict, 'ready_relay');
  });
});
