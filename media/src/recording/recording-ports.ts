/**
 * How the recording engine reaches the rest of the server: it stores its manifest and reports
 * what happened through these ports, so it imports no database and no hearing service. The server
 * implements them (server/src/recording/); the tests implement them in memory.
 */

/** One recorded source within one recording of a hearing. */
export type TrackInfo = {
  trackId: string;
  hearingId: string;
  sourceId: string;
  kind: 'audio' | 'video';
  role: string;
  label: string;
  userId: string | null;
  participantId: string | null;
  /** Folder of the track's segments, relative to the recordings root. */
  dir: string;
  createdAt: number;
};

/** A closed, hashed segment: one row of the manifest. */
export type SegmentRecord = {
  trackId: string;
  /** 0, 1, 2 … per track, without holes: a missing number is a missing segment. */
  seq: number;
  /** File name within the track's folder. */
  file: string;
  bytes: number;
  sha256: string;
  chain: string;
  /** Wall-clock time of the segment's first and last media, UTC ms. */
  startedAt: number;
  durationMs: number;
};

/**
 * Why media is missing: ffmpeg died, nothing arrived from a live source, the source itself went
 * away, or its media began later than the recording did (by more than 200 ms).
 */
export type GapReason = 'recorder_died' | 'no_media' | 'source_lost' | 'late_start';

export type Gap = { gapId: string; trackId: string; sourceId: string; label: string; reason: GapReason; from: number; to: number | null };

export type ChainHead = { trackId: string; seq: number; chain: string };

/**
 * The manifest, asynchronous (the database may be a server away). Each write is done — committed —
 * when its promise resolves: the engine writes a track before any of its segments and a track's
 * segments one at a time in seq order, each only after the one it is chained on.
 */
export interface RecordingStore {
  addTrack(track: TrackInfo): Promise<void>;
  /** The track a source had in this hearing's recording, to continue its chain after a reconnect. */
  findTrack(hearingId: string, sourceId: string): Promise<TrackInfo | undefined>;
  lastSegment(trackId: string): Promise<SegmentRecord | undefined>;
  addSegment(segment: SegmentRecord): Promise<void>;
}

/** What the engine reports; the server turns these into hearing events. */
export interface RecordingReporter {
  gapStarted(hearingId: string, gap: Gap): void;
  gapEnded(hearingId: string, gap: Gap): void;
  chainHeads(hearingId: string, heads: ChainHead[]): void;
  /** How many sources are being recorded now, after one was added or removed while recording. */
  sourcesChanged(hearingId: string, sources: number): void;
  /** Anything unexpected that is not a gap (a failed hash, a failed restart), for the log. */
  problem(hearingId: string, message: string, details: object): void;
}
