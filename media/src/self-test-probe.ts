/**
 * The network probe of a remote participant's self-test (docs/media.md, "The self-test"): a router
 * of its own on a media worker, with one WebRTC transport per path the phone tries — `udp` (only
 * the UDP addresses the hearings' transports announce), `tcp` (only the TCP ones) and `relay` (all
 * of them, the browser restricted to its TURN relay) — so which one connects says what the
 * hearing's media will be able to use. Each transport has an SCTP association: the phone sends
 * data over it and what the server received in a measured time is the upload figure. Nothing
 * leaves the probe: no producer of a hearing is reachable from its router. `close()` (the phone
 * is done, its connection went, or the probe's time ran out) closes the router and everything on it.
 *
 * No fastify or socket.io here; server/src/realtime/self-test.socket.ts calls it.
 */
import type { types } from 'mediasoup';
import type { ProbePath } from '../../server/src/shared/socket/self-test.ts';
import { MEDIA_CODECS, MediaError } from './hearing-media-room.ts';

export type { ProbePath };

export type ProbeTransportParams = {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
  sctpParameters: types.SctpParameters;
};

/** What the server saw of one path: connected (DTLS up), over which protocol from which address. */
export type ProbePathState = { connected: boolean; protocol: 'udp' | 'tcp' | null };

type Path = { transport: types.WebRtcTransport; dataProducer: types.DataProducer | null; connected: boolean };

export class SelfTestProbe {
  readonly router: types.Router;
  #paths = new Map<ProbePath, Path>();
  #closed = false;

  private constructor(router: types.Router) {
    this.router = router;
    router.observer.once('close', () => (this.#closed = true));
  }

  /**
   * A probe with a transport for each of `paths` that has addresses to listen on (`udp` needs a
   * UDP address planned, `tcp` a TCP one); the others are left out and the phone is told so.
   */
  static async open(options: { worker: types.Worker; listenInfos: types.TransportListenInfo[]; paths: ProbePath[] }): Promise<SelfTestProbe> {
    const router = await options.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { selfTest: true } });
    const probe = new SelfTestProbe(router);
    try {
      for (const path of options.paths) {
        const listenInfos = path === 'relay' ? options.listenInfos : options.listenInfos.filter((info) => info.protocol === path);
        if (listenInfos.length === 0) continue;
        const transport = await router.createWebRtcTransport({ listenInfos, enableSctp: true, appData: { path } });
        const entry: Path = { transport, dataProducer: null, connected: false };
        transport.on('dtlsstatechange', (state) => (entry.connected = state === 'connected'));
        probe.#paths.set(path, entry);
      }
    } catch (error) {
      router.close();
      throw error;
    }
    return probe;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The paths offered, with what the browser's Device needs to open its side of each. */
  offered(): Partial<Record<ProbePath, ProbeTransportParams>> {
    const offered: Partial<Record<ProbePath, ProbeTransportParams>> = {};
    for (const [path, { transport }] of this.#paths) {
      offered[path] = {
        id: transport.id,
        iceParameters: transport.iceParameters,
        iceCandidates: transport.iceCandidates,
        dtlsParameters: transport.dtlsParameters,
        sctpParameters: transport.sctpParameters!,
      };
    }
    return offered;
  }

  async connect(path: ProbePath, dtlsParameters: types.DtlsParameters): Promise<void> {
    await this.#path(path).transport.connect({ dtlsParameters });
  }

  /** The phone's data channel on this path: what it sends is counted, and goes nowhere. */
  async produceData(path: ProbePath, sctpStreamParameters: types.SctpStreamParameters): Promise<string> {
    const entry = this.#path(path);
    entry.dataProducer?.close();
    entry.dataProducer = await entry.transport.produceData({ sctpStreamParameters, label: 'self-test', protocol: 'bytes' });
    return entry.dataProducer.id;
  }

  /**
   * Each offered path as the server sees it, once no path is half-way through its DTLS handshake
   * (at most `waitMs`): the browser may hear "connected" a moment before the worker tells us.
   */
  async settledStates(waitMs = 2_000): Promise<Partial<Record<ProbePath, ProbePathState>>> {
    const deadline = performance.now() + waitMs;
    const halfway = () => [...this.#paths.values()].some(({ transport, connected }) => !connected && !transport.closed && transport.dtlsState === 'connecting');
    while (!this.#closed && halfway() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return this.states();
  }

  /** Each offered path as the server sees it now. */
  states(): Partial<Record<ProbePath, ProbePathState>> {
    const states: Partial<Record<ProbePath, ProbePathState>> = {};
    for (const [path, entry] of this.#paths) {
      const tuple = entry.connected ? entry.transport.iceSelectedTuple : undefined;
      states[path] = { connected: entry.connected, protocol: tuple?.protocol ?? null };
    }
    return states;
  }

  /**
   * The upload rate over `path`: the bytes the server received on the path's data channel during
   * `ms` milliseconds (measured here, by the server's clock), in kbit/s. The phone keeps sending
   * meanwhile; what it could not get through in that time does not count.
   */
  async measureUpload(path: ProbePath, ms: number): Promise<{ kbps: number; bytes: number; ms: number }> {
    const entry = this.#path(path);
    const producer = entry.dataProducer;
    if (!producer || !entry.connected) throw new MediaError('invalid_request', `The ${path} path is not connected`);
    const bytesNow = async () => (await producer.getStats()).reduce((sum, stat) => sum + stat.bytesReceived, 0);
    const startBytes = await bytesNow();
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, ms));
    const bytes = (await bytesNow()) - startBytes;
    const elapsed = performance.now() - start;
    return { kbps: Math.round((bytes * 8) / elapsed), bytes, ms: Math.round(elapsed) };
  }

  close(): void {
    if (!this.#closed) this.router.close();
    this.#closed = true;
  }

  #path(path: ProbePath): Path {
    const entry = this.#paths.get(path);
    if (!entry || this.#closed) throw new MediaError('not_found', `The ${path} path is not offered`);
    return entry;
  }
}
