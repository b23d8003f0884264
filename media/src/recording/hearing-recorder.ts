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
 * Starting takes a few hundred milliseconds per source (a transport, a consumer, an ffmpeg child
 * listening), so the server prepares the recorders first — every source at once — and commits the
 * recording's start only then (`prepare`, then `start` with the moment it was committed): media
 * is let through from that moment, not a second or two later. A pause holds every consumer's
 * media back at once, before the files are closed.
 *
 * Operations are serialised: a start, a pause and a source arriving never interleave.
 *
 * The store is asynchronous (a database, maybe a server away). A track's row is stored before its
 * media is let through — at a start, every prepared track first (a refused start leaves none),
 * then the media of all; for a source arriving later, while its recorder is set up — not as the
 * first packets arrive: on SQLite a commit holds the event loop for its fsync, which would stamp
 * a first packet late. A source whose track cannot be stored is not recorded (a `problem`).
 * Chain heads are read from the store and reported one batch at a time, in order.
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
  /** Recorders set up by `prepare` for the next start, their media still held back. */
  #prepared = new Map<string, SourceRecorder>();
  /** When the current recording span began (the committed start or resume). */
  #from: number | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #headTimer: NodeJS.Timeout | null = null;
  /** Tracks recorded by this recorder, and the last seq of each reported in a chain head. */
  #tracks = new Set<string>();
  #reported = new Map<string, number>();
  /** Tracks known to be stored (found there, or written by `#storeTrack`). */
  #stored = new Set<string>();
  /** The last report of chain heads (`#reportHeads`): the next waits for it. */
  #heads: Promise<void> = Promise.resolve();
  #onAdded = (source: RecordingSource) => {
    const arrived = Date.now();
    void this.#serial(() => this.#add(source, arrived));
  };
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
      // Recorders prepared on the old room have nothing to record.
      for (const recorder of this.#prepared.values()) await recorder.stop();
      this.#prepared.clear();
      this.#room = room;
      if (this.#active) await this.#attach(Date.now());
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

  /**
   * Sets up a recorder for every source of the room, all at once, with their media held back,
   * for the `start` that follows. Harmless when recording already runs or nothing is plugged in.
   */
  prepare(): Promise<void> {
    return this.#serial(() => this.#prepareAll());
  }

  async #prepareAll(): Promise<void> {
    if (this.#active || !this.#room) return;
    const waiting = this.#room.sources().filter((source) => !this.#prepared.has(source.sourceId) && !this.#recorders.has(source.sourceId));
    await Promise.all(
      waiting.map(async (source) => {
        const recorder = await this.#open(source, null, 'prepare');
        if (recorder) this.#prepared.set(source.sourceId, recorder);
      }),
    );
  }

  /** Recorders prepared for a start that did not come (the command was refused): closed, nothing recorded. */
  release(): Promise<void> {
    return this.#serial(async () => {
      if (this.#active) return;
      const prepared = [...this.#prepared.values()];
      this.#prepared.clear();
      await Promise.all(prepared.map((r) => r.stop()));
    });
  }

  /**
   * Starts (or resumes) recording: media counts from `from`, the moment the start was committed.
   * Without `from`, the recorders are prepared first and media counts from when they are ready.
   */
  start(from?: number): Promise<void> {
    return this.#serial(async () => {
      if (this.#active) return;
      if (from === undefined) await this.#prepareAll();
      this.#active = true;
      this.#from = from ?? Date.now();
      await this.#attach(this.#from);
      this.#headTimer = setInterval(() => void this.#reportHeads(), this.#o.headIntervalMs);
    });
  }

  /** Pauses or stops: the same for the engine (the hearing's state tells them apart). */
  pause(): Promise<void> {
    // Each recorder stops taking media now; closing the files waits its turn.
    if (this.#active) for (const recorder of this.#recorders.values()) recorder.halt();
    return this.#serial(async () => {
      if (!this.#active) return;
      this.#active = false;
      this.#from = null;
      if (this.#headTimer) clearInterval(this.#headTimer);
      this.#headTimer = null;
      await this.#detach();
      await this.#reportHeads();
    });
  }

  /**
   * Follows the room's sources and records each one from `from` (the start, or the moment a room
   * was plugged in while recording): prepared recorders let their media through, the others start.
   */
  async #attach(from: number): Promise<void> {
    const room = this.#room;
    if (!room) return;
    room.on('source-added', this.#onAdded);
    room.on('source-removed', this.#onRemoved);
    const sources = room.sources();
    for (const [sourceId, recorder] of this.#prepared) {
      if (sources.some((s) => s.sourceId === sourceId && s.producerId === recorder.producerId)) continue;
      this.#prepared.delete(sourceId);
      await recorder.stop();
    }
    // Every prepared track is stored first, then the media let through (`#add`).
    await Promise.all([...this.#prepared.values()].map((recorder) => this.#storeTrack(recorder.track, recorder.sourceId)));
    await Promise.all(sources.map((source) => this.#add(source, from)));
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

  /** Records a source from `from` on: the recording's start for the sources there at the start, the arrival for the others. */
  async #add(source: RecordingSource, from = Date.now()): Promise<void> {
    if (!this.#active) return;
    const existing = this.#recorders.get(source.sourceId);
    if (existing?.producerId === source.producerId) return;
    // The same person or device came back with a new producer before the old one was reported
    // gone: hand the track over (what fell between is a gap, closed by the new recorder).
    if (existing) await this.#remove(source.sourceId);
    const openGap = this.#lostGaps.get(source.sourceId) ?? null;
    this.#lostGaps.delete(source.sourceId);
    const prepared = this.#prepared.get(source.sourceId);
    this.#prepared.delete(source.sourceId);
    let recorder: SourceRecorder | null;
    if (prepared) {
      prepared.carryGap(openGap);
      if (await this.#storeTrack(prepared.track, source.sourceId)) {
        await prepared.begin(from);
        recorder = prepared;
      } else {
        await prepared.stop();
        recorder = null;
      }
    } else {
      recorder = await this.#open(source, openGap, from);
    }
    if (!recorder) {
      if (openGap) this.#lostGaps.set(source.sourceId, openGap);
      return;
    }
    this.#recorders.set(source.sourceId, recorder);
    this.#o.reporter.sourcesChanged(this.#o.hearingId, this.#recorders.size);
  }

  /** A recorder for the source on its track: prepared (media held back) or started; null when it could not be made (reported). */
  async #open(source: RecordingSource, openGap: Gap | null, from: number | 'prepare'): Promise<SourceRecorder | null> {
    let track: TrackInfo;
    try {
      track = await this.#trackFor(source);
    } catch (error) {
      this.#o.reporter.problem(this.#o.hearingId, 'a source could not be recorded', { sourceId: source.sourceId, error: String(error) });
      return null;
    }
    this.#tracks.add(track.trackId);
    // A prepared recorder's track is stored when it begins: a start that is refused leaves no empty
    // track. A recorder started at once has its track stored while it is set up.
    const stored = from === 'prepare' ? null : this.#storeTrack(track, source.sourceId);
    const options = {
      hearingId: this.#o.hearingId,
      router: this.#room!.router,
      source,
      track,
      root: this.#o.root,
      segmentSeconds: this.#o.segmentSeconds,
      store: this.#o.store,
      reporter: this.#o.reporter,
      openGap,
      recordingFrom: from === 'prepare' ? null : from,
      newId: this.#o.newId,
      ffmpegPath: this.#o.ffmpegPath,
    };
    try {
      const recorder = await SourceRecorder.prepare(options);
      if (from === 'prepare' || stored === null) return recorder;
      if (await stored) {
        await recorder.begin(from);
        return recorder;
      }
      await recorder.stop();
      return null;
    } catch (error) {
      this.#o.reporter.problem(this.#o.hearingId, 'a source could not be recorded', { sourceId: source.sourceId, error: String(error) });
      return null;
    }
  }

  async #remove(sourceId: string, producerId?: string): Promise<void> {
    const recorder = this.#recorders.get(sourceId);
    // A late report about a producer this source has already replaced changes nothing.
    if (!recorder || (producerId !== undefined && producerId !== recorder.producerId)) return;
    this.#recorders.delete(sourceId);
    const pending = await recorder.stop();
    // Its segments are all stored now: the recorder's last one is the track's. Its end, on a clock
    // set by the first packet's arrival, may be a few ms ahead: media cannot have ended after now.
    const head = recorder.lastSegment;
    const from = Math.min(head ? head.startedAt + head.durationMs : Date.now(), Date.now());
    const gap: Gap = pending ?? { gapId: this.#o.newId(), trackId: recorder.trackId, sourceId, label: recorder.track.label, reason: 'source_lost', from, to: null };
    if (!pending) this.#o.reporter.gapStarted(this.#o.hearingId, gap);
    this.#o.reporter.sourcesChanged(this.#o.hearingId, this.#recorders.size);
    if (this.#active) this.#lostGaps.set(sourceId, gap);
    else this.#o.reporter.gapEnded(this.#o.hearingId, { ...gap, to: Date.now() });
  }

  /** The source's track in this hearing, or a new one (not stored yet: `#storeTrack`). */
  async #trackFor(source: RecordingSource): Promise<TrackInfo> {
    const { hearingId, store } = this.#o;
    const existing = await store.findTrack(hearingId, source.sourceId);
    if (existing) {
      this.#stored.add(existing.trackId);
      return existing;
    }
    const trackId = this.#o.newId();
    return {
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
  }

  /** Stores the track unless it is stored; false (reported) when it could not be. Never rejects. */
  async #storeTrack(track: TrackInfo, sourceId: string): Promise<boolean> {
    if (this.#stored.has(track.trackId)) return true;
    try {
      await this.#o.store.addTrack(track);
      this.#stored.add(track.trackId);
      return true;
    } catch (error) {
      this.#o.reporter.problem(this.#o.hearingId, 'a source could not be recorded', { sourceId, trackId: track.trackId, error: String(error) });
      return false;
    }
  }

  /**
   * Reports the heads of the tracks that moved since the last report, as one batch, after the
   * report before it (each reads the store). Never rejects: a failed read is a `problem`.
   */
  #reportHeads(): Promise<void> {
    const report = this.#heads.then(async () => {
      const trackIds = [...this.#tracks];
      const lasts = await Promise.all(trackIds.map((trackId) => this.#o.store.lastSegment(trackId)));
      const heads: ChainHead[] = [];
      lasts.forEach((last, i) => {
        if (last && this.#reported.get(trackIds[i]) !== last.seq) heads.push({ trackId: trackIds[i], seq: last.seq, chain: last.chain });
      });
      if (heads.length === 0) return;
      for (const head of heads) this.#reported.set(head.trackId, head.seq);
      this.#o.reporter.chainHeads(this.#o.hearingId, heads);
    });
    this.#heads = report.catch((error: unknown) => this.#o.reporter.problem(this.#o.hearingId, 'the chain heads could not be read', { error: String(error) }));
    return this.#heads;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
