/**
 * The rules of private consultations: who may consult with whom (a defence lawyer with the
 * defendant they represent, a victim's representative with the victim), when (before the opening
 * and on a break at once; while the court sits only once the presiding judge grants it), who
 * closes one, and that the log carries who and when, never anything said.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../errors.ts';
import type { CaseParticipant, DecisionContext } from '../core.ts';
import { decide, type HearingCommand } from '../rules.ts';
import { applyEvent, initialLiveState, type HearingEvent, type HearingLiveState } from '../state.ts';
import { displayEvent, displayState } from '../display-view.ts';
import { consultableClients, consultationOf } from './consultation.ts';

const JUDGE = 'u-judge';
const SECRETARY = 'u-secretary';
const LAWYER_USER = 'u-defender';

const PEOPLE: CaseParticipant[] = [
  { id: 'p-defender', role: 'defender', fullName: 'Адвокат', userId: LAWYER_USER, sourceId: 'p2', representedBy: null },
  { id: 'p-defender-2', role: 'defender', fullName: 'Другой адвокат', userId: 'u-defender-2', sourceId: 'p5', representedBy: null },
  { id: 'p-defendant', role: 'defendant', fullName: 'Подсудимый', userId: null, sourceId: 'p1', representedBy: ['p2'] },
  { id: 'p-codefendant', role: 'defendant', fullName: 'Соподсудимый', userId: null, sourceId: 'p6', representedBy: ['p5'] },
  { id: 'p-victim', role: 'victim', fullName: 'Потерпевший', userId: null, sourceId: 'p3', representedBy: null },
  { id: 'p-representative', role: 'victim_representative', fullName: 'Представитель', userId: null, sourceId: 'p4', representedBy: null },
  { id: 'p-witness', role: 'witness', fullName: 'Свидетель', userId: null, sourceId: 'p7', representedBy: null },
];

type Actor = { userId: string; participantId?: string | null; remote?: string | null; system?: boolean };
const judge: Actor = { userId: JUDGE };
const lawyer: Actor = { userId: LAWYER_USER, participantId: 'p-defender' };
const otherLawyer: Actor = { userId: 'u-defender-2', participantId: 'p-defender-2' };
const remoteDefendant: Actor = { userId: '', remote: 'p-defendant' };
const remoteRepresentative: Actor = { userId: '', remote: 'p-representative' };
const prosecutor: Actor = { userId: 'u-prosecutor', participantId: null };

let ids = 0;
function context(state: HearingLiveState, actor: Actor): DecisionContext {
  return {
    system: actor.system ?? false,
    state,
    actor: { userId: actor.userId, fullName: actor.userId, participantId: actor.participantId ?? null },
    presidingJudgeId: JUDGE,
    secretaryId: SECRETARY,
    now: 1_000,
    participant: async (id) => PEOPLE.find((p) => p.id === id),
    fullNameOf: async () => '?',
    document: async () => undefined,
    protocolNote: async () => undefined,
    shownDuring: async () => [],
    newId: () => `c${++ids}`,
    remoteParticipantId: actor.remote ?? null,
    recordingSources: () => 0,
  };
}

async function step(state: HearingLiveState, command: HearingCommand, actor: Actor, at = 1_000): Promise<{ state: HearingLiveState; events: HearingEvent[] }> {
  let next = state;
  const events: HearingEvent[] = [];
  for (const body of await decide(command, context(state, actor))) {
    const event = { ...body, hearingId: 'h', version: next.version + 1, at, actor: { userId: actor.userId, fullName: actor.userId, role: 'defender' } } as HearingEvent;
    events.push(event);
    next = applyEvent(next, event);
  }
  return { state: next, events };
}

async function refusedWith(code: string, run: () => Promise<unknown>): Promise<void> {
  await assert.rejects(run, (error: unknown) => error instanceof AppError && error.code === code);
}

const hearing = (status: HearingLiveState['status']) => initialLiveState({ version: 0, status, stage: status === 'scheduled' ? null : 'preparatory' });

describe('consultation rules', () => {
  test('before the opening and on a break the lawyer opens a consultation with their own client at once', async () => {
    for (const status of ['scheduled', 'break'] as const) {
      const { state, events } = await step(hearing(status), { type: 'open_consultation', withParticipantId: 'p-defendant' }, lawyer, 5_000);
      assert.deepEqual(
        events.map((e) => e.type),
        ['consultation.opened'],
      );
      const open = consultationOf(state, 'p-defendant')!;
      assert.equal(open.status, 'open');
      assert.equal(open.openedAt, 5_000);
      assert.deepEqual(
        open.members.map((m) => m.participantId),
        ['p-defender', 'p-defendant'],
      );
      // Who and when, nothing else: no field could carry anything said.
      assert.deepEqual(Object.keys(events[0]!.payload).sort(), ['granted', 'id', 'members']);
    }
  });

  test('who may consult with whom: a lawyer with the client they represent, a representative with the victim; nobody else', async () => {
    const onBreak = hearing('break');
    // Another lawyer's client (representation recorded in the case).
    await refusedWith('forbidden_action', () => step(onBreak, { type: 'open_consultation', withParticipantId: 'p-codefendant' }, lawyer));
    assert.ok((await step(onBreak, { type: 'open_consultation', withParticipantId: 'p-codefendant' }, otherLawyer)).state.consultations);
    // A defender with a victim or a witness; a prosecutor with anyone; a defendant opening one.
    await refusedWith('forbidden_action', () => step(onBreak, { type: 'open_consultation', withParticipantId: 'p-victim' }, lawyer));
    await refusedWith('forbidden_action', () => step(onBreak, { type: 'open_consultation', withParticipantId: 'p-witness' }, lawyer));
    await refusedWith('forbidden_action', () => step(onBreak, { type: 'open_consultation', withParticipantId: 'p-defendant' }, prosecutor));
    await refusedWith('forbidden_action', () => step(onBreak, { type: 'open_consultation', withParticipantId: 'p-defender' }, remoteDefendant));
    await refusedWith('not_found', () => step(onBreak, { type: 'open_consultation', withParticipantId: 'p-nobody' }, lawyer));
    // The victim's representative, on the phone, with the victim (no representation recorded: any representative of the victim).
    const { state } = await step(onBreak, { type: 'open_consultation', withParticipantId: 'p-victim' }, remoteRepresentative);
    assert.equal(consultationOf(state, 'p-victim')?.status, 'open');
  });

  test('while the court sits the lawyer asks and only the presiding judge grants', async () => {
    const sitting = hearing('in_progress');
    const asked = await step(sitting, { type: 'open_consultation', withParticipantId: 'p-defendant' }, lawyer);
    assert.deepEqual(
      asked.events.map((e) => e.type),
      ['consultation.requested'],
    );
    const { id } = consultationOf(asked.state, 'p-defender')!;
    assert.equal(asked.state.consultations[id]!.status, 'requested');
    await refusedWith('forbidden_action', () => step(asked.state, { type: 'grant_consultation', consultationId: id }, lawyer));
    await refusedWith('forbidden_action', () => step(asked.state, { type: 'grant_consultation', consultationId: id }, { userId: SECRETARY }));
    const granted = await step(asked.state, { type: 'grant_consultation', consultationId: id }, judge, 7_000);
    assert.equal(granted.events[0]!.type, 'consultation.opened');
    assert.equal(granted.state.consultations[id]!.status, 'open');
    assert.equal(granted.state.consultations[id]!.openedAt, 7_000);
    // Granted twice changes nothing.
    assert.equal((await step(granted.state, { type: 'grant_consultation', consultationId: id }, judge)).events.length, 0);
  });

  test('one consultation per person; a member or the judge closes it, nobody else; an ended hearing has none', async () => {
    const { state } = await step(hearing('break'), { type: 'open_consultation', withParticipantId: 'p-defendant' }, lawyer);
    const { id } = consultationOf(state, 'p-defendant')!;
    await refusedWith('invalid_transition', () => step(state, { type: 'open_consultation', withParticipantId: 'p-defendant' }, lawyer));
    await refusedWith('forbidden_action', () => step(state, { type: 'close_consultation', consultationId: id }, prosecutor));
    await refusedWith('forbidden_action', () => step(state, { type: 'close_consultation', consultationId: id }, otherLawyer));
    // The remote defendant taps "Back to the hall".
    const back = await step(state, { type: 'close_consultation', consultationId: id }, remoteDefendant);
    assert.deepEqual(back.events[0]!.payload, { id, reason: 'returned' });
    assert.equal(consultationOf(back.state, 'p-defendant'), undefined);
    // The judge ends one.
    const ended = await step(state, { type: 'close_consultation', consultationId: id }, judge);
    assert.deepEqual(ended.events[0]!.payload, { id, reason: 'closed_by_court' });
    // Closing one already closed changes nothing.
    assert.equal((await step(back.state, { type: 'close_consultation', consultationId: id }, lawyer)).events.length, 0);
    for (const status of ['finished', 'adjourned', 'cancelled'] as const) {
      await refusedWith('invalid_transition', () => step(hearing(status), { type: 'open_consultation', withParticipantId: 'p-defendant' }, lawyer));
    }
  });

  test('a remote client who is not connected cannot be called into one', async () => {
    let state = hearing('break');
    state = { ...state, remote: { 'p-defendant': { participantId: 'p-defendant', fullName: 'Подсудимый', role: 'defendant', status: 'left' } } };
    await refusedWith('not_admitted', () => step(state, { type: 'open_consultation', withParticipantId: 'p-defendant' }, lawyer));
    state = { ...state, remote: { 'p-defendant': { participantId: 'p-defendant', fullName: 'Подсудимый', role: 'defendant', status: 'lobby' } } };
    assert.equal(consultationOf((await step(state, { type: 'open_consultation', withParticipantId: 'p-defendant' }, lawyer)).state, 'p-defendant')?.status, 'open');
  });

  test('the hall’s wall screen sees nothing of consultations', async () => {
    const { state, events } = await step(hearing('break'), { type: 'open_consultation', withParticipantId: 'p-defendant' }, lawyer);
    assert.equal(displayEvent(events[0]!).type, 'withheld');
    assert.deepEqual(displayState(state).consultations, {});
  });

  test("whom a lawyer may consult with (the phone's list): their own clients, a client nobody is recorded for; nobody for anyone else", () => {
    const ids = (id: string) => {
      const lawyer = PEOPLE.find((p) => p.id === id)!;
      return consultableClients(lawyer, PEOPLE).map((p) => p.id);
    };
    assert.deepEqual(ids('p-defender'), ['p-defendant']);
    assert.deepEqual(ids('p-defender-2'), ['p-codefendant']);
    assert.deepEqual(ids('p-representative'), ['p-victim']);
    assert.deepEqual(ids('p-witness'), []);
    assert.deepEqual(ids('p-defendant'), []);
  });
});
