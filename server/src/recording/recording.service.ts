/**
 * Recording, server side: follows the hearing's recording events (decided by hearing-rules.ts)
 * and starts or pauses the hearing's recorder (media/src/recording/) accordingly; writes what the
 * recorder observes — gaps, chain heads — back into the hearing's event log as `system` events.
 *
 * The media room is plugged in by `attachRoom` (the integrator's adapter from the hall's media
 * room to RecordingSources). Without a room, recording events still work and record nothing: the
 * state says how many sources there were (0). When a room is attached to a hearing whose state
 * says it is recording — the server was restarted mid-recording — the recorder starts again, and
 * each track already recorded gets a gap from its last segment until its source records again.
 *
 * At every stop the hall mix (media/src/recording/hall-mix.ts) is made again from the whole
 * recording, at low priority, into `<RECORDINGS_DIR>/<hearing>/hall-mix.webm`, with
 * `hall-mix.json` beside it saying what it was made from. `finalMix` is the mix of the whole
 * recording for the case file (filed with the signed protocol): made again there and then when the
 * last one is missing or older than the last segment (a restart between the stop and the mix).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../../../db/database.ts';
import type { HearingEvent } from '../shared/hearing/state.ts';
import { AppError } from '../shared/errors.ts';
import type { HearingsService } from '../hearings/hearings.service.ts';
import { composeHallMix, type RecordedSpan } from '../../../media/src/recording/hall-mix.ts';
import { HearingRecorder } from '../../../media/src/recording/hearing-recorder.ts';
import type { ChainHead, Gap, RecordingReporter } from '../../../media/src/recording/recording-ports.ts';
import type { RecordingSources } from '../../../media/src/recording/recording-sources.ts';
import { verifyRecording } from '../../../media/src/recording/verify-recording.ts';
import type { RecordingVerdict } from '../shared/api/recording-view.ts';
import type { RecordingRepository } from './recording.repository.ts';

type Deps = {
  hearings: HearingsService;
  store: RecordingRepository;
  /** Where the segments are (RECORDINGS_DIR). */
  root: string;
  segmentSeconds: number;
  headIntervalMs: number;
  newId: () => string;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** The recorded spans of the hearing, from its log: the time line of the hall mix and of the protocol's links. */
  spans: (hearingId: string) => Promise<RecordedSpan[]>;
  /** Reads the hearing's chain heads from its event log (for the verifier). */
  chainHeads: (hearingId: string) => Promise<ChainHead[]>;
  /** Days a recording is kept after its last segment; 0 keeps it for ever. */
  retentionDays: number;
  /** The retention sweep deletes a hearing's manifest in one transaction. */
  database: Pick<Database, 'transaction'>;
};

/** The longest a start waits for its recorders to be ready (they are ready in well under a second). */
const PREPARE_LIMIT_MS = 3000;

/**
 * What `hall-mix.json` says of the mix beside it: its time line (`spans`, pauses left out; starting
 * at `startedAt`, the recording's start) and how long it is.
 */
type MixMeta = { startedAt: number; spans: RecordedSpan[]; durationMs: number; video: boolean; segments: number; composedAt: number; cpuSeconds: number };

/** The hall mix of a whole recording (`RecordingService.finalMix`). */
export type FinalMix = { path: string; durationSec: number; video: boolean };

type SystemEventBody = Parameters<HearingsService['appendSystem']>[1][number];

export class RecordingService implements RecordingReporter {
  #deps: Deps;
  #recorders = new Map<string, HearingRecorder>();
  #rooms = new Map<string, RecordingSources>();
  #unsubscribe: () => void;
  /** Mixes under way (with the stop they follow), per hearing; awaited on close and by `finalMix`. */
  #mixing = new Map<string, Promise<void>>();
  /** The last write of recording events into each hearing's log (`#append`); awaited on close. */
  #appends = new Map<string, Promise<void>>();

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#unsubscribe = deps.hearings.onCommitted((events) => this.#follow(events));
  }

  /** Live sources of the hearing's media room; 0 without one (what the state shows at a start). */
  sourceCount(hearingId: string): number {
    return this.#rooms.get(hearingId)?.sources().length ?? 0;
  }

  /**
   * Plugs the hearing's media room in (null unplugs it). Called by the integration with the media
   * room when the room is created or rebuilt (a dead worker), and with null when it closes.
   */
  async attachRoom(hearingId: string, room: RecordingSources | null): Promise<void> {
    if (room) this.#rooms.set(hearingId, room);
    else this.#rooms.delete(hearingId);
    const fresh = !this.#recorders.has(hearingId);
    const recorder = this.#recorderOf(hearingId);
    await recorder.setRoom(room);
    if (!room || !fresh) return;
    const { recording } = await this.#deps.hearings.liveState(hearingId);
    if (recording.status !== 'recording') return;
    // Started again after a restart: what the earlier process left unrecorded is a gap per track.
    await recorder.carryOver(await this.#gapsAfterRestart(hearingId, recording.openGaps));
    await recorder.start();
  }

  /**
   * Gets the hearing's recorders ready before a command that starts or resumes the recording is
   * committed: every source's transport, consumer and ffmpeg set up at once (a few hundred ms),
   * media held back until the committed start lets it through. At most `PREPARE_LIMIT_MS` is
   * waited; a source not ready by then starts after the start, and its late media is a gap.
   * Returns what to call after the command: it closes recorders a refused command left unused.
   */
  async prepare(hearingId: string): Promise<() => void> {
    const recorder = this.#recorderOf(hearingId);
    const ready = recorder.prepare().catch((error: unknown) => this.#deps.log.warn({ hearingId, err: error }, 'the recorders could not be prepared'));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([ready, new Promise((resolve) => (timer = setTimeout(resolve, PREPARE_LIMIT_MS)))]);
    clearTimeout(timer);
    return () => void recorder.release();
  }

  /** Whether `command` may start or resume the recording from the state it would be decided on (so `prepare` is worth it). */
  async mayStart(hearingId: string, command: { type: string }): Promise<boolean> {
    if (!this.#rooms.has(hearingId)) return false;
    const state = await this.#deps.hearings.liveState(hearingId);
    const { status, pauseReason } = state.recording;
    const sitting = state.status === 'in_progress' && state.stage !== 'deliberation';
    switch (command.type) {
      case 'start_recording':
        return sitting && (status === 'off' || status === 'stopped');
      case 'resume_recording':
        return sitting && status === 'paused';
      case 'end_break':
        return state.status === 'break' && status === 'paused' && pauseReason === 'break';
      case 'move_stage':
        return state.stage === 'deliberation' && status === 'paused' && pauseReason === 'deliberation';
      default:
        return false;
    }
  }

  /** Verifies the hearing's recording against its manifest and the chain heads in its log. */
  async verify(hearingId: string): Promise<RecordingVerdict> {
    const { store, root } = this.#deps;
    // The heads first: each was reported after its segment was stored, so the manifest read next holds it.
    const anchors = await this.#deps.chainHeads(hearingId);
    const { tracks, segments } = await store.manifest(hearingId);
    return verifyRecording({ root, tracks, segments: (trackId) => segments.get(trackId) ?? [], anchors });
  }

  /** The hearing's recorder, while this process has one (tests kill its ffmpeg children). */
  recorderOf(hearingId: string): HearingRecorder | undefined {
    return this.#recorders.get(hearingId);
  }

  /** Stops every recorder cleanly (their last segments are closed, hashed and listed) and waits for mixes under way. */
  async close(): Promise<void> {
    this.#unsubscribe();
    await Promise.all([...this.#recorders.values()].map((r) => r.pause()));
    this.#recorders.clear();
    await Promise.all(this.#mixing.values());
    await Promise.all(this.#appends.values());
  }

  /**
   * Deletes recordings whose last segment ended more than RECORDING_RETENTION_DAYS ago (files and
   * manifest; the hearing's log keeps its recording events). Never a hearing being recorded.
   * Returns the hearings swept.
   */
  async sweepRetention(now: number): Promise<string[]> {
    const { retentionDays, store, root, log, database } = this.#deps;
    if (retentionDays <= 0) return [];
    const swept: string[] = [];
    for (const hearingId of await store.hearingsRecordedBefore(now - retentionDays * 86_400_000)) {
      const recording = () => this.#recorders.get(hearingId)?.recording === true;
      // Asked again inside the transaction and before the files go: a recording may start meanwhile.
      const deleted = await database.transaction(async () => {
        if (recording()) return false;
        await store.deleteRecording(hearingId);
        return true;
      });
      if (!deleted || recording()) continue;
      rmSync(path.join(root, hearingId), { recursive: true, force: true });
      log.info({ hearingId, retentionDays }, 'recording deleted after its retention period');
      swept.push(hearingId);
    }
    return swept;
  }

  /** The hearing's hall mix, when one has been made: its file, where it starts on the wall clock, and its time line. */
  hallMix(hearingId: string): { file: string; startedAt: number; spans: RecordedSpan[] } | null {
    const meta = this.#mixMeta(hearingId);
    return meta ? { file: path.join(hearingId, 'hall-mix.webm'), startedAt: meta.startedAt, spans: meta.spans ?? [{ from: meta.startedAt, to: meta.startedAt + meta.durationMs }] } : null;
  }

  /**
   * The hall mix of the whole recording, to file in the case file: the path of its file, how long
   * it lasts and whether it has a picture. Waits for a mix under way; makes it again if the last
   * one does not cover every segment. null: nothing was recorded. Refused while recording runs.
   */
  async finalMix(hearingId: string): Promise<FinalMix | null> {
    const { status } = (await this.#deps.hearings.liveState(hearingId)).recording;
    if (status === 'recording' || status === 'paused') throw new AppError('invalid_transition', 'The recording is still running');
    // Whatever is under way first, then the count; again if another caller began a mix meanwhile.
    // From the last check to #track nothing waits, so two callers never mix at once.
    let segments: number;
    do {
      while (this.#mixing.has(hearingId)) await this.#mixing.get(hearingId);
      segments = await this.#deps.store.segmentCount(hearingId);
    } while (this.#mixing.has(hearingId));
    if (segments === 0) return null;
    if (this.#mixMeta(hearingId)?.segments !== segments) await this.#track(hearingId, this.#composeMix(hearingId));
    const meta = this.#mixMeta(hearingId);
    if (meta?.segments !== segments) throw new AppError('recording_not_ready', 'The hall recording could not be made; the server log says why');
    return { path: path.join(this.#deps.root, hearingId, 'hall-mix.webm'), durationSec: Math.max(1, Math.round(meta.durationMs / 1000)), video: meta.video };
  }

  #mixMeta(hearingId: string): MixMeta | null {
    try {
      return JSON.parse(readFileSync(path.join(this.#deps.root, hearingId, 'hall-mix.json'), 'utf8')) as MixMeta;
    } catch {
      return null;
    }
  }

  async #composeMix(hearingId: string): Promise<void> {
    const { store, root, log } = this.#deps;
    const dir = path.join(root, hearingId);
    const { tracks, segments } = await store.manifest(hearingId);
    const all = [...segments.values()].flat();
    if (all.length === 0) return;
    try {
      mkdirSync(dir, { recursive: true });
      const temp = path.join(dir, 'hall-mix.part.webm');
      // Spans still open (the server stopped mid-recording) end with the last media recorded.
      const endsAt = Math.max(...all.map((s) => s.startedAt + s.durationMs));
      const spans = (await this.#deps.spans(hearingId)).map((span) => ({ from: span.from, to: span.to ?? Math.max(span.from, endsAt) }));
      const result = await composeHallMix({ root, tracks, segments: (id) => segments.get(id) ?? [], spans, output: temp, nice: 10 });
      renameSync(temp, path.join(dir, 'hall-mix.webm'));
      const durationMs = spans.reduce((sum, span) => sum + (span.to - span.from), 0);
      const meta: MixMeta = { startedAt: result.startedAt, spans, durationMs, video: result.video, segments: all.length, composedAt: Date.now(), cpuSeconds: result.cpuSeconds };
      writeFileSync(path.join(dir, 'hall-mix.json'), JSON.stringify(meta));
      log.info({ hearingId, ...result }, 'hall mix composed');
    } catch (error) {
      log.error({ hearingId, err: error }, 'the hall mix could not be composed');
    }
  }

  /** Keeps a mix (and the stop it follows) as the hearing's work under way until it settles. */
  #track(hearingId: string, work: Promise<void>): Promise<void> {
    const settled = work
      .catch((error: unknown) => this.#deps.log.error({ hearingId, err: error }, 'the recording could not be closed and mixed'))
      .finally(() => {
        if (this.#mixing.get(hearingId) === settled) this.#mixing.delete(hearingId);
      });
    this.#mixing.set(hearingId, settled);
    return settled;
  }

  // ---- RecordingReporter: what the recorder saw, into the hearing's log ----

  gapStarted(hearingId: string, gap: Gap): void {
    const { gapId, trackId, sourceId, label, reason, from } = gap;
    this.#append(hearingId, { type: 'recording.gap_started', payload: { gapId, trackId, sourceId, label, reason, from } });
  }

  gapEnded(hearingId: string, gap: Gap): void {
    const { gapId, trackId, sourceId, label, reason, from, to } = gap;
    this.#append(hearingId, { type: 'recording.gap_ended', payload: { gapId, trackId, sourceId, label, reason, from, to: to ?? Date.now() } });
  }

  chainHeads(hearingId: string, heads: ChainHead[]): void {
    this.#append(hearingId, { type: 'recording.chain_heads', payload: { heads } });
  }

  sourcesChanged(hearingId: string, sources: number): void {
    // Only while recording, and only a real change: the state's count is what every screen shows.
    // Asked in the hearing's queue of appends, so the state read is the one after the appends before it.
    this.#append(hearingId, async () => {
      const { recording } = await this.#deps.hearings.liveState(hearingId);
      return recording.status === 'recording' && recording.sources !== sources ? { type: 'recording.sources_changed', payload: { sources } } : null;
    });
  }

  problem(hearingId: string, message: string, details: object): void {
    this.#deps.log.warn({ hearingId, ...details }, message);
  }

  /**
   * Writes what the recorder saw into the hearing's log, in the order it was seen: one queue per
   * hearing, since each write is asynchronous and a gap's end must not overtake its start. A
   * failure is logged, never thrown at the recorder. `body` may be computed when its turn comes
   * (null: nothing to write).
   */
  #append(hearingId: string, body: SystemEventBody | (() => Promise<SystemEventBody | null>)): void {
    const previous = this.#appends.get(hearingId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const event = typeof body === 'function' ? await body() : body;
      if (event) await this.#deps.hearings.appendSystem(hearingId, [event]);
    });
    const settled = next
      .catch((error: unknown) => this.#deps.log.error({ hearingId, err: error, type: typeof body === 'function' ? 'recording.sources_changed' : body.type }, 'a recording event could not be written'))
      .finally(() => {
        if (this.#appends.get(hearingId) === settled) this.#appends.delete(hearingId);
      });
    this.#appends.set(hearingId, settled);
  }

  #follow(events: HearingEvent[]): void {
    for (const event of events) {
      switch (event.type) {
        case 'recording.started':
        case 'recording.resumed':
          // Prepared recorders (`prepare`) let their media through from the committed moment.
          void this.#recorderOf(event.hearingId).start(event.at);
          break;
        case 'recording.paused':
          void this.#recorders.get(event.hearingId)?.pause();
          break;
        case 'recording.stopped': {
          // Once the last segments are in, the hall mix is made again from the whole recording.
          const stopped = this.#recorders.get(event.hearingId)?.pause() ?? Promise.resolve();
          const before = this.#mixing.get(event.hearingId) ?? Promise.resolve();
          void this.#track(
            event.hearingId,
            Promise.all([before, stopped]).then(() => this.#composeMix(event.hearingId)),
          );
          break;
        }
      }
    }
  }

  #recorderOf(hearingId: string): HearingRecorder {
    let recorder = this.#recorders.get(hearingId);
    if (!recorder) {
      const { root, segmentSeconds, headIntervalMs, store, newId } = this.#deps;
      recorder = new HearingRecorder({ hearingId, root, segmentSeconds, headIntervalMs, store, reporter: this, newId });
      this.#recorders.set(hearingId, recorder);
    }
    return recorder;
  }

  async #gapsAfterRestart(hearingId: string, open: { gapId: string; trackId: string; sourceId: string; label: string; reason: Gap['reason']; from: number }[]): Promise<Gap[]> {
    const gaps: Gap[] = open.map((g) => ({ ...g, to: null }));
    for (const track of await this.#deps.store.tracks(hearingId)) {
      if (gaps.some((g) => g.trackId === track.trackId)) continue;
      const last = await this.#deps.store.lastSegment(track.trackId);
      if (!last) continue;
      const gap: Gap = { gapId: this.#deps.newId(), trackId: track.trackId, sourceId: track.sourceId, label: track.label, reason: 'recorder_died', from: last.startedAt + last.durationMs, to: null };
      this.gapStarted(hearingId, gap);
      gaps.push(gap);
    }
    return gaps;
  }
}
