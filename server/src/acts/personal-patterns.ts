/**
 * Pattern rules for personal data that has a shape of its own, whoever it belongs to: e-mails,
 * Kazakhstan phone numbers, IINs, dates said to be birth dates, vehicle plates and street
 * addresses. Each rule returns spans of the text; depersonalise.ts joins them with the names and
 * writes the placeholders. Spans, not replacements, so that rules cannot break each other's
 * matches and the measurement (depersonalise.measure.ts) can see exactly what was masked.
 */

export type DataKind = 'iin' | 'phone' | 'email' | 'address' | 'birth' | 'plate';
export type DataSpan = { start: number; end: number; kind: DataKind };

export const RU_MONTHS = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];
export const KK_MONTHS = ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'];

const L = '\\p{L}\\p{N}';
const EMAIL = new RegExp(`(?<![${L}._%+-])[${L}._%+-]+@[${L}-]+(?:\\.[${L}-]+)*\\.\\p{L}{2,}`, 'gu');
/**
 * +7 701 123 45 67, 8 (701) 123-45-67, +77011234567, and city lines with a 4- or 5-digit code
 * (8 (7182) 61-23-45): the country prefix and ten digits, any separators between them.
 */
const PHONE = /(?:\+\s?7|(?<![\d+.,])8)(?:[\s\-–()]{0,3}\d){10}(?![\d])/g;
/** An IIN is twelve digits; longer runs (ERDR and case numbers) are not IINs. */
const IIN = /(?<!\d)\d{12}(?!\d)/g;
const DATE = `(?:\\d{1,2}\\.\\d{1,2}\\.\\d{4}|\\d{1,2}\\s+(?:${RU_MONTHS.join('|')})\\s+\\d{4}|\\d{4}\\s+жылғы\\s+\\d{1,2}\\s+(?:${KK_MONTHS.join('|')})\\p{L}*)`;
/** A date said to be someone's birth date: "14.03.1999 г.р.", "14 марта 1999 года рождения", "1999 жылғы 14 наурызда туған". */
const BIRTH = new RegExp(`${DATE}(?=\\s*(?:года|г\\.)?\\s*(?:рождения|г\\.\\s?р\\.|р\\.|туған|ж\\.\\s?т\\.))`, 'giu');

/**
 * Kazakhstan's plates: "777 KZA 02", "045 AAA 05", "123ABC02" (three digits, two or three letters,
 * the region), and the pre-2012 "A 123 BCD" (region letter, three digits, letters). Acts type the
 * letters in Latin or in their Cyrillic look-alikes (А В Е К М Н О Р С Т Х У).
 */
const PLATE_LETTER = '[A-ZАВЕКМНОРСТХУ]';
const PLATE = new RegExp(`(?<![\\p{L}\\d])(?:\\d{3}\\s?${PLATE_LETTER}{2,3}\\s?\\d{2}|${PLATE_LETTER}\\s?\\d{3}\\s?${PLATE_LETTER}{2,3})(?![\\p{L}\\d])`, 'gu');

// ---- Addresses ---------------------------------------------------------------------------------

/** A street's name: capitalised words, numbers ("8 Марта", "Аксай-4"), and the lowercase titles of the people streets are named after (Толе би, Тәуке хан, Бұқар жырау, Кабанбай батыра). */
const NAME_WORD = `(?:[«"]?[\\p{Lu}\\d][\\p{L}\\d-]*[»"]?)`;
const TITLE = '(?:би|хан|хана|батыр|батыра|батыры|жырау|ақын|акын|ата|ана|бек|бия)';
const STREET_NAME = `${NAME_WORD}(?:[ \\t]+(?:${NAME_WORD}|${TITLE}))?(?:[ \\t]+${TITLE})?`;
/** House and flat after a street: ", д. 5", " 5", ", 48-15", ", 64/1", "10а". */
const HOUSE = '(?:,?\\s*(?:д\\.|дом\\p{L}*|үй)?\\s*№?\\s*\\d+[а-яa-z]?(?:\\s*[/-]\\s*\\d+[а-яa-z]?)?(?![\\d.,]\\d))';

const STREET_RU = new RegExp(
  `(?<![\\p{L}])(?:ул\\.|улиц\\p{L}*|пр\\.|пр-т\\p{L}*|просп\\.|проспект\\p{L}*|мкр\\.?|микрорайон\\p{L}*|пер\\.|переул\\p{L}*|б-р|бульвар\\p{L}*|наб\\.|набережн\\p{L}*|ж\\.?м\\.|жилой массив|шоссе|тупик\\p{L}*|проезд\\p{L}*|көш\\.|даңғ\\.)\\s*${STREET_NAME}${HOUSE}?`,
  'gu',
);
/**
 * Kazakh order: the name first, then the kind of street: "Абай көшесі 5", "Тәуке хан даңғылы, 5-үй",
 * "Тұран шағын ауданы". Found from the kind word backwards (a regular expression trying every
 * capitalised word of the act as a street's start is what made this slow).
 */
const STREET_KK_KIND = /(?<![\p{L}])(?:көшесі|даңғылы|шағын\s+ауданы|ықшамауданы|ш\.\s?а\.|тұйық\s+көшесі|тұйығы|шоссесі|алаңы)\p{L}*(?:,?\s*\d+[а-яa-z]?(?:\s*[/-]\s*\d+)?(?![\d\p{L}-]))?/gu;
const STREET_KK_NAME = new RegExp(`(?:${NAME_WORD}[ \\t]+)?${NAME_WORD}[ \\t]+(?:${TITLE}[ \\t]+)?$`, 'u');
/** House and flat on their own: "д. 12", "дом № 45", "кв. 5", "квартира 64", "үй 7", "пәтер 12", "10-үй", "25-пәтерде". */
const HOUSE_OR_FLAT = /(?:(?<![\p{L}])(?:д\.|дом[аеу]?|кв\.|квартир\p{L}*|үй\p{L}*|пәтер\p{L}*)\s*№?\s*\d+[\p{L}]?(?:\s*[/-]\s*\d+)?|\d+[\p{L}]?\s*-?\s*(?:үй|пәтер)\p{L}*)/gu;
/** A village is part of an address next to a street or house: "Абай ауылы, Достық көшесі, 3-үй", "село Мичурино, ул. Садовая, 7". */
const VILLAGE_BEFORE = /(?:\p{Lu}[\p{L}-]*\s+(?:ауылы|ауылында|кенті)|(?<![\p{L}])(?:с\.|село|селе|села|пос\.|поселок|поселке|п\.|аул|ауыл)\s*\p{Lu}[\p{L}-]*)[\s,]*$/u;

/** Every match of a global pattern (an exec loop: matchAll clones the expression on every call). */
export function matchesOf(text: string, pattern: RegExp, kind: DataKind): DataSpan[] {
  const spans: DataSpan[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    spans.push({ start: m.index, end: m.index + m[0].length, kind });
    if (m[0].length === 0) pattern.lastIndex++;
  }
  return spans;
}

function kazakhStreets(text: string): DataSpan[] {
  const spans: DataSpan[] = [];
  for (const m of text.matchAll(STREET_KK_KIND)) {
    const name = STREET_KK_NAME.exec(text.slice(Math.max(0, m.index - 80), m.index));
    if (name) spans.push({ start: m.index - name[0].length, end: m.index + m[0].length, kind: 'address' });
  }
  return spans;
}

/** Street, house and flat spans, the pieces of one address joined ("ул. Абая, д. 5, кв. 12" is one). */
export function addressSpans(text: string): DataSpan[] {
  const joined = joinAdjacent([...matchesOf(text, STREET_RU, 'address'), ...kazakhStreets(text), ...matchesOf(text, HOUSE_OR_FLAT, 'address')], text);
  // A village stays unless an address follows it directly.
  for (const address of joined) {
    const village = VILLAGE_BEFORE.exec(text.slice(Math.max(0, address.start - 60), address.start));
    if (village) address.start -= village[0].length;
  }
  return joined;
}

/** Overlapping spans, and spans with only a comma and blanks between them, become one. */
export function joinAdjacent(spans: DataSpan[], text: string): DataSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: DataSpan[] = [];
  for (const span of sorted) {
    const last = out.at(-1);
    if (last && (span.start <= last.end || /^[ ,]{1,3}$/.test(text.slice(last.end, span.start)))) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}

/** Overlapping spans become one, of the kind of the one that starts first (the longest of those). */
export function joinOverlapping(spans: DataSpan[]): DataSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: DataSpan[] = [];
  for (const span of sorted) {
    const last = out.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}

/** Every datum the patterns find, each kind's spans separately (they may overlap across kinds). */
export function patternSpans(text: string): DataSpan[] {
  return [
    ...(text.includes('@') ? matchesOf(text, EMAIL, 'email') : []),
    ...matchesOf(text, PHONE, 'phone'),
    ...matchesOf(text, IIN, 'iin'),
    ...matchesOf(text, BIRTH, 'birth'),
    ...matchesOf(text, PLATE, 'plate'),
    ...addressSpans(text),
  ];
}
