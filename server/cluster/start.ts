/**
 * `npm run cluster`: the clustered form of e-Zal on this machine (issue 20, docs/deployment.md,
 * "The local cluster and haproxy") — a private PostgreSQL 15, Redis, the S3 store (Ceph's radosgw
 * on a one-node in-memory Ceph), two e-Zal nodes (`node server/src/main.ts`) and haproxy in front
 * of them with server/cluster/haproxy.cfg. Everything is Debian's (installed by `npm run setup` as
 * root) or npm's; nothing system-wide is started. Prints the address to open; Ctrl-C stops it all.
 *
 * State: the nodes' DATA_DIRs, haproxy's rendered configuration and the logs under
 * CLUSTER_DIR (default DATA_DIR/cluster, or ./data/cluster), emptied at each start; PostgreSQL,
 * Redis and the object store run in temporary folders and start empty, so each run begins with
 * the demo court. CLUSTER_PORT (default 8080) is haproxy's port; CLUSTER_S3=0 leaves the object
 * store out (the nodes then keep files in their own DATA_DIR: fine for a look, not for files).
 */
import fs from 'node:fs';
import path from 'node:path';
import { startLocalCluster } from './local-cluster.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const dir = path.resolve(process.env.CLUSTER_DIR ?? path.join(process.env.DATA_DIR ?? path.join(repoRoot, 'data'), 'cluster'));
const port = Number(process.env.CLUSTER_PORT ?? 8080);
const s3 = process.env.CLUSTER_S3 !== '0';

fs.rmSync(dir, { recursive: true, force: true });
const startedAt = performance.now();
console.log(`starting the local cluster in ${dir}${s3 ? ' (the object store takes ~15 s)' : ''}…`);
const cluster = await startLocalCluster({
  dir,
  s3,
  bind: `0.0.0.0:${port}`,
  progress: (message) => console.log(`  ${message}`),
  // One media worker per node, each on its own RTC ports (both nodes are on this machine).
  nodeEnvOf: (i) => ({
    MEDIA_WORKERS: process.env.MEDIA_WORKERS ?? '1',
    MEDIA_RTC_MIN_PORT: String(40000 + i * 5000),
    MEDIA_RTC_MAX_PORT: String(44999 + i * 5000),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  }),
});
console.log(`
e-Zal cluster ready in ${Math.round((performance.now() - startedAt) / 1000)} s: open http://localhost:${port}
  haproxy   :${port} → ${cluster.nodes.map((node) => `${node.name} ${node.address}`).join(', ')} (configuration: ${path.join(dir, 'haproxy.cfg')})
  logs      ${cluster.nodes.map((node) => path.join(dir, `node-${node.name}`, 'node.log')).join(', ')}
  demo users: judge, secretary, prosecutor, defender… (password ezal-demo)
Ctrl-C stops everything.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping the cluster…');
  await cluster.stop();
  console.log('stopped');
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
// A node that dies is reported (the cluster goes on on the other one).
for (const node of cluster.nodes) {
  node.child.once('exit', (code, signal) => {
    if (!stopping) console.log(`node ${node.name} exited (${code ?? signal}); haproxy sends its work to the others`);
  });
}
