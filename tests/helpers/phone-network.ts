/**
 * A phone's network that lets out only TCP to a few ports of the court's server, for a browser
 * test: a network namespace joined to this machine by a veth pair (its own /30), whose nftables
 * output chain accepts TCP to the allowed ports of the host's address and drops — and counts —
 * everything else (no UDP at all, no TCP to the media ports). Chromium runs inside it through
 * a wrapper script (`chromium`, for playwright-core's executablePath). Needs root, `ip` and `nft`
 * (nftables, installed by `npm run setup`); no system configuration is touched outside the
 * namespace and the veth pair, and `close()` removes both.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type PhoneNetwork = {
  /** The namespace's name (`ip netns exec <name> …`). */
  name: string;
  /** This machine's address on the link (what the phone reaches), and the phone's own. */
  hostIp: string;
  phoneIp: string;
  /** An executable that starts Debian's Chromium inside the namespace. */
  chromium: string;
  /** Packets the firewall dropped so far, by protocol. */
  dropped(): { udp: number; tcp: number };
  close(): void;
};

const TABLE = 'ezal_phone';

function run(command: string, args: string[], input?: string): string {
  return execFileSync(command, args, { encoding: 'utf8', input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
}

/** Why a phone network cannot be made here, or null when it can. */
export function phoneNetworkUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  for (const tool of ['/usr/sbin/ip', '/usr/sbin/nft']) if (!fs.existsSync(tool)) return `${tool} is missing: run npm run setup as root (iproute2, nftables)`;
  return null;
}

/** A phone network that lets nothing out yet: `allow(ports)` opens TCP to those ports of `hostIp` (the web app's, the TURN server's). */
export function startPhoneNetwork(): PhoneNetwork & { allow(ports: number[]): void } {
  const unavailable = phoneNetworkUnavailable();
  if (unavailable) throw new Error(unavailable);
  const tag = `${process.pid % 100_000}`;
  const name = `ezal-phone-${tag}`;
  const hostIf = `ezp${tag}h`;
  const phoneIf = `ezp${tag}p`;
  // A /30 of 10.213.0.0/16 nobody on this machine uses.
  const used = run('ip', ['-4', '-o', 'addr']);
  let subnet = (process.pid % 16_000) * 4;
  while (used.includes(`10.213.${Math.floor(subnet / 256)}.${(subnet % 256) + 1}/`)) subnet = (subnet + 4) % 65_536;
  const base = `10.213.${Math.floor(subnet / 256)}`;
  const hostIp = `${base}.${(subnet % 256) + 1}`;
  const phoneIp = `${base}.${(subnet % 256) + 2}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-phone-'));

  const close = () => {
    try {
      run('ip', ['link', 'del', hostIf]);
    } catch {
      // gone with the namespace
    }
    try {
      run('ip', ['netns', 'del', name]);
    } catch {
      // never made
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    run('ip', ['netns', 'add', name]);
    run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', phoneIf, 'netns', name]);
    run('ip', ['addr', 'add', `${hostIp}/30`, 'dev', hostIf]);
    run('ip', ['link', 'set', hostIf, 'up']);
    const inside = (...args: string[]) => run('ip', ['netns', 'exec', name, ...args]);
    inside('ip', 'addr', 'add', `${phoneIp}/30`, 'dev', phoneIf);
    inside('ip', 'link', 'set', 'lo', 'up');
    inside('ip', 'link', 'set', phoneIf, 'up');
    // The only way out is the link to the court's server: its address is the default route.
    inside('ip', 'route', 'add', 'default', 'via', hostIp);
    run(
      'ip',
      ['netns', 'exec', name, 'nft', '-f', '-'],
      `table inet ${TABLE} {
  counter udp_dropped {}
  counter tcp_dropped {}
  set allowed_tcp { type inet_service; }
  chain output {
    type filter hook output priority filter; policy drop;
    oifname "lo" accept
    ip daddr ${hostIp} tcp dport @allowed_tcp accept
    meta l4proto udp counter name "udp_dropped" drop
    meta l4proto tcp counter name "tcp_dropped" drop
  }
}
`,
    );
  } catch (error) {
    close();
    throw error;
  }

  const chromium = path.join(dir, 'chromium');
  fs.writeFileSync(chromium, `#!/bin/sh\nexec /usr/sbin/ip netns exec ${name} /usr/bin/chromium "$@"\n`, { mode: 0o755 });

  const counter = (which: string) => Number(/packets (\d+)/.exec(run('ip', ['netns', 'exec', name, 'nft', 'list', 'counter', 'inet', TABLE, which]))?.[1] ?? NaN);
  return {
    name,
    hostIp,
    phoneIp,
    chromium,
    allow(ports) {
      run('ip', ['netns', 'exec', name, 'nft', 'add', 'element', 'inet', TABLE, 'allowed_tcp', `{ ${ports.join(', ')} }`]);
    },
    dropped: () => ({ udp: counter('udp_dropped'), tcp: counter('tcp_dropped') }),
    close,
  };
}
