import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { TextExtractor } from '../case-text/text-extractor.ts';
import { assertPdfA2u } from '../pdf/pdfa-check.ts';
import type { RegisterEntry } from '../shared/api/motions.ts';
import { renderRegisterPdf } from './register-pdf.ts';

const extractor = new TextExtractor();
after(() => extractor.close());

const entry: RegisterEntry = {
  motion: {
    id: 'm1',
    caseId: 'c1',
    number: 1,
    hearingId: null,
    kind: 'motion',
    subtype: null,
    text: 'Прошу приобщить справку',
    refs: [],
    filerUserId: 'u1',
    filerParticipantId: 'p1',
    filerRole: 'defender',
    filerName: 'Серикова Дана Маратовна',
    contentSha256: 'a'.repeat(64),
    signatureCheck: { signerName: 'Серикова Дана Маратовна', signerIin: '880705400456', issuer: 'ҰКО', serialNumber: '0A' },
    receiptNumber: 'М-20260401-1',
    filedAt: new Date('2026-04-01T05:00:00Z'),
    status: 'filed',
    ruling: null,
    ruledAt: null,
    ruledInHearingId: null,
    version: 1,
  },
  attachments: [],
  history: [],
};

test('the register names the IIN as ЖСН in Kazakh and ИИН in Russian', async () => {
  const text = async (locale: 'kk' | 'ru') =>
    (await extractor.extract(await renderRegisterPdf({ caseNumber: '7511-26-00-1/245', timeZone: 'Asia/Almaty', entries: [entry], documents: new Map(), locale }))).join('\n');
  const kk = await text('kk');
  assert.match(kk, /Қолтаңба: Серикова Дана Маратовна, ЖСН 880705400456/);
  assert.doesNotMatch(kk, /ИИН/);
  assert.match(await text('ru'), /Подпись: Серикова Дана Маратовна, ИИН 880705400456/);
});

test('the register is PDF/A-2u, dated by the last step of its motions', async () => {
  const ruled: RegisterEntry = {
    ...entry,
    history: [
      {
        motionId: 'm1',
        version: 1,
        action: 'filed',
        at: new Date('2026-04-01T05:00:00Z'),
        actorUserId: 'u1',
        actorName: 'Серикова Дана Маратовна',
        actorRole: 'defender',
        hearingId: null,
        payload: { receiptNumber: 'M-20260401-1', sha256: 'a'.repeat(64) },
      },
      {
        motionId: 'm1',
        version: 2,
        action: 'ruled',
        at: new Date('2026-04-02T06:30:00Z'),
        actorUserId: 'u2',
        actorName: 'Ахметова Гульнара Сериковна',
        actorRole: 'presiding_judge',
        hearingId: 'h-1',
        payload: { ruling: 'granted', reasons: 'Справка относится к делу.' },
      },
    ],
  };
  for (const [locale, lang, title] of [
    ['ru', 'ru-RU', 'Реестр ходатайств — 7511-26-00-1/245'],
    ['kk', 'kk-KZ', 'Өтінішхаттар тізілімі — 7511-26-00-1/245'],
  ] as const) {
    const report = await assertPdfA2u(await renderRegisterPdf({ caseNumber: '7511-26-00-1/245', timeZone: 'Asia/Almaty', entries: [ruled], documents: new Map(), locale }), { title, lang });
    assert.equal(report.exif['XMP-xmp:CreateDate'], '2026:04:02 06:30:00Z');
  }
});
