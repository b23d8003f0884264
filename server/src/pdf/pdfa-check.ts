/**
 * For the specs: reads a court PDF with tools that share no code with pdf-lib — qpdf, poppler's
 * pdfinfo and pdffonts, ExifTool, libxml2's xmllint — run as child processes, and asserts the
 * PDF/A-2u rules they can see (docs/protocol.md «PDF/A» lists what they cannot). `npm run setup`
 * installs them (server/setup/setup.sh).
 *
 * Besides what each tool reports, qpdf's JSON of the file (every object, streams decoded) is
 * searched for what PDF/A forbids and nothing here reports: actions and annotations it bans,
 * transparency, a CIDSet, a .notdef glyph shown, widths that differ from the font program's.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import fontkit from '@pdf-lib/fontkit';

const run = promisify(execFile);
/** The Debian package of each tool, for the message when it is missing. */
const PACKAGES: Record<string, string> = {
  qpdf: 'qpdf',
  pdfinfo: 'poppler-utils',
  pdffonts: 'poppler-utils',
  exiftool: 'libimage-exiftool-perl',
  xmllint: 'libxml2-utils',
  transicc: 'liblcms2-utils',
};

/** Runs a tool; its stdout and stderr, whatever its exit code, and the code. */
export async function tool(command: string, args: string[], input?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  const child = run(command, args, { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  if (input !== undefined) child.child.stdin!.end(input);
  try {
    const { stdout, stderr } = await child;
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string; code?: number | string };
    if (e.code === 'ENOENT') throw new Error(`${command} is not installed: \`npm run setup\` (as root) installs it, or apt-get install ${PACKAGES[command] ?? command}`, { cause: error });
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** "Key: value" lines, as pdfinfo prints them. */
function fields(text: string): Record<string, string> {
  return Object.fromEntries(
    text.split('\n').flatMap((line) => {
      const m = /^([^:]+):\s*(.*)$/.exec(line);
      return m ? [[m[1].trim(), m[2].trim()]] : [];
    }),
  );
}

export type FontRow = { name: string; type: string; encoding: string; emb: string; sub: string; uni: string };

/** pdffonts' table. */
function fontRows(text: string): FontRow[] {
  const lines = text.split('\n');
  return lines.slice(lines.findIndex((l) => l.startsWith('---')) + 1).flatMap((line) => {
    const m = /^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/.exec(line.trim());
    return m ? [{ name: m[1], type: m[2], encoding: m[3], emb: m[4], sub: m[5], uni: m[6] }] : [];
  });
}

type QpdfObject = { value?: unknown; stream?: { dict: Record<string, unknown>; data?: string } };

/** Every object of the file as qpdf reads it (JSON version 2: names "/X", references "N 0 R", text "u:…", bytes "b:…"), streams decoded. */
async function qpdfObjects(file: string): Promise<Map<string, QpdfObject>> {
  const { stdout, stderr, code } = await tool('qpdf', ['--json=2', '--json-key=qpdf', '--json-stream-data=inline', '--decode-level=generalized', file]);
  assert.equal(code, 0, stderr);
  const [, objects] = JSON.parse(stdout).qpdf as [unknown, Record<string, QpdfObject>];
  return new Map(Object.entries(objects));
}

export type PdfAReport = {
  check: string;
  info: Record<string, string>;
  xmp: string;
  fonts: FontRow[];
  exif: Record<string, unknown>;
  icc: Record<string, unknown>;
  iccBytes: Buffer;
  /** How many annotations were checked (each prints, none is hidden). */
  annotations: number;
};

/**
 * Asserts that `bytes` is PDF/A-2u as far as these tools can tell, with the given title and
 * language, and returns what they printed.
 */
export async function assertPdfA2u(bytes: Uint8Array, expected: { title: string; lang: string }): Promise<PdfAReport> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ezal-pdfa-'));
  try {
    const file = path.join(dir, 'document.pdf');
    await fs.writeFile(file, bytes);

    // The file's own bytes (PDF/A-2 6.1.2, 6.1.3): a header, then a comment of at least four
    // bytes above 127 that marks it binary; nothing after the last %%EOF but an end of line.
    const raw = Buffer.from(bytes).toString('latin1');
    assert.match(raw, /^%PDF-1\.7\r?\n%[\x80-\xff]{4,}\r?\n/);
    assert.match(raw, /\nstartxref\r?\n\d+\r?\n%%EOF\r?\n?$/);
    assert.match(raw, /\nxref\r?\n0 \d+\r?\n/, 'a single end of line between xref and its subsection');

    // qpdf: the file's syntax, cross-reference table and streams, with no error or warning.
    const check = await tool('qpdf', ['--check', file]);
    assert.equal(check.code, 0, `qpdf --check:\n${check.stdout}${check.stderr}`);
    assert.equal(check.stderr, '', 'qpdf --check warns');
    assert.match(check.stdout, /PDF Version: 1\.7\n[^]*No syntax or stream encoding errors found/);
    assert.doesNotMatch(check.stdout, /WARNING/);

    // pdfinfo: version, no encryption, no JavaScript, the title; -meta prints the XMP packet.
    const info = fields((await tool('pdfinfo', [file])).stdout);
    assert.equal(info['PDF version'], '1.7');
    assert.equal(info.Encrypted, 'no');
    assert.equal(info.JavaScript, 'no');
    assert.equal(info['Metadata Stream'], 'yes');
    assert.equal(info.Title, expected.title);
    const xmp = (await tool('pdfinfo', ['-meta', file])).stdout;
    // Well-formed and namespace-correct XML, by a strict parser (xmllint exits non-zero on any error).
    const lint = await tool('xmllint', ['--noout', '--nonet', '-'], xmp);
    assert.equal(lint.code, 0, `the XMP is not well-formed XML:\n${lint.stderr}`);
    assert.doesNotMatch(xmp.split('\n')[0], /bytes=|encoding=/, 'PDF/A forbids these attributes in the packet header');

    // pdffonts: every font embedded, a subset with its tag, with a ToUnicode map.
    const fonts = fontRows((await tool('pdffonts', [file])).stdout);
    assert.ok(fonts.length > 0, 'no fonts listed');
    for (const font of fonts) {
      assert.deepEqual([font.emb, font.sub, font.uni], ['yes', 'yes', 'yes'], `font ${font.name}`);
      assert.match(font.name, /^[A-Z]{6}\+DejaVuSans/, 'a subset font is named with its tag');
    }

    // ExifTool: the PDF/A identification, and the XMP agreeing with the Info dictionary.
    const [exif] = JSON.parse((await tool('exiftool', ['-j', '-a', '-G1', '-XMP:all', '-PDF:all', file])).stdout) as Record<string, unknown>[];
    assert.equal(exif['XMP-pdfaid:Part'], 2);
    assert.equal(exif['XMP-pdfaid:Conformance'], 'U');
    assert.equal(exif['PDF:Language'], expected.lang);
    for (const [pdf, xmpTag] of [
      ['PDF:Title', 'XMP-dc:Title'],
      ['PDF:Creator', 'XMP-xmp:CreatorTool'],
      ['PDF:Producer', 'XMP-pdf:Producer'],
      ['PDF:CreateDate', 'XMP-xmp:CreateDate'],
      ['PDF:ModifyDate', 'XMP-xmp:ModifyDate'],
    ]) {
      assert.ok(exif[pdf] !== undefined, `${pdf} is set`);
      assert.equal(exif[xmpTag], exif[pdf], `${xmpTag} agrees with ${pdf}`);
    }
    assert.equal(exif[`XMP-dc:Title-${expected.lang}`], expected.title);
    // Only schemas PDF/A predefines, so no extension schema has to be described (6.6.2.3).
    const schemas = new Set(Object.keys(exif).flatMap((k) => (k.startsWith('XMP-') ? [k.slice(4, k.indexOf(':'))] : [])));
    assert.deepEqual(
      [...schemas].filter((x) => !['dc', 'xmp', 'pdf', 'pdfaid'].includes(x)),
      [],
    );

    const objects = await qpdfObjects(file);
    const { iccBytes, annotations } = checkStructure(objects, expected.lang);
    const iccFile = path.join(dir, 'output-intent.icc');
    await fs.writeFile(iccFile, iccBytes);
    const [icc] = JSON.parse((await tool('exiftool', ['-j', '-a', '-G1', '-ICC_Profile:all', '-ICC-header:all', iccFile])).stdout) as Record<string, unknown>[];
    assert.equal(icc['ICC_Profile:ProfileDescription'], 'sRGB IEC61966-2.1');
    assert.equal(icc['ICC-header:ColorSpaceData'], 'RGB ');
    assert.equal(icc['ICC-header:ProfileClass'], 'Display Device Profile');
    assert.match(String(icc['ICC-header:ProfileVersion']), /^[24]\./, 'PDF/A-2 takes ICC profiles of version 2 or 4');
    return { check: check.stdout, info, xmp, fonts, exif, icc, iccBytes, annotations };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Names of actions PDF/A-2 forbids (6.5.1) and annotation types it forbids (6.3.1). */
const FORBIDDEN_ACTIONS = ['/Launch', '/Sound', '/Movie', '/ResetForm', '/ImportData', '/Hide', '/SetOCGState', '/Rendition', '/Trans', '/GoTo3DView', '/JavaScript'];
const FORBIDDEN_ANNOTATIONS = ['/3D', '/Sound', '/Screen', '/Movie', '/FileAttachment'];

/** The PDF/A rules that qpdf's view of the objects shows; returns the output intent's profile. */
function checkStructure(objects: Map<string, QpdfObject>, lang: string): { iccBytes: Buffer; annotations: number } {
  const get = (ref: unknown): QpdfObject => {
    const object = objects.get(`obj:${ref}`);
    assert.ok(object, `object ${ref} exists`);
    return object;
  };
  const dict = (ref: unknown) => (get(ref).value ?? get(ref).stream!.dict) as Record<string, unknown>;
  const data = (ref: unknown) => Buffer.from(get(ref).stream!.data!, 'base64');

  const trailer = objects.get('trailer')!.value as Record<string, unknown>;
  assert.equal(trailer['/Encrypt'], undefined);
  const id = trailer['/ID'] as string[];
  assert.ok(Array.isArray(id) && id.length === 2 && id.every((s) => /^b:[0-9a-f]{32}$/.test(s)), `the trailer has an /ID: ${JSON.stringify(id)}`);

  const catalog = dict(trailer['/Root']);
  assert.equal(catalog['/Lang'], `u:${lang}`);
  for (const key of ['/AA', '/OpenAction', '/AcroForm', '/Names', '/NeedsRendering', '/Requirements']) assert.equal(catalog[key], undefined, `the catalog has no ${key}`);
  const metadata = get(catalog['/Metadata']).stream!;
  assert.equal(metadata.dict['/Type'], '/Metadata');
  assert.equal(metadata.dict['/Subtype'], '/XML');
  assert.equal(metadata.dict['/Filter'], undefined, 'the metadata stream is not compressed');
  const intents = catalog['/OutputIntents'] as Record<string, unknown>[];
  assert.equal(intents.length, 1);
  assert.equal(intents[0]['/S'], '/GTS_PDFA1');
  assert.equal(intents[0]['/OutputConditionIdentifier'], 'u:sRGB IEC61966-2.1');
  assert.equal(dict(intents[0]['/DestOutputProfile'])['/N'], 3);

  let annotations = 0;
  for (const [key, object] of objects) {
    const d = (object.value ?? object.stream?.dict) as Record<string, unknown> | undefined;
    if (!d || typeof d !== 'object' || Array.isArray(d)) continue;
    const json = JSON.stringify(d);
    for (const action of FORBIDDEN_ACTIONS) assert.ok(!json.includes(`"/S":"${action}"`), `${key}: a ${action} action`);
    // No transparency anywhere: soft masks, constant alpha below 1, blend modes, transparency groups.
    assert.ok(d['/SMask'] === undefined || d['/SMask'] === '/None', `${key}: a soft mask`);
    assert.ok([undefined, 1].includes(d['/CA'] as number) && [undefined, 1].includes(d['/ca'] as number), `${key}: constant alpha`);
    assert.ok([undefined, '/Normal', '/Compatible'].includes(d['/BM'] as string), `${key}: a blend mode`);
    assert.ok((d['/Group'] as Record<string, unknown> | undefined)?.['/S'] !== '/Transparency', `${key}: a transparency group`);
    // Graphics state PDF/A forbids (6.2.5); external or LZW-compressed streams (6.1.7).
    for (const banned of ['/TR', '/TR2', '/HTP', '/HTO', '/HT']) assert.equal(d[banned], undefined, `${key}: ${banned}`);
    if (object.stream) {
      for (const banned of ['/F', '/FFilter', '/FDecodeParms']) assert.equal(d[banned], undefined, `${key}: ${banned}`);
      assert.ok([undefined, '/FlateDecode'].includes(d['/Filter'] as string), `${key}: filter ${JSON.stringify(d['/Filter'])}`);
    }
    if (d['/Type'] === '/Font' && d['/Subtype'] === '/Type0') checkFont(d, dict, data);
    if (d['/Type'] !== '/Page') continue;
    checkContent(d, data);
    for (const item of (d['/Annots'] as unknown[] | undefined) ?? []) {
      const annotation = typeof item === 'string' ? dict(item) : (item as Record<string, unknown>);
      annotations++;
      assert.ok(!FORBIDDEN_ANNOTATIONS.includes(annotation['/Subtype'] as string), `${key}: a ${annotation['/Subtype']} annotation`);
      assert.ok(annotation['/Subtype'] === '/Link' || annotation['/AP'], `${key}: a ${annotation['/Subtype']} annotation without an appearance`);
      const flags = (annotation['/F'] as number | undefined) ?? 0;
      assert.ok((flags & 4) !== 0 && (flags & (1 | 2 | 32 | 256)) === 0, `${key}: an annotation that does not print or is hidden (F ${flags})`);
    }
  }
  return { iccBytes: data(intents[0]['/DestOutputProfile']), annotations };
}

/** A composite font: embedded, tagged, ToUnicode, no CIDSet, and the W widths those of the font program (PDF/A-2 6.2.11.5). */
function checkFont(type0: Record<string, unknown>, dict: (ref: unknown) => Record<string, unknown>, data: (ref: unknown) => Buffer): void {
  assert.equal(type0['/Encoding'], '/Identity-H');
  assert.ok(type0['/ToUnicode'], 'a ToUnicode map');
  const cidFont = dict((type0['/DescendantFonts'] as string[])[0]);
  const descriptor = dict(cidFont['/FontDescriptor']);
  assert.equal(cidFont['/Subtype'], '/CIDFontType2');
  assert.equal(cidFont['/CIDToGIDMap'], '/Identity');
  assert.equal(cidFont['/BaseFont'], type0['/BaseFont']);
  assert.equal(descriptor['/FontName'], type0['/BaseFont']);
  assert.match(String(type0['/BaseFont']), /^\/[A-Z]{6}\+/);
  assert.equal(descriptor['/CIDSet'], undefined, 'no CIDSet (PDF/A-2 requires one to be complete; none is simpler)');
  const program = fontkit.create(data(descriptor['/FontFile2'])) as unknown as { unitsPerEm: number; numGlyphs: number; getGlyph(id: number): { advanceWidth: number } };
  const scale = 1000 / program.unitsPerEm;
  const widths = cidFont['/W'] as (number | number[])[];
  assert.ok(widths.length > 0, 'the CIDFont states its widths');
  for (let i = 0; i < widths.length;) {
    const first = widths[i] as number;
    const run = Array.isArray(widths[i + 1]) ? (widths[i + 1] as number[]) : Array(((widths[i + 1] as number) - first + 1) | 0).fill(widths[i + 2]);
    i += Array.isArray(widths[i + 1]) ? 2 : 3;
    run.forEach((width, k) => {
      assert.ok(first + k < program.numGlyphs, `CID ${first + k} is in the font program`);
      assert.ok(Math.abs(program.getGlyph(first + k).advanceWidth * scale - width) <= 1, `CID ${first + k}: W ${width}, the program ${program.getGlyph(first + k).advanceWidth * scale}`);
    });
  }
}

/**
 * A page's content: no text operator shows CID 0, the .notdef glyph (PDF/A-2 6.2.11.8; every font
 * here is two-byte Identity-H), and no CMYK colour, which the sRGB output intent cannot give a
 * meaning (6.2.4.3).
 */
function checkContent(page: Record<string, unknown>, data: (ref: unknown) => Buffer): void {
  const contents = Array.isArray(page['/Contents']) ? (page['/Contents'] as string[]) : [page['/Contents'] as string];
  const text = contents.map((ref) => data(ref).toString('latin1')).join('\n');
  assert.doesNotMatch(text, /(^|\s)[kK](\s|$)|DeviceCMYK/, 'CMYK colour on a page');
  for (const m of text.matchAll(/<([0-9A-Fa-f]*)>\s*Tj|\[([^\]]*)\]\s*TJ/g)) {
    const hex = m[1] ?? [...m[2].matchAll(/<([0-9A-Fa-f]*)>/g)].map((h) => h[1]).join('');
    for (let i = 0; i < hex.length; i += 4) assert.notEqual(hex.slice(i, i + 4), '0000', `.notdef shown in «${m[0].slice(0, 80)}»`);
  }
}
