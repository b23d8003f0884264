/**
 * A defendant who took part by video, as the protocol records it: among those who appeared, marked
 * as by video, after the connection was lost too; the lost connection in the entries, in both
 * languages of the protocol.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProtocol, type LogEvent } from './protocol-build.ts';
import { sampleInput, T0 } from './protocol-fixture.ts';

const judge = { userId: 'u-judge', fullName: 'Ахметова Гульнара Сериковна', role: 'presiding_judge' };
const system = { userId: '', fullName: '', role: 'system' };

function byVideo(): LogEvent[] {
  const list: Omit<LogEvent, 'version'>[] = [
    { at: T0, type: 'hearing.opened', payload: {}, actor: judge },
    { at: T0 + 10_000, type: 'remote.invited', payload: { participantId: 'p-def', fullName: 'Иванов Петр Сергеевич', role: 'defendant', expiresAt: T0 + 86_400_000, channels: [] }, actor: judge },
    { at: T0 + 20_000, type: 'remote.arrived', payload: { participantId: 'p-def' }, actor: { userId: '', fullName: '', role: 'remote_participant' } },
    { at: T0 + 30_000, type: 'remote.admitted', payload: { participantId: 'p-def' }, actor: judge },
    { at: T0 + 30_000, type: 'attendance.recorded', payload: { participantId: 'p-def', attendance: 'remote', previous: null }, actor: judge },
    { at: T0 + 60_000, type: 'remote.disconnected', payload: { participantId: 'p-def', reason: 'connection_lost' }, actor: system },
    { at: T0 + 90_000, type: 'remote.disconnected', payload: { participantId: 'p-def', reason: 'server_restarted' }, actor: system },
  ];
  return list.map((e, i) => ({ ...e, version: i + 1 }));
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
  assert.ok(kkTexts.some((t) => t.endsWith('Иванов Петр Сергеевич: бейнебайланыс үзілді (байланыс жоғалды)')), kkTexts.join('\n'));
  assert.ok(kkTexts.some((t) => t.endsWith('Иванов Петр Сергеевич: сервер қайта іске қосылғанда бейнебайланыс үзілді')), kkTexts.join('\n'));
});
