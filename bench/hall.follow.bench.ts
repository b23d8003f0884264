/**
 * hall.follow: the presenter turns a page → every follower holds the new state. Measured from the
 * presenter's emit to the moment the last of 10, 100 and 500 followers has applied the event
 * (through HearingFollower, the web app's own code). Baseline: a bare socket.io broadcast of the
 * same payload to the same sockets, relayed by the same server process, in the same run,
 * alternating with the hearing's changes so both meet the same conditions.
 *
 * The hearing's path per change: payload schema check, permission and position rules, one SQLite
 * transaction (event + state + hearing row, written to the WAL before anyone is told; a page
 * change is not flushed before its broadcast: hearing-rules.ts, `flushedBeforeBroadcast`), then
 * the broadcast. To show what a flush costs, a third series interleaved with the other two has
 * the secretary add event marks of the same size — an act of the court, flushed (fsync) before
 * its broadcast (`flushed_act_*`).
 * The server runs in its own process (bench/hall-server.ts), as `npm start` runs it (its Node
 * flags); the presenter here; the followers in two worker threads (bench/follower-pool.ts), since
 * the screens of a hall decode an event in parallel, not one after another. On this 2-core machine
 * the server and the followers still share the cores, and the time includes every follower's
 * decoding; each thread stamps when its last follower has the event, on a clock shared by all.
 *
 * A command's cost must not grow with the hearing: after the fresh series, a second
 * hearing of the same case with a long day behind it (LONG_EVENTS events, LONG_NOTES of them the
 * secretary's notes, seeded through the real server) gets the same page change to 500 followers of
 * its own, alternating with the fresh hearing's (`long_hearing_page_change_*`, baseline: the fresh
 * hearing's in the same phase). The secretary's event marks are timed on both hearings too, from
 * sending to the acknowledgement, with nobody following (`mark_add_ack_*`): the command's own cost.
 */
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { databaseFile } from '../db/client.ts';
import { openSqliteDb } from '../db/database.ts';
import { loadDemoData } from '../db/demo.ts';
import { closeAll, dataOf, demoHearing, inStep, seedCaseFile, workstation, type CaseFile, type DemoHearing, type Workstation } from '../tests/helpers/hall.ts';
import type { BenchResult } from './benchmarks.ts';
import type { PoolCommand, PoolData, PoolReply } from './follower-pool.ts';
import { nodeFlagsOf } from './node-flags.ts';
import { percentile, round } from './stats.ts';

const FOLLOWERS = [10, 100, 500];
const WARMUP = 30;
/** Page changes measured per follower count, for each of the two paths. */
const CHANGES = 300;
/** Worker threads the followers are spread over. */
const POOLS = 2;
const POOL_YOUNG_GENERATION_MB = 192;
/** The bench server's scheduling priority relative to the simulated followers (see favourServer). */
const SERVER_NICE = -15;
/** The secretary's event mark of the flushed series (padded to the page change's size). */
const MARK_TEXT = 'Свидетель приведён к присяге ';
/** The long hearing: its events before the measurement, and how many of them are the secretary's notes. */
const LONG_EVENTS = 5_000;
const LONG_NOTES = 2_000;
const NOTE_TEXT = 'Свидетель пояснил, что видел подсудимого у дома № 12 около 21:00 и узнал его по куртке';
/** Commands of the seeding in flight at once (one socket: the server still runs them one after another). */
const SEED_IN_FLIGHT = 20;
/** Event marks timed on each hearing, after a warm-up of WARMUP. */
const MARKS_TIMED = 200;

export async function hallFollow(): Promise<BenchResult[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-bench-hall-'));
  const database = openSqliteDb(dataDir);
  await loadDemoData(database);
  const demo = demoHearing(database.legacy.sqlite);
  const file = seedCaseFile(database.legacy.sqlite, demo.caseId);
  const longHearingId = secondHearing(database.legacy.sqlite, demo.hearingId);
  await database.close();

  const { child, url } = await startServerProcess(dataDir, {}, nodeFlagsOf('start'));
  const serverNice = favourServer(child.pid!);
  const staff: Workstation[] = [];
  const pools: FollowerPool[] = [];
  const longPools: FollowerPool[] = [];
  try {
    const [judge, secretary, prosecutor, office] = await Promise.all(['judge', 'secretary', 'prosecutor', 'office'].map((u) => workstation(url, u, demo.hearingId)));
    staff.push(judge, secretary, prosecutor, office);
    await Promise.all(staff.map((s) => inStep(s)));
    dataOf(await judge.follower.send('hearing:open', {}));
    dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' }));
    /** The hearing's version: from each command's acknowledgement. */
    let version = dataOf(await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } })).version;

    // The long hearing, seeded through the server before anyone follows it.
    const long = await Promise.all(['judge', 'secretary', 'prosecutor'].map((u) => workstation(url, u, longHearingId)));
    staff.push(...long);
    await Promise.all(long.map((s) => inStep(s)));
    const [, longSecretary, longProsecutor] = long;
    const seededAt = performance.now();
    let longVersion = await seedLongHearing(long, { ...demo, hearingId: longHearingId }, file);
    const seedSeconds = round((performance.now() - seededAt) / 1000, 1);
    // The secretary's mark, alternately on the fresh and the long hearing: the command's own cost.
    const markFresh: number[] = [];
    const markLong: number[] = [];
    for (let i = 0; i < WARMUP + MARKS_TIMED; i++) {
      for (const [station, times] of [
        [secretary, markFresh],
        [longSecretary, markLong],
      ] as const) {
        const start = performance.now();
        const acked = dataOf(await station.follower.send('mark:add', { text: MARK_TEXT })).version;
        if (i >= WARMUP) times.push(performance.now() - start);
        if (station === secretary) version = acked;
        else longVersion = acked;
      }
    }
    // Followers are the court office's screens (read-only seats): one login, many connections.
    for (let i = 0; i < POOLS; i++) pools.push(new FollowerPool({ url, cookieHeader: office.api.cookieHeader, hearingId: demo.hearingId }));

    const results: BenchResult[] = [];
    const longParams = { longEvents: LONG_EVENTS, longNotes: LONG_NOTES, seedSeconds };
    for (const p of [50, 95, 99]) {
      results.push({
        metric: `mark_add_ack_p${p}_ms`,
        value: round(percentile(markLong, p), 2),
        baseline: round(percentile(markFresh, p), 2),
        unit: 'ms',
        n: MARKS_TIMED,
        ...longParams,
        baselineIs: 'the same mark on the fresh hearing, alternating',
        note: 'the long hearing: sending an event mark to its acknowledgement, nobody following',
      });
    }
    let page = 0;
    for (const count of FOLLOWERS) {
      await Promise.all(pools.map((pool, i) => pool.ask({ type: 'grow', count: Math.floor(count / POOLS) + (i < count % POOLS ? 1 : 0), version }, 'grown')));

      const hall: number[] = [];
      const flushed: number[] = [];
      const bare: number[] = [];
      let payloadBytes = 0;
      let markText = MARK_TEXT;
      /** A command's change, from its sending to the last follower having applied it. */
      const timedCommand = (send: () => ReturnType<Workstation['follower']['send']>) =>
        timedAcross(pools, 'hearing:changed', version + 1, async () => {
          version = dataOf(await send()).version;
        });
      for (let i = 0; i < WARMUP + CHANGES; i++) {
        page = (page % 8) + 1;
        const hallMs = await timedCommand(() => prosecutor.follower.send('presenter:show', { documentId: file.expertOpinion, page, zoom: 1 + (i % 3) / 4 }));
        const event = prosecutor.follower.replica.events.at(-1)!;
        payloadBytes = Buffer.byteLength(JSON.stringify(event));
        const flushedMs = await timedCommand(() => secretary.follower.send('mark:add', { text: markText }));
        // The marks are padded to the page change's size once, during the warm-up.
        if (i === 0) markText += '-'.repeat(Math.max(0, payloadBytes - Buffer.byteLength(JSON.stringify(secretary.follower.replica.events.at(-1)))));
        // The page change relayed bare: same size, same sockets, same server process.
        const relayed = { ...event, version: -i };
        const bareMs = await timedAcross(pools, 'bench:broadcasted', -i, async () => {
          await (prosecutor.socket as unknown as { emitWithAck(name: string, payload: unknown): Promise<void> }).emitWithAck('bench:broadcast', relayed);
        });
        if (i >= WARMUP) {
          hall.push(hallMs);
          flushed.push(flushedMs);
          bare.push(bareMs);
        }
      }
      // The machine's load when the series ended: on a shared machine it moves both series, not their ratio.
      const loadAverage = round(os.loadavg()[0], 2);
      const base = { unit: 'ms', followers: count, n: CHANGES, payloadBytes, loadAverage, serverNice, baselineIs: 'bare socket.io broadcast of the same payload' };
      for (const p of [50, 95, 99]) {
        results.push({ metric: `page_change_p${p}_ms`, value: round(percentile(hall, p), 2), baseline: round(percentile(bare, p), 2), ...base });
      }
      for (const p of [50, 95, 99]) {
        results.push({
          metric: `flushed_act_p${p}_ms`,
          value: round(percentile(flushed, p), 2),
          baseline: round(percentile(bare, p), 2),
          ...base,
          note: 'an event mark of the same size, flushed to the disk before its broadcast',
        });
      }
    }

    // The long hearing gets 500 followers of its own; its page changes alternate with the fresh hearing's (still followed by 500).
    const count = FOLLOWERS.at(-1)!;
    for (let i = 0; i < POOLS; i++) longPools.push(new FollowerPool({ url, cookieHeader: office.api.cookieHeader, hearingId: longHearingId }));
    await Promise.all(longPools.map((pool, i) => pool.ask({ type: 'grow', count: Math.floor(count / POOLS) + (i < count % POOLS ? 1 : 0), version: longVersion }, 'grown')));
    const fresh: number[] = [];
    const longer: number[] = [];
    for (let i = 0; i < WARMUP + CHANGES; i++) {
      page = (page % 8) + 1;
      const show = { documentId: file.expertOpinion, page, zoom: 1 + (i % 3) / 4 };
      const freshMs = await timedAcross(pools, 'hearing:changed', version + 1, async () => {
        version = dataOf(await prosecutor.follower.send('presenter:show', show)).version;
      });
      const longMs = await timedAcross(longPools, 'hearing:changed', longVersion + 1, async () => {
        longVersion = dataOf(await longProsecutor.follower.send('presenter:show', show)).version;
      });
      if (i >= WARMUP) {
        fresh.push(freshMs);
        longer.push(longMs);
      }
    }
    const stored = storedStateBytes(dataDir, [demo.hearingId, longHearingId]);
    const base = {
      unit: 'ms',
      followers: count,
      n: CHANGES,
      ...longParams,
      stateBytesFresh: stored[0],
      stateBytesLong: stored[1],
      loadAverage: round(os.loadavg()[0], 2),
      serverNice,
      baselineIs: 'the same page change on the fresh hearing, alternating',
    };
    for (const p of [50, 95, 99]) {
      results.push({ metric: `long_hearing_page_change_p${p}_ms`, value: round(percentile(longer, p), 2), baseline: round(percentile(fresh, p), 2), ...base });
    }
    return results;
  } finally {
    await Promise.all([...pools, ...longPools].map((pool) => pool.close()));
    closeAll(staff);
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Another sitting of the demo case, in the same hall the next day: the long hearing. */
function secondHearing(sqlite: Database.Database, hearingId: string): string {
  const id = crypto.randomUUID();
  sqlite
    .prepare(
      `insert into hearings (id, case_id, hall_id, scheduled_at, presiding_judge_id, secretary_id, status, closed, duration_minutes, version, created_at)
       select ?, case_id, hall_id, scheduled_at + 86400000, presiding_judge_id, secretary_id, 'scheduled', closed, duration_minutes, 0, created_at from hearings where id = ?`,
    )
    .run(id, hearingId);
  return id;
}

/**
 * A long day in the hearing, through the server as the hall would make it: opened, the floor to
 * the prosecutor, then notes, page changes and event marks, LONG_NOTES notes among LONG_EVENTS
 * events. Returns the hearing's version.
 */
async function seedLongHearing([judge, secretary, prosecutor]: Workstation[], demo: DemoHearing, file: CaseFile): Promise<number> {
  dataOf(await judge.follower.send('hearing:open', {}));
  dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' }));
  let version = dataOf(await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } })).version;
  const commands: (() => ReturnType<Workstation['follower']['send']>)[] = [];
  for (let i = 0; i < LONG_NOTES; i++) {
    const speakerParticipantId = i % 3 === 0 ? demo.participants.defendant : null;
    commands.push(() => secretary.follower.send('protocol:add-note', { text: `${NOTE_TEXT} (${i + 1})`, speakerParticipantId, startedAt: Date.now() }));
    // A page change after each note (never the page shown last, so each is a change).
    commands.push(() => prosecutor.follower.send('presenter:show', { documentId: file.expertOpinion, page: (i % 4) * 2 + 1 + (i % 2), zoom: 1 }));
  }
  for (let i = 0; i < commands.length; i += SEED_IN_FLIGHT) {
    for (const answer of await Promise.all(commands.slice(i, i + SEED_IN_FLIGHT).map((send) => send()))) version = Math.max(version, dataOf(answer).version);
  }
  // Event marks make up the rest (and whatever page changes repeated the one before).
  while (version < LONG_EVENTS) version = dataOf(await secretary.follower.send('mark:add', { text: MARK_TEXT })).version;
  return version;
}

/** The stored live state's size of each hearing, in bytes, as the server left it. */
function storedStateBytes(dataDir: string, hearingIds: string[]): number[] {
  const sqlite = new Database(databaseFile(dataDir), { readonly: true });
  try {
    const query = sqlite.prepare('select length(cast(state as blob)) as bytes from hearing_states where hearing_id = ?');
    return hearingIds.map((id) => (query.get(id) as { bytes: number } | undefined)?.bytes ?? 0);
  } finally {
    sqlite.close();
  }
}

/**
 * The followers of a real hall are other machines; here they share the server's two cores. The
 * server's main thread (where every change and broadcast runs) is put ahead of them in the
 * scheduler, so the simulated screens do not preempt it. Needs root (as `npm run setup` does);
 * otherwise it stays at 0 and the results say so (`serverNice`).
 */
export function favourServer(pid: number): number {
  try {
    os.setPriority(pid, SERVER_NICE);
    return SERVER_NICE;
  } catch {
    return 0;
  }
}

/** A worker thread of followers (bench/follower-pool.ts), asked one thing at a time. */
export class FollowerPool {
  #worker: Worker;

  constructor(data: PoolData) {
    // A young generation big enough that a run's garbage dies young: 500 screens have 500 small heaps, not one collected mid-measurement.
    this.#worker = new Worker(new URL('./follower-pool.ts', import.meta.url), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: POOL_YOUNG_GENERATION_MB } });
  }

  /** Sends a command and resolves with the first reply of type `until`. */
  ask<T extends PoolReply['type']>(command: PoolCommand, until: T): Promise<Extract<PoolReply, { type: T }>> {
    const answer = this.next(until);
    this.#worker.postMessage(command);
    return answer;
  }

  /** The next reply of `type`; rejects when the pool says it failed, or its thread fails or ends, instead of waiting for ever. */
  next<T extends PoolReply['type']>(type: T): Promise<Extract<PoolReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const settle = () => this.#worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      const onMessage = (reply: PoolReply) => {
        if (reply.type === 'failed') {
          settle();
          reject(new Error(`follower pool: ${reply.message}`));
        } else if (reply.type === type) {
          settle();
          resolve(reply as Extract<PoolReply, { type: T }>);
        }
      };
      const onError = (error: Error) => {
        settle();
        reject(error);
      };
      const onExit = (code: number) => onError(new Error(`the follower pool's thread ended (exit code ${code}) before answering ${type}`));
      this.#worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
  }

  async close(): Promise<void> {
    // A pool that failed or whose thread ended answers nothing: ended regardless.
    await this.ask({ type: 'close' }, 'closed').catch(() => undefined);
    await this.#worker.terminate();
  }
}

/** Milliseconds from `act()` starting to the last follower of every pool having received `event` at `version`. */
export async function timedAcross(pools: FollowerPool[], event: string, version: number, act: () => Promise<void>): Promise<number> {
  const done = pools.map((pool) => pool.next('done'));
  await Promise.all(pools.map((pool) => pool.ask({ type: 'expect', event, version }, 'armed')));
  const start = performance.timeOrigin + performance.now();
  await act();
  const stamps = await Promise.all(done);
  return Math.max(...stamps.map((s) => s.at)) - start;
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

export async function startServerProcess(dataDir: string, env: Record<string, string> = {}, execArgv: string[] = process.execArgv): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(path.join(import.meta.dirname, 'hall-server.ts'), { env: { ...process.env, ...env, DATA_DIR: dataDir }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
  return { child, url };
}
