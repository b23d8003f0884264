/**
 * The demo case's case file: two volumes of twelve sheets, five scanned documents and a video, as
 * if ERDR had handed the case over (it did not come as a signed package, so there is nothing to
 * verify). It is what lets a person try the hall after `npm start`: the prosecutor presents a
 * sheet and everyone in the hall sees it.
 *
 * The files are committed in db/demo-files/ (made once by db/demo-files/make-demo-files.ts);
 * loading copies them into the court's file store under their hashes, like an intake does.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const DEMO_FILES_DIR = path.join(import.meta.dirname, 'demo-files');

export type DemoDocument = {
  sourceId: string;
  kind: 'pdf' | 'electronic' | 'media';
  type: string;
  title: string;
  date: string;
  author: string;
  file: string;
  mimeType: string;
  /** PDFs: their pages, one sheet each, from `sheetFrom`. */
  pages?: number;
  sheetFrom?: number;
  durationSec?: number;
  attachedTo?: string;
};

export type DemoVolume = { number: number; title: string; sheets: number; documents: DemoDocument[] };

const INVESTIGATOR = 'Следователь СУ УП Алмалинского района г. Алматы Абенов Т. К.';

export const DEMO_VOLUMES: DemoVolume[] = [
  {
    number: 1,
    title: 'Том 1',
    sheets: 12,
    documents: [
      {
        sourceId: 'd1',
        kind: 'pdf',
        type: 'indictment',
        title: 'Обвинительный акт',
        date: '2026-10-20',
        author: 'Прокурор Алмалинского района г. Алматы',
        file: 'v1-d1-indictment.pdf',
        mimeType: 'application/pdf',
        pages: 4,
        sheetFrom: 1,
      },
      {
        sourceId: 'd2',
        kind: 'pdf',
        type: 'protocol',
        title: 'Протокол осмотра места происшествия',
        date: '2026-08-14',
        author: INVESTIGATOR,
        file: 'v1-d2-scene.pdf',
        mimeType: 'application/pdf',
        pages: 6,
        sheetFrom: 5,
      },
      {
        sourceId: 'd3',
        kind: 'electronic',
        type: 'resolution',
        title: 'Постановление о признании потерпевшей',
        date: '2026-08-15',
        author: INVESTIGATOR,
        file: 'v1-d3-victim.pdf',
        mimeType: 'application/pdf',
        pages: 2,
        sheetFrom: 11,
      },
    ],
  },
  {
    number: 2,
    title: 'Том 2',
    sheets: 13,
    documents: [
      {
        sourceId: 'd4',
        kind: 'pdf',
        type: 'expert_opinion',
        title: 'Заключение эксперта № 1487',
        date: '2026-09-02',
        author: 'Институт судебной экспертизы по г. Алматы',
        file: 'v2-d4-expert.pdf',
        mimeType: 'application/pdf',
        pages: 8,
        sheetFrom: 1,
      },
      {
        sourceId: 'm1',
        kind: 'media',
        type: 'video_record',
        title: 'Видеозапись допроса свидетеля',
        date: '2026-08-20',
        author: INVESTIGATOR,
        file: 'v2-m1-interrogation.webm',
        mimeType: 'video/webm',
        durationSec: 6,
        attachedTo: 'd5',
      },
      {
        sourceId: 'd5',
        kind: 'electronic',
        type: 'protocol',
        title: 'Протокол допроса свидетеля Петрова А. В.',
        date: '2026-08-20',
        author: INVESTIGATOR,
        file: 'v2-d5-witness.pdf',
        mimeType: 'application/pdf',
        pages: 4,
        sheetFrom: 9,
      },
      // The court's own act, added to the case file and marked as the act of the hearing.
      {
        sourceId: 'd6',
        kind: 'electronic',
        type: 'verdict',
        title: 'Приговор',
        date: '2026-11-20',
        author: 'Специализированный межрайонный суд по уголовным делам г. Алматы',
        file: 'v2-d6-verdict.pdf',
        mimeType: 'application/pdf',
        pages: 1,
        sheetFrom: 13,
      },
    ],
  },
];

export type DemoFile = { name: string; sha256: string; size: number; bytes: Buffer };

/** The committed files of the demo case file, read and hashed. */
export function readDemoFiles(): Map<string, DemoFile> {
  const files = new Map<string, DemoFile>();
  for (const document of DEMO_VOLUMES.flatMap((v) => v.documents)) {
    const bytes = fs.readFileSync(path.join(DEMO_FILES_DIR, document.file));
    files.set(document.file, { name: document.file, bytes, size: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex') });
  }
  return files;
}

/**
 * Puts the files into the court's content-addressed store (`filesDir`/ab/<sha256>, the layout of
 * server/src/storage/file-store.ts) before the rows that name them are written: a crash in
 * between leaves only files the start-up sweep removes.
 */
export function storeDemoFiles(filesDir: string, files: Iterable<DemoFile>): void {
  for (const file of files) {
    const target = path.join(filesDir, file.sha256.slice(0, 2), file.sha256);
    if (fs.existsSync(target)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, file.bytes, { mode: 0o444 });
    fs.renameSync(temporary, target);
  }
}
