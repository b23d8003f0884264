/**
 * A hearing's log made up for the protocol's unit tests and its benchmark: opening, attendance,
 * the defendant's identity established and rights explained, a
 * presentation, a motion with a position and a ruling, a break, recording started and paused,
 * secretary's notes in Kazakh (one edited), and the close — or, for the benchmark, a 6-hour
 * hearing with as many notes as asked.
 */
import type { ProtocolInput } from './protocol-build.ts';
import type { HearingEvent, HearingEventType } from '../shared/hearing/state.ts';
import type { ProtocolLocale } from '../shared/api/protocol.ts';

/** 2026-11-24 10:00 in Almaty. */
export const T0 = Date.UTC(2026, 10, 24, 5, 0, 0);
const MIN = 60_000;

const actor = { userId: 'u-judge', fullName: 'Ахметова Гульнара Сериковна', role: 'presiding_judge' };
const secretary = { userId: 'u-sec', fullName: 'Жумабекова Айгерим Кайратовна', role: 'secretary' };

export const PARTICIPANTS = [
  { id: 'p-def', role: 'defendant' as const, fullName: 'Иванов Петр Сергеевич' },
  { id: 'p-vic', role: 'victim' as const, fullName: 'Қасымова Әлия Нұрланқызы' },
  { id: 'p-pro', role: 'prosecutor' as const, fullName: 'Сапаров Ерлан Маратович' },
  { id: 'p-law', role: 'defender' as const, fullName: 'Ким Виктор Александрович' },
  { id: 'p-int', role: 'interpreter' as const, fullName: 'Өмірзақова Гүлнұр' },
];

export function sampleEvents(): HearingEvent[] {
  const list: FixtureEvent[] = [
    { at: T0, type: 'hearing.opened', payload: {}, actor },
    { at: T0 + 10_000, type: 'recording.started', payload: { sources: 2 }, actor },
    { at: T0 + 1 * MIN, type: 'attendance.recorded', payload: { participantId: 'p-def', attendance: 'present', previous: null }, actor: secretary },
    { at: T0 + 1 * MIN, type: 'attendance.recorded', payload: { participantId: 'p-vic', attendance: 'absent', previous: null }, actor: secretary },
    {
      at: T0 + 75_000,
      type: 'identity.established',
      payload: { participantId: 'p-def', fullName: 'Иванов Петр Сергеевич', role: 'defendant', document: 'удостоверение личности № 012345678' },
      actor: secretary,
    },
    { at: T0 + 80_000, type: 'rights.explained', payload: { participantId: 'p-def', fullName: 'Иванов Петр Сергеевич', role: 'defendant' }, actor },
    { at: T0 + 2 * MIN, type: 'protocol.note_added', payload: { noteId: 'n1', text: 'Сотталушының жеке басы анықталды', speakerParticipantId: null, startedAt: T0 + 90_000 }, actor: secretary },
    {
      at: T0 + 3 * MIN,
      type: 'protocol.note_edited',
      payload: { noteId: 'n1', text: 'Сотталушының жеке басы анықталды, құқықтары түсіндірілді (ғ, ү, ұ, қ, ң, ө, һ, і)', speakerParticipantId: 'p-def' },
      actor: secretary,
    },
    {
      at: T0 + 3 * MIN + 10_000,
      type: 'remote.invited',
      payload: { participantId: 'p-wit', fullName: 'Петров Андрей Викторович', role: 'witness', expiresAt: T0 + 86_400_000, channels: ['sms'] },
      actor: secretary,
    },
    { at: T0 + 3 * MIN + 20_000, type: 'remote.admitted', payload: { participantId: 'p-wit' }, actor },
    { at: T0 + 3 * MIN + 50_000, type: 'remote.left', payload: { participantId: 'p-wit' }, actor },
    { at: T0 + 4 * MIN, type: 'stage.changed', payload: { from: 'preparatory', to: 'investigation' }, actor },
    {
      at: T0 + 9 * MIN,
      type: 'presentation.ended',
      payload: {
        presentationId: 'pr1',
        presenter: { userId: 'u-pro', fullName: 'Сапаров Ерлан Маратович', role: 'prosecutor', participantId: 'p-pro' },
        startedAt: T0 + 5 * MIN,
        reason: 'ended',
        shown: [{ documentId: 'd1', volume: 1, sheets: [5, 6] }],
      },
      actor,
    },
    {
      at: T0 + 10 * MIN,
      type: 'motion.filed',
      payload: {
        motion: { id: 'm1', number: 1, kind: 'motion', text: 'Прошу приобщить справку.', filer: { userId: 'u-law', fullName: 'Ким Виктор Александрович', role: 'defender', participantId: 'p-law' } },
      },
      actor,
    },
    {
      at: T0 + 11 * MIN,
      type: 'motion.position_stated',
      payload: { motionId: 'm1', participantId: 'p-pro', fullName: 'Сапаров Ерлан Маратович', role: 'prosecutor', position: 'objects', text: null },
      actor,
    },
    { at: T0 + 12 * MIN, type: 'motion.ruled', payload: { motionId: 'm1', ruling: 'denied', reasons: 'Справка не относится к делу.' }, actor },
    { at: T0 + 13 * MIN, type: 'break.started', payload: { until: null, reason: null }, actor },
    { at: T0 + 13 * MIN, type: 'recording.paused', payload: { reason: 'break' }, actor },
    { at: T0 + 23 * MIN, type: 'break.ended', payload: {}, actor },
    { at: T0 + 23 * MIN, type: 'recording.resumed', payload: { sources: 2 }, actor },
    { at: T0 + 24 * MIN, type: 'recording.chain_heads', payload: { heads: [{ trackId: 'mix', seq: 42, chain: 'a'.repeat(64) }] }, actor },
    { at: T0 + 25 * MIN, type: 'hearing.adjourned', payload: { reason: 'неявка потерпевшей', nextDate: '2026-12-01' }, actor },
    { at: T0 + 25 * MIN, type: 'recording.stopped', payload: { reason: 'hearing_ended' }, actor },
  ];
  return logOf(list);
}

export function sampleInput(locale: ProtocolLocale, events: HearingEvent[] = sampleEvents()): ProtocolInput {
  return {
    locale,
    hearingId: 'h-1',
    court: locale === 'kk' ? 'Астана қаласының мамандандырылған ауданаралық қылмыстық соты' : 'Специализированный межрайонный уголовный суд города Астаны',
    timeZone: 'Asia/Almaty',
    hall: locale === 'kk' ? '3-зал' : 'Зал № 3',
    caseNumber: '7511-26-00-1/245',
    charge: 'УК РК ст. 188 ч. 2 п. 4',
    presidingJudge: 'Ахметова Гульнара Сериковна',
    secretary: 'Жумабекова Айгерим Кайратовна',
    participants: PARTICIPANTS,
    documents: { d1: 'Протокол осмотра места происшествия' },
    events,
  };
}

/** A 6-hour hearing with `notes` notes spread evenly over it, recorded throughout. */
export function longHearing(notes: number): HearingEvent[] {
  const sixHours = 6 * 3600_000;
  const list: FixtureEvent[] = [
    { at: T0, type: 'hearing.opened', payload: {}, actor },
    { at: T0 + 1000, type: 'recording.started', payload: { sources: 3 }, actor },
  ];
  for (let i = 0; i < notes; i++) {
    const at = T0 + 2000 + Math.floor((i * (sixHours - 10_000)) / notes);
    list.push({
      at: at + 500,
      type: 'protocol.note_added',
      payload: {
        noteId: `n${i}`,
        text: `${i % 2 ? 'Свидетель пояснил' : 'Куә түсіндірді'}: ${'показания по обстоятельствам дела, қосымша сұрақтар қойылды'.slice(0, 30 + (i % 40))} № ${i}`,
        speakerParticipantId: i % 3 ? 'p-def' : null,
        startedAt: at,
      },
      actor: secretary,
    });
  }
  list.push({ at: T0 + sixHours, type: 'hearing.ended', payload: {}, actor });
  return logOf(list);
}

/**
 * An event as a test writes it: payloads may leave out what the protocol does not read (a motion's
 * signature and receipt), so a fixture is numbered and taken as the log's events in one place.
 */
export type FixtureEvent = { at: number; type: HearingEventType; payload: object; actor: { userId: string; fullName: string; role: string } };

export function logOf(list: FixtureEvent[]): HearingEvent[] {
  return list.map((e, i) => ({ ...e, hearingId: 'h-1', version: i + 1 }) as HearingEvent);
}
