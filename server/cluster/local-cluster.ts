/**
 * The local cluster of issue 20 on one machine: a private PostgreSQL 15, a Redis, optionally the
 * S3 store (Ceph's radosgw), N e-Zal nodes as processes of their own, and haproxy in front of them
 * with the repository's configuration (haproxy.cfg). `npm run cluster` (start.ts) runs it for
 * people; the failover test and the cluster benchmarks for themselves. Everything is Debian's or
 * npm's, started as children of this process, and `stop()` ends all of it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startHaproxy, type RunningHaproxy } from './haproxy.ts';
import { freePort } from './free-port.ts';
import { startNodeProcess, type NodeProcess } from './node-process.ts';
import { startPrivateObjectStore, type PrivateObjectStore } from './object-store.ts';
import { startPrivatePostgres, type PrivatePostgres } from './postgres.ts';
import { startRedis, type TestRedis } from './redis.ts';

export type LocalClusterInput = {
  /** The cluster's folder: each node's DATA_DIR (node-a, node-b…), haproxy's configuration and log. */
  dir: string;
  /** How many nodes (default 2), named a, b, c… */
  nodes?: number;
  /** Start the S3 store too (~15 s); without it the nodes keep files in their DATA_DIR. */
  s3?: boolean;
  /** haproxy's front end, host:port; default 127.0.0.1 and a free port. */
  bind?: string;
  /** Variables for every node (on top of the cluster's own). */
  nodeEnv?: Record<string, string>;
  /** Variables for one node, by index. */
  nodeEnvOf?: (index: number) => Record<string, string>;
  checkIntervalMs?: number;
  /** Told as each part comes up. */
  progress?: (message: string) => void;
};

export type LocalCluster = {
  /** haproxy's address: what browsers open. */
  url: string;
  postgres: PrivatePostgres;
  redis: TestRedis;
  store: PrivateObjectStore | null;
  nodes: NodeProcess[];
  haproxy: RunningHaproxy;
  /** The variables every node was started with (to start another one like them). */
  env: Record<string, string>;
  /** Ends haproxy, the nodes (SIGTERM, then SIGKILL), Redis, the store and PostgreSQL. */
  stop(): Promise<void>;
};

export async function startLocalCluster(input: LocalClusterInput): Promise<LocalCluster> {
  const progress = input.progress ?? (() => {});
  fs.mkdirSync(input.dir, { recursive: true });
  let postgres: PrivatePostgres | undefined;
  let redis: TestRedis | undefined;
  let store: PrivateObjectStore | null = null;
  const nodes: NodeProcess[] = [];
  let haproxy: RunningHaproxy | undefined;
  // PostgreSQL runs detached (pg_ctl): stopped even when this process ends without `stop()`.
  const stopPostgresOnExit = () => postgres?.stop();
  const stop = async () => {
    await haproxy?.stop();
    await Promise.all(nodes.map((node) => node.stop(5_000)));
    await redis?.close();
    await store?.stop();
    process.off('exit', stopPostgresOnExit);
    postgres?.stop();
    postgres = undefined;
  };
  process.once('exit', stopPostgresOnExit);
  try {
    // One after another: PostgreSQL's and Ceph's set-up steps run synchronously and would hold up
    // the others' readiness checks.
    redis = await startRedis();
    postgres = await startPrivatePostgres();
    if (input.s3) store = await startPrivateObjectStore();
    progress(`PostgreSQL ${postgres.url}, Redis ${redis.url}${store ? `, S3 ${store.endpoint}` : ''}`);
    const env: Record<string, string> = {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      EZAL_SECRET: crypto.randomBytes(32).toString('base64url'),
      ...(store ? store.env('ezal') : {}),
      ...input.nodeEnv,
    };
    const names = Array.from({ length: input.nodes ?? 2 }, (_, i) => String.fromCharCode(97 + i));
    // Started together on the empty database, as a court's nodes may be: migrations run under a lock.
    const started = await Promise.allSettled(names.map((name, i) => startNodeProcess({ name, dataDir: path.join(input.dir, `node-${name}`), env: { ...env, ...input.nodeEnvOf?.(i) } })));
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    progress(`nodes ${nodes.map((node) => `${node.name} ${node.url}`).join(', ')}`);
    const bind = input.bind ?? `127.0.0.1:${await freePort()}`;
    haproxy = await startHaproxy({ dir: input.dir, bind, nodes: nodes.map((node) => ({ name: node.name, address: node.address })), checkIntervalMs: input.checkIntervalMs });
    return { url: haproxy.url, postgres, redis, store, nodes, haproxy, env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Which node haproxy sends a hearing's socket.io connections to now (its X-Ezal-Node on a handshake). */
export async function nodeOfHearing(url: string, hearingId: string): Promise<string | null> {
  const response = await fetch(`${url}/socket.io/?EIO=4&transport=polling&hearing=${encodeURIComponent(hearingId)}`);
  await response.body?.cancel();
  return response.headers.get('x-ezal-node');
}
