/**
 * Verification agrees with signing ("The record is exact"): in the demo configuration as shipped
 * (EZAL_DEMO on, no ECASE_TRUST_ROOTS), the secretary and the judge sign the protocol with the
 * demo court's key files, and the case file's verification answers that it verifies — the same
 * trust roots that accepted the signatures check them again (signatures/court-trust-roots.ts).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { signDetached } from '../../apps/web/src/lib/signing/sign-detached.ts';
import { closeAll, dataOf, demoHearing, inStep, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { protocolPdf } from '../helpers/protocol.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('demo signatures verify', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let judge: Workstation, secretary: Workstation;

  before(async () => {
    server = await startTestServer();
    demo = await demoHearing(server.db);
    [judge, secretary] = await Promise.all(['judge', 'secretary'].map((u) => workstation(server.url, u, demo.hearingId)));
    await Promise.all([inStep(judge), inStep(secretary)]);
  });
  after(async () => {
    closeAll([judge, secretary].filter(Boolean));
    await server?.close();
  });

  /** Signs the protocol as the web app does, with the person's demo key file (password ezal-demo). */
  const sign = async (station: Workstation) => {
    const keyFile = new Uint8Array(fs.readFileSync(path.join(server.dataDir, 'demo-keys', `${station.username}.p12`)));
    const pdf = await protocolPdf(station.api, demo.hearingId);
    const signature = await signDetached(keyFile, 'ezal-demo', pdf.bytes);
    return station.api.post(`/api/hearings/${demo.hearingId}/protocol/sign`, { version: pdf.version, signature: Buffer.from(signature).toString('base64') });
  };

  test('the protocol signed with the demo keys is verified right after signing', async () => {
    dataOf(await judge.follower.send('hearing:open', {}));
    dataOf(await secretary.follower.send('protocol:add-note', { text: 'Подсудимый доставлен', startedAt: Date.now() }));
    dataOf(await judge.follower.send('hearing:adjourn', { reason: 'Неявка свидетеля', nextDate: null }));

    const bySecretary = await sign(secretary);
    assert.equal(bySecretary.status, 200, JSON.stringify(bySecretary.body));
    const byJudge = await sign(judge);
    assert.equal(byJudge.status, 200, JSON.stringify(byJudge.body));
    assert.equal(byJudge.body.status, 'signed');

    const answer = await judge.api.get(`/api/cases/${demo.caseId}/verification`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const protocol = answer.body.documents.find((d: { id: string }) => d.id === byJudge.body.documentId);
    assert.ok(protocol, 'the signed protocol is in the case file');
    assert.deepEqual(
      protocol.signatures.map((s: { ok: boolean; problem: string | null }) => [s.ok, s.problem]),
      [
        [true, null],
        [true, null],
      ],
    );
    assert.equal(answer.body.ok, true, JSON.stringify(answer.body.documents.filter((d: { signatures: { ok: boolean }[] }) => d.signatures.some((s) => !s.ok))));
  });
});
