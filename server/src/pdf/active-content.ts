/**
 * Finds active content in a PDF: what a PDF reader would run, launch or unpack rather than
 * draw — JavaScript (an action's /JS, the /JavaScript name tree, /OpenAction or /AA with
 * JavaScript), /Launch actions, embedded files (/EmbeddedFiles, /EmbeddedFile streams, /EF in a
 * file specification, /FileAttachment annotations), /RichMedia, XFA forms, /SubmitForm and
 * /ImportData. Motion attachments with any of it are refused (motions/motion-files.ts).
 *
 * It walks pdf-lib's parsed objects, not the bytes: pdf-lib unpacks object streams into the same
 * context, so compressed objects are seen too, and names are compared decoded (/J#61vaScript is
 * /JavaScript). An object pdf-lib could not parse is scanned for name tokens instead.
 */
import { PDFArray, PDFDict, PDFInvalidObject, PDFName, PDFStream, type PDFDocument, type PDFObject } from 'pdf-lib';

export type ActiveContentKind = 'javascript' | 'launch' | 'embedded_file' | 'rich_media' | 'xfa' | 'submit_form' | 'import_data';

/** Which kind of active content a name announces, as a key or as a value. */
const ACTIVE_NAMES: ReadonlyMap<string, ActiveContentKind> = new Map([
  ['JS', 'javascript'],
  ['JavaScript', 'javascript'],
  ['Launch', 'launch'],
  ['EmbeddedFiles', 'embedded_file'],
  ['EmbeddedFile', 'embedded_file'],
  ['FileAttachment', 'embedded_file'],
  ['GoToE', 'embedded_file'],
  ['RichMedia', 'rich_media'],
  ['RichMediaExecute', 'rich_media'],
  ['XFA', 'xfa'],
  ['SubmitForm', 'submit_form'],
  ['ImportData', 'import_data'],
]);

/** A file specification's /EF key holds the embedded file streams themselves. */
const EMBEDDED_FILE_KEY = 'EF';

/** The kinds of active content found in the document, in a stable order; empty when there is none. */
export function activeContentOf(doc: PDFDocument): ActiveContentKind[] {
  const found = new Set<ActiveContentKind>();
  const seen = new Set<PDFObject>();
  const visit = (object: PDFObject | undefined): void => {
    if (object === undefined || seen.has(object)) return;
    if (object instanceof PDFName) {
      const kind = ACTIVE_NAMES.get(normalise(object));
      if (kind) found.add(kind);
    } else if (object instanceof PDFDict) {
      seen.add(object);
      for (const [key, value] of object.entries()) {
        const name = normalise(key);
        const kind = name === EMBEDDED_FILE_KEY ? 'embedded_file' : ACTIVE_NAMES.get(name);
        if (kind) found.add(kind);
        visit(value);
      }
    } else if (object instanceof PDFArray) {
      seen.add(object);
      for (let i = 0; i < object.size(); i++) visit(object.get(i));
    } else if (object instanceof PDFStream) {
      seen.add(object);
      visit(object.dict);
    } else if (object instanceof PDFInvalidObject) {
      const raw = new Uint8Array(object.sizeInBytes());
      object.copyBytesInto(raw, 0);
      for (const name of nameTokens(Buffer.from(raw).toString('latin1'))) {
        const kind = ACTIVE_NAMES.get(name);
        if (kind) found.add(kind);
      }
    }
    // References are not followed: every indirect object is visited below anyway.
  };
  for (const [, object] of doc.context.enumerateIndirectObjects()) visit(object);
  return [...ACTIVE_NAMES.values()].filter((kind, i, all) => all.indexOf(kind) === i && found.has(kind));
}

/** A name as a reader compares it: without the slash, every #xx escape decoded (either case of hex). */
function normalise(name: PDFName): string {
  return decodeEscapes(name.decodeText().replace(/^\//, ''));
}

function decodeEscapes(name: string): string {
  return name.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Name tokens (/Name) in raw object text, decoded. */
function nameTokens(text: string): string[] {
  return [...text.matchAll(/\/([^\s/[\]<>(){}%]+)/g)].map((m) => decodeEscapes(m[1]));
}
