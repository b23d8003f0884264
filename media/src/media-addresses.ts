/**
 * Which addresses the WebRTC transports listen on and announce to browsers.
 *
 * A browser can only send media to an address it can reach. `0.0.0.0` is where a socket listens,
 * never where anyone can send to, so with nothing configured (`MEDIA_LISTEN_IP=0.0.0.0`, no
 * `MEDIA_ANNOUNCED_ADDRESS`) each transport listens on every address of this machine's own
 * interfaces and announces each of them as a candidate: the court network's browsers reach the
 * interface address, a browser on this machine reaches loopback too. Candidates are offered in
 * this order (the first has the highest ICE priority): outward interfaces, then loopback.
 *
 * Set `MEDIA_ANNOUNCED_ADDRESS` when browsers reach the server through another address (NAT, a
 * public address): then one listening address, announced as that one. What cannot work is said as
 * a warning (log at start, `GET /api/health`), never left silent.
 */
import os from 'node:os';
import net from 'node:net';
import type { types } from 'mediasoup';

export type MediaAddressSettings = {
  /** `MEDIA_LISTEN_IP`: `0.0.0.0` (or `::`) means every address of this machine. */
  listenIp: string;
  /** `MEDIA_ANNOUNCED_ADDRESS`: the address or host name browsers are told to send to. */
  announcedAddress?: string;
  enableUdp: boolean;
  enableTcp: boolean;
  rtcMinPort: number;
  rtcMaxPort: number;
};

/** One address a browser is told about, with the local address it arrives at. */
export type AnnouncedAddress = { protocol: 'udp' | 'tcp'; address: string; listenIp: string; scope: 'network' | 'loopback' };

export type MediaAddressPlan = {
  listenInfos: types.TransportListenInfo[];
  announced: AnnouncedAddress[];
  /** Plain sentences for the log and health: what will keep browsers from connecting. */
  warnings: string[];
};

type Interfaces = ReturnType<typeof os.networkInterfaces>;

const UNSPECIFIED = new Set(['0.0.0.0', '::', '']);

export function planMediaAddresses(settings: MediaAddressSettings, interfaces: Interfaces = os.networkInterfaces()): MediaAddressPlan {
  const warnings: string[] = [];
  const local = localAddresses(interfaces, settings.listenIp === '::' ? 'any' : 'ipv4');
  const pairs: { listenIp: string; announced: string | undefined; scope: AnnouncedAddress['scope'] }[] = [];

  if (settings.announcedAddress) {
    const announced = settings.announcedAddress;
    if (UNSPECIFIED.has(announced)) warnings.push(`MEDIA_ANNOUNCED_ADDRESS=${announced} is not an address anyone can send to: set the address browsers reach this server at`);
    if (isLoopback(announced)) warnings.push(`MEDIA_ANNOUNCED_ADDRESS=${announced} is a loopback address: only a browser on this machine can connect`);
    if (!UNSPECIFIED.has(settings.listenIp) && !isLocal(settings.listenIp, interfaces)) {
      warnings.push(`MEDIA_LISTEN_IP=${settings.listenIp} is not an address of this machine: no media transport can be opened`);
    }
    pairs.push({ listenIp: settings.listenIp, announced, scope: isLoopback(announced) ? 'loopback' : 'network' });
  } else if (!UNSPECIFIED.has(settings.listenIp)) {
    if (!isLocal(settings.listenIp, interfaces)) warnings.push(`MEDIA_LISTEN_IP=${settings.listenIp} is not an address of this machine: no media transport can be opened`);
    if (isLoopback(settings.listenIp)) warnings.push(`MEDIA_LISTEN_IP=${settings.listenIp} is a loopback address: only a browser on this machine can connect`);
    pairs.push({ listenIp: settings.listenIp, announced: undefined, scope: isLoopback(settings.listenIp) ? 'loopback' : 'network' });
  } else {
    for (const address of local.network) pairs.push({ listenIp: address, announced: undefined, scope: 'network' });
    for (const address of local.loopback) pairs.push({ listenIp: address, announced: undefined, scope: 'loopback' });
    if (local.network.length === 0) {
      warnings.push('this machine has no network interface besides loopback: only a browser on this machine can connect (set MEDIA_ANNOUNCED_ADDRESS for a court network)');
    }
  }

  const portRange = { min: settings.rtcMinPort, max: settings.rtcMaxPort };
  const listenInfos: types.TransportListenInfo[] = [];
  const announced: AnnouncedAddress[] = [];
  for (const protocol of ['udp', 'tcp'] as const) {
    if (protocol === 'udp' ? !settings.enableUdp : !settings.enableTcp) continue;
    for (const pair of pairs) {
      listenInfos.push({ protocol, ip: pair.listenIp, announcedAddress: pair.announced, portRange });
      announced.push({ protocol, address: pair.announced ?? pair.listenIp, listenIp: pair.listenIp, scope: pair.scope });
    }
  }
  return { listenInfos, announced, warnings };
}

/** This machine's addresses, outward ones and loopback apart (IPv6 link-local ones need a zone and are left out). */
function localAddresses(interfaces: Interfaces, families: 'ipv4' | 'any'): { network: string[]; loopback: string[] } {
  const network: string[] = [];
  const loopback: string[] = [];
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      if (entry.family !== 'IPv4' && (families === 'ipv4' || entry.address.toLowerCase().startsWith('fe80'))) continue;
      const list = entry.internal || isLoopback(entry.address) ? loopback : network;
      if (!list.includes(entry.address)) list.push(entry.address);
    }
  }
  // A machine always reaches itself over loopback, even if the interface list forgot it.
  if (!loopback.includes('127.0.0.1')) loopback.unshift('127.0.0.1');
  return { network, loopback };
}

function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || (net.isIPv4(address) && address.startsWith('127.'));
}

function isLocal(address: string, interfaces: Interfaces): boolean {
  if (isLoopback(address)) return true;
  return Object.values(interfaces).some((entries) => (entries ?? []).some((entry) => entry.address === address));
}

/**
 * Opens a transport on each planned address once (on a router made for the check and closed at
 * once): an address this machine does not have, or a port range that is taken or forbidden, is
 * found at start instead of by the first person who joins. Returns the warnings, and the plan
 * without what could not be opened.
 */
export async function probeMediaAddresses(worker: types.Worker, plan: MediaAddressPlan): Promise<MediaAddressPlan> {
  const router = await worker.createRouter({ mediaCodecs: [] });
  const warnings = [...plan.warnings];
  const listenInfos: types.TransportListenInfo[] = [];
  const announced: AnnouncedAddress[] = [];
  try {
    for (const [index, info] of plan.listenInfos.entries()) {
      try {
        const transport = await router.createWebRtcTransport({ listenInfos: [info] });
        transport.close();
        listenInfos.push(info);
        announced.push(plan.announced[index]);
      } catch (error) {
        const range = info.portRange ? ` ports ${info.portRange.min}–${info.portRange.max}` : '';
        warnings.push(`media cannot listen on ${info.protocol} ${info.ip}${range}: ${(error as Error).message}`);
      }
    }
  } finally {
    router.close();
  }
  if (listenInfos.length === 0) warnings.push('no media address could be opened: audio and video cannot connect');
  return { listenInfos, announced, warnings };
}
