/**
 * A private S3-compatible object store for one test file: Ceph's RADOS Gateway (Debian's
 * `radosgw`, a production S3 server) on a one-node Ceph cluster — one monitor and one OSD that
 * keeps its objects in memory (`memstore`) — all in a folder under the system's temp folder, on
 * ports of their own, without authentication between the daemons, stopped and removed by `stop()`.
 * Ceph 16's RGW cannot run without a cluster behind it (its database backend came with Ceph 17),
 * and this cluster starts in a few seconds. Installed by `npm run setup` (as root); no system
 * service is involved.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.ts';

export type PrivateObjectStore = {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The S3_* variables of a server using `bucket` in this store (made at its start when missing). */
  env(bucket: string): Record<string, string>;
  /** Stops the gateway, the OSD and the monitor, and removes the folder. */
  stop(): Promise<void>;
};

const BINARIES = ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'monmaptool', 'ceph'];

export async function startPrivateObjectStore(): Promise<PrivateObjectStore> {
  const missing = BINARIES.filter((bin) => spawnSync('which', [bin]).status !== 0);
  if (missing.length > 0) throw new Error(`Ceph is not installed (${missing.join(', ')} missing): run \`npm run setup\` (as root), which installs Debian's ceph-mon, ceph-osd and radosgw`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-s3-'));
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const conf = path.join(dir, 'ceph.conf');
  const daemons: ChildProcess[] = [];
  const stop = async () => {
    process.off('exit', killOnExit);
    for (const daemon of daemons.reverse()) {
      if (daemon.exitCode !== null || daemon.signalCode !== null) continue;
      const exited = new Promise((resolve) => daemon.once('exit', resolve));
      daemon.kill('SIGKILL');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const run = (bin: string, args: string[], timeoutMs = 60_000) => {
    const result = spawnSync(bin, ['-c', conf, ...args], { encoding: 'utf8', timeout: timeoutMs });
    if (result.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${result.status ?? result.signal ?? result.error?.message}): ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  const daemon = (bin: string, args: string[]) => {
    const child = spawn(bin, ['-c', conf, '-f', ...args], { stdio: ['ignore', fs.openSync(path.join(dir, `${bin}.out`), 'w'), fs.openSync(path.join(dir, `${bin}.err`), 'w')] });
    daemons.push(child);
  };
  // The daemons outlive a test process that dies without `stop()` (a crash, a timeout): not so.
  const killOnExit = () => daemons.forEach((d) => d.kill('SIGKILL'));
  process.once('exit', killOnExit);
  try {
    const fsid = crypto.randomUUID();
    for (const sub of ['mon', 'osd', 'run', 'log']) fs.mkdirSync(path.join(dir, sub));
    fs.writeFileSync(conf, cephConf({ dir, fsid, monPort, rgwPort }));
    run('monmaptool', ['--create', '--add', 'a', `v1:127.0.0.1:${monPort}`, '--fsid', fsid, path.join(dir, 'monmap')]);
    run('ceph-mon', ['--mkfs', '-i', 'a', '--monmap', path.join(dir, 'monmap')]);
    daemon('ceph-mon', ['-i', 'a']);
    // The OSD is registered under the same uuid it is made with, or the monitor refuses it at boot ("wrong fsid").
    const osdUuid = crypto.randomUUID();
    const osd = run('ceph', ['osd', 'create', osdUuid]).trim();
    run('ceph-osd', ['-i', osd, '--mkfs', '--osd-uuid', osdUuid]);
    run('ceph', ['osd', 'crush', 'add', `osd.${osd}`, '1', 'root=default']);
    daemon('ceph-osd', ['-i', osd]);
    daemon('radosgw', ['-n', 'client.rgw']);
    const accessKeyId = `EZAL${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
    const secretAccessKey = crypto.randomBytes(24).toString('base64url');
    // Waits for the OSD: the user is kept in the gateway's pools, which the OSD holds.
    run('radosgw-admin', ['user', 'create', '--uid=ezal', '--display-name=e-Zal tests', `--access-key=${accessKeyId}`, `--secret=${secretAccessKey}`]);
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    await waitForHttp(endpoint, daemons);
    return {
      endpoint,
      accessKeyId,
      secretAccessKey,
      env: (bucket) => ({ S3_BUCKET: bucket, S3_ENDPOINT: endpoint, S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey }),
      stop,
    };
  } catch (error) {
    const logs = ['ceph-mon.err', 'ceph-osd.err', 'radosgw.err', 'log/client.rgw.log']
      .map((name) => path.join(dir, name))
      .filter((file) => fs.existsSync(file))
      .map((file) => `${path.basename(file)}:\n${fs.readFileSync(file, 'utf8').slice(-1500)}`)
      .join('\n');
    await stop();
    throw new Error(`${(error as Error).message}${logs ? `\n${logs}` : ''}`, { cause: error });
  }
}

/**
 * One monitor, one OSD in memory, pools of one copy, no authentication (loopback only). The
 * monitor's free-space limits are off: a test machine's disk may well be more than 70 % full.
 * `tcp_nodelay=1`: without it the gateway's answers under 64 KiB wait ~40 ms for a delayed ACK
 * (measured: a 4 KiB range in 48 ms, 3.2 ms with it).
 */
function cephConf(input: { dir: string; fsid: string; monPort: number; rgwPort: number }): string {
  const { dir, fsid, monPort, rgwPort } = input;
  return `[global]
fsid = ${fsid}
mon host = v1:127.0.0.1:${monPort}
auth cluster required = none
auth service required = none
auth client required = none
run dir = ${dir}/run
admin socket = ${dir}/run/$name.asok
log file = ${dir}/log/$name.log
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
osd crush chooseleaf type = 0
osd pool default pg autoscale mode = off
osd pool default pg num = 8
osd pool default pgp num = 8
mon data avail warn = 1
mon data avail crit = 0
[mon.a]
mon data = ${dir}/mon
[osd]
osd data = ${dir}/osd
osd objectstore = memstore
osd class update on start = false
osd crush update on start = false
memstore device bytes = 1073741824
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:${rgwPort} tcp_nodelay=1
rgw data = ${dir}/rgw
`;
}

async function waitForHttp(url: string, daemons: ChildProcess[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const exited = daemons.find((d) => d.exitCode !== null || d.signalCode !== null);
    if (exited) throw new Error(`${exited.spawnfile} exited (${exited.exitCode ?? exited.signalCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`radosgw did not answer at ${url} within 60 s`);
    await sleep(100);
  }
}
