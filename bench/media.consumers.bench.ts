/**
 * media.consumers: how many consumers of one camera one mediasoup worker carries at a fixed CPU
 * share (MEDIA_BENCH_CPU_SHARE, default 0.5 core), and the worker CPU each consumer costs.
 *
 * Feed: a Node UDP sender plays one synthetic VP8 camera (every packet a small key frame,
 * 1,000-byte payloads, 150 packets/s ≈ 1.2 Mbit/s) into a PlainTransport producer. Consumers are
 * PlainTransports sending to a sink process on loopback (a browser's WebRtcTransport cannot be
 * connected without a browser).
 *
 * Three series, one after the other in the same run, each on a worker of its own:
 * - `ezal`: a hearing's room (HearingMediaRoom, its router and codecs), producer and consumers
 *   with SRTP — what the worker does for a browser: encrypt every packet per consumer, in
 *   e-Zal's offline-built worker (libsrtp 2 with OpenSSL, media/worker/libsrtp.ts). The suite is
 *   MEDIA_BENCH_SRTP_SUITE, by default AEAD_AES_256_GCM, what Chromium negotiates with the worker
 *   (tests/e2e/hall-srtp-gcm.spec.ts).
 * - `bareSrtp`: a bare mediasoup router, the same feed, consumers with the same SRTP suite: what
 *   e-Zal's signalling adds to mediasoup (ratio ezal / bareSrtp).
 * - `barePlain`: a bare mediasoup router, plain RTP consumers: the floor of forwarding. The ratio
 *   ezal / barePlain is what encryption costs; the target is at most 1.3.
 *
 * Consumers are added in steps; after each step the worker's CPU (utime + stime from
 * /proc/<pid>/stat) and the packets the sink received are read over a window. On a busy machine a
 * worker may not get the CPU it wants and then forwards less, so the figures are normalised by
 * what was actually forwarded: worker CPU per forwarded packet (µs), hence CPU per consumer at the
 * full feed rate (ms of CPU per second), hence consumers at the CPU share. The raw curve is
 * printed too.
 */
import { fork, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { HearingMediaRoom } from '../media/src/hearing-media-room.ts';
import { resolveWorkerBin } from '../media/worker/worker-bin.ts';
import type { BenchResult } from './benchmarks.ts';
import { round } from './stats.ts';

const CPU_SHARE = Number(process.env.MEDIA_BENCH_CPU_SHARE ?? 0.5);
const STEPS = [0, 10, 25, 50, 100, 150, 200, 300, 400, 600];
const WINDOW_MS = Number(process.env.MEDIA_BENCH_WINDOW_MS ?? 3000);
const PACKETS_PER_SECOND = 150;
const PAYLOAD_BYTES = 1000;
const SSRC = 1234;
const PT = 101;
const TICKS_PER_SECOND = 100; // Linux USER_HZ
const SRTP_SUITE = (process.env.MEDIA_BENCH_SRTP_SUITE ?? 'AEAD_AES_256_GCM') as types.SrtpCryptoSuite;
// Master key + master salt, in bytes, per suite (RFC 3711 and RFC 7714).
const SRTP_KEY_BYTES: Record<types.SrtpCryptoSuite, number> = {
  AEAD_AES_256_GCM: 44,
  AEAD_AES_128_GCM: 28,
  AES_CM_128_HMAC_SHA1_80: 30,
  AES_CM_128_HMAC_SHA1_32: 30,
};

type Point = { consumers: number; cpu: number; forwardedPps: number };
type Kind = 'ezal' | 'bareSrtp' | 'barePlain';

export async function mediaConsumers(): Promise<BenchResult[]> {
  const sink = await startSink();
  try {
    const load1Before = round(os.loadavg()[0]);
    const ezal = await series('ezal', sink);
    const bareSrtp = await series('bareSrtp', sink);
    const barePlain = await series('barePlain', sink);
    const common = {
      srtpSuite: SRTP_SUITE,
      cpuShare: CPU_SHARE,
      packetsPerSecond: PACKETS_PER_SECOND,
      payloadBytes: PAYLOAD_BYTES,
      cores: os.availableParallelism(),
      load1Before,
      load1: round(os.loadavg()[0]),
    };
    const perPacket = (points: Point[]) => microsPerPacket(points);
    const perConsumer = (points: Point[]) => round((perPacket(points) * PACKETS_PER_SECOND) / 1000, 3);
    const atShare = (points: Point[]) => Math.floor((CPU_SHARE * 1000) / perConsumer(points));
    const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 2) : null);
    const three = (f: (points: Point[]) => number) => ({ ezal: f(ezal), bareSrtp: f(bareSrtp), barePlain: f(barePlain) });
    const cpu = three(perConsumer);
    return [
      // value: e-Zal's encrypted consumer; baseline: bare mediasoup with plain RTP (the floor).
      { metric: 'consumers_at_cpu_share', value: atShare(ezal), unit: 'consumers', baseline: atShare(barePlain), ...three(atShare), ...common },
      { metric: 'cpu_per_consumer', value: cpu.ezal, unit: 'ms cpu/s', baseline: cpu.barePlain, ...cpu, ...common },
      { metric: 'cpu_per_forwarded_packet', value: perPacket(ezal), unit: 'µs', baseline: perPacket(barePlain), ...three(perPacket), ...common },
      // Encrypted over plain (target <= 1.3), and e-Zal over bare mediasoup with the same encryption.
      { metric: 'encrypted_over_plain', value: ratio(cpu.ezal, cpu.barePlain) ?? 0, unit: 'x', baseline: 1.3, bareSrtpOverPlain: ratio(cpu.bareSrtp, cpu.barePlain), ...common },
      { metric: 'ezal_over_bare_srtp', value: ratio(cpu.ezal, cpu.bareSrtp) ?? 0, unit: 'x', baseline: 1, ...common },
      {
        metric: 'curve',
        value: ezal.length,
        unit: 'points',
        baseline: barePlain.length,
        ezal: JSON.stringify(ezal),
        bareSrtp: JSON.stringify(bareSrtp),
        barePlain: JSON.stringify(barePlain),
      },
    ];
  } finally {
    sink.child.kill();
  }
}

async function series(kind: Kind, sink: Sink): Promise<Point[]> {
  const sinkPort = sink.port;
  const worker = await mediasoup.createWorker({ workerBin: resolveWorkerBin(), rtcMinPort: 45000, rtcMaxPort: 45999, logLevel: 'error' });
  const srtp = kind !== 'barePlain';
  const room = kind === 'ezal' ? await HearingMediaRoom.create('bench', worker, { listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }], initialOutgoingBitrate: 600_000 }) : null;
  const router = room?.router ?? (await worker.createRouter({ mediaCodecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }] }));
  const sender = dgram.createSocket('udp4');
  let timer: NodeJS.Timeout | undefined;
  const points: Point[] = [];
  try {
    // The producer: plain RTP in (comedia: mediasoup learns the sender's address from its first packet).
    const input = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
    const producer = await input.produce({
      kind: 'video',
      rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: PT, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] }], encodings: [{ ssrc: SSRC }] },
    });
    timer = startFeed(sender, input.tuple.localPort);
    const consumers: types.PlainTransport[] = [];
    for (const target of STEPS) {
      while (consumers.length < target) {
        const batch = Math.min(10, target - consumers.length);
        consumers.push(...(await Promise.all(Array.from({ length: batch }, () => addConsumer(router, producer, sinkPort, srtp)))));
      }
      await sleep(1000);
      const packetsBefore = await sink.count();
      const cpu = await cpuShare(worker.pid, WINDOW_MS);
      const forwardedPps = Math.round(((await sink.count()) - packetsBefore) / (WINDOW_MS / 1000));
      points.push({ consumers: target, cpu: round(cpu, 3), forwardedPps });
      if (process.env.MEDIA_BENCH_VERBOSE) console.error(kind, target, round(cpu, 3), forwardedPps);
      if (cpu >= CPU_SHARE) break;
    }
  } finally {
    clearInterval(timer);
    sender.close();
    worker.close();
  }
  return points;
}

async function addConsumer(router: types.Router, producer: types.Producer, sinkPort: number, srtp: boolean): Promise<types.PlainTransport> {
  const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false, enableSrtp: srtp, srtpCryptoSuite: SRTP_SUITE });
  const srtpParameters = srtp ? { cryptoSuite: SRTP_SUITE, keyBase64: Buffer.alloc(SRTP_KEY_BYTES[SRTP_SUITE], 7).toString('base64') } : undefined;
  await transport.connect({ ip: '127.0.0.1', port: sinkPort, srtpParameters });
  await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
  return transport;
}

/** One VP8 key frame per packet: payload descriptor (S=1, partition 0) and a key-frame header. */
function startFeed(socket: dgram.Socket, port: number): NodeJS.Timeout {
  let seq = 0;
  let timestamp = 0;
  const packet = Buffer.alloc(12 + PAYLOAD_BYTES);
  const start = performance.now();
  let sent = 0;
  return setInterval(() => {
    // Timers are coarse: send what is due, so the average rate is exact.
    const due = Math.floor(((performance.now() - start) / 1000) * PACKETS_PER_SECOND);
    for (; sent < due; sent++) {
      seq = (seq + 1) & 0xffff;
      timestamp = (timestamp + 3000) >>> 0;
      packet[0] = 0x80;
      packet[1] = 0x80 | PT; // marker: one packet per frame
      packet.writeUInt16BE(seq, 2);
      packet.writeUInt32BE(timestamp, 4);
      packet.writeUInt32BE(SSRC, 8);
      packet[12] = 0x10; // VP8 payload descriptor: S bit, partition 0
      packet[13] = 0x00; // frame tag: P = 0 → key frame
      packet[14] = 0x00;
      packet[15] = 0x00;
      packet[16] = 0x9d; // key frame start code
      packet[17] = 0x01;
      packet[18] = 0x2a;
      packet.writeUInt16LE(640, 19);
      packet.writeUInt16LE(360, 21);
      socket.send(packet, port, '127.0.0.1');
    }
  }, 10);
}

/** The worker's CPU over a window, in cores (1.0 = one core busy). */
async function cpuShare(pid: number, windowMs: number): Promise<number> {
  const before = ticks(pid);
  const start = performance.now();
  await sleep(windowMs);
  const used = ticks(pid) - before;
  return used / TICKS_PER_SECOND / ((performance.now() - start) / 1000);
}

function ticks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime
}

/**
 * Least-squares slope of worker CPU over forwarded packets per second, in µs of CPU per packet
 * (the fixed cost of the feed itself is the intercept, left out).
 */
function microsPerPacket(points: Point[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.forwardedPps, 0) / n;
  const my = points.reduce((s, p) => s + p.cpu, 0) / n;
  const num = points.reduce((s, p) => s + (p.forwardedPps - mx) * (p.cpu - my), 0);
  const den = points.reduce((s, p) => s + (p.forwardedPps - mx) ** 2, 0);
  return den === 0 ? 0 : round((num / den) * 1e6, 3);
}

type Sink = { child: ChildProcess; port: number; count(): Promise<number> };

/** A process that reads and drops every packet sent to its port, so the sink costs this process nothing. */
async function startSink(): Promise<Sink> {
  const script = path.join(os.tmpdir(), `ezal-bench-sink-${process.pid}.mjs`);
  fs.writeFileSync(
    script,
    `import dgram from 'node:dgram';let n=0;const s=dgram.createSocket('udp4');s.on('message',()=>{n++});` +
      `process.on('message',()=>process.send({count:n}));s.bind(0,'127.0.0.1',()=>process.send({port:s.address().port}));`,
  );
  const child = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  fs.rmSync(script);
  const count = () =>
    new Promise<number>((resolve) => {
      child.once('message', (m: { count: number }) => resolve(m.count));
      child.send('count');
    });
  return { child, port, count };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
