/**
 * The network half of the phone's self-test (docs/media.md, "The self-test"): opens the server's
 * probe (`selftest:open`), tries every path it offers at once — UDP and TCP straight to the media
 * server, and the court's TURN relay with the browser held to relay candidates — each as a
 * mediasoup-client send transport carrying a data channel, then asks the server which paths it saw
 * connected. Over the best one it keeps the data channel full while the server counts what arrives
 * (`selftest:measure`): the upload figure is the server's, not the page's. No Svelte here.
 */
import { Device, type types } from 'mediasoup-client';
import type { Socket } from 'socket.io-client';
import type { Ack } from '$server/shared/socket/ack.ts';
import type { ProbePath, SelfTestAnswers, SelfTestCommandName, SelfTestPayloads } from '$server/shared/socket/self-test.ts';

/** How long a path may take to connect before it counts as blocked (ICE over TLS to a relay takes a few seconds). */
const CONNECT_TIMEOUT_MS = 12_000;
const MEASURE_MS = 3_000;
const CHUNK = new Uint8Array(16 * 1024);
/** Keep at most this much queued in the data channel: enough to keep it busy, not to fill memory. */
const HIGH_WATER = 1024 * 1024;

export type NetworkOutcome = {
  /** What the server saw connected, by path; absent: the server did not offer the path. */
  paths: Partial<Record<ProbePath, boolean>>;
  relayProtocol: 'udp' | 'tcp' | 'tls' | null;
  uploadKbps: number | null;
};

export class SelfTestError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

type Sender = { emitWithAck(event: SelfTestCommandName, payload: unknown): Promise<Ack<unknown>> };

export async function request<E extends SelfTestCommandName>(socket: Socket, event: E, payload: SelfTestPayloads[E], timeoutMs = 15_000): Promise<SelfTestAnswers[E]> {
  const sender = socket.timeout(timeoutMs) as unknown as Sender;
  const answer = (await sender.emitWithAck(event, payload)) as Ack<SelfTestAnswers[E]>;
  if ('error' in answer) throw new SelfTestError(answer.error.code, answer.error.message);
  return answer.data;
}

type Tried = { path: ProbePath; transport: types.Transport; dataProducer: types.DataProducer | null };

/** Runs the network probe on `socket` (a /remote connection); `onPath` hears each path's outcome as it comes. */
export async function probeNetwork(socket: Socket, onPath: (path: ProbePath, connected: boolean) => void): Promise<NetworkOutcome> {
  const opened = await request(socket, 'selftest:open', {});
  const device = new Device();
  await device.load({ routerRtpCapabilities: opened.routerRtpCapabilities });
  const tried: Tried[] = [];
  try {
    const offered = Object.entries(opened.paths) as [ProbePath, NonNullable<(typeof opened.paths)[ProbePath]>][];
    await Promise.all(
      offered.map(async ([path, params]) => {
        const relay = path === 'relay';
        const transport = device.createSendTransport({
          ...params,
          iceServers: relay ? opened.iceServers : [],
          iceTransportPolicy: relay ? 'relay' : 'all',
        });
        const entry: Tried = { path, transport, dataProducer: null };
        tried.push(entry);
        transport.on('connect', ({ dtlsParameters }, done, fail) => {
          request(socket, 'selftest:connect', { path, dtlsParameters }).then(() => done(), fail);
        });
        transport.on('producedata', ({ sctpStreamParameters }, done, fail) => {
          request(socket, 'selftest:produce-data', { path, sctpStreamParameters }).then(done, fail);
        });
        const connected = waitConnected(transport);
        entry.dataProducer = await transport.produceData({ ordered: true, label: 'self-test' });
        const ok = await connected;
        onPath(path, ok);
      }),
    );

    // The server's word on what connected, not the browser's.
    const states = await request(socket, 'selftest:paths', {});
    const paths: NetworkOutcome['paths'] = {};
    for (const { path } of tried) paths[path] = states[path]?.connected ?? false;
    const relayEntry = tried.find((t) => t.path === 'relay');
    const relayProtocol = paths.relay && relayEntry ? await relayProtocolOf(relayEntry.transport) : null;

    const best = (['udp', 'tcp', 'relay'] as const).map((p) => tried.find((t) => t.path === p && paths[p])).find(Boolean);
    const uploadKbps = best?.dataProducer ? await measureUpload(socket, best.path, best.dataProducer) : null;
    return { paths, relayProtocol, uploadKbps };
  } finally {
    for (const { transport } of tried) transport.close();
    await request(socket, 'selftest:close', {}).catch(() => undefined);
  }
}

function waitConnected(transport: types.Transport): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), CONNECT_TIMEOUT_MS);
    transport.on('connectionstatechange', (state) => {
      if (state === 'connected') {
        clearTimeout(timer);
        resolve(true);
      } else if (state === 'failed' || state === 'closed') {
        clearTimeout(timer);
        resolve(false);
      }
    });
  });
}

/** Keeps the data channel full while the server counts what arrives; answers the server's figure. */
async function measureUpload(socket: Socket, path: ProbePath, producer: types.DataProducer): Promise<number | null> {
  if (producer.readyState !== 'open') {
    const opened = await new Promise<boolean>((resolve) => {
      producer.once('open', () => resolve(true));
      setTimeout(() => resolve(producer.readyState === 'open'), 5_000);
    });
    if (!opened) return null;
  }
  let pumping = true;
  producer.bufferedAmountLowThreshold = HIGH_WATER / 2;
  const pump = (async () => {
    while (pumping && !producer.closed) {
      if (producer.bufferedAmount < HIGH_WATER) producer.send(CHUNK);
      else await new Promise<void>((resolve) => producer.once('bufferedamountlow', () => resolve()));
    }
  })().catch(() => undefined);
  try {
    // A moment for the channel to get going before the server starts counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const measured = await request(socket, 'selftest:measure', { path, ms: MEASURE_MS });
    return measured.kbps;
  } catch {
    return null;
  } finally {
    pumping = false;
    await Promise.race([pump, new Promise((resolve) => setTimeout(resolve, 1000))]);
  }
}

/** How the browser reached the TURN server on the relay path: its selected pair's local relay candidate. */
async function relayProtocolOf(transport: types.Transport): Promise<'udp' | 'tcp' | 'tls' | null> {
  const reports = (await transport.getStats()) as unknown as Map<string, Record<string, unknown>>;
  for (const report of reports.values()) {
    if (report.type !== 'transport' || typeof report.selectedCandidatePairId !== 'string') continue;
    const pair = reports.get(report.selectedCandidatePairId);
    const local = pair && reports.get(pair.localCandidateId as string);
    const protocol = local?.relayProtocol;
    if (protocol === 'udp' || protocol === 'tcp' || protocol === 'tls') return protocol;
  }
  return null;
}
