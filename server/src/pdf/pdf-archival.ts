/**
 * Saves a court document as PDF/A-2u (ISO 19005-2, level U: every character maps to Unicode),
 * the form a court archive keeps. pdf-layout.ts's `saveDocument` calls it, so the protocol, its
 * addenda and the motions register all get it. What pdf-lib writes is already most of PDF/A (a
 * binary header comment, every font embedded with a ToUnicode map, DeviceRGB only, no
 * transparency, encryption or JavaScript); this adds the rest:
 * - the XMP metadata stream in the catalog, made from the Info dictionary (xmp-metadata.ts);
 * - the sRGB output intent, with a profile computed by icc-srgb.ts;
 * - the subset tag on each embedded font's names (`ABCDEF+DejaVuSans`), from the font program;
 * - the trailer's /ID, a hash of the file itself.
 * docs/protocol.md («PDF/A») lists how each PDF/A rule is met and which test checks it.
 *
 * Deterministic like the rest: each addition comes from the document's own content.
 */
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRawStream, PDFString, type PDFDocument, type PDFObject } from 'pdf-lib';
import { SRGB_DESCRIPTION, srgbIccProfile } from './icc-srgb.ts';
import { xmlText, xmpPacket } from './xmp-metadata.ts';

/** Flushes the document (fonts embedded and subset), makes it PDF/A-2u and serialises it. */
export async function saveArchival(doc: PDFDocument): Promise<Uint8Array> {
  await doc.flush(); // the fonts' dictionaries and programs are written only now
  tagSubsetFonts(doc);
  addMetadata(doc);
  addOutputIntent(doc);
  const placeholder = '0'.repeat(32);
  const id = PDFHexString.of(placeholder);
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  const bytes = await doc.save({ useObjectStreams: false });
  fillFileId(bytes, placeholder);
  return bytes;
}

const name = (value: string) => PDFName.of(value);
const is = (dict: PDFDict, key: string, value: string) => dict.get(name(key)) === name(value);

/**
 * A subset font's names carry a tag of six capitals and a plus sign (PDF 32000-1, 9.6.4), so a
 * reader never takes the partial program for the whole font. The tag comes from the subset
 * program's bytes: the same glyphs give the same tag, other glyphs another.
 */
function tagSubsetFonts(doc: PDFDocument): void {
  const { context } = doc;
  for (const [, object] of context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || !is(object, 'Type', 'Font') || !is(object, 'Subtype', 'Type0')) continue;
    const cidFont = context.lookup(object.lookup(name('DescendantFonts'), PDFArray).get(0), PDFDict);
    const descriptor = context.lookup(cidFont.get(name('FontDescriptor')), PDFDict);
    const program = context.lookup(descriptor.get(name('FontFile2')) ?? descriptor.get(name('FontFile3')));
    const baseFont = object.get(name('BaseFont'));
    if (!(program instanceof PDFRawStream) || !(baseFont instanceof PDFName)) continue;
    const untagged = baseFont.decodeText().replace(/^[A-Z]{6}\+/, '');
    const tagged = name(`${subsetTag(program.contents)}+${untagged}`);
    object.set(name('BaseFont'), tagged);
    cidFont.set(name('BaseFont'), tagged);
    descriptor.set(name('FontName'), tagged);
  }
}

/** Six capitals from a hash of the font program. */
function subsetTag(program: Uint8Array): string {
  const hash = createHash('sha256').update(program).digest();
  return Array.from(hash.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
}

function text(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
}

/** The XMP packet from the Info dictionary and the catalog's /Lang, stored uncompressed (PDF/A forbids a filter on it). */
function addMetadata(doc: PDFDocument): void {
  // An Info text with a character XML cannot hold is written again without it, so the two agree.
  const texts = [
    [doc.getTitle(), (v: string) => doc.setTitle(v)],
    [doc.getAuthor(), (v: string) => doc.setAuthor(v)],
    [doc.getSubject(), (v: string) => doc.setSubject(v)],
    [doc.getCreator(), (v: string) => doc.setCreator(v)],
    [doc.getProducer(), (v: string) => doc.setProducer(v)],
    [doc.getKeywords(), (v: string) => doc.setKeywords([v])],
  ] as const;
  for (const [value, set] of texts) if (value !== undefined && xmlText(value) !== value) set(xmlText(value));
  const packet = xmpPacket({
    title: doc.getTitle(),
    author: doc.getAuthor(),
    subject: doc.getSubject(),
    keywords: doc.getKeywords(),
    creatorTool: doc.getCreator(),
    producer: doc.getProducer(),
    created: doc.getCreationDate(),
    modified: doc.getModificationDate(),
    lang: text(doc.catalog.get(name('Lang'))),
  });
  const stream = doc.context.stream(packet, { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(name('Metadata'), doc.context.register(stream));
}

/**
 * The output intent that gives DeviceRGB its meaning (PDF/A forbids device colour without one):
 * sRGB, the space every colour in these documents is meant in.
 */
function addOutputIntent(doc: PDFDocument): void {
  const { context } = doc;
  const profile = context.register(context.flateStream(srgbIccProfile(), { N: 3 }));
  const intent = context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of(SRGB_DESCRIPTION),
    RegistryName: PDFString.of('http://www.color.org'),
    Info: PDFString.of(SRGB_DESCRIPTION),
    DestOutputProfile: profile,
  });
  doc.catalog.set(name('OutputIntents'), context.obj([intent]));
}

/**
 * Both halves of the trailer's /ID (PDF/A requires one): the first 16 bytes of the SHA-256 of the
 * file as written with zeros in their place. Written over the zeros, same length, so no offset
 * moves; the trailer is the file's last dictionary, so its placeholder is the last one.
 */
function fillFileId(bytes: Uint8Array, placeholder: string): void {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = file.lastIndexOf(`/ID [ <${placeholder}> <${placeholder}> ]`);
  if (at < 0) throw new Error('the trailer /ID placeholder was not written');
  const id = createHash('sha256').update(file).digest('hex').slice(0, 32).toUpperCase();
  const first = at + '/ID [ <'.length;
  file.write(id, first, 'latin1');
  file.write(id, first + placeholder.length + '> <'.length, 'latin1');
}
