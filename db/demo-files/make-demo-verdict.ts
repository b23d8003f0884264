/**
 * Makes the demo verdict (db/demo-files/v2-d6-verdict.pdf) — run once by a developer, the result is
 * committed. A real text layer (DejaVu Sans embedded through fontkit, so Cyrillic and Kazakh letters
 * are extracted as written) with the demo participants' names, IINs, phones and e-mail: the judge
 * marks it as the act of the hearing in the demo, and the acts search shows it depersonalised to
 * everyone not entitled to the case.
 *
 *   node db/demo-files/make-demo-verdict.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { RU_ACT } from '../../server/src/acts/depersonalise.fixtures.ts';

const FONT = path.join(import.meta.dirname, '../../node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const SIZE = 11;
const WIDTH = 595;
const MARGIN = 60;

const doc = await PDFDocument.create();
doc.registerFontkit(fontkit);
const font = await doc.embedFont(fs.readFileSync(FONT), { subset: true });
const lines: string[] = [];
for (const paragraph of RU_ACT.split('\n')) {
  let line = '';
  for (const word of paragraph.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, SIZE) > WIDTH - 2 * MARGIN) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  lines.push(line, '');
}
const perPage = 40;
for (let i = 0; i < lines.length; i += perPage) {
  const page = doc.addPage([WIDTH, 842]);
  lines.slice(i, i + perPage).forEach((line, n) => page.drawText(line, { x: MARGIN, y: 780 - n * 17, size: SIZE, font }));
}
const out = path.join(import.meta.dirname, 'v2-d6-verdict.pdf');
fs.writeFileSync(out, await doc.save({ useObjectStreams: false }));
console.log(`${out}: ${doc.getPageCount()} pages`);
