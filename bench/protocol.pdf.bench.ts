/**
 * protocol.pdf: a 6-hour hearing with 2,000 secretary's notes (plus the opening, the recording's
 * start and the close) → the short protocol's PDF, as the server renders it for signing: the
 * protocol built from the log (protocol-build.ts), then laid out with pdf-lib (DejaVu fonts
 * embedded and subset, wrapped table rows, a playback link per entry, page numbers). Target < 1 s.
 *
 * Baseline, in the same run and alternating with it: the same 2,003 lines drawn with pdf-lib as
 * plain text — same embedded font, one line each, no wrapping, table, links or page numbers.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { buildProtocol } from '../server/src/protocol/protocol-build.ts';
import { longHearing, sampleInput } from '../server/src/protocol/protocol-fixture.ts';
import { renderProtocolPdf } from '../server/src/protocol/protocol-pdf.ts';
import type { BenchResult } from './benchmarks.ts';
import { median, percentile, round } from './stats.ts';

const NOTES = 2000;
const WARMUP = 2;
const RUNS = 9;

const fontFile = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf');

async function plainPdf(lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(fs.readFileSync(fontFile), { subset: true });
  let page = doc.addPage([595.28, 841.89]);
  let y = 790;
  for (const line of lines) {
    if (y < 50) {
      page = doc.addPage([595.28, 841.89]);
      y = 790;
    }
    page.drawText(line, { x: 50, y, size: 8.5, font });
    y -= 11;
  }
  return doc.save({ useObjectStreams: false });
}

export async function protocolPdf(): Promise<BenchResult[]> {
  const events = longHearing(NOTES);
  const input = sampleInput('kk', events);
  const lastEventAt = events.at(-1)!.at;
  const protocol = buildProtocol(input);
  const lines = protocol.entries.map((e) => `${e.time} ${e.speaker ? `${e.speaker}: ` : ''}${e.text}`);
  const full: number[] = [];
  const plain: number[] = [];
  let pages = 0;
  let bytes = 0;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    let start = performance.now();
    const rendered = await renderProtocolPdf(buildProtocol(input), { publicUrl: 'https://ezal.local', lastEventAt });
    const fullMs = performance.now() - start;
    start = performance.now();
    await plainPdf(lines);
    const plainMs = performance.now() - start;
    if (i >= WARMUP) {
      full.push(fullMs);
      plain.push(plainMs);
    }
    pages = rendered.pages;
    bytes = rendered.bytes.length;
  }
  const params = { entries: protocol.entries.length, hours: 6, pages, bytes, runs: RUNS };
  return [
    { metric: 'render_ms_median', value: round(median(full)), unit: 'ms', baseline: round(median(plain)), ...params },
    { metric: 'render_ms_max', value: round(percentile(full, 100)), unit: 'ms', baseline: round(percentile(plain, 100)), ...params },
  ];
}
