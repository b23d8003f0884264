/**
 * Builds ERDR e-case packages for tests and benchmarks: a valid case by default (volumes of PDFs
 * with the right page counts, a media file, participants with valid IINs, signed with a test PKI),
 * which a test then breaks in exactly one way and writes as a zip or a directory.
 *
 * The test PKI is made with pkijs, which the validator already depends on, and WebCrypto: ECDSA
 * P-256 keys take milliseconds, so each test file makes its own PKI and nothing is read from disk.
 * Zips are written with yazl: the companion of the yauzl reader, streaming, no dependencies, and
 * it lets a test set an entry's Unix mode (for symlink entries); names yazl refuses to write
 * ("../x", "\x") are patched into the finished bytes by `patchZipNames`.
 */
import { createCipheriv, createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as asn1js from 'asn1js';
import { beginText, endText, moveText, nextLine, PDFDocument, PDFHexString, PDFName, setFontAndSize, setLineHeight, showText, StandardFonts } from 'pdf-lib';
import * as pkijs from 'pkijs';
import yazl from 'yazl';
import type { Manifest, ManifestDocument } from '../../server/src/ecases/package/manifest-schema.ts';
import { iinCheckDigit } from '../../server/src/ecases/package/iin.ts';

const engine = new pkijs.CryptoEngine({ name: 'test-webcrypto', crypto: globalThis.crypto });
const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// IINs

/** A valid IIN: YYMMDD, a century-and-sex digit, a 4-digit serial, and its check digit. */
export function makeIin(birthDate: string, serial: number, centuryDigit = 3): string {
  const [y, m, d] = birthDate.split('-');
  for (let s = serial; ; s++) {
    const first11 = `${y.slice(2)}${m}${d}${centuryDigit}${String(s % 10_000).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null) return first11 + check;
  }
}

/** The n-th of a sequence of distinct valid IINs. */
export function sequentialIin(n: number): string {
  const birth = new Date(Date.UTC(1980, 0, 1) + (n % 9000) * DAY).toISOString().slice(0, 10);
  return makeIin(birth, 100 + Math.floor(n / 9000));
}

// ---------------------------------------------------------------------------------------------
// Test PKI

export type TestCa = { cert: pkijs.Certificate; key: CryptoKey; pem: string };
export type TestSigner = { cert: pkijs.Certificate; key: CryptoKey; iin: string; chain: pkijs.Certificate[] };
export type TestPki = {
  root: TestCa; // the court trusts this one
  rogueRoot: TestCa; // nobody trusts this one
  signer: TestSigner; // the sender's officer
  otherSigner: TestSigner; // a valid signer with another IIN
  expired: TestSigner;
  notYetValid: TestSigner;
  noDigitalSignature: TestSigner; // keyUsage nonRepudiation only
  untrusted: TestSigner; // issued by rogueRoot
  viaIntermediate: TestSigner; // root -> intermediate -> signer, the intermediate in the CMS
};

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const KU = { digitalSignature: 0x80, nonRepudiation: 0x40, keyCertSign: 0x04, cRLSign: 0x02 };

export function newKeys(algorithm: EcKeyGenParams | RsaHashedKeyGenParams = EC): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

export async function makeCertificate(o: {
  subject: Record<string, string>; // short name (CN, O, C, SERIALNUMBER) -> value
  publicKey: CryptoKey;
  issuer?: { cert: pkijs.Certificate; key: CryptoKey };
  signingKey?: CryptoKey; // for self-signed certificates
  ca?: boolean;
  keyUsage?: number | null; // null: no keyUsage extension at all
  notBefore?: Date;
  notAfter?: Date;
  serial?: number;
}): Promise<pkijs.Certificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: o.serial ?? Math.floor(Math.random() * 2 ** 31) });
  setName(cert.subject, o.subject);
  if (o.issuer) cert.issuer = o.issuer.cert.subject;
  else setName(cert.issuer, o.subject);
  cert.notBefore.value = o.notBefore ?? new Date(Date.now() - 30 * DAY);
  cert.notAfter.value = o.notAfter ?? new Date(Date.now() + 365 * DAY);
  const usage = o.keyUsage === undefined ? (o.ca ? KU.keyCertSign | KU.cRLSign : KU.digitalSignature | KU.nonRepudiation) : o.keyUsage;
  cert.extensions = [new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: !!o.ca }).toSchema().toBER(false) })];
  if (usage !== null) {
    const unusedBits = usage === 0 ? 0 : Math.log2(usage & -usage); // the trailing zero bits of the one byte
    const bits = new asn1js.BitString({ valueHex: new Uint8Array([usage]).buffer, unusedBits });
    cert.extensions.push(new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: bits.toBER(false) }));
  }
  await cert.subjectPublicKeyInfo.importKey(o.publicKey, engine);
  await cert.sign(o.issuer?.key ?? o.signingKey!, 'SHA-256', engine);
  return cert;
}

const NAME_OIDS: Record<string, string> = { C: '2.5.4.6', O: '2.5.4.10', CN: '2.5.4.3', SERIALNUMBER: '2.5.4.5' };

function setName(name: pkijs.RelativeDistinguishedNames, attrs: Record<string, string>) {
  name.typesAndValues = Object.entries(attrs).map(
    ([k, v]) =>
      new pkijs.AttributeTypeAndValue({
        type: NAME_OIDS[k],
        value: k === 'C' || k === 'SERIALNUMBER' ? new asn1js.PrintableString({ value: v }) : new asn1js.Utf8String({ value: v }),
      }),
  );
}

export function toPem(cert: pkijs.Certificate): string {
  const b64 = Buffer.from(cert.toSchema().toBER(false)).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** Roots live ten years either side of now, so only the signers' own dates decide the tests. */
async function makeCa(cn: string): Promise<TestCa> {
  const keys = await newKeys();
  const decade = { notBefore: new Date(Date.now() - 3650 * DAY), notAfter: new Date(Date.now() + 3650 * DAY) };
  const cert = await makeCertificate({ subject: { C: 'KZ', O: 'Test PKI', CN: cn }, publicKey: keys.publicKey, signingKey: keys.privateKey, ca: true, ...decade });
  return { cert, key: keys.privateKey, pem: toPem(cert) };
}

export async function makeSigner(
  ca: { cert: pkijs.Certificate; key: CryptoKey },
  iin: string,
  extra: Partial<Parameters<typeof makeCertificate>[0]> = {},
  chain: pkijs.Certificate[] = [],
): Promise<TestSigner> {
  const keys = await newKeys();
  const cert = await makeCertificate({ subject: { C: 'KZ', CN: `SIGNER ${iin}`, SERIALNUMBER: `IIN${iin}` }, publicKey: keys.publicKey, issuer: ca, ...extra });
  return { cert, key: keys.privateKey, iin, chain };
}

export async function makeTestPki(): Promise<TestPki> {
  const root = await makeCa('Test Court Root');
  const rogueRoot = await makeCa('Rogue Root');
  const intermediateKeys = await newKeys();
  const intermediateCert = await makeCertificate({
    subject: { C: 'KZ', O: 'Test PKI', CN: 'Test Intermediate' },
    publicKey: intermediateKeys.publicKey,
    issuer: root,
    ca: true,
    notBefore: new Date(Date.now() - 1000 * DAY),
  });
  const intermediate = { key: intermediateKeys.privateKey, cert: intermediateCert };
  const past = { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 30 * DAY) };
  const future = { notBefore: new Date(Date.now() + 30 * DAY), notAfter: new Date(Date.now() + 400 * DAY) };
  return {
    root,
    rogueRoot,
    signer: await makeSigner(root, sequentialIin(1)),
    otherSigner: await makeSigner(root, sequentialIin(2)),
    expired: await makeSigner(root, sequentialIin(1), past),
    notYetValid: await makeSigner(root, sequentialIin(1), future),
    noDigitalSignature: await makeSigner(root, sequentialIin(1), { keyUsage: KU.nonRepudiation }),
    untrusted: await makeSigner(rogueRoot, sequentialIin(1)),
    viaIntermediate: await makeSigner(intermediate, sequentialIin(1), {}, [intermediate.cert]),
  };
}

export type SignOptions = {
  signingTime?: Date | null; // null: no signingTime attribute
  hash?: 'SHA-256' | 'SHA-384' | 'SHA-1';
  signatureAlgorithm?: string; // replaces the signature algorithm OID after signing (GOST and the like)
  attached?: boolean; // carry the content inside (not detached)
};

/** A DER CMS SignedData over `content`, detached unless asked otherwise. */
export async function signDetached(content: Buffer, signer: TestSigner, options: SignOptions = {}): Promise<Buffer> {
  const hash = options.hash ?? 'SHA-256';
  const digest = createHash(hash.replace('-', '').toLowerCase()).update(content).digest();
  const attributes = [
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })] }),
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: digest })] }),
  ];
  const signingTime = options.signingTime === undefined ? new Date(Date.now() - 60_000) : options.signingTime;
  if (signingTime) attributes.push(new pkijs.Attribute({ type: '1.2.840.113549.1.9.5', values: [new asn1js.UTCTime({ valueDate: signingTime })] }));
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: '1.2.840.113549.1.7.1',
      ...(options.attached ? { eContent: new asn1js.OctetString({ valueHex: content }) } : {}),
    }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.cert.issuer, serialNumber: signer.cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
      }),
    ],
    certificates: [signer.cert, ...signer.chain],
  });
  await signed.sign(signer.key, 0, hash, undefined, engine);
  if (options.signatureAlgorithm) signed.signerInfos[0].signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: options.signatureAlgorithm });
  const info = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signed.toSchema(true) });
  return Buffer.from(info.toSchema().toBER(false));
}

// ---------------------------------------------------------------------------------------------
// PDFs

const pdfTemplates = new Map<number, Promise<Buffer>>();

/** A PDF with `pages` pages; one template per page count, so building 10,000 sheets is quick. */
export function makePdf(pages: number): Promise<Buffer> {
  let made = pdfTemplates.get(pages);
  if (!made) {
    made = (async () => {
      const doc = await PDFDocument.create();
      const font = await doc.embedFont(StandardFonts.Helvetica);
      for (let i = 1; i <= pages; i++) doc.addPage([595, 842]).drawText(`Test case file, page ${i} of ${pages}`, { x: 50, y: 780, size: 14, font });
      return Buffer.from(await doc.save());
    })();
    pdfTemplates.set(pages, made);
  }
  return made;
}

/**
 * A PDF whose pages carry the given lines of text, Cyrillic and Kazakh letters included, for tests
 * of text search: `pages[i]` are the lines of page i + 1. pdf-lib's standard fonts encode Latin
 * text only, so the font here is Helvetica re-encoded: every character outside ASCII gets a code
 * from 128 on, named uniXXXX in the font's /Differences, which is how PDF readers (pdf.js among
 * them) map the codes back to Unicode. At most 128 such characters per PDF.
 */
export async function makeTextPdf(pages: string[][]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const others = [
    ...new Set(
      pages
        .flat()
        .flatMap((line) => [...line])
        .filter((c) => c.codePointAt(0)! > 0x7e || c.codePointAt(0)! < 0x20),
    ),
  ];
  if (others.length > 128) throw new Error(`makeTextPdf takes at most 128 characters outside ASCII, not ${others.length}`);
  const codes = new Map(others.map((c, i) => [c, 128 + i]));
  const glyphName = (c: string) => PDFName.of(`uni${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  // Widths for every code, so readers lay the text out as drawn: Helvetica's own for ASCII, an
  // average letter's for the others (Helvetica has no Cyrillic glyphs; readers substitute a font).
  const helvetica = await doc.embedFont(StandardFonts.Helvetica);
  const lastCode = 127 + others.length;
  const widths = Array.from({ length: lastCode - 31 }, (_, i) => (i + 32 < 127 ? Math.round(helvetica.widthOfTextAtSize(String.fromCharCode(i + 32), 1000)) : 600));
  const font = doc.context.register(
    doc.context.obj({
      Type: 'Font',
      Subtype: 'Type1',
      BaseFont: 'Helvetica',
      FirstChar: 32,
      LastChar: lastCode,
      Widths: widths,
      Encoding: { Type: 'Encoding', BaseEncoding: 'WinAnsiEncoding', Differences: [128, ...others.map(glyphName)] },
    }),
  );
  const encode = (line: string) => PDFHexString.of([...line].map((c) => (codes.get(c) ?? c.codePointAt(0)!).toString(16).padStart(2, '0')).join(''));
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    const name = page.node.newFontDictionary('F', font);
    page.pushOperators(beginText(), setFontAndSize(name, 14), setLineHeight(20), moveText(50, 780));
    for (const line of lines) page.pushOperators(showText(encode(line)), nextLine());
    page.pushOperators(endText());
  }
  return Buffer.from(await doc.save());
}

// ---------------------------------------------------------------------------------------------
// The package

export type BuildOptions = {
  volumes?: number;
  documentsPerVolume?: number;
  pages?: (volume: number, index: number) => number; // pages of the index-th (0-based) document of a volume
  media?: boolean; // a video in volume 1 attached to its first document (default true)
  signedDocuments?: 'none' | 'first' | 'all'; // which documents of each volume carry a signature (default first)
  /**
   * Lines of text on a page (1-based `page` of the index-th document of a volume), or null for the
   * usual line. A document with any such page is made by makeTextPdf instead of from the template.
   */
  pageText?: (volume: number, index: number, page: number) => string[] | null;
};

const OTHER_TYPES = ['report', 'resolution', 'protocol', 'expert_opinion', 'letter', 'notice', 'certificate', 'motion'];

/** The document's PDF: the template for its page count, unless `pageText` puts text on any page. */
async function documentPdf(pageText: BuildOptions['pageText'], volume: number, index: number, pages: number): Promise<Buffer> {
  const texts = Array.from({ length: pages }, (_, p) => pageText?.(volume, index, p + 1) ?? null);
  if (texts.every((t) => t === null)) return makePdf(pages);
  return makeTextPdf(texts.map((t, p) => t ?? [`Test case file, page ${p + 1} of ${pages}`]));
}

/** Content streamed into the archive without ever being held whole: for large test packages. */
export type StreamedFile = { size: number; sha256: string; stream: () => Readable };

export class EcaseBuilder {
  manifest: Manifest;
  /** Archive entries other than the manifest and its signature, in archive order. */
  files = new Map<string, Buffer | StreamedFile>();
  /** Who signs manifest.json when the package is written; null writes no manifest.json.p7s. */
  manifestSigner: TestSigner | null;
  manifestSignOptions: SignOptions = {};
  /** Replaces the manifest bytes written (for invalid JSON and the like). */
  manifestBytesOverride: Buffer | null = null;
  /** Replaces manifest.json.p7s as written. */
  manifestSignatureOverride: Buffer | null = null;

  private constructor(manifest: Manifest, signer: TestSigner) {
    this.manifest = manifest;
    this.manifestSigner = signer;
  }

  static async create(pki: TestPki, options: BuildOptions = {}): Promise<EcaseBuilder> {
    const { volumes = 2, documentsPerVolume = 4, media = true, signedDocuments = 'first' } = options;
    const pagesOf = options.pages ?? ((v: number, i: number) => ((v + i) % 3) + 1);
    const manifest: Manifest = {
      format: 'erdr-ecase',
      formatVersion: '1.0',
      packageId: crypto.randomUUID(),
      createdAt: '2026-10-01T09:30:00+05:00',
      sender: { system: 'ERDR', organ: 'Прокуратура Алмалинского района г. Алматы', officer: { fullName: 'Сапаров Ерлан Маратович', iin: pki.signer.iin, position: 'прокурор' } },
      recipientCourt: { code: '7511', name: 'Специализированный межрайонный суд по уголовным делам г. Алматы' },
      case: {
        erdrNumber: String(241500000000000 + Math.floor(Math.random() * 1e9)),
        registeredAt: '2024-03-12',
        language: 'ru',
        category: 'crime',
        qualification: [{ code: 'УК РК', article: '188', part: '2', paragraph: '3', text: 'Кража' }],
        summary: 'Тестовое дело',
      },
      participants: [
        { id: 'p1', role: 'accused', fullName: 'Ахметов Данияр Серикович', iin: sequentialIin(10), birthDate: '1990-01-01', inCustody: false, representedBy: ['p2'] },
        { id: 'p2', role: 'defender', fullName: 'Жумабаева Айгуль Канатовна', iin: sequentialIin(11), contacts: { email: 'defender@example.kz' } },
        { id: 'p3', role: 'victim', fullName: 'Ким Ольга Викторовна', iin: sequentialIin(12) },
        { id: 'p4', role: 'prosecutor', fullName: 'Сапаров Ерлан Маратович', iin: pki.signer.iin },
      ],
      volumes: [],
      materialEvidence: [{ id: 'e1', description: 'Мобильный телефон', storage: 'Камера хранения' }],
      indictmentDocumentId: '',
    };
    const builder = new EcaseBuilder(manifest, pki.signer);
    let n = 0;
    for (let v = 1; v <= volumes; v++) {
      const documents: ManifestDocument[] = [];
      let sheet = 1;
      for (let i = 0; i < documentsPerVolume; i++) {
        const pages = pagesOf(v, i);
        const file = `documents/v${v}-${String(i + 1).padStart(3, '0')}.pdf`;
        const last = v === volumes && i === documentsPerVolume - 1;
        const id = `d${++n}`;
        const doc: ManifestDocument = {
          id,
          kind: i % 2 === 0 ? 'pdf' : 'electronic',
          type: last ? 'indictment' : OTHER_TYPES[n % OTHER_TYPES.length],
          title: last ? 'Обвинительный акт' : `Документ ${n}`,
          date: '2024-03-12',
          author: 'Следователь',
          file,
          sha256: '',
          pages,
          sheetFrom: sheet,
          sheetTo: sheet + pages - 1,
        };
        builder.files.set(file, await documentPdf(options.pageText, v, i, pages));
        if (signedDocuments === 'all' || (signedDocuments === 'first' && i === 0)) {
          doc.signatures = [{ file: `signatures/${id}.p7s` }];
          builder.files.set(`signatures/${id}.p7s`, await signDetached(builder.files.get(file) as Buffer, pki.signer));
        }
        if (last) manifest.indictmentDocumentId = id;
        documents.push(doc);
        sheet += pages;
      }
      if (v === 1 && media) {
        documents.push({
          id: 'm1',
          kind: 'media',
          type: 'video_record',
          title: 'Видеозапись допроса',
          file: 'media/interrogation-1.webm',
          sha256: '',
          mimeType: 'video/webm',
          durationSec: 4,
          attachedTo: documents[0]?.id,
        });
        builder.files.set('media/interrogation-1.webm', Buffer.from('\x1a\x45\xdf\xa3 test webm '.repeat(100), 'latin1'));
      }
      manifest.volumes.push({ number: v, title: `Том ${v}`, sheets: sheet - 1, documents });
    }
    builder.rehash();
    return builder;
  }

  /** The document with this id, wherever it is. */
  doc(id: string): ManifestDocument {
    const found = this.manifest.volumes.flatMap((v) => v.documents).find((d) => d.id === id);
    if (!found) throw new Error(`no document ${id}`);
    return found;
  }

  /** Sets every document's sha256 from its file as it is now. */
  rehash(): this {
    for (const doc of this.manifest.volumes.flatMap((v) => v.documents)) {
      const file = doc.file === undefined ? undefined : this.files.get(doc.file);
      if (file) doc.sha256 = Buffer.isBuffer(file) ? createHash('sha256').update(file).digest('hex') : file.sha256;
    }
    return this;
  }

  manifestBytes(): Buffer {
    return this.manifestBytesOverride ?? Buffer.from(JSON.stringify(this.manifest, null, 2));
  }

  private async entries(): Promise<[string, Buffer | StreamedFile][]> {
    const bytes = this.manifestBytes();
    const list: [string, Buffer | StreamedFile][] = [['manifest.json', bytes]];
    const p7s = this.manifestSignatureOverride ?? (this.manifestSigner ? await signDetached(bytes, this.manifestSigner, this.manifestSignOptions) : null);
    if (p7s) list.push(['manifest.json.p7s', p7s]);
    return [...list, ...this.files];
  }

  /** Writes a zip; `modes` sets an entry's Unix mode (0o120777 makes a symlink entry). */
  async writeZip(file: string, options: { compress?: boolean; modes?: Record<string, number>; extra?: [string, Buffer][]; directories?: string[] } = {}): Promise<string> {
    const zip = new yazl.ZipFile();
    for (const dir of options.directories ?? []) zip.addEmptyDirectory(dir, { mtime: new Date('2026-11-22T12:00:00Z') });
    const common = (name: string) => ({ compress: options.compress ?? true, mtime: new Date('2026-11-22T12:00:00Z'), mode: options.modes?.[name] ?? 0o100644 });
    for (const [name, content] of [...(await this.entries()), ...(options.extra ?? [])]) {
      if (Buffer.isBuffer(content)) zip.addBuffer(content, name, common(name));
      else zip.addReadStream(content.stream(), name, { ...common(name), size: content.size });
    }
    zip.end();
    await pipeline(zip.outputStream, fs.createWriteStream(file));
    return file;
  }

  /** Writes the same layout as a directory. */
  async writeDirectory(dir: string): Promise<string> {
    for (const [name, content] of await this.entries()) {
      const target = path.join(dir, ...name.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (Buffer.isBuffer(content)) fs.writeFileSync(target, content);
      else await pipeline(content.stream(), fs.createWriteStream(target));
    }
    return dir;
  }
}

/**
 * Deterministic incompressible bytes of any size (AES-CTR keystream of the seed), generated as
 * streamed, so a test can put hundreds of megabytes in a package without holding them.
 */
export function pseudoRandomFile(size: number, seed = 1): StreamedFile {
  const hash = createHash('sha256');
  for (const chunk of pseudoRandomChunks(size, seed)) hash.update(chunk);
  return { size, sha256: hash.digest('hex'), stream: () => Readable.from(pseudoRandomChunks(size, seed)) };
}

function* pseudoRandomChunks(size: number, seed: number): Generator<Buffer> {
  const key = createHash('sha256').update(`seed ${seed}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(1 << 20);
  for (let left = size; left > 0; left -= zeros.length) yield cipher.update(zeros.subarray(0, Math.min(left, zeros.length)));
}

/** Rewrites names inside a finished zip (same byte length), for names yazl refuses to write. */
export function patchZipNames(file: string, renames: Record<string, string | Buffer>): void {
  const bytes = fs.readFileSync(file);
  for (const [from, to] of Object.entries(renames)) {
    const a = Buffer.from(from);
    const b = Buffer.isBuffer(to) ? to : Buffer.from(to);
    if (a.length !== b.length) throw new Error(`"${from}" and "${to}" differ in length`);
    for (let at = bytes.indexOf(a); at !== -1; at = bytes.indexOf(a, at + 1)) b.copy(bytes, at);
  }
  fs.writeFileSync(file, bytes);
}
