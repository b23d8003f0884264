/**
 * A court's time zone is data (`courts.timezone`), not a constant: with the demo court moved to
 * Moscow time (UTC+3, two hours behind Kazakhstan's UTC+5) in the database, the protocol PDF, the
 * motions register PDF and the motion's receipt all show Moscow's wall clock. A real server, real
 * SQLite, real sockets; the PDFs' text read back as a reader would.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { TextExtractor } from '../../server/src/case-text/text-extractor.ts';
import { courtClock, courtDate, courtDateTime, courtTime } from '../../server/src/shared/court-time.ts';
import { closeAll, dataOf, demoHearing, inStep, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { fileMotion, makeMotionPki, type MotionPki } from '../helpers/motions.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

const ZONE = 'Europe/Moscow';

describe("court time follows the court's time zone in the database", () => {
  let server: TestServer;
  let demo: DemoHearing;
  let pki: MotionPki;
  let judge: Workstation;
  let defender: Workstation;
  const extractor = new TextExtractor();
  const pdfText = async (bytes: Uint8Array) => (await extractor.extract(bytes)).join('\n').replace(/\s+/g, ' ');
  const download = async (station: Workstation, path: string) => {
    const response = await fetch(`${station.api.baseUrl}${path}`, { headers: { cookie: station.api.cookieHeader } });
    assert.equal(response.status, 200, path);
    return new Uint8Array(await response.arrayBuffer());
  };

  before(async () => {
    pki = await makeMotionPki(fs.mkdtempSync('/tmp/ezal-court-time-pki-'));
    server = await startTestServer({ ECASE_TRUST_ROOTS: pki.rootFile });
    demo = await demoHearing(server.db);
    await sqlOf(server).run('update courts set timezone = ? where id = (select court_id from cases where id = ?)', ZONE, demo.caseId);
    [judge, defender] = await Promise.all(['judge', 'defender'].map((u) => workstation(server.url, u, demo.hearingId)));
    await Promise.all([judge, defender].map((s) => inStep(s)));
  });

  after(async () => {
    closeAll([judge, defender]);
    await server?.close();
    await extractor.close();
  });

  test('the protocol PDF: its date, opening time and entries in Moscow time', async () => {
    dataOf(await judge.follower.send('hearing:open', {}));
    const { at } = (await sqlOf(server).one<{ at: number }>("select at from hearing_events where hearing_id = ? and type = 'hearing.opened'", demo.hearingId))!;
    const text = await pdfText(await download(judge, `/api/hearings/${demo.hearingId}/protocol.pdf`));
    assert.ok(text.includes(courtDate(ZONE, at)), `no Moscow date ${courtDate(ZONE, at)} in:\n${text}`);
    assert.ok(text.includes(courtTime(ZONE, at)), `no Moscow opening time ${courtTime(ZONE, at)} in:\n${text}`);
    assert.ok(!text.includes(courtTime('Asia/Almaty', at)), `Almaty time ${courtTime('Asia/Almaty', at)} in:\n${text}`);
  });

  test("the motions register PDF and the receipt's date: Moscow time", async () => {
    const filed = await fileMotion(defender.api, demo.caseId, { hearingId: null, kind: 'motion', text: 'Прошу приобщить характеристику.' }, pki.defender);
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const { receiptNumber, receivedAt } = filed.body.receipt as { receiptNumber: string; receivedAt: number };
    assert.equal(receiptNumber, `M-${courtClock(ZONE, receivedAt).date.replaceAll('-', '')}-1`);
    const text = await pdfText(await download(judge, `/api/cases/${demo.caseId}/motions/register.pdf?lang=ru`));
    assert.ok(text.includes(`Подано: ${courtDateTime(ZONE, receivedAt)}`), `no Moscow filing time ${courtDateTime(ZONE, receivedAt)} in:\n${text}`);
    assert.ok(!text.includes(courtTime('Asia/Almaty', receivedAt)), `Almaty time in:\n${text}`);
  });
});
