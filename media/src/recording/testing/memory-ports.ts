/** In-memory RecordingStore and RecordingReporter for the engine's tests and the benchmark. */
import type { ChainHead, Gap, RecordingReporter, RecordingStore, SegmentRecord, TrackInfo } from '../recording-ports.ts';

export class MemoryStore implements RecordingStore {
  tracks: TrackInfo[] = [];
  segments: SegmentRecord[] = [];

  addTrack(track: TrackInfo): void {
    this.tracks.push(track);
  }
  findTrack(hearingId: string, sourceId: string): TrackInfo | undefined {
    return this.tracks.find((t) => t.hearingId === hearingId && t.sourceId === sourceId);
  }
  lastSegment(trackId: string): SegmentRecord | undefined {
    return this.segments.filter((s) => s.trackId === trackId).at(-1);
  }
  addSegment(segment: SegmentRecord): void {
    this.segments.push(segment);
  }
  segmentsOf(trackId: string): SegmentRecord[] {
    return this.segments.filter((s) => s.trackId === trackId);
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
