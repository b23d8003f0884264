/**
 * The recording manifest in the database: tracks and their segments, on either dialect
 * (db/database.ts). Implements the engine's RecordingStore port, plus the reads the verifier, the
 * playback page, exports and retention need.
 *
 * The engine's writes (`addTrack`, `addSegment`) are one statement each in a transaction of their
 * own (or the caller's, when there is one): the recorder runs outside any request, and on SQLite
 * a write outside a transaction is refused. `deleteRecording` runs in the caller's transaction.
 */
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tables } from '../../../db/database.ts';
import { Repository } from '../../../db/repository.ts';
import type { RecordingStore, SegmentRecord, TrackInfo } from '../../../media/src/recording/recording-ports.ts';

type TrackRow = Tables['recordingTracks']['$inferSelect'];

/** A hearing's manifest: its tracks (oldest first) and each track's segments in seq order. */
export type RecordingManifest = { tracks: TrackInfo[]; segments: Map<string, SegmentRecord[]> };

export class RecordingRepository extends Repository implements RecordingStore {
  async addTrack(track: TrackInfo): Promise<void> {
    const { recordingTracks } = this.tables;
    const { trackId, createdAt, ...rest } = track;
    await this.database.transaction(async () => {
      await this.db.insert(recordingTracks).values({ id: trackId, createdAt: new Date(createdAt), ...rest });
    });
  }

  async findTrack(hearingId: string, sourceId: string): Promise<TrackInfo | undefined> {
    const { recordingTracks } = this.tables;
    const [row] = await this.db
      .select()
      .from(recordingTracks)
      .where(and(eq(recordingTracks.hearingId, hearingId), eq(recordingTracks.sourceId, sourceId)));
    return row && toTrack(row);
  }

  async tracks(hearingId: string): Promise<TrackInfo[]> {
    const { recordingTracks } = this.tables;
    const rows = await this.db.select().from(recordingTracks).where(eq(recordingTracks.hearingId, hearingId)).orderBy(asc(recordingTracks.createdAt), asc(recordingTracks.id));
    return rows.map(toTrack);
  }

  async lastSegment(trackId: string): Promise<SegmentRecord | undefined> {
    const { recordingSegments } = this.tables;
    const [row] = await this.db.select().from(recordingSegments).where(eq(recordingSegments.trackId, trackId)).orderBy(desc(recordingSegments.seq)).limit(1);
    return row;
  }

  /** One row, committed when the promise resolves: the recorder chains the next segment on it only then. */
  async addSegment(segment: SegmentRecord): Promise<void> {
    const { recordingSegments } = this.tables;
    await this.database.transaction(async () => {
      await this.db.insert(recordingSegments).values(segment);
    });
  }

  async segments(trackId: string): Promise<SegmentRecord[]> {
    const { recordingSegments } = this.tables;
    return this.db.select().from(recordingSegments).where(eq(recordingSegments.trackId, trackId)).orderBy(asc(recordingSegments.seq));
  }

  async segment(trackId: string, seq: number): Promise<SegmentRecord | undefined> {
    const { recordingSegments } = this.tables;
    const [row] = await this.db
      .select()
      .from(recordingSegments)
      .where(and(eq(recordingSegments.trackId, trackId), eq(recordingSegments.seq, seq)));
    return row;
  }

  /** The hearing's tracks and all their segments, in two queries (the playback page, the verifier, the mix, exports). */
  async manifest(hearingId: string): Promise<RecordingManifest> {
    const { recordingSegments, recordingTracks } = this.tables;
    const tracks = await this.tracks(hearingId);
    const segments = new Map<string, SegmentRecord[]>(tracks.map((t) => [t.trackId, []]));
    if (tracks.length === 0) return { tracks, segments };
    const rows = await this.db
      .select({
        trackId: recordingSegments.trackId,
        seq: recordingSegments.seq,
        file: recordingSegments.file,
        bytes: recordingSegments.bytes,
        sha256: recordingSegments.sha256,
        chain: recordingSegments.chain,
        startedAt: recordingSegments.startedAt,
        durationMs: recordingSegments.durationMs,
      })
      .from(recordingSegments)
      .innerJoin(recordingTracks, eq(recordingTracks.id, recordingSegments.trackId))
      .where(eq(recordingTracks.hearingId, hearingId))
      .orderBy(asc(recordingSegments.trackId), asc(recordingSegments.seq));
    // A track stored after the tracks were read has no place here: it is left for the next read.
    for (const row of rows) segments.get(row.trackId)?.push(row);
    return { tracks, segments };
  }

  /** How many segments the hearing's recording has, over all its tracks. */
  async segmentCount(hearingId: string): Promise<number> {
    const { recordingSegments, recordingTracks } = this.tables;
    const [row] = await this.db
      .select({ n: count() })
      .from(recordingSegments)
      .innerJoin(recordingTracks, eq(recordingTracks.id, recordingSegments.trackId))
      .where(eq(recordingTracks.hearingId, hearingId));
    return Number(row?.n ?? 0);
  }

  /** Hearings whose recording ended (last segment end) before `cutoff`, UTC ms. */
  async hearingsRecordedBefore(cutoff: number): Promise<string[]> {
    const { recordingSegments, recordingTracks } = this.tables;
    const rows = await this.db
      .select({ hearingId: recordingTracks.hearingId })
      .from(recordingTracks)
      .innerJoin(recordingSegments, eq(recordingSegments.trackId, recordingTracks.id))
      .groupBy(recordingTracks.hearingId)
      .having(sql`max(${recordingSegments.startedAt} + ${recordingSegments.durationMs}) < ${cutoff}`)
      .orderBy(asc(recordingTracks.hearingId));
    return rows.map((row) => row.hearingId);
  }

  /** Removes a hearing's manifest (retention), in the caller's transaction; the caller removes its files. */
  async deleteRecording(hearingId: string): Promise<void> {
    const { recordingSegments, recordingTracks } = this.tables;
    const ofHearing = this.db.select({ id: recordingTracks.id }).from(recordingTracks).where(eq(recordingTracks.hearingId, hearingId));
    await this.db.delete(recordingSegments).where(inArray(recordingSegments.trackId, ofHearing));
    await this.db.delete(recordingTracks).where(eq(recordingTracks.hearingId, hearingId));
  }
}

function toTrack(row: TrackRow): TrackInfo {
  const { id, createdAt, ...rest } = row;
  return { trackId: id, createdAt: createdAt.getTime(), ...rest };
}
