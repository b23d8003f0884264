/**
 * Records one source into one track: a PlainTransport and a paused Consumer on the hearing's
 * router, and an ffmpeg child that copies the RTP it receives into WebM segments of a few seconds.
 *
 * Each segment ffmpeg closes is hashed, chained (segment-chain.ts) and stored as a manifest row,
 * one at a time: the next segment is chained on a row once it is stored (the store is
 * asynchronous; the caller stores the track's own row before `begin`). A write that
 * fails is tried again a few times, the segments after it waiting; one whose answer was lost but
 * which is in the store counts as written.
 * The recorder watches ffmpeg: when it dies it is restarted with a bounded backoff, and when no
 * segment comes for too long while the source is live, that is a gap. A gap is reported when it
 * starts and again when the first segment after it closes (its `to` is that segment's start).
 * After every (re)start the recorder asks the source for a key frame, and for video again at
 * every segment boundary, so that each segment starts with one and plays on its own.
 *
 * Setting up (transport, consumer, ffmpeg listening) takes a few hundred milliseconds, so it is
 * done first (`prepare`) with the consumer paused, before the recording's start is committed;
 * `begin` then only lets the media through (a resume and a key frame request: milliseconds). The
 * wall-clock time of a run's stream time 0 is when mediasoup sent ffmpeg its first packet (a
 * trace event), not when ffmpeg lists a segment. Media that still arrives later than 200 ms after
 * the moment the recording began is logged as a gap (`late_start`): nothing is lost silently.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
  /** When the recording this recorder belongs to began (wall clock): later media than that is a `late_start` gap. */
  recordingFrom?: number | null;
  onSegment?: (segment: SegmentRecord) => void;
  newId: () => string;
  ffmpegPath?: string;
};

const POLL_MS = 250;
/** Media that starts later than this after the recording began is logged as a gap. */
export const LATE_START_TOLERANCE_MS = 200;
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];
/** A segment's row that could not be written is tried again after these pauses (the segments after it wait). */
const STORE_RETRY_MS = [250, 1000, 4000];

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
  /** The ffmpeg run already asked to finish (a second SIGINT would make it abort). */
  #interrupted: ChildProcess | null = null;
  /** Media is let through (`begin`); before that the consumer stays paused. */
  #begun = false;
  /** When the recording began, until the first segment has been checked against it. */
  #recordingFrom: number | null;
  /** Wall-clock time mediasoup sent the current ffmpeg run its first packet. */
  #firstPacketAt: number | null = null;
  #processing: Promise<void> = Promise.resolve();
  /** A segment's row is being written: a slow database is no stalled ffmpeg (`#tick`). */
  #storing = false;
  #poll: NodeJS.Timeout | null = null;
  #keyFrames: NodeJS.Timeout | null = null;
  #restartTimer: NodeJS.Timeout | null = null;
  #stderrTail = '';

  private constructor(options: SourceRecorderOptions) {
    this.#o = options;
    this.#dir = path.join(options.root, options.track.dir);
    this.#gap = options.openGap ?? null;
    this.#recordingFrom = options.recordingFrom ?? null;
  }

  /** Sets up and lets the media through at once (a source that arrives while recording). */
  static async start(options: SourceRecorderOptions): Promise<SourceRecorder> {
    const recorder = await SourceRecorder.prepare(options);
    await recorder.begin(options.recordingFrom ?? Date.now());
    return recorder;
  }

  /** Sets up everything, ffmpeg listening, with the consumer paused: nothing is recorded until `begin`. */
  static async prepare(options: SourceRecorderOptions): Promise<SourceRecorder> {
    const recorder = new SourceRecorder(options);
    // Where the track's chain stands (a source that is back continues it), before anything is opened.
    recorder.#last = await options.store.lastSegment(options.track.trackId);
    await recorder.#setUp();
    return recorder;
  }

  /**
   * Lets the media through: from `recordingFrom` on (the moment the recording began, as logged)
   * this track is expected to hold media. The track's row must be stored by then.
   */
  async begin(recordingFrom: number): Promise<void> {
    if (this.#begun || this.#stopping) return;
    this.#begun = true;
    this.#recordingFrom = recordingFrom;
    this.#lastProgressAt = Date.now();
    await this.#letThrough();
  }

  get trackId(): string {
    return this.#o.track.trackId;
  }

  get track(): TrackInfo {
    return this.#o.track;
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

  /** The last segment stored for this track (by this recorder, or before it began): where its chain stands. */
  get lastSegment(): SegmentRecord | undefined {
    return this.#last;
  }

  /** The ffmpeg child's pid (tests kill it; the benchmark reads its CPU time). */
  get ffmpegPid(): number | undefined {
    return this.#proc?.pid;
  }

  /** A gap left open by the source's previous recorder: this one closes it with its first segment. */
  carryGap(gap: Gap | null): void {
    if (gap && !this.#gap) this.#gap = gap;
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
    this.#consumer.on('trace', (trace) => {
      if (trace.type !== 'rtp' || this.#firstPacketAt !== null) return;
      this.#firstPacketAt = Date.now();
      void this.#consumer.enableTraceEvent([]).catch(() => {});
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
    this.#firstPacketAt = null;
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
    if (this.#begun) await this.#letThrough();
  }

  /** The consumer resumed (mediasoup then holds video back until a key frame), the first packet traced, a key frame asked for. */
  async #letThrough(): Promise<void> {
    if (this.#consumer.closed) return;
    this.#firstPacketAt = null;
    await this.#consumer.enableTraceEvent(['rtp']);
    if (this.#consumer.paused) await this.#consumer.resume();
    await this.#requestKeyFrame();
  }

  /**
   * Ends the recording of media at once (the recording paused or stopped): ffmpeg is told to
   * finish now, keeping what it has received; `stop` then waits for it and takes the last segment
   * in. (Pausing the consumer instead would leave ffmpeg waiting for packets that never come, and
   * its last segment unwritten.)
   */
  halt(): void {
    this.#stopping = true;
    this.#interrupt();
  }

  /**
   * Once its output is open, ffmpeg takes a SIGINT only between packets, and none come when the
   * source has gone (a second SIGINT would abort the last segment unwritten). So the stream is also
   * ended the way RTP ends one: an RTCP BYE for its SSRC, after which ffmpeg closes its last
   * segment, lists it and exits.
   */
  #interrupt(): void {
    const proc = this.#proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null || this.#interrupted === proc) return;
    this.#interrupted = proc;
    proc.kill('SIGINT');
    const ssrc = this.#consumer.rtpParameters.encodings?.[0]?.ssrc;
    if (ssrc !== undefined) sendRtcpBye(this.#port, ssrc);
  }

  #onExit(proc: ChildProcess, list: SegmentListReader, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#proc === proc) this.#proc = null;
    // Segments ffmpeg closed before it died are still good: take them in first.
    if (this.#begun) this.#enqueue(list);
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
    if (this.#list && this.#begun) this.#enqueue(this.#list);
    const stallMs = this.#o.segmentSeconds * 2000 + 3000;
    const live = this.#begun && !this.#consumer.producerPaused && !this.#consumer.closed;
    if (live && this.#proc && !this.#storing && Date.now() - this.#lastProgressAt > stallMs) {
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
    // ffmpeg lists an empty last segment when it is stopped just as one begins: nothing to keep.
    if (end <= start) return;
    const seenAt = Date.now();
    // Stream time 0 is ffmpeg's first packet; without its trace, the line (written once the
    // segment's end has been received) bounds the run's start.
    this.#anchor ??= this.#firstPacketAt ?? Math.min(seenAt - Math.round(end * 1000), seenAt);
    const startedAt = this.#anchor + Math.round(start * 1000);
    const durationMs = Math.max(0, Math.round((end - start) * 1000));
    const name = path.basename(file);
    const { sha256, bytes } = await hashFile(path.join(this.#dir, name));
    const seq = this.#last ? this.#last.seq + 1 : 0;
    const previous = this.#last ? this.#last.chain : genesis(this.trackId);
    const chain = nextChain(previous, sha256, { trackId: this.trackId, seq, bytes, startedAt, durationMs });
    const segment: SegmentRecord = { trackId: this.trackId, seq, file: name, bytes, sha256, chain, startedAt, durationMs };
    // Stored before anything is chained on it: the next segment waits in `#processing` meanwhile.
    this.#storing = true;
    try {
      await this.#store(segment);
    } finally {
      this.#storing = false;
    }
    this.#last = segment;
    // A write that took long held the segments after it back, not ffmpeg: progress counts from its end.
    this.#lastProgressAt = Date.now();
    this.#failures = 0;
    this.#checkLateStart(startedAt);
    if (this.#gap) {
      const gap = { ...this.#gap, to: Math.max(this.#gap.from, startedAt) };
      this.#gap = null;
      this.#o.reporter.gapEnded(this.#o.hearingId, gap);
    }
    this.#o.onSegment?.(segment);
  }

  /** Writes the segment's row; tried again when that fails, unless the row turns out to be in. Rejects when it never could be. */
  async #store(segment: SegmentRecord): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#o.store.addSegment(segment);
        return;
      } catch (error) {
        // Written, with its answer lost (the connection dropped at the commit): writing it again would only be refused.
        const stored = await this.#o.store.lastSegment(segment.trackId).catch(() => undefined);
        if (stored?.seq === segment.seq && stored.chain === segment.chain) return;
        if (attempt >= STORE_RETRY_MS.length) throw error;
        this.#o.reporter.problem(this.#o.hearingId, 'a segment could not be stored; trying again', { trackId: this.trackId, seq: segment.seq, error: String(error) });
        await sleep(STORE_RETRY_MS[attempt]);
      }
    }
  }

  /** The first segment after the recording began: media missing from its start is a gap, logged now. */
  #checkLateStart(startedAt: number): void {
    const from = this.#recordingFrom;
    if (from === null) return;
    this.#recordingFrom = null;
    if (this.#gap || startedAt - from <= LATE_START_TOLERANCE_MS) return;
    const { track } = this.#o;
    const gap: Gap = { gapId: this.#o.newId(), trackId: track.trackId, sourceId: track.sourceId, label: track.label, reason: 'late_start', from, to: startedAt };
    this.#o.reporter.gapStarted(this.#o.hearingId, gap);
    this.#o.reporter.gapEnded(this.#o.hearingId, gap);
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
      this.#interrupt();
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    // A recorder prepared for a start that never came has recorded nothing.
    if (this.#list && this.#begun) this.#enqueue(this.#list);
    await this.#processing;
    this.#transport.close();
    return this.#gap;
  }
}

/** An RTCP compound packet (an empty receiver report, then a BYE for `ssrc`) to ffmpeg's port: the stream has ended. */
function sendRtcpBye(port: number, ssrc: number): void {
  const packet = Buffer.alloc(16);
  packet.writeUInt8(0x80, 0); // version 2, no report blocks
  packet.writeUInt8(201, 1); // RR
  packet.writeUInt16BE(1, 2); // length in 32-bit words, minus one
  packet.writeUInt32BE(1, 4); // the reporter's own SSRC (none here)
  packet.writeUInt8(0x81, 8); // version 2, one SSRC
  packet.writeUInt8(203, 9); // BYE
  packet.writeUInt16BE(1, 10);
  packet.writeUInt32BE(ssrc >>> 0, 12);
  const socket = dgram.createSocket('udp4');
  socket.send(packet, port, RECORDER_IP, () => socket.close());
}
