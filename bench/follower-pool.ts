/**
 * A worker thread holding some of hall.follow's followers (bench/hall.follow.bench.ts): real
 * socket.io clients, each applying the hearing's events through HearingFollower, the web app's
 * own code. The followers of a hall are separate screens that decode in parallel; 500 of them in
 * one thread would be decoded one after another, and the benchmark would measure that queue.
 *
 * Asked by the main thread (`PoolCommand`): grow to n followers in step with a version; expect an
 * event (answers `armed` once listening, then `done` with the moment — timeOrigin-based, the same
 * clock in every thread — its last follower received it); close.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { HearingEvent } from '../server/src/shared/hearing/state.ts';
import { attach, closeAll, inStep, type Workstation } from '../tests/helpers/hall.ts';
import type { ApiClient } from '../tests/helpers/server.ts';

export type PoolData = { url: string; cookieHeader: string; hearingId: string };
export type PoolCommand = { type: 'grow'; count: number; version: number } | { type: 'expect'; event: string; version: number } | { type: 'close' };
/** `failed`: followers not in step within inStep's limit (the main thread then fails, and closes the pool). */
export type PoolReply = { type: 'grown' } | { type: 'armed' } | { type: 'done'; at: number } | { type: 'closed' } | { type: 'failed'; message: string };

const { url, cookieHeader, hearingId } = workerData as PoolData;
const api = { cookieHeader } as ApiClient;
const followers: Workstation[] = [];
const port = parentPort!;
const reply = (message: PoolReply) => port.postMessage(message);

port.on('message', async (command: PoolCommand) => {
  switch (command.type) {
    case 'grow':
      while (followers.length < command.count) followers.push(attach(url, api, 'office', hearingId));
      {
        // A follower not in step is said to the main thread, which fails: a rejection left unhandled here would end the thread and leave it waiting.
        const behind = (await Promise.allSettled(followers.map((f) => inStep(f, command.version)))).flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
        if (behind.length > 0) reply({ type: 'failed', message: `${behind.length} of ${followers.length} followers not in step within inStep's limit, the first: ${behind[0].message}` });
        else reply({ type: 'grown' });
      }
      break;
    case 'expect': {
      let pending = followers.length;
      const sockets = followers.map((f) => f.socket as unknown as { on(e: string, l: (p: unknown) => void): void; off(e: string, l: (p: unknown) => void): void });
      const listener = (payload: unknown) => {
        if ((payload as HearingEvent).version !== command.version || --pending > 0) return;
        const at = performance.timeOrigin + performance.now();
        for (const socket of sockets) socket.off(command.event, listener);
        reply({ type: 'done', at });
      };
      // Registered after each follower's own listener: by the time it runs, the follower has applied the event.
      for (const socket of sockets) socket.on(command.event, listener);
      reply({ type: 'armed' });
      break;
    }
    case 'close':
      closeAll(followers);
      reply({ type: 'closed' });
      break;
  }
});
