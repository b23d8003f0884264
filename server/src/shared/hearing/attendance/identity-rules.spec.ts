/** The hearing's rules for identities established and rights explained (hearing-rules.ts, block "identities and rights"). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../errors.ts';
import type { DecisionContext } from '../core.ts';
import { decide, type HearingCommand } from '../rules.ts';
import { identificationOf } from './attendance.ts';
import { applyEvent, initialLiveState, upcastState, type HearingEvent, type HearingLiveState } from '../state.ts';

const JUDGE = 'u-judge';
const SECRETARY = 'u-secretary';
const PROSECUTOR = 'u-prosecutor';
const participants = {
  p1: { id: 'p1', role: 'prosecutor' as const, fullName: 'Прокурор Ахметов', userId: PROSECUTOR },
  p3: { id: 'p3', role: 'defendant' as const, fullName: 'Подсудимый Иванов', userId: null },
  p4: { id: 'p4', role: 'witness' as const, fullName: 'Свидетель Серикова', userId: null },
  p5: { id: 'p5', role: 'victim' as const, fullName: 'Потерпевшая Ким', userId: null },
};

function context(state: HearingLiveState, actor: string): DecisionContext {
  return {
    state,
    actor: { userId: actor, fullName: actor, participantId: actor === PROSECUTOR ? 'p1' : null },
    presidingJudgeId: JUDGE,
    secretaryId: SECRETARY,
    now: 1_000,
    participant: async (id) => participants[id as keyof typeof participants],
    fullNameOf: async () => 'Судья',
    document: async () => undefined,
    protocolNote: async () => undefined,
    shownDuring: async () => [],
    newId: () => 'id-1',
    recordingSources: () => 0,
  };
}

/** Applies each step in turn; returns the state, or rejects with the first refusal. */
async function run(steps: [HearingCommand, string][], state: HearingLiveState = initialLiveState({ version: 0, status: 'scheduled', stage: null })): Promise<HearingLiveState> {
  for (const [command, actor] of steps) {
    for (const body of await decide(command, context(state, actor))) {
      state = applyEvent(state, { ...body, hearingId: 'h', version: state.version + 1, at: 2_000, actor: { userId: actor, fullName: actor, role: 'presiding_judge' } } as HearingEvent);
    }
  }
  return state;
}

const refusedWith = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;
const identify = (participantId: string, document: string | null = null): HearingCommand => ({ type: 'establish_identity', participantId, document });
const explain = (participantId: string): HearingCommand => ({ type: 'explain_rights', participantId });

/** Opened; the defendant present, the witness absent, the victim not yet checked, the prosecutor by video link. */
const sitting = await run([
  [{ type: 'open' }, JUDGE],
  [{ type: 'record_attendance', participantId: 'p3', attendance: 'present' }, SECRETARY],
  [{ type: 'record_attendance', participantId: 'p4', attendance: 'absent' }, SECRETARY],
  [{ type: 'record_attendance', participantId: 'p1', attendance: 'remote' }, SECRETARY],
]);

test('the secretary or the presiding judge establishes identity and explains rights; the state and the events say whose', async () => {
  const events = await decide(identify('p3', 'удостоверение личности № 012345678'), context(sitting, SECRETARY));
  assert.deepEqual(events, [{ type: 'identity.established', payload: { participantId: 'p3', fullName: 'Подсудимый Иванов', role: 'defendant', document: 'удостоверение личности № 012345678' } }]);
  assert.deepEqual(await decide(explain('p3'), context(sitting, JUDGE)), [{ type: 'rights.explained', payload: { participantId: 'p3', fullName: 'Подсудимый Иванов', role: 'defendant' } }]);

  const state = await run(
    [
      [identify('p3'), SECRETARY],
      [explain('p3'), JUDGE],
      [identify('p1'), JUDGE],
    ],
    sitting,
  );
  assert.deepEqual(identificationOf(state, 'p3'), { identified: true, rightsExplained: true });
  assert.deepEqual(identificationOf(state, 'p1'), { identified: true, rightsExplained: false });
  assert.deepEqual(identificationOf(state, 'p5'), { identified: false, rightsExplained: false });
});

test('nobody else may: not a party, not a stranger', async () => {
  await assert.rejects(async () => decide(identify('p3'), context(sitting, PROSECUTOR)), refusedWith('forbidden_action'));
  await assert.rejects(async () => decide(explain('p3'), context(sitting, 'u-defender')), refusedWith('forbidden_action'));
});

test('only for a participant of the case who is there: present, or by video link', async () => {
  await assert.rejects(async () => decide(identify('p4'), context(sitting, SECRETARY)), refusedWith('participant_not_present'), 'absent');
  await assert.rejects(async () => decide(explain('p5'), context(sitting, SECRETARY)), refusedWith('participant_not_present'), 'not checked yet');
  await assert.rejects(async () => decide(identify('nobody'), context(sitting, SECRETARY)), refusedWith('not_found'));
  await assert.doesNotReject(async () => decide(explain('p1'), context(sitting, SECRETARY)), 'by video link');
  // A remote participant the court admitted counts as there, before the secretary marks attendance.
  const admitted: HearingLiveState = { ...sitting, remote: { p5: { participantId: 'p5', fullName: 'Потерпевшая Ким', role: 'victim', status: 'live' } } };
  await assert.doesNotReject(async () => decide(identify('p5'), context(admitted, SECRETARY)));
  const inLobby: HearingLiveState = { ...sitting, remote: { p5: { participantId: 'p5', fullName: 'Потерпевшая Ким', role: 'victim', status: 'lobby' } } };
  await assert.rejects(async () => decide(identify('p5'), context(inLobby, SECRETARY)), refusedWith('participant_not_present'));
});

test('only while the hearing sits: not before it opens, not after it ends; on a break it may', async () => {
  const scheduled = initialLiveState({ version: 0, status: 'scheduled', stage: null });
  await assert.rejects(async () => decide(identify('p3'), context({ ...scheduled, attendance: { p3: 'present' } }, SECRETARY)), refusedWith('invalid_transition'));
  const adjourned = await run([[{ type: 'adjourn', reason: 'Неявка свидетеля', nextDate: null }, JUDGE]], sitting);
  await assert.rejects(async () => decide(explain('p3'), context(adjourned, SECRETARY)), refusedWith('invalid_transition'));
  const onBreak = await run([[{ type: 'start_break', until: null, reason: null }, JUDGE]], sitting);
  await assert.doesNotReject(async () => decide(identify('p3'), context(onBreak, SECRETARY)));
});

test('each once per hearing: a second time is refused', async () => {
  const done = await run(
    [
      [identify('p3'), SECRETARY],
      [explain('p3'), SECRETARY],
    ],
    sitting,
  );
  await assert.rejects(async () => decide(identify('p3', 'паспорт'), context(done, JUDGE)), refusedWith('invalid_transition'));
  await assert.rejects(async () => decide(explain('p3'), context(done, SECRETARY)), refusedWith('invalid_transition'));
});

test('a state stored before identification existed reads as nobody identified', async () => {
  const { identification: _omitted, ...stored } = sitting;
  const old = upcastState(stored);
  assert.deepEqual(identificationOf(old, 'p3'), { identified: false, rightsExplained: false });
  assert.equal((await decide(identify('p3'), context(old, SECRETARY))).length, 1);
});
