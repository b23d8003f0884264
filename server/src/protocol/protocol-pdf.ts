/**
 * The short protocol as a PDF in the language of proceedings (DejaVu fonts embedded: every Kazakh
 * letter is drawn): the court, hall, date and times, the case and the charge, the composition of
 * the court, parties present and absent, the recording with its hash chain's head, the table of
 * entries with their recording times — each recorded entry a link that opens the recording at that
 * moment — the motions with their rulings, the outcome, and numbered pages.
 *
 * Deterministic: the document's dates come from the log (the last event), pdf-lib's names from a
 * fixed seed, so the same protocol gives the same bytes — the bytes the secretary and the judge sign.
 * Written as PDF/A-2u for the court's archive, like the addenda (pdf-layout.ts's saveDocument).
 */
import { addLink, newDocument, numberPages, PageCursor, saveDocument } from '../pdf/pdf-layout.ts';
import type { Protocol } from '../shared/api/protocol.ts';
import { courtTime } from '../shared/court-time.ts';
import { WORDS } from './protocol-texts.ts';
import { formatRecordingTime } from '../shared/recording-clock.ts';

/** The address of the playback page at an entry's moment (seconds into the recording, and the wall time). */
export function playbackUrl(base: string, hearingId: string, entry: { recordingMs: number | null; at: number }): string {
  return `${base}/hearings/${encodeURIComponent(hearingId)}/recording?t=${Math.floor((entry.recordingMs ?? 0) / 1000)}&at=${entry.at}`;
}

export async function renderProtocolPdf(protocol: Protocol, options: { publicUrl: string; lastEventAt: number }): Promise<{ bytes: Uint8Array; pages: number }> {
  const w = WORDS[protocol.locale];
  const { doc, fonts } = await newDocument({ title: `${w.title} — ${protocol.caseNumber}`, at: new Date(options.lastEventAt), locale: protocol.locale });
  const out = new PageCursor(doc, fonts);
  const field = (label: string, value: string) => out.text(`${label}: ${value}`, { size: 10 });

  out.text(w.title, { size: 14, bold: true, gap: 6 });
  field(w.court, protocol.court);
  field(w.hall, protocol.hall);
  field(w.date, protocol.date ?? w.none);
  field(w.opened, protocol.openedAt === null ? w.none : courtTime(protocol.timeZone, protocol.openedAt));
  field(w.closed, protocol.endedAt === null ? w.none : courtTime(protocol.timeZone, protocol.endedAt));
  out.text(`${w.caseNumber} ${protocol.caseNumber}`, { size: 10, bold: true });
  field(w.charge, protocol.charge || w.none);
  out.y -= 4;
  out.text(w.composition, { size: 10, bold: true });
  field(w.presiding, protocol.presidingJudge);
  field(w.secretary, protocol.secretary ?? w.none);
  field(w.interpreter, protocol.interpreters.join(', ') || w.none);
  field(w.present, protocol.present.join('; ') || w.none);
  field(w.absent, protocol.absent.join('; ') || w.none);
  out.y -= 4;
  out.text(w.recording, { size: 10, bold: true });
  out.text(protocol.recording.recorded ? w.recorded(protocol.recording.chainHeads.length > 1 ? w.media.audioVideo : w.media.audio) : w.notRecorded, { size: 9.5 });
  for (const head of protocol.recording.chainHeads) out.text(`${w.chainHead}: ${head.trackId} #${head.seq} ${head.chain}`, { size: 7.5 });

  out.y -= 8;
  out.text(w.entries, { size: 11, bold: true, gap: 2 });
  const widths = [52, 52, out.width - 104];
  out.row([w.colTime, w.colRecording, w.colEntry], widths, { size: 8.5, bold: true });
  for (const entry of protocol.entries) {
    const text = entry.speaker ? `${entry.speaker}: ${entry.text}` : entry.text;
    const drawn = out.row([entry.time, entry.recordingMs === null ? '' : formatRecordingTime(entry.recordingMs), text], widths, { size: 8.5 });
    if (entry.recordingMs !== null) {
      addLink(drawn.page, { x: out.margin, y: drawn.bottom, width: widths[0] + widths[1], height: drawn.top - drawn.bottom }, playbackUrl(options.publicUrl, protocol.hearingId, entry));
    }
  }

  out.y -= 8;
  out.text(w.motions, { size: 11, bold: true, gap: 2 });
  if (protocol.motions.length === 0) out.text(w.noMotions, { size: 9.5 });
  for (const motion of protocol.motions) {
    out.text(`№ ${motion.number}. ${motion.kind} — ${motion.filer}`, { size: 9.5, bold: true });
    out.text(motion.text, { size: 9, indent: 10 });
    for (const position of motion.positions) out.text(position, { size: 9, indent: 10 });
    if (motion.ruling) out.text(motion.ruling, { size: 9, indent: 10 });
    out.y -= 3;
  }

  out.y -= 8;
  out.text(w.outcome, { size: 11, bold: true, gap: 2 });
  out.text(protocol.outcome, { size: 10 });
  out.y -= 14;
  out.need(40); // the two names together
  out.text(`${w.presiding}: ${protocol.presidingJudge}`, { size: 10 });
  out.text(`${w.secretary}: ${protocol.secretary ?? w.none}`, { size: 10 });
  numberPages(doc, fonts.regular, protocol.locale);
  return { bytes: await saveDocument(doc), pages: doc.getPageCount() };
}

export type AddendumInput = {
  locale: 'kk' | 'ru';
  court: string;
  caseNumber: string;
  protocolDate: string | null;
  protocolSha256: string;
  number: number;
  text: string;
  author: string;
  authorRole: 'secretary' | 'judge';
  /** The document's date: the protocol's last signature (so the same addendum gives the same bytes). */
  at: number;
};

const ADDENDUM = {
  ru: {
    title: (n: number, date: string) => `ДОПОЛНЕНИЕ № ${n} к протоколу судебного заседания от ${date}`,
    refers: (sha: string) => `Относится к подписанному протоколу (SHA-256 ${sha}). Протокол не изменяется; настоящее дополнение исправляет или дополняет его.`,
    roles: { secretary: 'Секретарь судебного заседания', judge: 'Председательствующий' },
  },
  kk: {
    title: (n: number, date: string) => `${date} сот отырысы хаттамасына № ${n} ТОЛЫҚТЫРУ`,
    refers: (sha: string) => `Қол қойылған хаттамаға қатысты (SHA-256 ${sha}). Хаттама өзгертілмейді; осы толықтыру оны түзетеді немесе толықтырады.`,
    roles: { secretary: 'Сот отырысының хатшысы', judge: 'Төрағалық етуші' },
  },
} as const;

/** A signed correction of a signed protocol: a new document that refers to it by its hash, never an edit. */
export async function renderAddendumPdf(input: AddendumInput): Promise<{ bytes: Uint8Array; pages: number }> {
  const w = WORDS[input.locale];
  const a = ADDENDUM[input.locale];
  const title = a.title(input.number, input.protocolDate ?? '—');
  const { doc, fonts } = await newDocument({ title: `${title} — ${input.caseNumber}`, at: new Date(input.at), locale: input.locale });
  const out = new PageCursor(doc, fonts);
  out.text(title, { size: 13, bold: true, gap: 6 });
  out.text(`${w.court}: ${input.court}`, { size: 10 });
  out.text(`${w.caseNumber} ${input.caseNumber}`, { size: 10, gap: 6 });
  out.text(a.refers(input.protocolSha256), { size: 8.5, gap: 8 });
  out.text(input.text, { size: 10.5, gap: 14 });
  out.text(`${a.roles[input.authorRole]}: ${input.author}`, { size: 10 });
  numberPages(doc, fonts.regular, input.locale);
  return { bytes: await saveDocument(doc), pages: doc.getPageCount() };
}
