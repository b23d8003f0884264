/**
 * The recording manifest in the database: tracks and their segments (drizzle). Implements the
 * engine's RecordingStore port, plus the reads the verifier, the playback page and exports need.
 */
import { and, asc, desc, eq } from 'drizzle-orm';
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
