import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { assertPdfA2u } from '../pdf/pdfa-check.ts';
import { buildProtocol, protocolChapters } from './protocol-build.ts';
import { logOf, sampleInput, T0 } from './protocol-fixture.ts';
import { renderAddendumPdf, renderProtocolPdf } from './protocol-pdf.ts';

/** Every page's text (pdf.js), the fonts' names and the links, as a reader's PDF viewer sees them. */
async function read(bytes: Uint8Array): Promise<{ text: string; pages: number; fonts: string[]; links: string[] }> {
  const task = getDocument({ data: bytes.slice(), verbosity: VerbosityLevel.ERRORS, disableFontFace: true, isOffscreenCanvasSupported: false });
  const pdf = await task.promise;
  let text = '';
  const fonts = new Set<string>();
  const links: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : ' ');
    for (const style of Object.values(content.styles)) fonts.add(style.fontFamily);
    for (const annotation of await page.getAnnotations()) if (annotation.subtype === 'Link' && annotation.url) links.push(annotation.url);
  }
  await task.destroy();
  return { text: text.replace(/\s+/g, ' '), pages: pdf.numPages, fonts: [...fonts], links };
}

const render = async (locale: 'kk' | 'ru') => (await renderProtocolPdf(buildProtocol(sampleInput(locale)), { publicUrl: 'https://ezal.test', lastEventAt: T0 })).bytes;

describe('the protocol PDF', () => {
  test('in Russian: the header, the entries with their recording times, the motion and its ruling, the outcome', async () => {
    const { text, links } = await read(await render('ru'));
    for (const expected of [
      'ПРОТОКОЛ СУДЕБНОГО ЗАСЕДАНИЯ',
      'Специализированный межрайонный уголовный суд города Астаны',
      'Дата: 24.11.2026',
      'Начало: 10:00:00',
      'Окончание: 10:25:00',
      'Уголовное дело № 7511-26-00-1/245',
      'Переводчик: Өмірзақова Гүлнұр',
      'Явились: подсудимый Иванов Петр Сергеевич',
      'Не явились: потерпевший Қасымова Әлия Нұрланқызы',
      'Судебное заседание объявлено открытым',
      'свидетель Петров Андрей Викторович допущен(а) к участию по видеосвязи',
      'свидетель Петров Андрей Викторович покинул(а) видеосвязь',
      'прокурор Сапаров Ерлан Маратович представил(а) (до 10:09:00): «Протокол осмотра места происшествия» (т. 1, л.д. 5, 6)',
      'По № 1 суд постановил: отказано.',
      'Справка не относится к делу.',
      `mix #42 ${'a'.repeat(64)}`,
      'Разбирательство отложено: неявка потерпевшей. Следующее заседание 01.12.2026.',
      'стр. 1 из 2',
      'стр. 2 из 2',
    ]) {
      assert.ok(text.includes(expected), `missing «${expected}» in:\n${text}`);
    }
    // The note was begun at 10:01:30, 80 s into the recording, and is shown as last edited.
    assert.ok(text.includes('10:01:30 01:20 подсудимый Иванов Петр Сергеевич: Сотталушының жеке басы анықталды, құқықтары түсіндірілді (ғ, ү, ұ, қ, ң, ө, һ, і)'), text);
    assert.ok(!text.includes('Сотталушының жеке басы анықталды '), 'the first wording is only in the log');
    // The break is not recorded: after it, recording time continues from where it paused.
    assert.ok(text.includes('10:23:00 12:50 Судебное заседание продолжено после перерыва'), text);
    assert.ok(links.includes(`https://ezal.test/hearings/h-1/recording?t=80&at=${T0 + 90_000}`), links.join('\n'));
    assert.ok(links.every((l) => l.startsWith('https://ezal.test/hearings/h-1/recording?t=')));
  });

  test('in Kazakh: every Kazakh letter is text a reader can extract', async () => {
    const { text } = await read(await render('kk'));
    for (const expected of [
      'СОТ ОТЫРЫСЫНЫҢ ХАТТАМАСЫ',
      'Сот отырысы ашық деп жарияланды',
      'Қылмыстық іс № 7511-26-00-1/245',
      'Келмегендер: жәбірленуші Қасымова Әлия Нұрланқызы',
      '(ғ, ү, ұ, қ, ң, ө, һ, і)',
      'куә Петров Андрей Викторович бейнебайланыс арқылы қатысуға жіберілді',
      'Іс талқылау кейінге қалдырылды',
      'бет 1 / 2',
      'бет 2 / 2',
    ]) {
      assert.ok(text.includes(expected), `missing «${expected}» in:\n${text}`);
    }
  });

  test('the fonts are embedded, and the same protocol gives the same bytes', async () => {
    const first = await render('kk');
    const second = await render('kk');
    assert.equal(createHash('sha256').update(first).digest('hex'), createHash('sha256').update(second).digest('hex'));
    const raw = Buffer.from(first).toString('latin1');
    assert.match(raw, /\/FontFile2 \d+ 0 R/, 'a TrueType font program is in the file');
    assert.match(raw, /DejaVuSans/);
    assert.notEqual(Buffer.compare(Buffer.from(first), Buffer.from(await render('ru'))), 0);
  });
});

describe('the protocol and its addenda as PDF/A-2u', () => {
  test('the protocol, in both languages, is PDF/A-2u for qpdf, pdfinfo, pdffonts and ExifTool; its links print', async () => {
    for (const [locale, lang, title] of [
      ['ru', 'ru-RU', 'ПРОТОКОЛ СУДЕБНОГО ЗАСЕДАНИЯ (краткий) — 7511-26-00-1/245'],
      ['kk', 'kk-KZ', 'СОТ ОТЫРЫСЫНЫҢ ХАТТАМАСЫ (қысқаша) — 7511-26-00-1/245'],
    ] as const) {
      const report = await assertPdfA2u(await render(locale), { title, lang });
      assert.deepEqual(report.fonts.map((f) => f.name.slice(7)).sort(), ['DejaVuSans', 'DejaVuSans-Bold']);
      assert.ok(report.annotations >= 10, 'the playback links were checked');
      // The document's dates are the last event's, in the XMP as in the Info dictionary.
      assert.equal(report.exif['XMP-xmp:CreateDate'], '2026:11:24 05:00:00Z');
    }
  });

  test('an addendum is PDF/A-2u in the language of proceedings', async () => {
    const { bytes } = await renderAddendumPdf({
      locale: 'kk',
      court: 'Астана қаласының мамандандырылған ауданаралық қылмыстық соты',
      caseNumber: '7511-26-00-1/245',
      protocolDate: '24.11.2026',
      protocolSha256: 'b'.repeat(64),
      number: 1,
      text: 'Куәнің тегі «Петров» деп оқылсын.',
      author: 'Жумабекова Айгерим Кайратовна',
      authorRole: 'secretary',
      at: T0 + 3_600_000,
    });
    const report = await assertPdfA2u(bytes, { title: '24.11.2026 сот отырысы хаттамасына № 1 ТОЛЫҚТЫРУ — 7511-26-00-1/245', lang: 'kk-KZ' });
    assert.equal(report.exif['XMP-xmp:ModifyDate'], '2026:11:24 06:00:00Z');
  });
});

describe('the protocol built from the log', () => {
  test('entries follow the log, notes sit at the moment they were begun, recording times skip the break', () => {
    const protocol = buildProtocol(sampleInput('ru'));
    const note = protocol.entries.find((e) => e.source === 'note')!;
    assert.equal(note.at, T0 + 90_000);
    assert.equal(note.recordingMs, 80_000);
    assert.equal(note.edits, 1);
    assert.equal(note.speakerParticipantId, 'p-def');
    const opened = protocol.entries[0];
    assert.equal(opened.type, 'hearing.opened');
    assert.equal(opened.recordingMs, null, 'the hearing opened before the recording started');
    const breakStarted = protocol.entries.find((e) => e.type === 'break.started')!;
    assert.equal(breakStarted.recordingMs, 13 * 60_000 - 10_000);
    assert.deepEqual(
      protocol.entries.map((e) => e.at),
      [...protocol.entries.map((e) => e.at)].sort((a, b) => a - b),
    );
    assert.equal(protocol.motions[0].ruling, 'По № 1 суд постановил: отказано. Справка не относится к делу.');
    assert.deepEqual(protocol.absent, ['потерпевший Қасымова Әлия Нұрланқызы']);
  });

  test('identities established and rights explained are entries, with their wall and recording times, in both languages', () => {
    const ru = buildProtocol(sampleInput('ru'));
    const identity = ru.entries.find((e) => e.type === 'identity.established')!;
    assert.equal(identity.text, 'Установлена личность: подсудимый Иванов Петр Сергеевич (удостоверение личности № 012345678)');
    assert.equal(identity.time, '10:01:15');
    assert.equal(identity.recordingMs, 65_000);
    const rights = ru.entries.find((e) => e.type === 'rights.explained')!;
    assert.equal(rights.text, 'подсудимый Иванов Петр Сергеевич: разъяснены процессуальные права и обязанности');
    assert.equal(rights.recordingMs, 70_000);
    const kk = buildProtocol(sampleInput('kk'));
    assert.equal(kk.entries.find((e) => e.type === 'identity.established')!.text, 'Жеке басы анықталды: сотталушы Иванов Петр Сергеевич (удостоверение личности № 012345678)');
    assert.equal(kk.entries.find((e) => e.type === 'rights.explained')!.text, 'сотталушы Иванов Петр Сергеевич: іс жүргізу құқықтары мен міндеттері түсіндірілді');
  });

  test("a court in another time zone: the protocol's date and times are its own wall clock", async () => {
    // T0 is 10:00 in Almaty (UTC+5), 08:00 in Moscow (UTC+3); an Aqtobe court keeps UTC+5 too.
    const moscow = buildProtocol({ ...sampleInput('ru'), timeZone: 'Europe/Moscow' });
    assert.equal(moscow.timeZone, 'Europe/Moscow');
    assert.equal(moscow.entries[0].time, '08:00:00');
    const { text } = await read((await renderProtocolPdf(moscow, { publicUrl: 'https://ezal.test', lastEventAt: T0 })).bytes);
    for (const expected of ['Дата: 24.11.2026', 'Начало: 08:00:00', 'Окончание: 08:25:00', '08:01:30 01:20 подсудимый Иванов Петр Сергеевич', '(до 08:09:00)']) {
      assert.ok(text.includes(expected), `missing «${expected}» in:\n${text}`);
    }
    assert.ok(!text.includes('10:00:00'), 'no Almaty time in a Moscow protocol');
    assert.equal(buildProtocol({ ...sampleInput('ru'), timeZone: 'Asia/Aqtobe' }).entries[0].time, '10:00:00');
    // Opened at 23:30 UTC: in Moscow it is 02:30 the next day, and the protocol is dated so.
    const late = Date.UTC(2026, 10, 24, 23, 30, 0);
    const actor = { userId: 'u-judge', fullName: 'Ахметова Гульнара Сериковна', role: 'presiding_judge' };
    const night = buildProtocol({ ...sampleInput('ru', logOf([{ at: late, type: 'hearing.opened', payload: {}, actor }])), timeZone: 'Europe/Moscow' });
    assert.equal(night.date, '25.11.2026');
    assert.equal(night.entries[0].time, '02:30:00');
  });

  test('WebVTT chapters: one cue per recorded entry, at its recording time', () => {
    const vtt = protocolChapters(buildProtocol(sampleInput('ru')));
    assert.ok(vtt.startsWith('WEBVTT\n\n'));
    assert.match(vtt, /\nnn1\n00:01:20\.000 --> 00:03:10\.000\n/);
    assert.ok(!vtt.includes('Судебное заседание объявлено открытым'), 'the opening was before the recording');
  });
});
