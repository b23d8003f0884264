/**
 * Records a hearing: one SourceRecorder per live source of its media room, started and stopped
 * with the recording, following sources as they come and go. A source that goes away while the
 * recording runs leaves a gap on its track until it comes back (same `sourceId`) or the
 * recording pauses or stops. Pausing is intentional (a break, the deliberation room), so it is not
 * a gap: the recorders are stopped and started again on resume, each track's chain continuing.
 *
 * Chain heads go to the reporter (and so to the hearing's event log) every `headIntervalMs` and on
 * every pause or stop: often enough that at most that much recording rests on the database alone,
 * rarely enough that the log, which every screen follows, is not flooded (one event, not one per
 * segment and source: with ten sources and 4-second segments that would be 150 events a minute).
 *
 * Operations are serialised: a start, a pause and a source arriving never interleave.
 */
import path from 'node:path';
import type { ChainHead, Gap, RecordingReporter, RecordingStore, TrackInfo } from './recording-ports.ts';
import type { RecordingSource, RecordingSources } from './recording-sources.ts';
import { SourceRecorder } from './source-recorder.ts';

export type HearingRecorderOptions = {
  hearingId: string;
  root: string;
  segmentSeconds: number;
  headIntervalMs: number;
  store: RecordingStore;
  reporter: RecordingReporter;
  newId: () => string;
  ffmpegPath?: string;
};

export type HearingRecorderStatus = { recording: boolean; sources: number; openGaps: number };

export class HearingRecorder {
  #o: HearingRecorderOptions;
  #room: RecordingSources | null = null;
  #recorders = new Map<string, SourceRecorder>();
  #lostGaps = new Map<string, Gap>();
  #active = false;
  #queue: Promise<unknown> = Promise.resolve();
  #headTimer: NodeJS.Timeout | null = null;
  /** Tracks recorded by this recorder, and the last seq of each reported in a chain head. */
  #tracks = new Set<string>();
  #reported = new Map<string, number>();
  #onAdded = (source: RecordingSource) => void this.#serial(() => this.#add(source));
  #onRemoved = (sourceId: string, producerId?: string) => void this.#serial(() => this.#remove(sourceId, producerId));

  constructor(options: HearingRecorderOptions) {
    this.#o = options;
  }

  get recording(): boolean {
    return this.#active;
  }

  status(): HearingRecorderStatus {
    const gaps = [...this.#recorders.values()].filter((r) => r.openGap).length + this.#lostGaps.size;
    return { recording: this.#active, sources: this.#recorders.size, openGaps: gaps };
  }

  /** The recorder of a source, while it records (tests kill its ffmpeg; the benchmark measures it). */
  recorderOf(sourceId: string): SourceRecorder | undefined {
    return this.#recorders.get(sourceId);
  }

  /**
   * Plugs in (or, with null, unplugs) the hearing's media room. Before a room exists the
   * recording still starts and stops, with no sources; a room plugged in while recording is
   * recorded from then on.
   */
  setRoom(room: RecordingSources | null): Promise<void> {
    return this.#serial(async () => {
      if (this.#active) {
        // The room went (closed, or its worker died and a new room follows): while recording, each
        // of its sources is lost until it is back in the new room — a gap per track, not a pause.
        this.#room?.off('source-added', this.#onAdded);
        this.#room?.off('source-removed', this.#onRemoved);
        for (const sourceId of [...this.#recorders.keys()]) await this.#remove(sourceId);
      }
      this.#room = room;
      if (this.#active) this.#attach();
    });
  }

  /**
   * Gaps left open by an earlier process (the server died while recording): each stays open until
   * its source records again, or the recording pauses or stops. Call before `start`.
   */
  carryOver(gaps: Gap[]): Promise<void> {
    return this.#serial(async () => {
      for (const gap of gaps) {
        this.#lostGaps.set(gap.sourceId, gap);
        this.#tracks.add(gap.trackId);
      }
    });
  }

  start(): Promise<void> {
    return this.#serial(async () => {
      if (this.#active) return;
      this.#active = true;
      this.#attach();
      this.#headTimer = setInterval(() => this.#reportHeads(), this.#o.headIntervalMs);
    });
  }

  /** Pauses or stops: the same for the engine (the hearing's state tells them apart). */
  pause(): Promise<void> {
    return this.#serial(async () => {
      if (!this.#active) return;
      this.#active = false;
      if (this.#headTimer) clearInterval(this.#headTimer);
      this.#headTimer = null;
      await this.#detach();
      this.#reportHeads();
    });
  }

  #attach(): void {
    const room = this.#room;
    if (!room) return;
    room.on('source-added', this.#onAdded);
    room.on('source-removed', this.#onRemoved);
    for (const source of room.sources()) void this.#serial(() => this.#add(source));
  }

  async #detach(): Promise<void> {
    this.#room?.off('source-added', this.#onAdded);
    this.#room?.off('source-removed', this.#onRemoved);
    const now = Date.now();
    const stopped = await Promise.all([...this.#recorders.values()].map((r) => r.stop()));
    this.#recorders.clear();
    for (const gap of [...stopped, ...this.#lostGaps.values()]) {
      if (gap) this.#o.reporter.gapEnded(this.#o.hearingId, { ...gap, to: Math.max(gap.from, now) });
    }
    this.#lostGaps.clear();
  }

  async #add(source: RecordingSource): Promise<void> {
    if (!this.#active) return;
    const existing = this.#recorders.get(source.sourceId);
    if (existing?.producerId === source.producerId) return;
    // The same person or device came back with a new producer before the old one was reported
    // gone: hand the track over (what fell between is a gap, closed by the new recorder).
    if (existing) await this.#remove(source.sourceId);
    const track = this.#trackFor(source);
    this.#tracks.add(track.trackId);
    const openGap = this.#lostGaps.get(source.sourceId) ?? null;
    this.#lostGaps.delete(source.sourceId);
    try {
      const recorder = await SourceRecorder.start({
        hearingId: this.#o.hearingId,
        router: this.#room!.router,
        source,
        track,
        root: this.#o.root,
        segmentSeconds: this.#o.segmentSeconds,
        store: this.#o.store,
        reporter: this.#o.reporter,
        openGap,
        newId: this.#o.newId,
        ffmpegPath: this.#o.ffmpegPath,
      });
      this.#recorders.set(source.sourceId, recorder);
      this.#o.reporter.sourcesChanged(this.#o.hearingId, this.#recorders.size);
    } catch (error) {
      if (openGap) this.#lostGaps.set(source.sourceId, openGap);
      this.#o.reporter.problem(this.#o.hearingId, 'a source could not be recorded', { sourceId: source.sourceId, error: String(error) });
    }
  }

  async #remove(sourceId: string, producerId?: string): Promise<void> {
    const recorder = this.#recorders.get(sourceId);
    // A late report about a producer this source has already replaced changes nothing.
    if (!recorder || (producerId !== undefined && producerId !== recorder.producerId)) return;
    this.#recorders.delete(sourceId);
    const pending = await recorder.stop();
    const head = this.#o.store.lastSegment(recorder.trackId);
    const track = this.#o.store.findTrack(this.#o.hearingId, sourceId);
    const from = head ? head.startedAt + head.durationMs : Date.now();
    const gap: Gap = pending ?? { gapId: this.#o.newId(), trackId: recorder.trackId, sourceId, label: track?.label ?? sourceId, reason: 'source_lost', from, to: null };
    if (!pending) this.#o.reporter.gapStarted(this.#o.hearingId, gap);
    this.#o.reporter.sourcesChanged(this.#o.hearingId, this.#recorders.size);
    if (this.#active) this.#lostGaps.set(sourceId, gap);
    else this.#o.reporter.gapEnded(this.#o.hearingId, { ...gap, to: Date.now() });
  }

  #trackFor(source: RecordingSource): TrackInfo {
    const { hearingId, store } = this.#o;
    const existing = store.findTrack(hearingId, source.sourceId);
    if (existing) return existing;
    const trackId = this.#o.newId();
    const track: TrackInfo = {
      trackId,
      hearingId,
      sourceId: source.sourceId,
      kind: source.kind,
      role: source.who.role,
      label: source.who.label,
      userId: source.who.userId,
      participantId: source.who.participantId,
      dir: path.join(hearingId, trackId),
      createdAt: Date.now(),
    };
    store.addTrack(track);
    return track;
  }

  /** Reports the heads of the tracks that moved since the last report, as one batch. */
  #reportHeads(): void {
    const heads: ChainHead[] = [];
    for (const trackId of this.#tracks) {
      const last = this.#o.store.lastSegment(trackId);
      if (last && this.#reported.get(trackId) !== last.seq) heads.push({ trackId, seq: last.seq, chain: last.chain });
    }
    if (heads.length === 0) return;
    for (const head of heads) this.#reported.set(head.trackId, head.seq);
    this.#o.reporter.chainHeads(this.#o.hearingId, heads);
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
