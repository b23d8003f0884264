/**
 * Motion attachments without active content (server/src/pdf/active-content.ts): a PDF with
 * JavaScript, a launch action or an embedded file is refused with `attachment_active_content`,
 * naming the file and what was found; nothing is stored. A plain PDF is filed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { demoHearing, seedCaseFile, type CaseFile, type DemoHearing } from '../helpers/hall.ts';
import { fileMotion, makeMotionPki, smallPdf, type MotionPki } from '../helpers/motions.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

async function pdfWith(alter: (doc: PDFDocument) => void | Promise<void>): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText('Certificate', { x: 50, y: 780, size: 14, font });
  await alter(doc);
  return Buffer.from(await doc.save());
}

describe('motion attachments without active content', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let file: CaseFile;
  let pki: MotionPki;
  let defender: ApiClient;

  before(async () => {
    pki = await makeMotionPki(fs.mkdtempSync('/tmp/ezal-attachments-pki-'));
    server = await startTestServer({ ECASE_TRUST_ROOTS: pki.rootFile });
    demo = await demoHearing(server.db);
    file = await seedCaseFile(server.db, demo.caseId);
    defender = new ApiClient(server.url);
    await defender.login('defender');
  });
  after(async () => server?.close());

  const motion = (attachment: { fileName: string; content: Buffer }) => ({
    hearingId: null,
    kind: 'motion' as const,
    text: 'Прошу приобщить к делу справку.',
    refs: [{ documentId: file.protocol, sheet: 6 }],
    attachments: [attachment],
  });
  const motionCount = async () => (await sqlOf(server).one<{ n: number }>('select count(*) as n from motions'))!.n;

  test('JavaScript, a launch action, an embedded file: refused with the reason; a plain PDF is filed', async () => {
    const samples: [string, Buffer, string][] = [
      ['script.pdf', await pdfWith((doc) => doc.catalog.set(PDFName.of('OpenAction'), doc.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(1)') }))), 'javascript'],
      ['launch.pdf', await pdfWith((doc) => doc.catalog.set(PDFName.of('OpenAction'), doc.context.obj({ S: 'Launch', F: PDFString.of('cmd.exe') }))), 'launch'],
      ['embedded.pdf', await pdfWith((doc) => doc.attach(Buffer.from('MZ payload'), 'payload.exe', { mimeType: 'application/octet-stream' })), 'embedded_file'],
    ];
    const before = await motionCount();
    for (const [fileName, content, found] of samples) {
      const answer = await fileMotion(defender, demo.caseId, motion({ fileName, content }), pki.defender);
      assert.equal(answer.status, 422, `${fileName}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error.code, 'attachment_active_content');
      assert.deepEqual(answer.body.error.details, { fileName, found: [found] });
      assert.match(answer.body.error.message, new RegExp(`^${fileName.replace('.', '\\.')} contains active content \\(${found}\\)`));
    }
    assert.equal(await motionCount(), before, 'nothing was filed');

    const clean = await fileMotion(defender, demo.caseId, motion({ fileName: 'spravka.pdf', content: await smallPdf('Certificate of employment') }), pki.defender);
    assert.equal(clean.status, 201, JSON.stringify(clean.body));
    assert.equal(await motionCount(), before + 1);
  });
});
