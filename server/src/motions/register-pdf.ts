/**
 * The motions register of a case as a PDF, in Kazakh or Russian: every motion with its filer,
 * the signature check, its history (positions, rulings with reasons) and the hearing it was decided
 * in. Text people typed is drawn as text — a PDF page has nothing that could run it. PDF/A-2u,
 * like every court PDF (pdf-layout.ts's saveDocument).
 */
import { PARTICIPANT_ROLE_NAMES } from '../cases/participant-role-names.ts';
import { courtDateTime } from '../shared/court-time.ts';
import { newDocument, numberPages, PageCursor, saveDocument } from '../pdf/pdf-layout.ts';
import type { RefDocument } from './motions.repository.ts';
import type { RegisterEntry } from '../shared/api/motions.ts';

type Locale = 'kk' | 'ru';

const T = {
  kk: {
    title: 'Өтінішхаттар тізілімі',
    case: 'Іс №',
    none: 'Өтінішхаттар жоқ.',
    kinds: { motion: 'Өтінішхат', recusal: 'Қарсылық (отвод)', objection: 'Төрағалық етушінің әрекетіне қарсылық', statement: 'Өтініш' },
    statuses: { filed: 'берілді', granted: 'қанағаттандырылды', denied: 'қанағаттандырудан бас тартылды', granted_in_part: 'ішінара қанағаттандырылды', deferred: 'кейінге қалдырылды' },
    positions: { supports: 'қолдайды', objects: 'қарсы', leaves_to_court: 'сот қалауына қалдырады' },
    // The filer's procedural status; the prosecutor by office, as in the protocol.
    roles: { ...PARTICIPANT_ROLE_NAMES.kk, prosecutor: 'прокурор' } as Record<string, string>,
    filer: 'Берген',
    filedAt: 'Берілген уақыты',
    receipt: 'Түбіртек',
    signature: 'Қолтаңба',
    // The individual identification number: ЖСН (жеке сәйкестендіру нөмірі) in Kazakh, ИИН in Russian.
    iin: 'ЖСН',
    attachments: 'Қосымшалар',
    status: 'Мәртебесі',
    history: 'Тарихы',
    filed: 'берілді',
    takenUp: 'сот отырысында қаралуға алынды',
    position: 'ұстанымы',
    ruled: 'шешім',
    hearing: 'отырыста',
    remote: 'бейнеконференция арқылы қатысу',
    refs: 'Іс материалдарына сілтемелер',
    place: (volume: number, sheets: string | null) => `${volume}-т.${sheets === null ? '' : `, ${sheets}-п.`}`,
    unknownDocument: 'құжат',
  },
  ru: {
    title: 'Реестр ходатайств',
    case: 'Дело №',
    none: 'Ходатайств нет.',
    kinds: { motion: 'Ходатайство', recusal: 'Отвод', objection: 'Возражение на действия председательствующего', statement: 'Заявление' },
    statuses: { filed: 'заявлено', granted: 'удовлетворено', denied: 'отказано', granted_in_part: 'удовлетворено частично', deferred: 'разрешение отложено' },
    positions: { supports: 'поддерживает', objects: 'возражает', leaves_to_court: 'оставляет на усмотрение суда' },
    roles: { ...PARTICIPANT_ROLE_NAMES.ru, prosecutor: 'прокурор' } as Record<string, string>,
    filer: 'Заявитель',
    filedAt: 'Подано',
    receipt: 'Квитанция',
    signature: 'Подпись',
    iin: 'ИИН',
    attachments: 'Приложения',
    status: 'Статус',
    history: 'История',
    filed: 'подано',
    takenUp: 'принято к рассмотрению в судебном заседании',
    position: 'позиция',
    ruled: 'решение',
    hearing: 'в заседании',
    remote: 'участие по видеоконференцсвязи',
    refs: 'Ссылки на материалы дела',
    place: (volume: number, sheets: string | null) => `т. ${volume}${sheets === null ? '' : `, л. ${sheets}`}`,
    unknownDocument: 'документ',
  },
} as const;

/** "т. 1, л. 7 — Заключение эксперта": the sheet named in the motion, else the document's sheet range. */
function refText(t: (typeof T)[Locale], ref: { documentId: string; sheet: number | null }, doc: RefDocument | undefined): string {
  if (!doc) return `${t.unknownDocument} ${ref.documentId}`;
  const sheets = ref.sheet !== null ? `${ref.sheet}` : doc.sheetFrom === null ? null : doc.sheetFrom === doc.sheetTo ? `${doc.sheetFrom}` : `${doc.sheetFrom}–${doc.sheetTo}`;
  return `${t.place(doc.volume, sheets)} — ${doc.title}`;
}

/** `timeZone`: the court's (`courts.timezone`); every time in the register is its wall clock. */
export async function renderRegisterPdf(input: { caseNumber: string; timeZone: string; entries: RegisterEntry[]; documents: Map<string, RefDocument>; locale: Locale }): Promise<Uint8Array> {
  const t = T[input.locale];
  const when = (at: Date) => courtDateTime(input.timeZone, at);
  // The document's dates are those of its data: the last step of any motion (or the epoch).
  const last = Math.max(0, ...input.entries.flatMap((e) => e.history.map((h) => h.at.getTime())));
  const { doc, fonts } = await newDocument({ title: `${t.title} — ${input.caseNumber}`, at: new Date(last), locale: input.locale });
  const out = new PageCursor(doc, fonts);
  out.text(t.title, { size: 15, bold: true, gap: 2 });
  out.text(`${t.case} ${input.caseNumber}`, { size: 11, gap: 10 });
  if (input.entries.length === 0) out.text(t.none);
  for (const { motion, attachments, history } of input.entries) {
    const kind = t.kinds[motion.kind] + (motion.subtype === 'remote_participation' ? ` (${t.remote})` : '');
    out.need(60);
    out.text(`№ ${motion.number}. ${kind} — ${t.statuses[motion.status]}`, { size: 11, bold: true, gap: 2 });
    out.text(
      `${t.filer}: ${motion.filerName} (${t.roles[motion.filerRole] ?? motion.filerRole}). ${t.filedAt}: ${when(motion.filedAt)}. ${t.receipt}: ${motion.receiptNumber}, SHA-256 ${motion.contentSha256}`,
      { size: 8.5 },
    );
    const sig = motion.signatureCheck;
    out.text(`${t.signature}: ${sig.signerName ?? ''}, ${t.iin} ${sig.signerIin ?? ''}, ${sig.issuer ?? ''}, № ${sig.serialNumber ?? ''}`, { size: 8.5, gap: 3 });
    out.text(motion.text, { size: 10, indent: 10, gap: 3 });
    if (motion.refs.length > 0) out.text(`${t.refs}: ${motion.refs.map((r) => refText(t, r, input.documents.get(r.documentId))).join('; ')}`, { size: 8.5, gap: 3 });
    if (attachments.length > 0) out.text(`${t.attachments}: ${attachments.map((a) => `${a.fileName} (${a.pages} p., SHA-256 ${a.sha256.slice(0, 16)}…)`).join('; ')}`, { size: 8.5, gap: 3 });
    out.text(`${t.history}:`, { size: 9, bold: true });
    for (const step of history) {
      const what =
        step.action === 'position'
          ? `${t.position}: ${t.positions[step.payload.position]}${step.payload.text ? ` — ${step.payload.text}` : ''}`
          : step.action === 'ruled'
            ? `${t.ruled}: ${t.statuses[step.payload.ruling]} — ${step.payload.reasons}`
            : step.action === 'taken_up'
              ? t.takenUp
              : t.filed;
      out.row([when(step.at), `${step.actorName}`, what + (step.hearingId ? ` (${t.hearing})` : '')], [95, 130, out.width - 225], { size: 8.5 });
    }
    out.y -= 10;
  }
  numberPages(doc, fonts.regular, input.locale);
  return saveDocument(doc);
}
