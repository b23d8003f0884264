/**
 * A defendant who took part by video, as the protocol records it: among those who appeared, marked
 * as by video, after the connection was lost too; the lost connection in the entries, in both
 * languages of the protocol.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProtocol } from './protocol-build.ts';
import type { HearingEvent } from '../shared/hearing/state.ts';
import { logOf, sampleInput, T0, type FixtureEvent } from './protocol-fixture.ts';

const judge = { userId: 'u-judge', fullName: 'Ахметова Гульнара Сериковна', role: 'presiding_judge' };
const system = { userId: '', fullName: '', role: 'system' };

function byVideo(): HearingEvent[] {
  const list: FixtureEvent[] = [
    { at: T0, type: 'hearing.opened', payload: {}, actor: judge },
    { at: T0 + 10_000, type: 'remote.invited', payload: { participantId: 'p-def', fullName: 'Иванов Петр Сергеевич', role: 'defendant', expiresAt: T0 + 86_400_000, channels: [] }, actor: judge },
    { at: T0 + 20_000, type: 'remote.arrived', payload: { participantId: 'p-def' }, actor: { userId: '', fullName: '', role: 'remote_participant' } },
    { at: T0 + 30_000, type: 'remote.admitted', payload: { participantId: 'p-def' }, actor: judge },
    { at: T0 + 30_000, type: 'attendance.recorded', payload: { participantId: 'p-def', attendance: 'remote', previous: null }, actor: judge },
    { at: T0 + 60_000, type: 'remote.disconnected', payload: { participantId: 'p-def', reason: 'connection_lost' }, actor: system },
    { at: T0 + 90_000, type: 'remote.disconnected', payload: { participantId: 'p-def', reason: 'server_restarted' }, actor: system },
  ];
  return logOf(list);
}

test('appearing by video: listed among those who appeared, marked so; lost connections in the entries', () => {
  const ru = buildProtocol(sampleInput('ru', byVideo()));
  assert.deepEqual(ru.present, ['подсудимый Иванов Петр Сергеевич (по видеосвязи)']);
  assert.deepEqual(ru.remote, ['подсудимый Иванов Петр Сергеевич']);
  const texts = ru.entries.map((e) => e.text);
  assert.ok(texts.includes('подсудимый Иванов Петр Сергеевич: видеосвязь прервана (соединение потеряно)'), texts.join('\n'));
  assert.ok(texts.includes('подсудимый Иванов Петр Сергеевич: видеосвязь прервана при перезапуске сервера'), texts.join('\n'));

  const kk = buildProtocol(sampleInput('kk', byVideo()));
  assert.equal(kk.present.length, 1);
  assert.match(kk.present[0], /Иванов Петр Сергеевич \(бейнебайланыс арқылы\)$/);
  const kkTexts = kk.entries.map((e) => e.text);
  assert.ok(
    kkTexts.some((t) => t.endsWith('Иванов Петр Сергеевич: бейнебайланыс үзілді (байланыс жоғалды)')),
    kkTexts.join('\n'),
  );
  assert.ok(
    kkTexts.some((t) => t.endsWith('Иванов Петр Сергеевич: сервер қайта іске қосылғанда бейнебайланыс үзілді')),
    kkTexts.join('\n'),
  );
});

test('entries stand in time order, each automatic one at the moment it happened: a presentation where it began, a gap where media stopped', () => {
  const prosecutor = { userId: 'u-pro', fullName: 'Сапаров Ерлан Маратович', role: 'prosecutor' };
  const secretary = { userId: 'u-sec', fullName: 'Секретарь', role: 'secretary' };
  const at = (hh: number, mm: number, ss: number) => Date.UTC(2026, 10, 24, hh - 5, mm, ss); // court time is UTC+5
  const list: FixtureEvent[] = [
    { at: at(16, 0, 0), type: 'hearing.opened', payload: {}, actor: judge },
    { at: at(16, 0, 5), type: 'recording.started', payload: { sources: 1 }, actor: judge },
    { at: at(16, 14, 49), type: 'floor.given', payload: { presenter: { ...prosecutor, participantId: 'p-pro' }, presentationId: 'pr1' }, actor: judge },
    // Notes the secretary began while the prosecutor presented, and one after.
    { at: at(16, 15, 2), type: 'protocol.note_added', payload: { noteId: 'n1', text: 'Прокурор оглашает протокол осмотра', speakerParticipantId: null, startedAt: at(16, 15, 0) }, actor: secretary },
    { at: at(16, 15, 40), type: 'protocol.note_added', payload: { noteId: 'n2', text: 'Защитник задаёт вопрос', speakerParticipantId: null, startedAt: at(16, 15, 30) }, actor: secretary },
    // The presentation ran 16:14:49–16:15:15; the floor was taken back only at 16:16:13.
    {
      at: at(16, 16, 13),
      type: 'presentation.ended',
      payload: { presentationId: 'pr1', presenter: { ...prosecutor, participantId: 'p-pro' }, startedAt: at(16, 14, 49), reason: 'ended', shown: [{ documentId: 'd1', volume: 1, sheets: [5] }] },
      actor: judge,
    },
    // The camera's media stopped at 16:16:00; the recorder noticed it at 16:16:20 and it came back at 16:16:30.
    { at: at(16, 16, 20), type: 'recording.gap_started', payload: { gapId: 'g1', trackId: 't1', sourceId: 's1', label: 'Камера зала', reason: 'no_media', from: at(16, 16, 0) }, actor: system },
    {
      at: at(16, 16, 34),
      type: 'recording.gap_ended',
      payload: { gapId: 'g1', trackId: 't1', sourceId: 's1', label: 'Камера зала', reason: 'no_media', from: at(16, 16, 0), to: at(16, 16, 30) },
      actor: system,
    },
  ];
  const events = logOf(list);
  const protocol = buildProtocol(sampleInput('ru', events));
  const times = protocol.entries.map((e) => `${e.time} ${e.type}`);
  assert.deepEqual(times, [
    '16:00:00 hearing.opened',
    '16:00:05 recording.started',
    '16:14:49 presentation.ended',
    '16:15:00 protocol.note_added',
    '16:15:30 protocol.note_added',
    '16:16:00 recording.gap_started',
    '16:16:30 recording.gap_ended',
  ]);
  const presentation = protocol.entries.find((e) => e.type === 'presentation.ended')!;
  assert.match(presentation.text, /представил\(а\) \(до 16:16:13\)/);
  // Its playback link is where it began: 14 min 44 s into the recording.
  assert.equal(presentation.recordingMs, (14 * 60 + 44) * 1000);
  const sorted = [...protocol.entries].sort((a, b) => a.at - b.at);
  assert.deepEqual(protocol.entries, sorted, 'in time order');
});
