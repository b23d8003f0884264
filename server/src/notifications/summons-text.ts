/**
 * The words of a summons and of the notices that follow it (moved, cancelled, withdrawn), in
 * Kazakh or Russian: an e-mail (subject and body) and a short SMS. Dates and times are the
 * court's wall clock (its time zone, Asia/Almaty for Kazakhstan), written out by hand so the
 * text does not depend on the ICU data of the machine that sends it.
 */
import type { HearingNoticeKind, ParticipantRole } from '../../../db/schema.ts';
import { PARTICIPANT_ROLE_NAMES } from '../cases/participant-role-names.ts';
import { toZonedTime } from '../shared/court-time.ts';

export type NoticeLocale = 'kk' | 'ru';
type Both = { kk: string; ru: string };

export type NoticeFacts = {
  kind: HearingNoticeKind;
  locale: NoticeLocale;
  fullName: string;
  role: ParticipantRole;
  caseNumber: string;
  court: Both;
  hall: { name: Both; address: { kk: string | null; ru: string | null } };
  /** The hearing's time: the new one when it was moved. */
  start: Date;
  /** The time before a move; shown when it differs from `start`. */
  previousStart?: Date;
  timeZone: string;
  closed: boolean;
  /** Why a hearing was cancelled, as the court wrote it. */
  reason?: string | null;
  /** The one-time link of a remote-participation invitation (kind `remote.invitation`). */
  link?: string;
};

export type NoticeText = { subject: string; body: string; sms: string };

const ROLES = PARTICIPANT_ROLE_NAMES;

const MONTHS: Record<NoticeLocale, string[]> = {
  kk: ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'],
  // Genitive, as a date is written: "24 ноября".
  ru: ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'],
};

/** Sunday first, like Date.getUTCDay(). */
const WEEKDAYS: Record<NoticeLocale, string[]> = {
  kk: ['жексенбі', 'дүйсенбі', 'сейсенбі', 'сәрсенбі', 'бейсенбі', 'жұма', 'сенбі'],
  ru: ['воскресенье', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота'],
};

const two = (n: number) => String(n).padStart(2, '0');

/** kk "2026 жылғы 24 қараша (сейсенбі), 10:00"; ru "24 ноября 2026 г. (вторник), 10:00". */
export function longDateTime(at: Date, timeZone: string, locale: NoticeLocale): string {
  const l = toZonedTime(timeZone, at);
  const time = `${two(l.hour)}:${two(l.minute)}`;
  const weekday = WEEKDAYS[locale][l.weekday];
  return locale === 'kk' ? `${l.year} жылғы ${l.day} ${MONTHS.kk[l.month - 1]} (${weekday}), ${time}` : `${l.day} ${MONTHS.ru[l.month - 1]} ${l.year} г. (${weekday}), ${time}`;
}

/** "24.11.2026 10:00", for SMS. */
export function shortDateTime(at: Date, timeZone: string): string {
  const l = toZonedTime(timeZone, at);
  return `${two(l.day)}.${two(l.month)}.${l.year} ${two(l.hour)}:${two(l.minute)}`;
}

export function renderNotice(facts: NoticeFacts): NoticeText {
  return facts.locale === 'kk' ? kazakh(facts) : russian(facts);
}

/** The hall's address in the notice's language, else in the other one, else nothing. */
function addressOf(facts: NoticeFacts): string | null {
  const { kk, ru } = facts.hall.address;
  return facts.locale === 'kk' ? (kk ?? ru) : (ru ?? kk);
}

function lines(...parts: (string | false | null | undefined)[]): string {
  return parts.filter((p) => p !== false && p !== null && p !== undefined).join('\n');
}

function kazakh(f: NoticeFacts): NoticeText {
  const when = longDateTime(f.start, f.timeZone, 'kk');
  const short = shortDateTime(f.start, f.timeZone);
  const address = addressOf(f);
  const place = [f.hall.name.kk, address].filter(Boolean).join(', ');
  const details = lines(
    `Күні мен уақыты: ${when} (жергілікті уақыт)`,
    `Сот: ${f.court.kk}`,
    `Өтетін орны: ${f.hall.name.kk}`,
    address && `Мекенжайы: ${address}`,
    `Процестік мәртебеңіз: ${ROLES.kk[f.role]}`,
    f.closed && 'Сот отырысы жабық өткізіледі.',
  );
  const footer = 'Хабарлама e-Zal жүйесі арқылы автоматты түрде жіберілді.';
  const greeting = `Құрметті ${f.fullName}!`;
  switch (f.kind) {
    case 'hearing.scheduled':
      return {
        subject: `№ ${f.caseNumber} іс бойынша сот отырысына шақыру`,
        body: lines(
          greeting,
          '',
          `Сіз № ${f.caseNumber} қылмыстық іс бойынша сот отырысына шақырыласыз.`,
          '',
          details,
          '',
          'Өзіңізбен бірге жеке басыңызды куәландыратын құжатты алыңыз. Келу мүмкін болмаса, бұл туралы сотқа алдын ала хабарлаңыз.',
          '',
          footer,
        ),
        sms: `Сотқа шақыру: № ${f.caseNumber} іс, ${short}, ${place}. Мәртебеңіз: ${ROLES.kk[f.role]}. ${f.court.kk}`,
      };
    case 'hearing.rescheduled':
      return {
        subject: `№ ${f.caseNumber} іс бойынша сот отырысының уақыты немесе орны өзгертілді`,
        body: lines(
          greeting,
          '',
          `№ ${f.caseNumber} қылмыстық іс бойынша сот отырысының уақыты немесе орны өзгертілді.`,
          f.previousStart && f.previousStart.getTime() !== f.start.getTime() && `Бұрын тағайындалған уақыты: ${longDateTime(f.previousStart, f.timeZone, 'kk')}`,
          '',
          details,
          '',
          footer,
        ),
        sms: `№ ${f.caseNumber} іс бойынша сот отырысы өзгертілді: ${short}, ${place}. ${f.court.kk}`,
      };
    case 'hearing.cancelled':
      return {
        subject: `№ ${f.caseNumber} іс бойынша сот отырысы өткізілмейді`,
        body: lines(
          greeting,
          '',
          `№ ${f.caseNumber} қылмыстық іс бойынша сот отырысы өткізілмейді.`,
          `Тағайындалған уақыты: ${when}`,
          `Сот: ${f.court.kk}`,
          f.reason && `Себебі: ${f.reason}`,
          '',
          'Келесі сот отырысының күні туралы сізге қосымша хабарланады.',
          '',
          footer,
        ),
        sms: `№ ${f.caseNumber} іс бойынша ${short} сот отырысы өткізілмейді. ${f.court.kk}`,
      };
    case 'remote.invitation':
      return {
        subject: `№ ${f.caseNumber} іс бойынша сот отырысына бейнебайланыс арқылы қатысуға шақыру`,
        body: lines(
          greeting,
          '',
          `Сіз № ${f.caseNumber} қылмыстық іс бойынша сот отырысына бейнебайланыс арқылы қатысуға шақырыласыз.`,
          `Отырыс уақыты: ${when}`,
          `Сот: ${f.court.kk}`,
          `Қосылу сілтемесі (бір рет қолданылады): ${f.link}`,
          'Жеке басыңызды куәландыратын құжатты дайындаңыз.',
          '',
          footer,
        ),
        sms: `№ ${f.caseNumber} іс, ${short}: бейнебайланыс арқылы қатысу сілтемесі ${f.link}`,
      };
    case 'summons.withdrawn':
      return {
        subject: `№ ${f.caseNumber} іс бойынша сот отырысына шақыру кері қайтарылды`,
        body: lines(
          greeting,
          '',
          `№ ${f.caseNumber} қылмыстық іс бойынша сот отырысына шақыру кері қайтарылды: бұл отырысқа қатысуыңыз талап етілмейді.`,
          `Отырыс уақыты: ${when}`,
          `Сот: ${f.court.kk}`,
          '',
          footer,
        ),
        sms: `№ ${f.caseNumber} іс бойынша ${short} сот отырысына шақыру кері қайтарылды. ${f.court.kk}`,
      };
  }
}

function russian(f: NoticeFacts): NoticeText {
  const when = longDateTime(f.start, f.timeZone, 'ru');
  const short = shortDateTime(f.start, f.timeZone);
  const address = addressOf(f);
  const place = [f.hall.name.ru, address].filter(Boolean).join(', ');
  const details = lines(
    `Дата и время: ${when} (местное время)`,
    `Суд: ${f.court.ru}`,
    `Место проведения: ${f.hall.name.ru}`,
    address && `Адрес: ${address}`,
    `Ваш процессуальный статус: ${ROLES.ru[f.role]}`,
    f.closed && 'Судебное заседание закрытое.',
  );
  const footer = 'Сообщение отправлено автоматически системой e-Zal.';
  const greeting = `Уважаемый(-ая) ${f.fullName}!`;
  switch (f.kind) {
    case 'hearing.scheduled':
      return {
        subject: `Вызов в судебное заседание по делу № ${f.caseNumber}`,
        body: lines(
          greeting,
          '',
          `Вы вызываетесь в судебное заседание по уголовному делу № ${f.caseNumber}.`,
          '',
          details,
          '',
          'При себе необходимо иметь документ, удостоверяющий личность. О невозможности явки сообщите суду заранее.',
          '',
          footer,
        ),
        sms: `Вызов в суд: дело № ${f.caseNumber}, ${short}, ${place}. Ваш статус: ${ROLES.ru[f.role]}. ${f.court.ru}`,
      };
    case 'hearing.rescheduled':
      return {
        subject: `Изменены время или место судебного заседания по делу № ${f.caseNumber}`,
        body: lines(
          greeting,
          '',
          `Изменены время или место судебного заседания по уголовному делу № ${f.caseNumber}.`,
          f.previousStart && f.previousStart.getTime() !== f.start.getTime() && `Ранее назначено на: ${longDateTime(f.previousStart, f.timeZone, 'ru')}`,
          '',
          details,
          '',
          footer,
        ),
        sms: `Заседание по делу № ${f.caseNumber} изменено: ${short}, ${place}. ${f.court.ru}`,
      };
    case 'hearing.cancelled':
      return {
        subject: `Отмена судебного заседания по делу № ${f.caseNumber}`,
        body: lines(
          greeting,
          '',
          `Судебное заседание по уголовному делу № ${f.caseNumber} отменено.`,
          `Было назначено на: ${when}`,
          `Суд: ${f.court.ru}`,
          f.reason && `Причина: ${f.reason}`,
          '',
          'О дате следующего судебного заседания вы будете извещены дополнительно.',
          '',
          footer,
        ),
        sms: `Заседание по делу № ${f.caseNumber} на ${short} отменено. ${f.court.ru}`,
      };
    case 'remote.invitation':
      return {
        subject: `Приглашение к участию в судебном заседании по делу № ${f.caseNumber} по видеосвязи`,
        body: lines(
          greeting,
          '',
          `Вы приглашены участвовать в судебном заседании по уголовному делу № ${f.caseNumber} по видеосвязи.`,
          `Время заседания: ${when}`,
          `Суд: ${f.court.ru}`,
          `Ссылка для подключения (действует один раз): ${f.link}`,
          'Приготовьте документ, удостоверяющий личность.',
          '',
          footer,
        ),
        sms: `Дело № ${f.caseNumber}, ${short}: ссылка для участия по видеосвязи ${f.link}`,
      };
    case 'summons.withdrawn':
      return {
        subject: `Отзыв вызова в судебное заседание по делу № ${f.caseNumber}`,
        body: lines(
          greeting,
          '',
          `Ваш вызов в судебное заседание по уголовному делу № ${f.caseNumber} отозван: ваше участие в этом заседании не требуется.`,
          `Заседание назначено на: ${when}`,
          `Суд: ${f.court.ru}`,
          '',
          footer,
        ),
        sms: `Вызов в заседание по делу № ${f.caseNumber} на ${short} отозван. ${f.court.ru}`,
      };
  }
}
