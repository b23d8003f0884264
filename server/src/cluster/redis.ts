/**
 * Connections to Redis in the clustered form (REDIS_URL; docs/deployment.md, "Redis"). Redis is
 * never the record: a node whose Redis is down keeps taking commands, and only what crosses nodes
 * waits or is lost (the versions and a resync heal the followers). So a connection here never
 * gives up: it reconnects for ever, at most every two seconds, and says once in the log that
 * Redis is gone and once that it is back, not at every failed attempt.
 */
import { createClient } from 'redis';

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };

/**
 * Commands waiting for a connection that is down are held at most this many deep (socket.io's
 * publications during an outage); beyond, they are refused at once rather than piling up in memory.
 */
export const OFFLINE_QUEUE_MAX = 10_000;

/**
 * A client that connects in the background: a node starts and serves while Redis is still
 * coming up. `waitWhileDown`: commands sent while the connection is down wait for it (socket.io's
 * publications: they reach the other nodes late but in order); otherwise they fail at once, for
 * callers that have an answer of their own meanwhile (the login guard's counters).
 */
export function openRedis({ url, name, log, waitWhileDown }: { url: string; name: string; log: Log; waitWhileDown: boolean }) {
  const client = createClient({
    url,
    disableOfflineQueue: !waitWhileDown,
    commandsQueueMaxLength: OFFLINE_QUEUE_MAX,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
  });
  let down = false;
  // Without a listener, an 'error' event would end the process.
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: { message: err.message }, redis: name }, 'Redis is unreachable; this node carries on alone and keeps reconnecting');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ redis: name }, 'Redis is reachable again');
  });
  // Rejects only when the client is closed before it ever connected: the strategy above never gives up.
  client.connect().catch(() => {});
  return client;
}

export type RedisClient = ReturnType<typeof openRedis>;
