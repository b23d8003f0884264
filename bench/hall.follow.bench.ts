/**
 * hall.follow: the presenter turns a page → every follower holds the new state. Measured from the
 * presenter's emit to the moment the last of 10, 100 and 500 followers has applied the event
 * (through HearingFollower, the web app's own code). Baseline: a bare socket.io broadcast of the
 * same payload to the same sockets, relayed by the same server process, in the same run,
 * alternating with the hearing's changes so both meet the same conditions.
 *
 * The hearing's path per change: payload schema check, permission and position rules, one SQLite
 * transaction (event + state + hearing row, synchronous=FULL: fsync before anyone is told), then
 * the broadcast. To show what the fsync costs, a third series runs the same changes with
 * synchronous=NORMAL (bench only: `page_change_nofsync_*`), interleaved with the other two.
 * Two processes for two cores: the server (bench/hall-server.ts) and this one, which runs the
 * presenter and every follower; the time includes this process decoding N messages.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/client.ts';
import { loadDemoData } from '../db/demo.ts';
import type { HearingEvent } from '../server/src/hearings/hearing-state.ts';
import { attach, closeAll, dataOf, demoHearing, inStep, seedCaseFile, workstation, type Workstation } from '../tests/helpers/hall.ts';
import type { BenchResult } from './benchmarks.ts';
import { percentile, round } from './stats.ts';

const FOLLOWERS = [10, 100, 500];
const WARMUP = 30;
/** Page changes measured per follower count, for each of the two paths. */
const CHANGES = 300;

export async function hallFollow(): Promise<BenchResult[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-bench-hall-'));
  const database = openDatabase(dataDir);
  await loadDemoData(database.db);
  const demo = demoHearing(database.sqlite);
  const file = seedCaseFile(database.sqlite, demo.caseId);
  database.close();

  const { child, url } = await startServerProcess(dataDir);
  const followers: Workstation[] = [];
  const staff: Workstation[] = [];
  try {
    const [judge, prosecutor, office] = await Promise.all(['judge', 'prosecutor', 'office'].map((u) => workstation(url, u, demo.hearingId)));
    staff.push(judge, prosecutor, office);
    await Promise.all(staff.map((s) => inStep(s)));
    dataOf(await judge.follower.send('hearing:open', {}));
    dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' }));
    dataOf(await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } }));

    const results: BenchResult[] = [];
    let page = 0;
    for (const count of FOLLOWERS) {
      // Followers are the court office's screens (read-only seats): one login, many connections.
      while (followers.length < count) followers.push(attach(url, office.api, 'office', demo.hearingId));
      await Promise.all(followers.map((f) => inStep(f, prosecutor.follower.replica.version)));

      const hall: number[] = [];
      const noFsync: number[] = [];
      const bare: number[] = [];
      let payloadBytes = 0;
      const turnPage = (i: number) => {
        page = (page % 8) + 1;
        const version = prosecutor.follower.replica.version! + 1;
        return timed(followers, 'hearing:changed', (e) => (e as HearingEvent).version === version, async () => {
          dataOf(await prosecutor.follower.send('presenter:show', { documentId: file.expertOpinion, page, zoom: 1 + (i % 3) / 4 }));
        });
      };
      const synchronous = (mode: 'FULL' | 'NORMAL') => (prosecutor.socket as unknown as { emitWithAck(name: string, mode: string): Promise<void> }).emitWithAck('bench:synchronous', mode);
      for (let i = 0; i < WARMUP + CHANGES; i++) {
        const hallMs = await turnPage(i);
        await synchronous('NORMAL');
        const noFsyncMs = await turnPage(i);
        await synchronous('FULL');
        // The same event, relayed bare: same size, same sockets, same server process.
        const event = prosecutor.follower.replica.events.at(-1)!;
        const relayed = { ...event, version: -i };
        payloadBytes = Buffer.byteLength(JSON.stringify(event));
        const bareMs = await timed(followers, 'bench:broadcasted', (e) => (e as HearingEvent).version === -i, async () => {
          await (prosecutor.socket as unknown as { emitWithAck(name: string, payload: unknown): Promise<void> }).emitWithAck('bench:broadcast', relayed);
        });
        if (i >= WARMUP) {
          hall.push(hallMs);
          noFsync.push(noFsyncMs);
          bare.push(bareMs);
        }
      }
      // The machine's load when the series ended: on a shared machine it moves both series, not their ratio.
      const loadAverage = round(os.loadavg()[0], 2);
      const base = { unit: 'ms', followers: count, n: CHANGES, payloadBytes, loadAverage, baselineIs: 'bare socket.io broadcast of the same payload' };
      for (const p of [50, 95, 99]) {
        results.push({ metric: `page_change_p${p}_ms`, value: round(percentile(hall, p), 2), baseline: round(percentile(bare, p), 2), ...base });
      }
      for (const p of [50, 95, 99]) {
        results.push({ metric: `page_change_nofsync_p${p}_ms`, value: round(percentile(noFsync, p), 2), baseline: round(percentile(bare, p), 2), ...base, note: 'bench only: synchronous=NORMAL' });
      }
    }
    return results;
  } finally {
    closeAll([...followers, ...staff]);
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Milliseconds from `act()` starting to every follower having received a matching `event` (the
 * followers' own listeners, registered first, have applied it by then), and `act()` finished.
 */
export async function timed(followers: Workstation[], event: string, matches: (payload: unknown) => boolean, act: () => Promise<void>): Promise<number> {
  let pending = followers.length;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const listener = (payload: unknown) => {
    if (matches(payload) && --pending === 0) done();
  };
  const sockets = followers.map((f) => f.socket as unknown as { on(e: string, l: (p: unknown) => void): void; off(e: string, l: (p: unknown) => void): void });
  for (const socket of sockets) socket.on(event, listener);
  const start = performance.now();
  const acted = act();
  await all;
  const elapsed = performance.now() - start;
  await acted;
  for (const socket of sockets) socket.off(event, listener);
  return elapsed;
}

export async function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(path.join(import.meta.dirname, 'hall-server.ts'), { env: { ...process.env, ...env, DATA_DIR: dataDir }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
  return { child, url };
}
