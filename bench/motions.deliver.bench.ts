/**
 * motions.deliver: a party files a signed motion (HTTP) → it is on 50 workstations. Measured from
 * the filing request leaving the lawyer's client to the moment the last of 50 followers has
 * applied the `motion.filed` event (through HearingFollower, the web app's own code). The motion
 * is drafted and signed before the clock starts (signing is the filer's, in their browser); the
 * time covers the server's work: JSON body, PDF check of the attachment, CMS verification
 * (pkijs, chain to the court's root), one SQLite transaction (motion rows, history, hearing event
 * and state; synchronous=FULL), then the broadcast.
 *
 * Baseline, in the same run and alternating with the filings: a bare socket.io broadcast of the
 * same event (same size) to the same 50 sockets, relayed by the same server process.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDb } from '../db/database.ts';
import { loadDemoData } from '../db/demo.ts';
import { signDetached } from '../apps/web/src/lib/signing/sign-detached.ts';
import type { HearingEvent } from '../server/src/shared/hearing/state.ts';
import { attach, closeAll, dataOf, demoHearing, inStep, workstation, type Workstation } from '../tests/helpers/hall.ts';
import { KEY_PASSWORD, makeMotionPki, smallPdf } from '../tests/helpers/motions.ts';
import type { BenchResult } from './benchmarks.ts';
import { startServerProcess, timed } from './hall.follow.bench.ts';
import { percentile, round } from './stats.ts';

const FOLLOWERS = 50;
const WARMUP = 10;
/** Filings measured. Each stays in the hearing's state, as a long day of motions would. */
const FILINGS = 100;

export async function motionsDeliver(): Promise<BenchResult[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-bench-motions-'));
  const pki = await makeMotionPki(dataDir);
  const database = openSqliteDb(dataDir);
  await loadDemoData(database);
  const demo = demoHearing(database.legacy.sqlite);
  await database.close();

  const { child, url } = await startServerProcess(dataDir, { ECASE_TRUST_ROOTS: pki.rootFile });
  const followers: Workstation[] = [];
  const staff: Workstation[] = [];
  try {
    const [judge, defender, office] = await Promise.all(['judge', 'defender', 'office'].map((u) => workstation(url, u, demo.hearingId)));
    staff.push(judge, defender, office);
    await Promise.all(staff.map((s) => inStep(s)));
    dataOf(await judge.follower.send('hearing:open', {}));
    while (followers.length < FOLLOWERS) followers.push(attach(url, office.api, 'office', demo.hearingId));
    await Promise.all(followers.map((f) => inStep(f, judge.follower.replica.version)));

    const pdf = await smallPdf('Attachment of the bench');
    const pdfHash = createHash('sha256').update(pdf).digest('hex');
    /** Drafts and signs motion i (not timed), and returns the filing to send. */
    const prepare = async (i: number) => {
      const draft = { hearingId: demo.hearingId, kind: 'motion' as const, subtype: null, text: `Ходатайство № ${i}: прошу приобщить к делу справку.`, refs: [] };
      const answer = await defender.api.post(`/api/cases/${demo.caseId}/motions/draft`, { ...draft, attachments: [{ fileName: 'spravka.pdf', sha256: pdfHash, size: pdf.length }] });
      if (answer.status !== 200) throw new Error(`draft refused: ${JSON.stringify(answer.body)}`);
      const signature = await signDetached(pki.defender, KEY_PASSWORD, Buffer.from(answer.body.canonical, 'utf8'));
      return { ...draft, attachments: [{ fileName: 'spravka.pdf', contentBase64: pdf.toString('base64') }], signature: Buffer.from(signature).toString('base64') };
    };

    const filed: number[] = [];
    const bare: number[] = [];
    let payloadBytes = 0;
    for (let i = 0; i < WARMUP + FILINGS; i++) {
      const body = await prepare(i);
      const number = i + 1;
      const filingMs = await timed(
        followers,
        'hearing:changed',
        (e) => (e as HearingEvent).type === 'motion.filed' && (e as Extract<HearingEvent, { type: 'motion.filed' }>).payload.motion.number === number,
        async () => {
          const answer = await defender.api.post(`/api/cases/${demo.caseId}/motions`, body);
          if (answer.status !== 201) throw new Error(`filing refused: ${JSON.stringify(answer.body)}`);
        },
      );
      const event = defender.follower.replica.events.findLast((e) => e.type === 'motion.filed')!;
      const relayed = { ...event, version: -number };
      payloadBytes = Buffer.byteLength(JSON.stringify(event));
      const bareMs = await timed(
        followers,
        'bench:broadcasted',
        (e) => (e as HearingEvent).version === -number,
        async () => {
          await (defender.socket as unknown as { emitWithAck(name: string, payload: unknown): Promise<void> }).emitWithAck('bench:broadcast', relayed);
        },
      );
      if (i >= WARMUP) {
        filed.push(filingMs);
        bare.push(bareMs);
      }
    }
    const loadAverage = round(os.loadavg()[0], 2);
    const base = { unit: 'ms', followers: FOLLOWERS, n: FILINGS, payloadBytes, loadAverage, baselineIs: 'bare socket.io broadcast of the same event' };
    return [50, 95, 99].map((p) => ({ metric: `motion_filed_visible_p${p}_ms`, value: round(percentile(filed, p), 2), baseline: round(percentile(bare, p), 2), ...base }));
  } finally {
    closeAll([...followers, ...staff]);
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
