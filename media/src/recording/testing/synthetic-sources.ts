/**
 * A RecordingSources for tests and the benchmark: a real mediasoup Router whose producers are fed
 * over PlainTransports by ffmpeg children encoding synthetic media (lavfi sine → Opus, testsrc →
 * VP8, sent as RTP in real time). The recorder cannot tell it from a hall's microphones and cameras.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { RecordingSource, RecordingSources, RecordingSourcesEvents } from '../recording-sources.ts';

export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
];

type Synthetic = { source: RecordingSource; transport: types.PlainTransport; sender: ChildProcess | null; kind: 'audio' | 'video' };

export class SyntheticSources implements RecordingSources {
  readonly router: types.Router;
  #emitter = new EventEmitter();
  #live = new Map<string, Synthetic>();

  constructor(router: types.Router) {
    this.router = router;
  }

  sources(): RecordingSource[] {
    return [...this.#live.values()].map((s) => s.source);
  }

  on<E extends keyof RecordingSourcesEvents>(event: E, listener: RecordingSourcesEvents[E]): this {
    this.#emitter.on(event, listener);
    return this;
  }

  off<E extends keyof RecordingSourcesEvents>(event: E, listener: RecordingSourcesEvents[E]): this {
    this.#emitter.off(event, listener);
    return this;
  }

  /** Adds a live source fed by a real-time ffmpeg encoder; announced with `source-added`. */
  async add(sourceId: string, kind: 'audio' | 'video', label = sourceId): Promise<RecordingSource> {
    const transport = await this.router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: true });
    const ssrc = 10_000 + Math.floor(Math.random() * 1_000_000);
    const payloadType = kind === 'audio' ? 100 : 101;
    const codec = kind === 'audio' ? { mimeType: 'audio/opus', clockRate: 48000, channels: 2 } : { mimeType: 'video/VP8', clockRate: 90000 };
    const producer = await transport.produce({ kind, rtpParameters: { codecs: [{ ...codec, payloadType }], encodings: [{ ssrc }] } });
    // ffmpeg sends RTCP from a second socket: with rtcp-mux, comedia would lock onto that one.
    const port = transport.tuple.localPort;
    const rtcpPort = transport.rtcpTuple?.localPort ?? port + 1;
    const source: RecordingSource = { sourceId, producerId: producer.id, kind, who: { userId: null, participantId: null, role: kind === 'audio' ? 'hall_microphone' : 'hall_camera', label } };
    const synthetic: Synthetic = { source, transport, sender: null, kind };
    synthetic.sender = startSender(kind, ssrc, payloadType, port, rtcpPort);
    this.#live.set(sourceId, synthetic);
    this.#emitter.emit('source-added', source);
    return source;
  }

  /** The source goes away (a remote participant's connection drops): producer closed, `source-removed`. */
  remove(sourceId: string): void {
    const s = this.#live.get(sourceId);
    if (!s) return;
    this.#live.delete(sourceId);
    s.sender?.kill('SIGKILL');
    s.transport.close();
    this.#emitter.emit('source-removed', sourceId, s.source.producerId);
  }

  /** The pid of the ffmpeg that feeds a source (the benchmark leaves it out of the recorder's CPU). */
  senderPid(sourceId: string): number | undefined {
    return this.#live.get(sourceId)?.sender?.pid;
  }

  close(): void {
    for (const id of [...this.#live.keys()]) this.remove(id);
  }
}

function startSender(kind: 'audio' | 'video', ssrc: number, payloadType: number, port: number, rtcpPort: number): ChildProcess {
  const input =
    kind === 'audio'
      ? ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-c:a', 'libopus', '-ac', '2', '-b:a', '32k']
      : ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-pix_fmt', 'yuv420p', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-g', '15', '-threads', '1'];
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-re',
    ...input,
    '-ssrc',
    String(ssrc),
    '-payload_type',
    String(payloadType),
    '-f',
    'rtp',
    `rtp://127.0.0.1:${port}?rtcpport=${rtcpPort}&pkt_size=1200`,
  ];
  return spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit'] });
}
