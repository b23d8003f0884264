/**
 * The recording manifest in the database: tracks and their segments (drizzle). Implements the
 * engine's RecordingStore port, plus the reads the verifier, the playback page and exports need.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { recordingSegments, recordingTracks } from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';
import type { RecordingStore, SegmentRecord, TrackInfo } from '../../../media/src/recording/recording-ports.ts';

type TrackRow = typeof recordingTracks.$inferSelect;

export class RecordingRepository implements RecordingStore {
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  addTrack(track: TrackInfo): void {
    const { trackId, createdAt, ...rest } = track;
    this.#db
      .insert(recordingTracks)
      .values({ id: trackId, createdAt: new Date(createdAt), ...rest })
      .run();
  }

  findTrack(hearingId: string, sourceId: string): TrackInfo | undefined {
    const row = this.#db
      .select()
      .from(recordingTracks)
      .where(and(eq(recordingTracks.hearingId, hearingId), eq(recordingTracks.sourceId, sourceId)))
      .get();
    return row && toTrack(row);
  }

  tracks(hearingId: string): TrackInfo[] {
    return this.#db.select().from(recordingTracks).where(eq(recordingTracks.hearingId, hearingId)).orderBy(asc(recordingTracks.createdAt)).all().map(toTrack);
  }

  lastSegment(trackId: string): SegmentRecord | undefined {
    return this.#db.select().from(recordingSegments).where(eq(recordingSegments.trackId, trackId)).orderBy(desc(recordingSegments.seq)).limit(1).get();
  }

  addSegment(segment: SegmentRecord): void {
    this.#db.insert(recordingSegments).values(segment).run();
  }

  segments(trackId: string): SegmentRecord[] {
    return this.#db.select().from(recordingSegments).where(eq(recordingSegments.trackId, trackId)).orderBy(asc(recordingSegments.seq)).all();
  }

  /** Hearings whose recording ended (last segment end) before `cutoff`, UTC ms. */
  hearingsRecordedBefore(cutoff: number): string[] {
    return this.#db
      .select({ hearingId: recordingTracks.hearingId, end: sql<number>`max(${recordingSegments.startedAt} + ${recordingSegments.durationMs})` })
      .from(recordingTracks)
      .innerJoin(recordingSegments, eq(recordingSegments.trackId, recordingTracks.id))
      .groupBy(recordingTracks.hearingId)
      .all()
      .filter((row) => row.end < cutoff)
      .map((row) => row.hearingId);
  }

  /** Removes a hearing's manifest (retention); the caller removes its files. Synchronous: one transaction with the caller's. */
  deleteRecording(hearingId: string): void {
    const trackIds = this.tracks(hearingId).map((t) => t.trackId);
    if (trackIds.length === 0) return;
    this.#db.delete(recordingSegments).where(inArray(recordingSegments.trackId, trackIds)).run();
    this.#db.delete(recordingTracks).where(eq(recordingTracks.hearingId, hearingId)).run();
  }

  segment(trackId: string, seq: number): SegmentRecord | undefined {
    return this.#db
      .select()
      .from(recordingSegments)
      .where(and(eq(recordingSegments.trackId, trackId), eq(recordingSegments.seq, seq)))
      .get();
  }
}

function toTrack(row: TrackRow): TrackInfo {
  const { id, createdAt, ...rest } = row;
  return { trackId: id, createdAt: createdAt.getTime(), ...rest };
}
