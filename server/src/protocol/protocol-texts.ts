/**
 * The words of the short protocol in the two languages of proceedings. The protocol is written in
 * the language of the case (Kazakh or Russian), whatever the reader's interface language.
 */
import type { ParticipantRole, TrialStage } from '../../../db/schema.ts';
import { PARTICIPANT_ROLE_NAMES } from '../cases/participant-role-names.ts';
import type { ProtocolLocale } from '../shared/api/protocol.ts';

type Words = {
  title: string;
  court: string;
  hall: string;
  date: string;
  opened: string;
  closed: string;
  caseNumber: string;
  charge: string;
  composition: string;
  presiding: string;
  secretary: string;
  interpreter: string;
  present: string;
  absent: string;
  /** A participant who appeared by video, as listed among the present. */
  byVideo: (who: string) => string;
  none: string;
  recording: string;
  recorded: (media: string) => string;
  notRecorded: string;
  chainHead: string;
  media: { audio: string; audioVideo: string };
  entries: string;
  colTime: string;
  colRecording: string;
  colEntry: string;
  motions: string;
  noMotions: string;
  outcome: string;
  signatures: string;
  draft: string;
  stages: Record<TrialStage, string>;
  roles: Record<ParticipantRole, string>;
  attendance: { present: string; absent: string; remote: string };
  opened_: string;
  stage: (stage: string) => string;
  breakStarted: (until: string | null, reason: string | null) => string;
  breakEnded: string;
  adjourned: (reason: string, nextDate: string | null) => string;
  suspended: (reason: string) => string;
  ended: string;
  attendanceRecorded: (who: string, attendance: string) => string;
  /** `until`: the court time the presentation ended ("hh:mm:ss"); the entry stands at its start. */
  presentation: (who: string, shown: string, until: string) => string;
  presentationNothing: (who: string, until: string) => string;
  sheets: (title: string, volume: number, sheets: string) => string;
  motionKinds: Record<string, string>;
  motionFiled: (who: string, kind: string, number: number | string, text: string) => string;
  motionTakenUp: (who: string, kind: string, number: number | string) => string;
  positions: Record<string, string>;
  motionPosition: (who: string, number: number | string, position: string, text: string | null) => string;
  rulings: Record<string, string>;
  motionRuled: (number: number | string, ruling: string, reasons: string) => string;
  recordingEvents: Record<string, string>;
  remoteEvents: Record<'admitted' | 'left' | 'sent_to_lobby' | 'refused', (who: string) => string>;
  remoteDisconnected: (who: string, reason: 'connection_lost' | 'server_restarted') => string;
  identityEstablished: (who: string, document: string | null) => string;
  rightsExplained: (who: string) => string;
  /** `languages`: "from — to" in the protocol's language; `simultaneous`: interpreted into a channel, else consecutive. */
  interpreterAppointed: (interpreter: string, forWhom: string, languages: string, simultaneous: boolean) => string;
  interpreterReleased: (interpreter: string) => string;
  gap: (label: string) => string;
  gapEnded: (label: string) => string;
  outcomes: { finished: string; adjourned: (reason: string, nextDate: string | null) => string; suspended: (reason: string) => string; open: string };
};

// The protocol names the prosecutor by office, as the hall addresses them.
const ROLES_RU: Record<ParticipantRole, string> = { ...PARTICIPANT_ROLE_NAMES.ru, prosecutor: 'прокурор' };
const ROLES_KK: Record<ParticipantRole, string> = { ...PARTICIPANT_ROLE_NAMES.kk, prosecutor: 'прокурор' };

export const WORDS: Record<ProtocolLocale, Words> = {
  ru: {
    title: 'ПРОТОКОЛ СУДЕБНОГО ЗАСЕДАНИЯ (краткий)',
    court: 'Суд',
    hall: 'Зал',
    date: 'Дата',
    opened: 'Начало',
    closed: 'Окончание',
    caseNumber: 'Уголовное дело №',
    charge: 'Обвинение',
    composition: 'Состав суда',
    presiding: 'Председательствующий',
    secretary: 'Секретарь судебного заседания',
    interpreter: 'Переводчик',
    present: 'Явились',
    absent: 'Не явились',
    byVideo: (who) => `${who} (по видеосвязи)`,
    none: '—',
    recording: 'Аудио-, видеозапись',
    recorded: (media) => `Ход судебного заседания фиксировался средствами ${media}. Краткий протокол является указателем к записи.`,
    notRecorded: 'Аудио-, видеозапись не велась.',
    chainHead: 'Контрольная цепочка записи (голова)',
    media: { audio: 'аудиозаписи', audioVideo: 'аудио- и видеозаписи' },
    entries: 'Ход судебного заседания',
    colTime: 'Время',
    colRecording: 'Запись',
    colEntry: 'Содержание',
    motions: 'Ходатайства и решения по ним',
    noMotions: 'Ходатайства не заявлялись.',
    outcome: 'Итог',
    signatures: 'Подписи',
    draft: 'ПРОЕКТ — не подписан',
    stages: {
      preparatory: 'подготовительная часть',
      investigation: 'судебное следствие',
      pleadings: 'судебные прения',
      last_word: 'последнее слово подсудимого',
      deliberation: 'суд удалился в совещательную комнату',
      announcement: 'провозглашение решения',
    },
    roles: ROLES_RU,
    attendance: { present: 'явился', absent: 'не явился', remote: 'участвует по видеосвязи' },
    opened_: 'Судебное заседание объявлено открытым',
    stage: (stage) => `Переход к стадии: ${stage}`,
    breakStarted: (until, reason) => `Объявлен перерыв${until ? ` до ${until}` : ''}${reason ? ` — ${reason}` : ''}`,
    breakEnded: 'Судебное заседание продолжено после перерыва',
    adjourned: (reason, next) => `Разбирательство отложено: ${reason}${next ? `. Следующее заседание ${next}` : ''}`,
    suspended: (reason) => `Производство приостановлено: ${reason}`,
    ended: 'Судебное заседание объявлено закрытым',
    attendanceRecorded: (who, attendance) => `${who}: ${attendance}`,
    presentation: (who, shown, until) => `${who} представил(а) (до ${until}): ${shown}`,
    presentationNothing: (who, until) => `${who}: выступление без показа документов (до ${until})`,
    sheets: (title, volume, sheets) => `«${title}» (т. ${volume}, л.д. ${sheets})`,
    motionKinds: { motion: 'ходатайство', recusal: 'отвод', objection: 'возражение на действия председательствующего', statement: 'заявление' },
    motionFiled: (who, kind, n, text) => `${who} заявил(а) ${kind} № ${n}: ${text}`,
    motionTakenUp: (who, kind, n) => `К рассмотрению принято ${kind} № ${n} (${who}), поданное вне зала`,
    positions: { supports: 'поддерживает', objects: 'возражает', leaves_to_court: 'оставляет на усмотрение суда' },
    motionPosition: (who, n, position, text) => `${who} по № ${n}: ${position}${text ? ` — ${text}` : ''}`,
    rulings: { granted: 'удовлетворено', denied: 'отказано', granted_in_part: 'удовлетворено частично', deferred: 'разрешение отложено' },
    motionRuled: (n, ruling, reasons) => `По № ${n} суд постановил: ${ruling}. ${reasons}`,
    recordingEvents: {
      'recording.started': 'Начата аудио-, видеозапись',
      'recording.paused': 'Запись приостановлена',
      'recording.resumed': 'Запись возобновлена',
      'recording.stopped': 'Запись остановлена',
    },
    remoteEvents: {
      admitted: (who) => `${who} допущен(а) к участию по видеосвязи`,
      left: (who) => `${who} покинул(а) видеосвязь`,
      sent_to_lobby: (who) => `${who} переведён(а) в зал ожидания видеосвязи`,
      refused: (who) => `${who}: в участии по видеосвязи отказано`,
    },
    remoteDisconnected: (who, reason) => (reason === 'server_restarted' ? `${who}: видеосвязь прервана при перезапуске сервера` : `${who}: видеосвязь прервана (соединение потеряно)`),
    identityEstablished: (who, document) => `Установлена личность: ${who}${document ? ` (${document})` : ''}`,
    rightsExplained: (who) => `${who}: разъяснены процессуальные права и обязанности`,
    interpreterAppointed: (interpreter, forWhom, languages, simultaneous) =>
      `Назначен ${interpreter} (для: ${forWhom}); языки перевода: ${languages}; перевод ${simultaneous ? 'синхронный' : 'последовательный'}. Переводчик предупреждён об уголовной ответственности за заведомо неправильный перевод по статье 420 УК РК`,
    interpreterReleased: (interpreter) => `${interpreter} освобождён(а) от участия в качестве переводчика`,
    gap: (label) => `Пропуск записи: ${label}`,
    gapEnded: (label) => `Запись восстановлена: ${label}`,
    outcomes: {
      finished: 'Решение провозглашено, судебное заседание закрыто.',
      adjourned: (reason, next) => `Разбирательство отложено: ${reason}.${next ? ` Следующее заседание ${next}.` : ''}`,
      suspended: (reason) => `Производство приостановлено: ${reason}.`,
      open: 'Судебное заседание не окончено.',
    },
  },
  kk: {
    title: 'СОТ ОТЫРЫСЫНЫҢ ХАТТАМАСЫ (қысқаша)',
    court: 'Сот',
    hall: 'Зал',
    date: 'Күні',
    opened: 'Басталуы',
    closed: 'Аяқталуы',
    caseNumber: 'Қылмыстық іс №',
    charge: 'Айыптау',
    composition: 'Соттың құрамы',
    presiding: 'Төрағалық етуші',
    secretary: 'Сот отырысының хатшысы',
    interpreter: 'Аудармашы',
    present: 'Келгендер',
    absent: 'Келмегендер',
    byVideo: (who) => `${who} (бейнебайланыс арқылы)`,
    none: '—',
    recording: 'Аудио-, бейнежазба',
    recorded: (media) => `Сот отырысының барысы ${media} құралдарымен тіркелді. Қысқаша хаттама жазбаның көрсеткіші болып табылады.`,
    notRecorded: 'Аудио-, бейнежазба жүргізілмеді.',
    chainHead: 'Жазбаның бақылау тізбегі (басы)',
    media: { audio: 'аудиожазба', audioVideo: 'аудио- және бейнежазба' },
    entries: 'Сот отырысының барысы',
    colTime: 'Уақыты',
    colRecording: 'Жазба',
    colEntry: 'Мазмұны',
    motions: 'Өтінішхаттар және олар бойынша шешімдер',
    noMotions: 'Өтінішхаттар мәлімделген жоқ.',
    outcome: 'Қорытынды',
    signatures: 'Қолтаңбалар',
    draft: 'ЖОБА — қол қойылмаған',
    stages: {
      preparatory: 'дайындық бөлімі',
      investigation: 'сот тергеуі',
      pleadings: 'сот жарыссөздері',
      last_word: 'сотталушының соңғы сөзі',
      deliberation: 'сот кеңесу бөлмесіне кетті',
      announcement: 'шешімді жария ету',
    },
    roles: ROLES_KK,
    attendance: { present: 'келді', absent: 'келмеді', remote: 'бейнебайланыс арқылы қатысады' },
    opened_: 'Сот отырысы ашық деп жарияланды',
    stage: (stage) => `Сатыға көшу: ${stage}`,
    breakStarted: (until, reason) => `Үзіліс жарияланды${until ? `, ${until} дейін` : ''}${reason ? ` — ${reason}` : ''}`,
    breakEnded: 'Сот отырысы үзілістен кейін жалғасты',
    adjourned: (reason, next) => `Іс талқылау кейінге қалдырылды: ${reason}${next ? `. Келесі отырыс ${next}` : ''}`,
    suspended: (reason) => `Іс жүргізу тоқтатыла тұрды: ${reason}`,
    ended: 'Сот отырысы жабық деп жарияланды',
    attendanceRecorded: (who, attendance) => `${who}: ${attendance}`,
    presentation: (who, shown, until) => `${who} ұсынды (${until} дейін): ${shown}`,
    presentationNothing: (who, until) => `${who}: құжат көрсетусіз сөз сөйледі (${until} дейін)`,
    sheets: (title, volume, sheets) => `«${title}» (${volume}-том, ${sheets}-парақтар)`,
    motionKinds: { motion: 'өтінішхат', recusal: 'қарсылық (отвод)', objection: 'төрағалық етушінің әрекетіне қарсылық', statement: 'өтініш' },
    motionFiled: (who, kind, n, text) => `${who} мәлімдеді: ${kind} № ${n}: ${text}`,
    motionTakenUp: (who, kind, n) => `Залдан тыс берілген ${kind} № ${n} (${who}) қарауға алынды`,
    positions: { supports: 'қолдайды', objects: 'қарсы', leaves_to_court: 'сот қалауына қалдырады' },
    motionPosition: (who, n, position, text) => `${who}, № ${n} бойынша: ${position}${text ? ` — ${text}` : ''}`,
    rulings: { granted: 'қанағаттандырылды', denied: 'қанағаттандырудан бас тартылды', granted_in_part: 'ішінара қанағаттандырылды', deferred: 'шешу кейінге қалдырылды' },
    motionRuled: (n, ruling, reasons) => `№ ${n} бойынша сот қаулы етті: ${ruling}. ${reasons}`,
    recordingEvents: {
      'recording.started': 'Аудио-, бейнежазба басталды',
      'recording.paused': 'Жазба тоқтатыла тұрды',
      'recording.resumed': 'Жазба қайта басталды',
      'recording.stopped': 'Жазба тоқтатылды',
    },
    remoteEvents: {
      admitted: (who) => `${who} бейнебайланыс арқылы қатысуға жіберілді`,
      left: (who) => `${who} бейнебайланыстан шықты`,
      sent_to_lobby: (who) => `${who} бейнебайланыстың күту залына ауыстырылды`,
      refused: (who) => `${who}: бейнебайланыс арқылы қатысудан бас тартылды`,
    },
    remoteDisconnected: (who, reason) => (reason === 'server_restarted' ? `${who}: сервер қайта іске қосылғанда бейнебайланыс үзілді` : `${who}: бейнебайланыс үзілді (байланыс жоғалды)`),
    identityEstablished: (who, document) => `Жеке басы анықталды: ${who}${document ? ` (${document})` : ''}`,
    rightsExplained: (who) => `${who}: іс жүргізу құқықтары мен міндеттері түсіндірілді`,
    interpreterAppointed: (interpreter, forWhom, languages, simultaneous) =>
      `${interpreter} тағайындалды (кім үшін: ${forWhom}); аударма тілдері: ${languages}; аударма ${simultaneous ? 'ілеспе' : 'кезектес'}. Аудармашы ҚР ҚК 420-бабы бойынша көрінеу дұрыс емес аударма үшін қылмыстық жауаптылық туралы ескертілді`,
    interpreterReleased: (interpreter) => `${interpreter} аудармашы ретінде қатысудан босатылды`,
    gap: (label) => `Жазбадағы үзіліс: ${label}`,
    gapEnded: (label) => `Жазба қалпына келді: ${label}`,
    outcomes: {
      finished: 'Шешім жария етілді, сот отырысы жабылды.',
      adjourned: (reason, next) => `Іс талқылау кейінге қалдырылды: ${reason}.${next ? ` Келесі отырыс ${next}.` : ''}`,
      suspended: (reason) => `Іс жүргізу тоқтатыла тұрды: ${reason}.`,
      open: 'Сот отырысы аяқталған жоқ.',
    },
  },
};
