import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { activeContentOf } from './active-content.ts';

/** A one-page PDF, changed by `alter` before it is saved (with object streams unless said otherwise). */
async function pdfWith(alter: (doc: PDFDocument) => void | Promise<void> = () => {}, options: { useObjectStreams?: boolean } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText('Attachment', { x: 50, y: 780, size: 14, font });
  await alter(doc);
  return Buffer.from(await doc.save({ useObjectStreams: options.useObjectStreams ?? true }));
}

const javascript = (doc: PDFDocument) => doc.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(1)') });

const ACTIVE_SAMPLES: Record<string, (doc: PDFDocument) => void | Promise<void>> = {
  'JavaScript on open': (doc) => doc.catalog.set(PDFName.of('OpenAction'), javascript(doc)),
  'JavaScript name tree': (doc) => {
    const tree = doc.context.obj({ Names: [PDFString.of('x'), doc.context.register(javascript(doc))] });
    doc.catalog.set(PDFName.of('Names'), doc.context.obj({ JavaScript: doc.context.register(tree) }));
  },
  'JavaScript in a page action': (doc) => doc.getPage(0).node.set(PDFName.of('AA'), doc.context.obj({ O: javascript(doc) })),
  'launch action': (doc) => doc.catalog.set(PDFName.of('OpenAction'), doc.context.obj({ S: 'Launch', F: PDFString.of('cmd.exe') })),
  'embedded file': async (doc) => doc.attach(Buffer.from('MZ payload'), 'payload.exe', { mimeType: 'application/octet-stream' }),
  'file attachment annotation': (doc) => {
    const annot = doc.context.obj({ Type: 'Annot', Subtype: 'FileAttachment', Rect: [0, 0, 10, 10], Contents: PDFString.of('x') });
    doc.getPage(0).node.set(PDFName.of('Annots'), doc.context.obj([doc.context.register(annot)]));
  },
  'rich media': (doc) => {
    const annot = doc.context.obj({ Type: 'Annot', Subtype: 'RichMedia', Rect: [0, 0, 10, 10] });
    doc.getPage(0).node.set(PDFName.of('Annots'), doc.context.obj([doc.context.register(annot)]));
  },
  'XFA form': (doc) => doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: [], XFA: PDFString.of('<xdp/>') })),
  'submit form': (doc) => doc.catalog.set(PDFName.of('OpenAction'), doc.context.obj({ S: 'SubmitForm', F: PDFString.of('https://example.org') })),
  'import data': (doc) => doc.catalog.set(PDFName.of('OpenAction'), doc.context.obj({ S: 'ImportData', F: PDFString.of('data.fdf') })),
};

const kindsOf = async (bytes: Buffer) => activeContentOf(await PDFDocument.load(bytes, { updateMetadata: false }));

test('a plain PDF has no active content', async () => {
  assert.deepEqual(await kindsOf(await pdfWith()), []);
  // A harmless open action (go to the first page) is no active content.
  assert.deepEqual(await kindsOf(await pdfWith((doc) => doc.catalog.set(PDFName.of('OpenAction'), doc.context.obj([doc.getPage(0).ref, 'Fit'])))), []);
});

test('each kind of active content is found, inside compressed object streams too', async () => {
  const expected: Record<string, string> = {
    'JavaScript on open': 'javascript',
    'JavaScript name tree': 'javascript',
    'JavaScript in a page action': 'javascript',
    'launch action': 'launch',
    'embedded file': 'embedded_file',
    'file attachment annotation': 'embedded_file',
    'rich media': 'rich_media',
    'XFA form': 'xfa',
    'submit form': 'submit_form',
    'import data': 'import_data',
  };
  for (const [name, alter] of Object.entries(ACTIVE_SAMPLES)) {
    const compressed = await pdfWith(alter);
    assert.ok((await kindsOf(compressed)).includes(expected[name] as never), `${name} (object streams)`);
    assert.ok((await kindsOf(await pdfWith(alter, { useObjectStreams: false }))).includes(expected[name] as never), `${name} (plain objects)`);
  }
});

test('hex-escaped names are read as a PDF reader reads them', async () => {
  const plain = await pdfWith(ACTIVE_SAMPLES['JavaScript on open'], { useObjectStreams: false });
  const escaped = Buffer.from(plain.toString('latin1').replace('/JavaScript', '/J#61vaScript').replace('/JS', '/J#53'), 'latin1');
  assert.ok(!escaped.includes(Buffer.from('/JavaScript')) && !escaped.includes(Buffer.from('/JS ')));
  assert.deepEqual(await kindsOf(escaped), ['javascript']);
  const lowerHex = Buffer.from(plain.toString('latin1').replace('/JavaScript', '/Jav#61#73cript').replace('/JS', '/J#53'), 'latin1');
  assert.deepEqual(await kindsOf(lowerHex), ['javascript']);
});
