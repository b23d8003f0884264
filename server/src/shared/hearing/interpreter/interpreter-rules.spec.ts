/**
 * The interpreter's rules, decided like every hearing step: only the presiding judge appoints and
 * releases, while the hearing sits; only a participant in the role of interpreter, for another
 * participant, between two different languages, and never without the warning of liability; whom
 * the channel is for follows the appointment; the short protocol records it in both languages.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildProtocol } from '../../../protocol/protocol-build.ts';
import { AppError } from '../../errors.ts';
import type { DecisionContext } from '../core.ts';
import { decide, type HearingCommand } from '../rules.ts';
import { applyEvent, initialLiveState, type HearingEvent, type HearingLiveState } from '../state.ts';
import { testDecisionContext } from '../testing-context.ts';
import { interpretationListeners, interpretersFor } from './interpreter.ts';

const JUDGE = 'u-judge';
const SECRETARY = 'u-secretary';
const WITNESS = 'p-witness';
const INTERPRETER = 'p-interpreter';
const SECOND = 'p-interpreter-2';

const PARTICIPANTS = {
  [WITNESS]: { id: WITNESS, role: 'witness' as const, fullName: 'Петров Андрей Викторович', userId: null },
  [INTERPRETER]: { id: INTERPRETER, role: 'interpreter' as const, fullName: 'Өмірзақова Гүлнұр', userId: null },
  [SECOND]: { id: SECOND, role: 'interpreter' as const, fullName: 'Ли Анна', userId: null },
};

function context(state: HearingLiveState, actor: string): DecisionContext {
  return testDecisionContext(state, actor, {
    presidingJudgeId: JUDGE,
    secretaryId: SECRETARY,
    participant: async (id) => PARTICIPANTS[id as keyof typeof PARTICIPANTS],
  });
}

const log: HearingEvent[] = [];

async function step(state: HearingLiveState, command: HearingCommand, actor = JUDGE): Promise<HearingLiveState> {
  let next = state;
  for (const body of await decide(command, context(state, actor))) {
    const event = { ...body, hearingId: 'h', version: next.version + 1, at: 1_000 + next.version, actor: { userId: actor, fullName: actor, role: 'presiding_judge' } } as HearingEvent;
    log.push(event);
    next = applyEvent(next, event);
  }
  return next;
}

async function refusedWith(code: string, run: () => Promise<unknown>): Promise<void> {
  await assert.rejects(run, (error: unknown) => error instanceof AppError && error.code === code);
}

const sitting = () => initialLiveState({ version: 0, status: 'in_progress', stage: 'preparatory' });

const appoint = (over: Partial<Extract<HearingCommand, { type: 'appoint_interpreter' }>> = {}): HearingCommand => ({
  type: 'appoint_interpreter',
  interpreterId: INTERPRETER,
  forParticipantId: WITNESS,
  languages: { from: 'kk', to: 'ru' },
  mode: 'simultaneous',
  warned: true,
  ...over,
});

describe('interpreter rules', () => {
  test('the presiding judge appoints an interpreter for a participant; the channel is for that participant', async () => {
    const state = await step(sitting(), appoint());
    const appointment = state.interpreters[INTERPRETER];
    assert.equal(appointment?.forParticipantId, WITNESS);
    assert.equal(appointment?.forFullName, 'Петров Андрей Викторович');
    assert.deepEqual(appointment?.languages, { from: 'kk', to: 'ru' });
    assert.equal(appointment?.warned, true);
    assert.deepEqual(interpretationListeners(state, INTERPRETER), [WITNESS]);
    assert.deepEqual(interpretationListeners(state, SECOND), [], 'an interpreter not appointed has no channel');
    assert.deepEqual(interpretationListeners(state, null), []);
    assert.deepEqual(
      interpretersFor(state, WITNESS).map((a) => a.interpreterId),
      [INTERPRETER],
    );
  });

  test('consecutive interpretation has no channel: the interpreter takes the floor in the hall', async () => {
    const state = await step(sitting(), appoint({ mode: 'consecutive' }));
    assert.equal(state.interpreters[INTERPRETER]?.mode, 'consecutive');
    assert.deepEqual(interpretationListeners(state, INTERPRETER), []);
  });

  test('nobody but the presiding judge appoints or releases', async () => {
    await refusedWith('forbidden_action', () => step(sitting(), appoint(), SECRETARY));
    await refusedWith('forbidden_action', () => step(sitting(), appoint(), 'u-prosecutor'));
    const state = await step(sitting(), appoint());
    await refusedWith('forbidden_action', () => step(state, { type: 'release_interpreter', interpreterId: INTERPRETER }, SECRETARY));
  });

  test('no appointment without the warning of liability, between the same language, of a non-interpreter, for an interpreter, or outside the case', async () => {
    await refusedWith('invalid_request', () => step(sitting(), appoint({ warned: false })));
    await refusedWith('invalid_request', () => step(sitting(), appoint({ languages: { from: 'ru', to: 'ru' } })));
    await refusedWith('invalid_request', () => step(sitting(), appoint({ interpreterId: WITNESS, forParticipantId: INTERPRETER })));
    await refusedWith('invalid_request', () => step(sitting(), appoint({ forParticipantId: SECOND })));
    await refusedWith('not_found', () => step(sitting(), appoint({ forParticipantId: 'p-other' })));
    await refusedWith('not_found', () => step(sitting(), appoint({ interpreterId: 'p-other' })));
  });

  test('only while the hearing sits; an interpreter appointed once until released', async () => {
    await refusedWith('invalid_transition', () => step(initialLiveState({ version: 0, status: 'scheduled', stage: null }), appoint()));
    const state = await step(sitting(), appoint());
    await refusedWith('invalid_transition', () => step(state, appoint({ languages: { from: 'en', to: 'ru' } })));
    const released = await step(state, { type: 'release_interpreter', interpreterId: INTERPRETER });
    assert.equal(released.interpreters[INTERPRETER], undefined);
    assert.deepEqual(interpretationListeners(released, INTERPRETER), [], 'a released interpreter has no channel');
    await refusedWith('invalid_transition', () => step(released, { type: 'release_interpreter', interpreterId: INTERPRETER }));
    // Released, they may be appointed again (another pair of languages, another mode).
    const again = await step(released, appoint({ languages: { from: 'en', to: 'kk' }, mode: 'consecutive' }));
    assert.equal(again.interpreters[INTERPRETER]?.languages.from, 'en');
  });

  test('the short protocol records the appointment with its languages, mode and warning, and the release', async () => {
    log.length = 0;
    const state = await step(sitting(), appoint());
    await step(state, { type: 'release_interpreter', interpreterId: INTERPRETER });
    const input = {
      hearingId: 'h',
      court: 'Суд',
      timeZone: 'Asia/Almaty',
      hall: 'Зал 1',
      caseNumber: '1',
      charge: '',
      presidingJudge: 'Судья',
      secretary: null,
      participants: Object.values(PARTICIPANTS),
      documents: {},
      events: [...log],
    };
    const ru = buildProtocol({ ...input, locale: 'ru' }).entries.map((e) => e.text);
    assert.equal(ru.length, 2, ru.join('\n'));
    assert.match(ru[0], /Назначен переводчик Өмірзақова Гүлнұр \(для: свидетель Петров Андрей Викторович\)/);
    assert.match(ru[0], /казахский — русский/);
    assert.match(ru[0], /синхронный/);
    assert.match(ru[0], /предупреждён об уголовной ответственности за заведомо неправильный перевод по статье 420 УК РК/);
    assert.match(ru[1], /Өмірзақова Гүлнұр освобождён\(а\)/);
    const kk = buildProtocol({ ...input, locale: 'kk' }).entries.map((e) => e.text);
    assert.match(kk[0], /қазақ — орыс/);
    assert.match(kk[0], /420-бабы/);
  });
});
