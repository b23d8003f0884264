/**
 * The composed hall recording for playback: every audio track mixed into one (Opus), with the hall
 * camera's video copied as it was recorded (no re-encoding of the picture). Made by one ffmpeg
 * child at low priority (nice) from the closed segments; the originals stay the record, the mix is
 * a convenience that can be made again at any time.
 *
 * Each track's segments are joined with ffmpeg's concat demuxer. A segment's `duration` in the
 * list runs to the next segment's start, so a gap in a track stays a gap in time (the audio
 * resampler fills it with silence), and each track is shifted (`-itsoffset`) to its first
 * segment's place on the hearing's wall clock: the mix lines up with the timeline.
 *
 * No picture-in-picture: that needs decoding and encoding video, several times the cost of
 * everything else here (see docs/recording.md for the figures).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SegmentRecord, TrackInfo } from './recording-ports.ts';

export type HallMixInput = {
  root: string;
  tracks: TrackInfo[];
  segments: (trackId: string) => SegmentRecord[];
  output: string;
  /** Process priority of the mixing ffmpeg (0–19); the hall's live media comes first. */
  nice: number;
  /**
   * A video track to lay over the hall camera, a quarter of its size in the corner (the speaker).
   * Costs decoding and re-encoding the picture; off in the hall, measured by the benchmark.
   */
  pictureInPicture?: TrackInfo | null;
};

export type HallMixResult = { startedAt: number; cpuSeconds: number; wallSeconds: number; audioTracks: number; video: boolean };

export async function composeHallMix(input: HallMixInput): Promise<HallMixResult> {
  const withSegments = input.tracks.map((track) => ({ track, segments: input.segments(track.trackId) })).filter((t) => t.segments.length > 0);
  const audio = withSegments.filter((t) => t.track.kind === 'audio');
  const camera = withSegments.find((t) => t.track.kind === 'video' && t.track.role === 'hall_camera') ?? withSegments.find((t) => t.track.kind === 'video');
  const pip = camera && input.pictureInPicture ? withSegments.find((t) => t.track.trackId === input.pictureInPicture!.trackId) : undefined;
  const used = [...audio, ...(camera ? [camera] : []), ...(pip ? [pip] : [])];
  if (used.length === 0) throw new Error('nothing recorded to mix');
  const startedAt = Math.min(...used.map((t) => t.segments[0].startedAt));

  const work = mkdtempSync(path.join(os.tmpdir(), 'ezal-mix-'));
  try {
    const args: string[] = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'];
    used.forEach((t, i) => {
      const list = path.join(work, `track-${i}.txt`);
      writeFileSync(list, concatList(input.root, t.track, t.segments));
      args.push('-itsoffset', ((t.segments[0].startedAt - startedAt) / 1000).toFixed(3), '-f', 'concat', '-safe', '0', '-i', list);
    });
    const filters = audio.map((_, i) => `[${i}:a]aresample=async=1:first_pts=0[a${i}]`);
    if (audio.length > 1) filters.push(`${audio.map((_, i) => `[a${i}]`).join('')}amix=inputs=${audio.length}:duration=longest:normalize=0[mix]`);
    const mixLabel = audio.length > 1 ? '[mix]' : '[a0]';
    const cameraInput = audio.length;
    if (pip) {
      const pipInput = audio.length + 1;
      filters.push(`[${pipInput}:v]scale=iw/4:-2[pip]`, `[${cameraInput}:v][pip]overlay=W-w-16:H-h-16:eof_action=pass[picture]`);
    }
    if (filters.length > 0) args.push('-filter_complex', filters.join(';'));
    if (audio.length > 0) args.push('-map', mixLabel, '-c:a', 'libopus', '-b:a', '64k');
    if (pip) args.push('-map', '[picture]', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1M', '-threads', '1');
    else if (camera) args.push('-map', `${cameraInput}:v`, '-c:v', 'copy');
    args.push('-f', 'webm', input.output);
    const { cpuSeconds, wallSeconds } = await runTimed(['nice', '-n', String(input.nice), 'ffmpeg', ...args]);
    return { startedAt, cpuSeconds, wallSeconds, audioTracks: audio.length, video: camera !== undefined };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The concat demuxer's list: each segment lasting until the next one starts. */
function concatList(root: string, track: TrackInfo, segments: SegmentRecord[]): string {
  const lines = ['ffconcat version 1.0'];
  segments.forEach((s, i) => {
    const next = segments[i + 1];
    const until = next ? Math.max(next.startedAt - s.startedAt, s.durationMs) : s.durationMs;
    lines.push(`file '${path.join(root, track.dir, s.file).replaceAll("'", "'\\''")}'`, `duration ${(until / 1000).toFixed(3)}`);
  });
  return lines.join('\n') + '\n';
}

/** Runs a command under /usr/bin/time to learn its CPU time (user + system), children included. */
function runTimed(command: string[]): Promise<{ cpuSeconds: number; wallSeconds: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const proc = spawn('/usr/bin/time', ['-f', 'EZAL_CPU %U %S', ...command], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    proc.once('error', reject);
    proc.once('exit', (code) => {
      const match = /EZAL_CPU ([\d.]+) ([\d.]+)/.exec(stderr);
      if (code !== 0 || !match) return reject(new Error(`hall mix failed (${code}): ${stderr.slice(-500)}`));
      resolve({ cpuSeconds: Number(match[1]) + Number(match[2]), wallSeconds: (Date.now() - started) / 1000 });
    });
  });
}
