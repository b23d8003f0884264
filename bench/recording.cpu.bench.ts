/**
 * Recording CPU: what recording one audio+video source (a remote participant: Opus microphone,
 * VP8 camera at 320x240/15 fps, ~330 kbit/s) costs, in cores, with our copying recorder (ffmpeg
 * `-c copy` into WebM segments, plus the mediasoup worker's extra forwarding) — next to a
 * transcoding recorder of the same source in the same run (ffmpeg decoding and re-encoding
 * libopus + libvpx realtime), which is the baseline. Target: under 0.05 of a core per source.
 *
 * Three phases of PHASE_S seconds each, one after the other, on one worker and the same live
 * sources: sources alone (the worker's own cost of receiving them), copy recorders, transcoding
 * recorders. CPU comes from /proc/<pid>/stat (utime + stime) of the recorder ffmpeg processes and
 * of the worker; the synthetic senders are not counted. Then the hall mix of what was recorded
 * (audio mixed, camera copied) is produced at low priority and its CPU per recorded second given.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { consumerSdp, RECORDER_IP, transcodingRecorderArgs } from '../media/src/recording/ffmpeg-args.ts';
import { composeHallMix } from '../media/src/recording/hall-mix.ts';
import { HearingRecorder } from '../media/src/recording/hearing-recorder.ts';
import { MemoryReporter, MemoryStore } from '../media/src/recording/testing/memory-ports.ts';
import { MEDIA_CODECS, SyntheticSources } from '../media/src/recording/testing/synthetic-sources.ts';
import { freeRecorderPort, waitUntilBound } from '../media/src/recording/udp-port.ts';
import { resolveWorkerBin } from '../media/worker/worker-bin.ts';
import type { BenchResult } from './benchmarks.ts';
import { round } from './stats.ts';

const PHASE_S = Number(process.env.RECORDING_BENCH_SECONDS ?? 20);
const WARMUP_MS = 4000;
const CLK_TCK = 100; // Linux USER_HZ on every architecture we run on

export async function recordingCpu(): Promise<BenchResult[]> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ezal-bench-recording-'));
  const worker = await mediasoup.createWorker({ workerBin: resolveWorkerBin(), logLevel: 'warn' });
  const room = new SyntheticSources(await worker.createRouter({ mediaCodecs: MEDIA_CODECS }));
  try {
    await room.add('participant-audio', 'audio');
    await room.add('participant-video', 'video');
    await sleep(WARMUP_MS);

    // Phase 1: the sources alone.
    const idle = await measure([worker.pid], PHASE_S);

    // Phase 2: the copying recorder.
    const store = new MemoryStore();
    const recorder = new HearingRecorder({ hearingId: 'bench', root, segmentSeconds: 4, headIntervalMs: 30_000, store, reporter: new MemoryReporter(), newId: randomUUID });
    await recorder.setRoom(room);
    const recordedFrom = Date.now();
    await recorder.start(recordedFrom);
    await sleep(WARMUP_MS);
    const copyPids = () => ['participant-audio', 'participant-video'].map((id) => recorder.recorderOf(id)?.ffmpegPid ?? 0);
    const copy = await measure([worker.pid, ...copyPids()], PHASE_S);
    await recorder.pause();
    const spans = [{ from: recordedFrom, to: Date.now() }];

    // Phase 3: a transcoding recorder of the same sources.
    const transcoders = await Promise.all(room.sources().map((s) => startTranscoder(room.router, s.producerId, s.kind, root)));
    await sleep(WARMUP_MS);
    const transcode = await measure([worker.pid, ...transcoders.map((t) => t.proc.pid ?? 0)], PHASE_S);
    for (const t of transcoders) await t.stop();

    const extraWorker = (phase: number[]) => Math.max(0, phase[0] - idle[0]);
    const copyCores = (copy.slice(1).reduce((a, b) => a + b, 0) + extraWorker(copy)) / PHASE_S;
    const transcodeCores = (transcode.slice(1).reduce((a, b) => a + b, 0) + extraWorker(transcode)) / PHASE_S;

    // The hall mix of what phase 2 recorded, at nice 10.
    const mixed = await composeHallMix({ root, tracks: store.tracks, segments: (id) => store.segmentsOf(id), spans, output: path.join(root, 'hall-mix.webm'), nice: 10 });
    const camera = store.tracks.find((t) => t.kind === 'video') ?? null;
    const withPip = await composeHallMix({
      root,
      tracks: store.tracks,
      segments: (id) => store.segmentsOf(id),
      spans,
      output: path.join(root, 'hall-mix-pip.webm'),
      nice: 10,
      pictureInPicture: camera,
    });
    const recordedS = store.segments.filter((s) => s.trackId === store.tracks.find((t) => t.kind === 'video')?.trackId).reduce((sum, s) => sum + s.durationMs, 0) / 1000;

    const load = os.loadavg()[0];
    return [
      {
        metric: 'cores_per_av_source_copy',
        value: round(copyCores, 4),
        unit: 'cores',
        baseline: round(transcodeCores, 4),
        baselineIs: 'transcoding recorder (libopus + libvpx realtime) of the same source',
        target: 0.05,
        ffmpegCopyCores: round(copy.slice(1).reduce((a, b) => a + b, 0) / PHASE_S, 4),
        workerExtraCores: round(extraWorker(copy) / PHASE_S, 4),
        phaseSeconds: PHASE_S,
        segments: store.segments.length,
        loadAvg1m: round(load, 2),
      },
      {
        metric: 'hall_mix_cpu_s_per_recorded_s',
        value: recordedS > 0 ? round(mixed.cpuSeconds / recordedS, 4) : 0,
        unit: 'cpu-s per s',
        baseline: null,
        recordedSeconds: round(recordedS, 1),
        wallSeconds: round(mixed.wallSeconds, 2),
        note: 'amix of the audio tracks + hall camera copied, nice 10; no picture-in-picture',
      },
      {
        metric: 'hall_mix_pip_cpu_s_per_recorded_s',
        value: recordedS > 0 ? round(withPip.cpuSeconds / recordedS, 4) : 0,
        unit: 'cpu-s per s',
        baseline: recordedS > 0 ? round(mixed.cpuSeconds / recordedS, 4) : null,
        baselineIs: 'the same mix without picture-in-picture',
        note: 'the camera decoded, a second picture overlaid at a quarter size, VP8 re-encoded (realtime, 1 thread); at the test source size 320x240',
      },
    ];
  } finally {
    room.close();
    worker.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** CPU seconds each pid used over `seconds` of wall time. */
async function measure(pids: number[], seconds: number): Promise<number[]> {
  const before = pids.map(cpuTicks);
  await sleep(seconds * 1000);
  const after = pids.map(cpuTicks);
  return pids.map((_, i) => (after[i] - before[i]) / CLK_TCK);
}

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  } catch {
    return 0;
  }
}

async function startTranscoder(router: types.Router, producerId: string, kind: 'audio' | 'video', root: string): Promise<{ proc: ChildProcess; stop: () => Promise<void> }> {
  const port = await freeRecorderPort();
  const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: RECORDER_IP }, rtcpMux: true, comedia: false });
  await transport.connect({ ip: RECORDER_IP, port });
  const rtpCapabilities = { ...router.rtpCapabilities, codecs: (router.rtpCapabilities.codecs ?? []).filter((c) => !c.mimeType.endsWith('/rtx')) };
  const consumer = await transport.consume({ producerId, rtpCapabilities, paused: true });
  const sdpFile = path.join(root, `transcode-${kind}.sdp`);
  writeFileSync(sdpFile, consumerSdp(consumer.rtpParameters, kind, port));
  const proc = spawn('ffmpeg', transcodingRecorderArgs({ sdpFile, kind, output: path.join(root, `transcode-${kind}.webm`) }), { stdio: 'ignore' });
  await waitUntilBound(port, 5000, () => proc.exitCode === null);
  await consumer.resume();
  const keyFrames = kind === 'video' ? setInterval(() => void consumer.requestKeyFrame().catch(() => {}), 2000) : null;
  if (kind === 'video') await consumer.requestKeyFrame();
  return {
    proc,
    stop: async () => {
      if (keyFrames) clearInterval(keyFrames);
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGINT');
      await exited;
      transport.close();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
