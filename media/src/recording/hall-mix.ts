/**
 * The composed hall recording for playback: every audio track mixed into one (Opus), with the hall
 * camera's video copied as it was recorded (no re-encoding of the picture). Made by one ffmpeg
 * child at low priority (nice) from the closed segments; the originals stay the record, the mix is
 * a convenience that can be made again at any time.
 *
 * The mix runs on the recording's time line, the one the protocol's links use: time while the
 * hearing was recorded, pauses (a break, the deliberation room) left out — recording-clock.ts.
 * Each segment is placed at the recording time of its first media (`placeSegments`); media
 * outside the recorded spans (the moment a recorder took to close after a pause) is cut. Each
 * track's segments are joined with ffmpeg's concat demuxer: a segment's `duration` in the list
 * runs to the next segment's place, so a gap in a track stays a gap in time (the audio resampler
 * fills it with silence), and each track is shifted (`-itsoffset`) to its first segment's place.
 * So `t=` seconds in the protocol play that moment of the hearing in any player.
 *
 * No picture-in-picture: that needs decoding and encoding video, several times the cost of
 * everything else here (see docs/recording.md for the figures).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SegmentRecord, TrackInfo } from './recording-ports.ts';

/** A stretch of wall time that was recorded (from the log's start/resume to its pause/stop); `to` null: still open. */
export type RecordedSpan = { from: number; to: number | null };

export type HallMixInput = {
  root: string;
  tracks: TrackInfo[];
  segments: (trackId: string) => SegmentRecord[];
  output: string;
  /** The recorded spans, in order: the mix's time line. */
  spans: RecordedSpan[];
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
  // An interpreter's channel was heard by its listener only, not in the hall: it stays its own track.
  const audio = withSegments.filter((t) => t.track.kind === 'audio' && t.track.role !== 'interpretation');
  const camera = withSegments.find((t) => t.track.kind === 'video' && t.track.role === 'hall_camera') ?? withSegments.find((t) => t.track.kind === 'video');
  const pip = camera && input.pictureInPicture ? withSegments.find((t) => t.track.trackId === input.pictureInPicture!.trackId) : undefined;
  const used = [...audio, ...(camera ? [camera] : []), ...(pip ? [pip] : [])];
  if (used.length === 0) throw new Error('nothing recorded to mix');
  const placed = new Map(used.map((t) => [t.track.trackId, placeSegments(t.segments, input.spans, t.track.kind)]));
  const startedAt = input.spans[0]?.from ?? Math.min(...used.map((t) => t.segments[0].startedAt));

  const work = mkdtempSync(path.join(os.tmpdir(), 'ezal-mix-'));
  try {
    const args: string[] = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'];
    used.forEach((t, i) => {
      const list = path.join(work, `track-${i}.txt`);
      const entries = placed.get(t.track.trackId)!;
      if (entries.length === 0) throw new Error(`no media of track ${t.track.trackId} within the recorded time`);
      writeFileSync(list, concatList(input.root, t.track, entries));
      args.push('-itsoffset', (entries[0].at / 1000).toFixed(3), '-f', 'concat', '-safe', '0', '-i', list);
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

/** A segment's place in the mix: where it starts on the recording time line, and what of it is kept (ms into the file). */
export type PlacedSegment = { segment: SegmentRecord; at: number; inpoint: number; outpoint: number };

/**
 * Places each segment on the recording time line (`spans`): a segment counts in the span it
 * overlaps most, media before the span's start or after its end is cut, and a segment wholly
 * outside every span is left out. Video cannot be cut at its start without its key frame, so a
 * video segment that began before its span keeps its first frames and starts at the span's start.
 * Segments that would overlap once placed are shortened so that each ends where the next begins.
 */
export function placeSegments(segments: SegmentRecord[], spans: RecordedSpan[], kind: 'audio' | 'video'): PlacedSegment[] {
  const placed: PlacedSegment[] = [];
  for (const segment of segments) {
    const from = segment.startedAt;
    const to = segment.startedAt + segment.durationMs;
    let best: { span: RecordedSpan; before: number; overlap: number } | null = null;
    let before = 0;
    for (const span of spans) {
      const end = span.to ?? Number.POSITIVE_INFINITY;
      const overlap = Math.min(to, end) - Math.max(from, span.from);
      if (overlap > 0 && (!best || overlap > best.overlap)) best = { span, before, overlap };
      if (span.to !== null) before += span.to - span.from;
    }
    if (!best) continue;
    const { span } = best;
    const cutStart = kind === 'audio' ? Math.max(0, span.from - from) : 0;
    const keptFrom = Math.max(from, span.from);
    const outpoint = Math.min(to, span.to ?? Number.POSITIVE_INFINITY) - from;
    placed.push({ segment, at: best.before + (keptFrom - span.from), inpoint: cutStart, outpoint });
  }
  placed.sort((a, b) => a.at - b.at);
  for (let i = 0; i + 1 < placed.length; i++) {
    const here = placed[i];
    const room = placed[i + 1].at - here.at;
    if (here.outpoint - here.inpoint > room) here.outpoint = here.inpoint + Math.max(0, room);
  }
  return placed.filter((p) => p.outpoint > p.inpoint);
}

/** The concat demuxer's list: each segment lasting until the next one is placed, cut to what is kept. */
function concatList(root: string, track: TrackInfo, placed: PlacedSegment[]): string {
  const lines = ['ffconcat version 1.0'];
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  placed.forEach((p, i) => {
    const next = placed[i + 1];
    const kept = p.outpoint - p.inpoint;
    const until = next ? Math.max(next.at - p.at, kept) : kept;
    lines.push(`file '${path.join(root, track.dir, p.segment.file).replaceAll("'", "'\\''")}'`);
    if (p.inpoint > 0) lines.push(`inpoint ${seconds(p.inpoint)}`);
    if (p.outpoint < p.segment.durationMs) lines.push(`outpoint ${seconds(p.outpoint)}`);
    lines.push(`duration ${seconds(until)}`);
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
