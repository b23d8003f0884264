/**
 * socket.io across nodes (REDIS_URL): the Redis **streams** adapter, so a broadcast, a room's
 * `disconnectSockets` and a server-side emit made on one node reach the sockets of every node. Its
 * stream is read from the last entry each node has seen, so a Redis restart or a lost connection
 * delays what crosses nodes instead of dropping it, as the pub/sub adapter would. It is not the
 * guarantee: a follower that misses an event notices the gap at the next version and resyncs
 * (docs/realtime-protocol.md, "Joining, patches, gaps, reconnection"); docs/deployment.md, "Redis".
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Adapter, MessageType, type BroadcastOptions, type ClusterAdapter } from 'socket.io-adapter';
import type { Namespace } from 'socket.io';
import { openRedis, OFFLINE_QUEUE_MAX, type RedisClient } from '../cluster/redis.ts';

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };

/**
 * The stream is trimmed to about this many entries. Each node reads it as it grows, so the length
 * matters only for a node that was cut off: after a Redis outage a node resumes from its last entry
 * if it is still in the stream. At a few hundred bytes an event this is a few MB of Redis memory.
 */
const STREAM_MAX_LEN = OFFLINE_QUEUE_MAX;
/** A blocked read returns after this long; a closing node waits for it, so it is kept short. */
const READ_BLOCK_MS = 1000;

export type RedisAdapter = {
  /** For socket.io's `adapter` option: every namespace gets one. */
  adapter: typeof Adapter;
  /** Closes the adapters it made and the connections they read and publish on. */
  close(): void;
};

/** The streams adapter over one connection that publishes; the adapter duplicates it to read the stream and to subscribe. */
export function redisAdapter({ url, log }: { url: string; log: Log }): RedisAdapter {
  const client = openRedis({ url, name: 'socket.io', log, waitWhileDown: true });
  // The adapter reads on duplicates of this client, which it ends only when its read loop comes
  // round; they are remembered here so a closing node ends them at once.
  const duplicates: { destroy(): void }[] = [];
  const duplicate = client.duplicate.bind(client);
  client.duplicate = ((overrides) => {
    const copy = duplicate(overrides);
    duplicates.push(copy);
    readFromKnownEntry(copy);
    noUnhandledFailures(copy, 'subscribe');
    return copy;
  }) as RedisClient['duplicate'];
  noUnhandledFailures(client, 'publish');
  const streams = createAdapter(client, { maxLen: STREAM_MAX_LEN, blockTimeInMs: READ_BLOCK_MS, onlyPlaintext: true });
  const made: ClusterAdapter[] = [];
  return {
    // socket.io calls it with `new`: a plain function that returns the adapter serves.
    adapter: function (nsp: Namespace) {
      const adapter = localFirst(streams(nsp));
      made.push(adapter);
      return adapter;
    } as unknown as typeof Adapter,
    close() {
      // Closing every namespace's adapter stops the read loop; then its connections can go.
      for (const adapter of made) void adapter.close();
      for (const copy of duplicates) copy.destroy();
      client.destroy();
    },
  };
}

/**
 * The adapter sends its pub/sub messages (server-side emits, their answers) and subscribes without
 * waiting for the outcome, so a refused one (Redis down past the queue, a closing node) would be an
 * unhandled rejection, which ends a Node process. Each such promise gets a handler here; callers
 * that wait for it still see the failure.
 */
function noUnhandledFailures(client: object, method: 'publish' | 'subscribe'): void {
  const target = client as Record<string, (...args: unknown[]) => unknown>;
  const original = target[method].bind(client);
  target[method] = (...args: unknown[]) => {
    const result = original(...args);
    if (result instanceof Promise) result.catch(() => {});
    return result;
  };
}

/**
 * The adapter reads the stream from `$` ("what comes after now") until it has read an entry; each
 * of its blocked reads that times out is followed by a new one from `$`, and an entry added in
 * between is never read by this node. A page change made on another node in that moment would
 * reach nobody here until the next change showed the gap. So `$` is replaced with the id of the
 * stream's last entry when the first read is made ('0-0' for an empty stream), and kept until the
 * adapter reads an entry and asks from its id.
 */
function readFromKnownEntry(client: object): void {
  const copy = client as StreamReader;
  const xRead = copy.xRead.bind(copy);
  let start: string | null = null;
  copy.xRead = async (streams, options) => {
    const [{ key, id }] = streams;
    if (id !== '$') return xRead(streams, options);
    start ??= (await copy.xRevRange(key, '+', '-', { COUNT: 1 }))[0]?.id ?? '0-0';
    return xRead([{ key, id: start }], options);
  };
}

/** The two stream commands of node-redis the adapter's read loop uses, as it calls them. */
type StreamReader = {
  xRead(streams: { key: string; id: string }[], options?: object): Promise<unknown>;
  xRevRange(key: string, end: string, start: string, options: { COUNT: number }): Promise<{ id: string }[]>;
};

/**
 * socket.io's cluster adapter hands a broadcast to this node's own sockets only after Redis has
 * taken it. A hall whose Redis is down would then see nothing until it came back, though every
 * command still commits, and every broadcast would wait a round trip to Redis. Here this node's
 * sockets get it at once, in commit order, and the copy for the other nodes follows, in the same
 * order on the one connection (held while Redis is down, up to the client's queue).
 */
function localFirst(adapter: ClusterAdapter): ClusterAdapter {
  const cluster = adapter as unknown as { publish(message: { type: MessageType.BROADCAST; data: { packet: unknown; opts: unknown } }): void };
  adapter.broadcast = async (packet: unknown, opts: BroadcastOptions) => {
    Adapter.prototype.broadcast.call(adapter, packet, opts);
    if (opts.flags?.local) return;
    // As socket.io-adapter encodes the options (Sets travel as arrays).
    cluster.publish({ type: MessageType.BROADCAST, data: { packet, opts: { rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags } } });
  };
  return adapter;
}
