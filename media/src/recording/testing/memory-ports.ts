/** In-memory RecordingStore and RecordingReporter for the engine's tests and the benchmark. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChainHead, Gap, RecordingReporter, RecordingStore, SegmentRecord, TrackInfo } from '../recording-ports.ts';

/**
 * The manifest in memory, holding the database's keys: a segment needs its track, and a track's
 * (track, seq) is taken once. With `latencyMs`, every call takes a random time up to that long,
 * as a database server's round trips do: writes the engine let overlap would land out of order.
 * `failSegments` and `loseSegmentAnswers` make that many of the next segment writes fail: the
 * first without writing, the second after writing (a connection lost at the commit).
 */
export class MemoryStore implements RecordingStore {
  tracks: TrackInfo[] = [];
  segments: SegmentRecord[] = [];
  failSegments = 0;
  loseSegmentAnswers = 0;
  #latencyMs: number;

  constructor(options: { latencyMs?: number } = {}) {
    this.#latencyMs = options.latencyMs ?? 0;
  }

  async addTrack(track: TrackInfo): Promise<void> {
    await this.#roundTrip();
    if (this.tracks.some((t) => t.trackId === track.trackId || (t.hearingId === track.hearingId && t.sourceId === track.sourceId))) {
      throw new Error(`track ${track.trackId} (${track.sourceId}) is already stored`);
    }
    this.tracks.push(track);
  }
  async findTrack(hearingId: string, sourceId: string): Promise<TrackInfo | undefined> {
    await this.#roundTrip();
    return this.tracks.find((t) => t.hearingId === hearingId && t.sourceId === sourceId);
  }
  async lastSegment(trackId: string): Promise<SegmentRecord | undefined> {
    await this.#roundTrip();
    return this.segmentsOf(trackId).at(-1);
  }
  async addSegment(segment: SegmentRecord): Promise<void> {
    await this.#roundTrip();
    if (!this.tracks.some((t) => t.trackId === segment.trackId)) throw new Error(`segment ${segment.seq} of track ${segment.trackId}, which is not stored`);
    if (this.failSegments > 0) {
      this.failSegments--;
      throw new Error('the database is not answering');
    }
    if (this.segments.some((s) => s.trackId === segment.trackId && s.seq === segment.seq)) throw new Error(`segment ${segment.seq} of track ${segment.trackId} is already stored`);
    this.segments.push(segment);
    if (this.loseSegmentAnswers > 0) {
      this.loseSegmentAnswers--;
      throw new Error('the connection was lost at the commit');
    }
  }
  /** The track's segments in the order they were written. */
  segmentsOf(trackId: string): SegmentRecord[] {
    return this.segments.filter((s) => s.trackId === trackId);
  }

  async #roundTrip(): Promise<void> {
    if (this.#latencyMs > 0) await sleep(Math.random() * this.#latencyMs);
  }
}

export class MemoryReporter implements RecordingReporter {
  started: Gap[] = [];
  ended: Gap[] = [];
  heads: ChainHead[] = [];
  problems: { message: string; details: object }[] = [];

  gapStarted(_hearingId: string, gap: Gap): void {
    this.started.push(gap);
  }
  gapEnded(_hearingId: string, gap: Gap): void {
    this.ended.push(gap);
  }
  chainHeads(_hearingId: string, heads: ChainHead[]): void {
    this.heads.push(...heads);
  }
  sources: number[] = [];
  sourcesChanged(_hearingId: string, sources: number): void {
    this.sources.push(sources);
  }
  problem(_hearingId: string, message: string, details: object): void {
    this.problems.push({ message, details });
  }
}
