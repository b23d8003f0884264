/**
 * Records one source into one track: a PlainTransport and a paused Consumer on the hearing's
 * router, and an ffmpeg child that copies the RTP it receives into WebM segments of a few seconds.
 *
 * Each segment ffmpeg closes is hashed, chained (segment-chain.ts) and stored as a manifest row.
 * The recorder watches ffmpeg: when it dies it is restarted with a bounded backoff, and when no
 * segment comes for too long while the source is live, that is a gap. A gap is reported when it
 * starts and again when the first segment after it closes (its `to` is that segment's start).
 * After every (re)start the recorder asks the source for a key frame, and for video again at
 * every segment boundary, so that each segment starts with one and plays on its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { types } from 'mediasoup';
import { consumerSdp, copyRecorderArgs, RECORDER_IP } from './ffmpeg-args.ts';
import type { Gap, GapReason, RecordingReporter, RecordingStore, SegmentRecord, TrackInfo } from './recording-ports.ts';
import type { RecordingSource } from './recording-sources.ts';
import { genesis, hashFile, nextChain } from './segment-chain.ts';
import { SegmentListReader } from './segment-list.ts';
import { freeRecorderPort, waitUntilBound } from './udp-port.ts';

export type SourceRecorderOptions = {
  hearingId: string;
  router: types.Router;
  source: RecordingSource;
  track: TrackInfo;
  /** The recordings root; the track's segments go to `<root>/<track.dir>`. */
  root: string;
  segmentSeconds: number;
  store: RecordingStore;
  reporter: RecordingReporter;
  /** A gap already open for this track (the source was lost and is back): closed by the first segment. */
  openGap?: Gap | null;
  onSegment?: (segment: SegmentRecord) => void;
  newId: () => string;
  ffmpegPath?: string;
};

const POLL_MS = 250;
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

export class SourceRecorder {
  #o: SourceRecorderOptions;
  #transport!: types.PlainTransport;
  #consumer!: types.Consumer;
  #port = 0;
  #dir: string;
  #proc: ChildProcess | null = null;
  #run = 0;
  #list: SegmentListReader | null = null;
  /** Wall-clock time of stream time 0 of the current ffmpeg run, from its first listed segment. */
  #anchor: number | null = null;
  #runStartedAt = 0;
  #last: SegmentRecord | undefined;
  #gap: Gap | null;
  #lastProgressAt = Date.now();
  #failures = 0;
  #stopping = false;
  #processing: Promise<void> = Promise.resolve();
  #poll: NodeJS.Timeout | null = null;
  #keyFrames: NodeJS.Timeout | null = null;
  #restartTimer: NodeJS.Timeout | null = null;
  #stderrTail = '';

  private constructor(options: SourceRecorderOptions) {
    this.#o = options;
    this.#dir = path.join(options.root, options.track.dir);
    this.#gap = options.openGap ?? null;
    this.#last = options.store.lastSegment(options.track.trackId);
  }

  static async start(options: SourceRecorderOptions): Promise<SourceRecorder> {
    const recorder = new SourceRecorder(options);
    await recorder.#setUp();
    return recorder;
  }

  get trackId(): string {
    return this.#o.track.trackId;
  }

  get sourceId(): string {
    return this.#o.source.sourceId;
  }

  get producerId(): string {
    return this.#o.source.producerId;
  }

  /** The last closed segment's place in the chain, for the chain heads written to the event log. */
  head(): { trackId: string; seq: number; chain: string } | null {
    return this.#last ? { trackId: this.trackId, seq: this.#last.seq, chain: this.#last.chain } : null;
  }

  /** The ffmpeg child's pid (tests kill it; the benchmark reads its CPU time). */
  get ffmpegPid(): number | undefined {
    return this.#proc?.pid;
  }

  get openGap(): Gap | null {
    return this.#gap;
  }

  async #setUp(): Promise<void> {
    const { router, source } = this.#o;
    mkdirSync(this.#dir, { recursive: true });
    this.#port = await freeRecorderPort();
    this.#transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: RECORDER_IP }, rtcpMux: true, comedia: false });
    await this.#transport.connect({ ip: RECORDER_IP, port: this.#port });
    // Without rtx: ffmpeg sends no NACKs, so retransmissions would only confuse its depacketiser.
    const rtpCapabilities = { ...router.rtpCapabilities, codecs: (router.rtpCapabilities.codecs ?? []).filter((c) => !c.mimeType.endsWith('/rtx')) };
    this.#consumer = await this.#transport.consume({ producerId: source.producerId, rtpCapabilities, paused: true });
    this.#consumer.on('producerresume', () => {
      this.#lastProgressAt = Date.now();
      void this.#requestKeyFrame();
    });
    this.#consumer.on('producerpause', () => {
      this.#lastProgressAt = Date.now();
    });
    writeFileSync(path.join(this.#dir, 'stream.sdp'), consumerSdp(this.#consumer.rtpParameters, source.kind, this.#port));
    await this.#startFfmpeg();
    this.#poll = setInterval(() => this.#tick(), POLL_MS);
    if (source.kind === 'video') {
      this.#keyFrames = setInterval(() => void this.#requestKeyFrame(), this.#o.segmentSeconds * 1000);
    }
  }

  async #startFfmpeg(): Promise<void> {
    if (this.#stopping) return;
    this.#run++;
    const runTag = `${Date.now().toString(36)}-${this.#run}`;
    const listFile = path.join(this.#dir, `${runTag}.csv`);
    this.#list = new SegmentListReader(listFile);
    this.#anchor = null;
    this.#runStartedAt = Date.now();
    this.#lastProgressAt = Date.now();
    const args = copyRecorderArgs({ sdpFile: path.join(this.#dir, 'stream.sdp'), dir: this.#dir, listFile, runTag, segmentSeconds: this.#o.segmentSeconds });
    const proc = spawn(this.#o.ffmpegPath ?? 'ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#proc = proc;
    this.#stderrTail = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    const list = this.#list;
    proc.once('exit', (code, signal) => this.#onExit(proc, list, code, signal));
    proc.once('error', (error) => this.#o.reporter.problem(this.#o.hearingId, 'ffmpeg could not start', { trackId: this.trackId, error: String(error) }));
    const bound = await waitUntilBound(this.#port, 5000, () => proc.exitCode === null && proc.signalCode === null);
    if (!bound || this.#stopping) return;
    if (this.#consumer.paused) await this.#consumer.resume();
    await this.#requestKeyFrame();
  }

  #onExit(proc: ChildProcess, list: SegmentListReader, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#proc === proc) this.#proc = null;
    // Segments ffmpeg closed before it died are still good: take them in first.
    this.#enqueue(list);
    if (this.#stopping) return;
    this.#failures++;
    this.#o.reporter.problem(this.#o.hearingId, 'ffmpeg recorder exited', { trackId: this.trackId, code, signal, stderr: this.#stderrTail });
    this.#processing = this.#processing.then(() => this.#openGapIfNone('recorder_died'));
    const delay = BACKOFF_MS[Math.min(this.#failures - 1, BACKOFF_MS.length - 1)];
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      this.#startFfmpeg().catch((error) => this.#o.reporter.problem(this.#o.hearingId, 'ffmpeg restart failed', { trackId: this.trackId, error: String(error) }));
    }, delay);
  }

  #tick(): void {
    if (this.#list) this.#enqueue(this.#list);
    const stallMs = this.#o.segmentSeconds * 2000 + 3000;
    const live = !this.#consumer.producerPaused && !this.#consumer.closed;
    if (live && this.#proc && Date.now() - this.#lastProgressAt > stallMs) {
      // Nothing closed for two segments and more: the source sends nothing, or ffmpeg is stuck.
      // Mark the gap and start ffmpeg afresh (its exit handler restarts it).
      this.#lastProgressAt = Date.now();
      this.#processing = this.#processing.then(() => this.#openGapIfNone('no_media'));
      this.#proc.kill('SIGKILL');
    }
  }

  #enqueue(list: SegmentListReader): void {
    this.#processing = this.#processing
      .then(async () => {
        for (const listed of await list.readNew()) await this.#take(listed.file, listed.start, listed.end);
      })
      .catch((error) => this.#o.reporter.problem(this.#o.hearingId, 'a segment could not be taken in', { trackId: this.trackId, error: String(error) }));
  }

  async #take(file: string, start: number, end: number): Promise<void> {
    const seenAt = Date.now();
    // The line appears once the segment's end has been received: that bounds the run's start.
    this.#anchor ??= Math.min(seenAt - Math.round(end * 1000), seenAt);
    const startedAt = this.#anchor + Math.round(start * 1000);
    const durationMs = Math.max(0, Math.round((end - start) * 1000));
    const name = path.basename(file);
    const { sha256, bytes } = await hashFile(path.join(this.#dir, name));
    const seq = this.#last ? this.#last.seq + 1 : 0;
    const previous = this.#last ? this.#last.chain : genesis(this.trackId);
    const chain = nextChain(previous, sha256, { trackId: this.trackId, seq, bytes, startedAt, durationMs });
    const segment: SegmentRecord = { trackId: this.trackId, seq, file: name, bytes, sha256, chain, startedAt, durationMs };
    this.#o.store.addSegment(segment);
    this.#last = segment;
    this.#lastProgressAt = seenAt;
    this.#failures = 0;
    if (this.#gap) {
      const gap = { ...this.#gap, to: Math.max(this.#gap.from, startedAt) };
      this.#gap = null;
      this.#o.reporter.gapEnded(this.#o.hearingId, gap);
    }
    this.#o.onSegment?.(segment);
  }

  #openGapIfNone(reason: GapReason): void {
    if (this.#gap) return;
    const lastEnd = this.#last ? this.#last.startedAt + this.#last.durationMs : 0;
    const from = Math.max(lastEnd, this.#runStartedAt);
    const { track } = this.#o;
    this.#gap = { gapId: this.#o.newId(), trackId: track.trackId, sourceId: track.sourceId, label: track.label, reason, from: Math.min(from, Date.now()), to: null };
    this.#o.reporter.gapStarted(this.#o.hearingId, this.#gap);
  }

  async #requestKeyFrame(): Promise<void> {
    if (this.#o.source.kind !== 'video' || this.#consumer.closed || this.#consumer.paused) return;
    try {
      await this.#consumer.requestKeyFrame();
    } catch {
      // The consumer closed meanwhile; nothing to ask.
    }
  }

  /**
   * Stops recording: ffmpeg is asked to finish (it closes and lists its last segment), the
   * segments still to hash are taken in, and the transport is closed. Returns the gap that was
   * still open, if any, for the caller to close or carry over.
   */
  async stop(): Promise<Gap | null> {
    this.#stopping = true;
    if (this.#poll) clearInterval(this.#poll);
    if (this.#keyFrames) clearInterval(this.#keyFrames);
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    const proc = this.#proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGINT');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (this.#list) this.#enqueue(this.#list);
    await this.#processing;
    this.#transport.close();
    return this.#gap;
  }
}
