import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from '../i18n/en.ts';
import { kk } from '../i18n/kk.ts';
import { ru } from '../i18n/ru.ts';
import type { HearingEvent } from '$server/shared/hearing/state.ts';
import { eventText, type Texts } from './event-text.ts';

/** Like the app's i18n, `t` needs its instance (`this`): a detached call fails. */
class FakeI18n implements Texts {
  #dictionary: Record<string, string>;
  constructor(dictionary: Record<string, string>) {
    this.#dictionary = dictionary;
  }
  t(key: keyof typeof en, params?: Record<string, string | number>): string {
    return this.#dictionary[key].replace(/\{(\w+)\}/g, (whole, name: string) => String(params?.[name] ?? whole));
  }
  day(value: string): string {
    return value.split('-').reverse().join('.');
  }
  time(): string {
    return '11:30';
  }
}

const texts = (dictionary: Record<string, string>): Texts => new FakeI18n(dictionary);

const actor = { userId: 'u1', fullName: 'Ахметова Г. С.', role: 'presiding_judge' as const };
const at = (body: Pick<HearingEvent, 'type' | 'payload'>) => ({ ...body, hearingId: 'h', version: 1, at: 0, actor }) as HearingEvent;
const participants = [{ id: 'p1', role: 'defendant' as const, fullName: 'Иванов П. С.', userId: null }];
const prosecutor = { userId: 'u2', fullName: 'Сапаров Е. М.', role: 'prosecutor' as const, participantId: 'p2' };

test('log lines name the stage, the person and the sheets in the reader’s language', () => {
  assert.equal(eventText(texts(ru), at({ type: 'stage.changed', payload: { from: 'preparatory', to: 'investigation' } }), participants), 'Стадия: Судебное следствие');
  assert.equal(
    eventText(texts(ru), at({ type: 'attendance.recorded', payload: { participantId: 'p1', attendance: 'remote', previous: null } }), participants),
    'Подсудимый Иванов П. С.: По видеосвязи',
  );
  assert.equal(eventText(texts(en), at({ type: 'floor.given', payload: { presenter: prosecutor, presentationId: 'x' } }), participants), 'The floor to present goes to Prosecutor Сапаров Е. М.');
  const ended = at({
    type: 'presentation.ended',
    payload: {
      presentationId: 'x',
      presenter: prosecutor,
      startedAt: 0,
      reason: 'ended',
      shown: [
        { documentId: 'd', volume: 2, sheets: [5, 7] },
        { documentId: 'e', volume: 1, sheets: [6] },
      ],
    },
  });
  assert.equal(eventText(texts(ru), ended, participants), 'Показ завершён — Прокурор Сапаров Е. М.: т. 2, л. 5, 7; т. 1, л. 6');
  assert.equal(eventText(texts(en), at({ type: 'break.started', payload: { until: 1, reason: 'Обед' } }), participants), 'Break until 11:30 — Обед');
  assert.equal(
    eventText(texts(en), at({ type: 'hearing.adjourned', payload: { reason: 'Witness absent', nextDate: '2026-12-01' } }), participants),
    'Hearing adjourned: Witness absent. It continues on 01.12.2026.',
  );
});

test('motions in the log: filed, a position, a ruling — by number, in the reader’s language', () => {
  const motion = {
    id: 'm1',
    number: 3,
    kind: 'recusal' as const,
    subtype: null,
    text: 'Отвод секретарю',
    refs: [],
    attachments: [],
    filer: { userId: 'u2', fullName: 'Сапаров Е. М.', role: 'prosecutor' as const, participantId: 'p2' },
    filedAt: 0,
    receipt: { number: 'M-20261124-3', sha256: 'x' },
    signature: { signerName: 'Сапаров', signerIin: '850412300125', issuer: 'CA', serialNumber: '1', validTo: '' },
    status: 'filed' as const,
    positions: [],
    ruling: null,
  };
  assert.equal(eventText(texts(ru), at({ type: 'motion.filed', payload: { motion } }), participants, [motion]), 'Государственный обвинитель Сапаров Е. М. заявил(а): Отвод № 3');
  assert.equal(
    eventText(
      texts(en),
      at({ type: 'motion.position_stated', payload: { motionId: 'm1', participantId: 'p3', fullName: 'Ким В. А.', role: 'defender', position: 'objects', text: 'Нет оснований' } }),
      participants,
      [motion],
    ),
    'Defence lawyer Ким В. А. on no. 3: objects — Нет оснований',
  );
  assert.equal(eventText(texts(ru), at({ type: 'motion.ruled', payload: { motionId: 'm1', ruling: 'denied', reasons: 'Оснований нет.' } }), participants, [motion]), '№ 3: отказано. Оснований нет.');
});

test('the protocol in the log: notes, corrections and signatures, in the reader’s language', () => {
  const note = at({ type: 'protocol.note_added', payload: { noteId: 'n1', text: 'Личность установлена', speakerParticipantId: null, startedAt: 0 } });
  assert.equal(eventText(texts(ru), note, participants), 'Запись в протокол: Личность установлена');
  const edited = at({ type: 'protocol.note_edited', payload: { noteId: 'n1', text: 'Личность подсудимого установлена', speakerParticipantId: 'p1' } });
  assert.equal(eventText(texts(en), edited, participants), 'Protocol note corrected: Личность подсудимого установлена');
  const signer = { signerName: 'x', signerIin: '1', issuer: 'CA', serialNumber: '1', signingTime: null, validFrom: '', validTo: '' };
  const signed = (by: 'secretary' | 'judge') =>
    at({ type: 'protocol.signed', payload: { signature: { by, userId: 'u', fullName: 'x', sha256: 'a', signatureSha256: 'b', at: 0, signer }, frozenVersion: 9, documentId: null } });
  assert.equal(eventText(texts(ru), signed('secretary'), participants), 'Секретарь подписал(а) протокол');
  assert.equal(eventText(texts(ru), signed('judge'), participants), 'Председательствующий подписал(а) протокол; он добавлен в материалы дела');
});

test('a remote participant whose connection was lost, in every language of the interface', () => {
  const lost = (reason: 'connection_lost' | 'server_restarted') => at({ type: 'remote.disconnected', payload: { participantId: 'p1', reason } });
  assert.equal(eventText(texts(ru), lost('connection_lost'), participants), 'Иванов П. С.: видеосвязь прервана');
  assert.equal(eventText(texts(ru), lost('server_restarted'), participants), 'Иванов П. С.: видеосвязь прервана при перезапуске сервера');
  assert.equal(eventText(texts(en), lost('connection_lost'), participants), 'Иванов П. С.: video connection lost');
  assert.equal(eventText(texts(kk), lost('server_restarted'), participants), 'Иванов П. С.: сервер қайта іске қосылғанда бейнебайланыс үзілді');
});
