/** The hearing's rules for motions (hearing-rules.ts, block "Motions"), without a server. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../errors.ts';
import type { DecisionContext } from '../core.ts';
import { decide, type HearingCommand } from '../rules.ts';
import type { HearingMotion } from './motions.ts';
import { applyEvent, initialLiveState, type HearingEvent, type HearingLiveState } from '../state.ts';

const JUDGE = 'u-judge';
const PROSECUTOR = 'u-prosecutor';
const DEFENDER = 'u-defender';
const participants = {
  p1: { id: 'p1', role: 'prosecutor' as const, fullName: 'Прокурор', userId: PROSECUTOR },
  p2: { id: 'p2', role: 'defender' as const, fullName: 'Защитник', userId: DEFENDER },
  p3: { id: 'p3', role: 'witness' as const, fullName: 'Свидетель', userId: 'u-witness' },
};
const seatOf: Record<string, string | null> = { [JUDGE]: null, [PROSECUTOR]: 'p1', [DEFENDER]: 'p2', 'u-witness': 'p3' };

function context(state: HearingLiveState, actor: string): DecisionContext {
  return {
    state,
    actor: { userId: actor, fullName: actor, participantId: seatOf[actor] ?? null },
    presidingJudgeId: JUDGE,
    secretaryId: 'u-secretary',
    now: 1_000,
    participant: async (id) => participants[id as keyof typeof participants],
    fullNameOf: async () => 'Судья',
    document: async (id) => (id === 'd1' ? { id: 'd1', kind: 'pdf', volume: 1, sheetFrom: 1, pages: 3 } : undefined),
    protocolNote: async () => undefined,
    shownDuring: async () => [],
    newId: () => 'presentation-1',
    recordingSources: () => 0,
  };
}

function motion(id: string, kind: HearingMotion['kind'], filer: 'p1' | 'p2' | 'p3', status: HearingMotion['status'] = 'filed'): HearingMotion {
  const p = participants[filer];
  return {
    id,
    number: Number(id.replace(/\D/g, '')) || 1,
    kind,
    subtype: null,
    text: 'Текст',
    refs: [],
    attachments: [],
    filer: { userId: p.userId, fullName: p.fullName, role: p.role, participantId: p.id },
    filedAt: 0,
    receipt: { number: 'M-1', sha256: 'x' },
    signature: { signerName: p.fullName, signerIin: '1', issuer: 'CA', serialNumber: '1', validTo: '' },
    status,
    positions: [],
    ruling: null,
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

const refused = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;
const opened = () => run([[{ type: 'open' }, JUDGE]]);
const file = (m: HearingMotion): [HearingCommand, string] => [{ type: 'file_motion', motion: m }, m.filer.userId];
const rule = (motionId: string, ruling: 'granted' | 'denied' | 'granted_in_part' | 'deferred'): [HearingCommand, string] => [{ type: 'rule_motion', motionId, ruling, reasons: 'Мотивы' }, JUDGE];
const position = (motionId: string, actor: string): [HearingCommand, string] => [{ type: 'state_position', motionId, position: 'objects', text: null }, actor];

test('only a party with an account files, and only while the hearing sits', async () => {
  await assert.rejects(async () => run([file(motion('m1', 'motion', 'p2'))]), refused('invalid_transition'));
  await assert.rejects(async () => run([file(motion('m1', 'motion', 'p3'))], await opened()), refused('not_a_party'));
  // Someone else's motion sent under one's own name.
  await assert.rejects(async () => run([[{ type: 'file_motion', motion: motion('m1', 'motion', 'p2') }, PROSECUTOR]], await opened()), refused('not_a_party'));
  const state = await run([file(motion('m1', 'motion', 'p2'))], await opened());
  assert.deepEqual(
    state.motions.map((m) => [m.id, m.status]),
    [['m1', 'filed']],
  );
});

test('positions: the other parties, once each; never the filer, never the judge', async () => {
  const state = await run([file(motion('m1', 'motion', 'p2'))], await opened());
  await assert.rejects(async () => run([position('m1', DEFENDER)], state), refused('invalid_request'));
  await assert.rejects(async () => run([position('m1', JUDGE)], state), refused('not_a_party'));
  await assert.rejects(async () => run([position('m1', 'u-witness')], state), refused('not_a_party'));
  const after = await run([position('m1', PROSECUTOR)], state);
  assert.deepEqual(
    after.motions[0].positions.map((p) => [p.participantId, p.position]),
    [['p1', 'objects']],
  );
  await assert.rejects(async () => run([position('m1', PROSECUTOR)], after), refused('position_already_stated'));
});

test('rulings: the presiding judge only; deferred stays open; a final ruling is final', async () => {
  const state = await run([file(motion('m1', 'motion', 'p2'))], await opened());
  await assert.rejects(async () => run([[{ type: 'rule_motion', motionId: 'm1', ruling: 'granted', reasons: 'x' }, PROSECUTOR]], state), refused('forbidden_action'));
  await assert.rejects(async () => run([rule('m9', 'granted')], state), refused('not_found'));
  const deferred = await run([rule('m1', 'deferred')], state);
  assert.equal(deferred.motions[0].status, 'deferred');
  const granted = await run([rule('m1', 'granted_in_part')], deferred);
  assert.deepEqual(granted.motions[0].ruling, { status: 'granted_in_part', reasons: 'Мотивы', at: 2_000 });
  await assert.rejects(async () => run([rule('m1', 'denied')], granted), refused('motion_already_ruled'));
  await assert.rejects(async () => run([position('m1', PROSECUTOR)], granted), refused('motion_already_ruled'));
});

test('an open recusal stops stage changes, presentations and other rulings, not breaks; its ruling lifts that', async () => {
  const state = await run([file(motion('m1', 'motion', 'p2')), file(motion('m2', 'recusal', 'p1'))], await opened());
  await assert.rejects(async () => run([[{ type: 'move_stage', to: 'investigation' }, JUDGE]], state), refused('recusal_pending'));
  await assert.rejects(async () => run([[{ type: 'give_floor', to: { kind: 'judge' } }, JUDGE]], state), refused('recusal_pending'));
  await assert.rejects(async () => run([rule('m1', 'granted')], state), refused('recusal_pending'));
  await run([[{ type: 'start_break', until: null, reason: null }, JUDGE]], state);
  const deferred = await run([rule('m2', 'deferred')], state);
  await assert.rejects(async () => run([[{ type: 'move_stage', to: 'investigation' }, JUDGE]], deferred), refused('recusal_pending'));
  const decided = await run([rule('m2', 'denied'), rule('m1', 'granted'), [{ type: 'move_stage', to: 'investigation' }, JUDGE]], deferred);
  assert.equal(decided.stage, 'investigation');
});

test('taking up a motion filed outside the hall: the judge, once, while it is open', async () => {
  const outside = motion('m5', 'motion', 'p2');
  const state = await opened();
  await assert.rejects(async () => run([[{ type: 'take_up_motion', motion: outside }, PROSECUTOR]], state), refused('forbidden_action'));
  const taken = await run([[{ type: 'take_up_motion', motion: outside }, JUDGE]], state);
  assert.equal(taken.motions[0].id, 'm5');
  await assert.rejects(async () => run([[{ type: 'take_up_motion', motion: outside }, JUDGE]], taken), refused('invalid_transition'));
  await assert.rejects(async () => run([[{ type: 'take_up_motion', motion: motion('m6', 'motion', 'p2', 'denied') }, JUDGE]], state), refused('motion_already_ruled'));
});
