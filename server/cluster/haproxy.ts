/**
 * haproxy in front of the nodes: renders server/cluster/haproxy.cfg (the template in the
 * repository, the one the tests and benchmarks use) and runs Debian's haproxy on it in the
 * foreground, as a child of this process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const HAPROXY_BIN = process.env.EZAL_HAPROXY_BIN ?? '/usr/sbin/haproxy';
export const HAPROXY_TEMPLATE = path.join(import.meta.dirname, 'haproxy.cfg');

export type HaproxyInput = {
  /** Where browsers connect, host:port (e.g. 127.0.0.1:8080 or *:80). */
  bind: string;
  /** The nodes: name (their NODE_NAME, shown in X-Ezal-Node) and host:port. */
  nodes: { name: string; address: string }[];
  /** Health checks' interval; a node is out after two failed checks. Default 500 ms. */
  checkIntervalMs?: number;
};

/** The template with its placeholders filled; lines naming `{{NODE}}` once per node. */
export function renderHaproxyConfig(input: HaproxyInput, template = fs.readFileSync(HAPROXY_TEMPLATE, 'utf8')): string {
  if (input.nodes.length === 0) throw new Error('haproxy needs at least one node');
  for (const node of input.nodes) if (!/^[A-Za-z0-9._-]+$/.test(node.name)) throw new Error(`a node's name is letters, digits, '.', '_' and '-': got '${node.name}'`);
  const fill = (line: string) => line.replaceAll('{{BIND}}', input.bind).replaceAll('{{CHECK_INTERVAL_MS}}', String(input.checkIntervalMs ?? 500));
  return template
    .split('\n')
    .flatMap((line) => (line.includes('{{NODE}}') ? input.nodes.map((node) => fill(line.replaceAll('{{NODE}}', node.name).replaceAll('{{ADDRESS}}', node.address))) : [fill(line)]))
    .join('\n');
}

export type RunningHaproxy = {
  /** http://host:port of the front end. */
  url: string;
  child: ChildProcess;
  /** Stops haproxy (SIGTERM: a hard stop) and waits for it. */
  stop(): Promise<void>;
};

/** Writes the rendered configuration to `dir/haproxy.cfg`, checks it (`haproxy -c`) and starts haproxy; resolves once it answers. */
export async function startHaproxy(input: HaproxyInput & { dir: string }): Promise<RunningHaproxy> {
  if (!fs.existsSync(HAPROXY_BIN)) throw new Error(`haproxy is not installed (${HAPROXY_BIN} is missing): run \`npm run setup\` (as root), which installs Debian's haproxy`);
  const file = path.join(input.dir, 'haproxy.cfg');
  fs.writeFileSync(file, renderHaproxyConfig(input));
  const check = spawnSync(HAPROXY_BIN, ['-c', '-q', '-f', file], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy refused ${file}: ${check.stderr || check.stdout}`);
  const log = fs.openSync(path.join(input.dir, 'haproxy.log'), 'a');
  const child = spawn(HAPROXY_BIN, ['-db', '-f', file], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const [host, port] = splitAddress(input.bind);
  const url = `http://${host === '*' || host === '0.0.0.0' || host === '' ? '127.0.0.1' : host}:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`haproxy exited (${child.exitCode ?? child.signalCode}); see ${path.join(input.dir, 'haproxy.log')}`);
    try {
      await fetch(`${url}/api/health`);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`haproxy did not answer at ${url} within 10 s`);
      }
      await sleep(50);
    }
  }
  return { url, child, stop };
}

function splitAddress(address: string): [string, string] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), address.slice(at + 1)];
}
