import assert from 'node:assert/strict';
import { test } from 'node:test';
import { longDateTime, renderNotice, shortDateTime, type NoticeFacts } from './summons-text.ts';

const facts: NoticeFacts = {
  kind: 'hearing.scheduled',
  locale: 'ru',
  fullName: 'Петров Андрей Викторович',
  role: 'witness',
  caseNumber: '7511-26-00-1/245',
  court: { kk: 'Алматы соты', ru: 'Суд Алматы' },
  hall: { name: { kk: '№ 2 зал', ru: 'Зал № 2' }, address: { kk: 'Алматы қ., Абай д-лы, 1', ru: 'г. Алматы, пр. Абая, 1' } },
  // 10:00 on Tuesday 24 November 2026 in Almaty.
  start: new Date('2026-11-24T05:00:00Z'),
  timeZone: 'Asia/Almaty',
  closed: false,
};

test('dates are the court’s wall clock, written as each language writes them', () => {
  // 00:30 on 1 December in Almaty is still 30 November in UTC.
  const at = new Date('2026-11-30T19:30:00Z');
  assert.equal(longDateTime(at, 'Asia/Almaty', 'ru'), '1 декабря 2026 г. (вторник), 00:30');
  assert.equal(longDateTime(at, 'Asia/Almaty', 'kk'), '2026 жылғы 1 желтоқсан (сейсенбі), 00:30');
  assert.equal(shortDateTime(at, 'Asia/Almaty'), '01.12.2026 00:30');
});

test('a summons in Russian names the case, the time, the court, the place and the role', () => {
  const { subject, body, sms } = renderNotice(facts);
  assert.equal(subject, 'Вызов в судебное заседание по делу № 7511-26-00-1/245');
  assert.match(body, /^Уважаемый\(-ая\) Петров Андрей Викторович!\n/);
  assert.match(
    body,
    /Дата и время: 24 ноября 2026 г\. \(вторник\), 10:00 \(местное время\)\nСуд: Суд Алматы\nМесто проведения: Зал № 2\nАдрес: г\. Алматы, пр\. Абая, 1\nВаш процессуальный статус: свидетель\n/,
  );
  assert.doesNotMatch(body, /закрыт/);
  assert.equal(sms, 'Вызов в суд: дело № 7511-26-00-1/245, 24.11.2026 10:00, Зал № 2, г. Алматы, пр. Абая, 1. Ваш статус: свидетель. Суд Алматы');
});

test('a summons in Kazakh, to a closed hearing', () => {
  const { subject, body, sms } = renderNotice({ ...facts, locale: 'kk', role: 'victim', closed: true });
  assert.equal(subject, '№ 7511-26-00-1/245 іс бойынша сот отырысына шақыру');
  assert.match(
    body,
    /Күні мен уақыты: 2026 жылғы 24 қараша \(сейсенбі\), 10:00 \(жергілікті уақыт\)\nСот: Алматы соты\nӨтетін орны: № 2 зал\nМекенжайы: Алматы қ\., Абай д-лы, 1\nПроцестік мәртебеңіз: жәбірленуші\nСот отырысы жабық өткізіледі\./,
  );
  assert.equal(sms, 'Сотқа шақыру: № 7511-26-00-1/245 іс, 24.11.2026 10:00, № 2 зал, Алматы қ., Абай д-лы, 1. Мәртебеңіз: жәбірленуші. Алматы соты');
});

test('an address kept in one language only is given in that one; none at all, no address line', () => {
  assert.match(renderNotice({ ...facts, locale: 'kk', hall: { ...facts.hall, address: { kk: null, ru: 'г. Алматы, пр. Абая, 1' } } }).body, /Мекенжайы: г\. Алматы, пр\. Абая, 1/);
  const none = renderNotice({ ...facts, hall: { ...facts.hall, address: { kk: null, ru: null } } });
  assert.doesNotMatch(none.body, /Адрес/);
  assert.match(none.sms, /10:00, Зал № 2\. Ваш статус/);
});

test('a move states the time before and after', () => {
  const moved = { ...facts, kind: 'hearing.rescheduled' as const, start: new Date('2026-11-25T09:00:00Z'), previousStart: facts.start };
  const ru = renderNotice(moved);
  assert.equal(ru.subject, 'Изменены время или место судебного заседания по делу № 7511-26-00-1/245');
  assert.match(ru.body, /Ранее назначено на: 24 ноября 2026 г\. \(вторник\), 10:00\n\nДата и время: 25 ноября 2026 г\. \(среда\), 14:00/);
  const kk = renderNotice({ ...moved, locale: 'kk' });
  assert.match(kk.body, /Бұрын тағайындалған уақыты: 2026 жылғы 24 қараша \(сейсенбі\), 10:00/);
  // Only the hall changed: no "before" line.
  assert.doesNotMatch(renderNotice({ ...moved, previousStart: moved.start }).body, /Ранее/);
});

test('a cancellation gives the reason; a withdrawn summons says attendance is not needed', () => {
  const cancelled = renderNotice({ ...facts, kind: 'hearing.cancelled', reason: 'Болезнь судьи' });
  assert.equal(cancelled.subject, 'Отмена судебного заседания по делу № 7511-26-00-1/245');
  assert.match(cancelled.body, /Причина: Болезнь судьи/);
  assert.equal(cancelled.sms, 'Заседание по делу № 7511-26-00-1/245 на 24.11.2026 10:00 отменено. Суд Алматы');
  assert.doesNotMatch(renderNotice({ ...facts, kind: 'hearing.cancelled' }).body, /Причина/);
  const kk = renderNotice({ ...facts, locale: 'kk', kind: 'hearing.cancelled', reason: 'Судьяның науқастануы' });
  assert.equal(kk.subject, '№ 7511-26-00-1/245 іс бойынша сот отырысы өткізілмейді');
  assert.match(kk.body, /Себебі: Судьяның науқастануы/);

  const withdrawn = renderNotice({ ...facts, kind: 'summons.withdrawn', locale: 'kk' });
  assert.equal(withdrawn.subject, '№ 7511-26-00-1/245 іс бойынша сот отырысына шақыру кері қайтарылды');
  assert.match(withdrawn.body, /қатысуыңыз талап етілмейді/);
  assert.match(renderNotice({ ...facts, kind: 'summons.withdrawn' }).body, /ваше участие в этом заседании не требуется/);
});
