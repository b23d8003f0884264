/**
 * The hall's wall screen (`hall1`) reads the screen and nothing else (server/src/cases/wall-screen.ts):
 * while the hearing sits, the inventory's layout and the one document on screen; never the case
 * page, motions, attachments, search, verification, acts, notes, protocol or recording; and once
 * the hearing is over, nothing of the case at all. Every refusal is audited.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeAll, dataOf, demoHearing, inStep, seedCaseFile, until, workstation, type CaseFile, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

describe("the wall screen's account sees the screen only", () => {
  let server: TestServer;
  let demo: DemoHearing;
  let file: CaseFile;
  let judge: Workstation, prosecutor: Workstation, display: Workstation;

  before(async () => {
    server = await startTestServer();
    demo = await demoHearing(server.db);
    file = await seedCaseFile(server.db, demo.caseId);
    [judge, prosecutor, display] = await Promise.all(['judge', 'prosecutor', 'hall1'].map((u) => workstation(server.url, u, demo.hearingId)));
    await Promise.all([judge, prosecutor, display].map((s) => inStep(s)));
    dataOf(await judge.follower.send('hearing:open', {}));
    dataOf(await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } }));
    dataOf(await prosecutor.follower.send('presenter:show', { documentId: file.indictment, page: 2, zoom: 1 }));
    await until(() => display.follower.replica.state?.shown?.documentId === file.indictment);
  });

  after(async () => {
    closeAll([judge, prosecutor, display]);
    await server?.close();
  });

  const c = () => `/api/cases/${demo.caseId}`;
  const h = () => `/api/hearings/${demo.hearingId}`;
  /** Everything the screen must never read, as [method, url, body]. */
  const beyondTheScreen = (): [string, string, unknown?][] => [
    ['GET', c()],
    ['GET', `${c()}/motions`],
    ['GET', `${c()}/motions/register.pdf?lang=ru`],
    ['GET', `${c()}/motions/any-motion/attachments/1`],
    ['GET', `${c()}/search?q=${encodeURIComponent('кража')}`],
    ['GET', `${c()}/verification`],
    ['GET', `${c()}/acts`],
    ['GET', `${c()}/notes`],
    ['POST', `${c()}/notes`, { documentId: file.indictment, page: 1, text: 'note from the wall' }],
    ['GET', `${c()}/hearings`],
    ['GET', `${c()}/documents/${file.protocol}/content`],
    ['GET', `${h()}/protocol`],
    ['GET', `${h()}/protocol.pdf`],
    ['GET', `${h()}/protocol.json`],
    ['GET', `${h()}/protocol.vtt`],
    ['GET', `${h()}/recording`],
  ];

  const deniedAudits = () => sqlOf(server).all<{ action: string; details: string | null }>("select action, details from audit_log where actor = 'hall1' and outcome = 'denied' order by id");

  async function expectRefused(when: string) {
    const before = (await deniedAudits()).length;
    for (const [method, url, body] of beyondTheScreen()) {
      const answer = await display.api.request(method, url, body);
      assert.equal(answer.status, 403, `${when}: ${method} ${url} answered ${answer.status}`);
      assert.equal(answer.body.error?.code, 'forbidden', `${method} ${url}`);
    }
    const audits = (await deniedAudits()).slice(before);
    assert.equal(audits.length, beyondTheScreen().length, `${when}: every refusal is audited`);
    for (const audit of audits) assert.equal(JSON.parse(audit.details ?? '{}').reason, 'wall_screen', audit.action);
    const notes = (await sqlOf(server).one<{ n: number }>("select count(*) as n from case_notes where text = 'note from the wall'"))!;
    assert.equal(notes.n, 0, 'no note was made');
  }

  test('while a page is shown: the shown document and the layout, nothing else', async () => {
    const shown = await display.api.get(`${c()}/documents/${file.indictment}/content`);
    assert.equal(shown.status, 200, 'the shown document renders');
    const ranged = await fetch(`${server.url}${c()}/documents/${file.indictment}/content`, { headers: { cookie: display.api.cookieHeader, range: 'bytes=0-9' } });
    assert.equal(ranged.status, 206, 'pdf.js reads it by ranges');

    const inventory = await display.api.get(`${c()}/inventory`);
    assert.equal(inventory.status, 200);
    const documents = inventory.body.volumes.flatMap((v: { documents: { id: string; author: unknown; signatures: unknown[]; sha256: string }[] }) => v.documents);
    assert.ok(
      documents.some((d: { id: string }) => d.id === file.indictment),
      'the layout places the shown page',
    );
    assert.ok(
      documents.every((d: { author: unknown; signatures: unknown[]; sha256: string }) => d.author === null && d.signatures.length === 0 && d.sha256 === ''),
      'no more than the layout',
    );
    assert.deepEqual(inventory.body.materialEvidence, []);

    await expectRefused('while shown');
  });

  test('nothing shown: no document, though the layout stays for the next page', async () => {
    dataOf(await prosecutor.follower.send('floor:end', {}));
    await until(() => display.follower.replica.state?.shown === null);
    assert.equal((await display.api.get(`${c()}/documents/${file.indictment}/content`)).status, 403, 'the page shown before is not shown now');
    assert.equal((await display.api.get(`${c()}/inventory`)).status, 200);
    await expectRefused('nothing shown');
  });

  test('after the hearing: nothing of the case, the protocol in no format', async () => {
    dataOf(await judge.follower.send('hearing:adjourn', { reason: 'Неявка свидетеля' }));
    await until(() => display.follower.replica.state?.status === 'adjourned');
    assert.equal((await display.api.get(`${c()}/inventory`)).status, 403);
    assert.equal((await display.api.get(`${c()}/documents/${file.indictment}/content`)).status, 403);
    await expectRefused('after the hearing');
    // The judge still reads all of it.
    for (const url of [`${c()}/motions`, `${h()}/protocol.json`, `${c()}/verification`]) assert.equal((await judge.api.get(url)).status, 200, url);
    // Its idle screen: the hall's hearings.
    assert.equal((await display.api.get('/api/hearings')).status, 200);
  });
});

describe("the wall screen's socket carries the screen only", () => {
  let server: TestServer;
  let demo: DemoHearing;
  let file: CaseFile;
  let judge: Workstation, secretary: Workstation, prosecutor: Workstation, display: Workstation;
  /** Everything the wall screen's socket received, as sent. */
  const received: unknown[] = [];
  const SECRET = 'Сведения не для экрана 4711';

  before(async () => {
    server = await startTestServer();
    demo = await demoHearing(server.db);
    file = await seedCaseFile(server.db, demo.caseId);
    [judge, secretary, prosecutor, display] = await Promise.all(['judge', 'secretary', 'prosecutor', 'hall1'].map((u) => workstation(server.url, u, demo.hearingId)));
    display.socket.onAny((name: string, ...args: unknown[]) => received.push({ name, args }));
    await Promise.all([judge, secretary, prosecutor, display].map((s) => inStep(s)));
  });

  after(async () => {
    closeAll([judge, secretary, prosecutor, display]);
    await server?.close();
  });

  test('notes, marks, attendance, identification and reasons never reach it; what is shown does, gap-free', async () => {
    dataOf(await judge.follower.send('hearing:open', {}));
    dataOf(await secretary.follower.send('attendance:record', { participantId: demo.participants.defendant, attendance: 'present' }));
    dataOf(await judge.follower.send('participant:identify', { participantId: demo.participants.defendant, document: `удостоверение ${SECRET}` }));
    dataOf(await secretary.follower.send('mark:add', { text: SECRET }));
    dataOf(await secretary.follower.send('protocol:add-note', { text: SECRET, startedAt: Date.now() }));
    dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' }));
    dataOf(await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } }));
    dataOf(await prosecutor.follower.send('presenter:show', { documentId: file.indictment, page: 2, zoom: 1 }));
    const { version } = dataOf(await judge.follower.send('hearing:start-break', { until: null, reason: SECRET }));
    await display.follower.reached(version);

    const screen = display.follower.replica.state!;
    assert.equal(screen.version, version, 'the screen is in step, with no resync asked');
    assert.equal(screen.status, 'break');
    assert.equal(screen.break?.reason, null);
    assert.deepEqual([screen.attendance, screen.identification, screen.motions, screen.protocol?.notes], [{}, {}, [], []]);
    assert.equal(judge.follower.replica.state!.break?.reason, SECRET, 'the judge sees the reason');
    assert.ok(!JSON.stringify(received).includes(SECRET), 'no byte of it went over the screen’s socket');
    assert.ok(JSON.stringify(received).includes(file.indictment), 'what was shown did');

    // A screen that joins now: the snapshot and the history have none of it either.
    const late = await workstation(server.url, 'hall1', demo.hearingId);
    try {
      await inStep(late);
      assert.deepEqual(late.follower.replica.state, screen);
      assert.ok(!JSON.stringify(late.follower.replica.events).includes(SECRET));
      const history = dataOf(await late.follower.history({ limit: 100 }));
      assert.ok(history.events.length > 0 && !JSON.stringify(history).includes(SECRET));
      assert.ok(!history.events.some((e) => e.type === 'mark.added' || e.type === 'protocol.note_added' || e.type === 'attendance.recorded'));
    } finally {
      closeAll([late]);
    }
  });
});
