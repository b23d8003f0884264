/**
 * The browser side of a hearing's media, for a workstation, the hall station and a remote
 * participant alike: loads a mediasoup-client Device for the hearing's router, publishes the local
 * microphone and camera (camera as three simulcast layers), and consumes whatever the server lists in
 * `media:sources` — the server decides what this connection may receive, this class only follows.
 *
 * Network reality (docs/media.md): when a transport's connection drops it restarts ICE (new
 * credentials from the server, same transports); if that does not bring it back, or the socket
 * itself reconnected (the server dropped the peer with the old connection), or the server lost the
 * room with its worker (`media:reset`), it joins again from scratch with the same local tracks.
 * Audio only: chosen by the user, or automatic when the estimated bandwidth stays below the
 * server's threshold — the camera is paused and incoming video is paused on the server.
 *
 * No Svelte here: `onChange` is called after every change; managers mirror it into runes.
 */
import { Device, type types } from 'mediasoup-client';
import type { Socket } from 'socket.io-client';
import type { Ack } from '$server/shared/socket/ack.ts';
import type { MediaAnswers, MediaClientEvents, MediaCommandName, MediaDevice, MediaServerEvents, MediaSource, MediaYou, ParticipantLink, PeerStanding } from '$server/shared/socket/media.ts';
import type { MediaPayloads } from '$server/shared/socket/media-schemas.ts';

export type { MediaDevice, MediaSource, ParticipantLink };

/**
 * What the page says about its own media. `lobby` and `live` are shown only once media really
 * flows (a transport's ICE and DTLS are connected); until then `connecting`, and `unreachable`
 * when nothing has connected within UNREACHABLE_AFTER_MS (the server's media addresses or ports
 * cannot be reached from this browser: docs/media.md says what to check). It keeps trying.
 */
export type MediaPhase = 'connecting' | 'lobby' | 'live' | 'reconnecting' | 'unreachable' | 'closed' | 'unavailable' | 'failed';

/** What a component draws: one source and, once consumed, its track. */
export type RemoteMedia = { source: MediaSource; consumerId: string; track: MediaStreamTrack };

/** The socket as far as media goes: either namespace's socket (both contracts include the media events). */
export type MediaSocket = Socket<MediaServerEvents, MediaClientEvents>;

type Joined = MediaAnswers['media:join'];

/**
 * The socket as one command sender: socket.io's types cannot follow a command name that is a type
 * parameter, so each command is typed by the contract at `#request`'s signature instead.
 */
type CommandSender = { emitWithAck(event: MediaCommandName, payload: unknown): Promise<Ack<unknown>> };

export class MediaError extends Error {
  readonly code: string;
  /** With `media_elsewhere`: `{ node }`, the node holding the hearing's media. */
  readonly details: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** A dropped connection gets this long to come back by itself before ICE is restarted. */
const DISCONNECTED_GRACE_MS = 2000;
/** An ICE restart that has not reconnected by then gives way to a full rejoin. */
const ICE_RESTART_TIMEOUT_MS = 8000;
const BANDWIDTH_POLL_MS = 4000;
/** A first connection that has not come up by then is reported as unreachable (ICE gives up at about 30 s). */
const UNREACHABLE_AFTER_MS = 10_000;

const SIMULCAST: RTCRtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 120_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 350_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 900_000 },
];

export class MediaSession {
  readonly hearingId: string;
  /** Set: this session is in that private consultation's room, not the hall (on a connection of its own). */
  #consultationId: string | null;
  #socket: MediaSocket;
  #local: MediaStream | null = null;
  #openLocal: () => Promise<MediaStream | null>;
  #devices: { audio: MediaDevice; video: MediaDevice };
  #onChange: () => void;

  #phase: MediaPhase = 'connecting';
  #standing: PeerStanding | null = null;
  #mutedByCourt = false;
  /** The person is in a private consultation: the server holds this (hall) microphone paused meanwhile. */
  #inConsultation = false;
  #micOff = false;
  #audioOnly: { chosen: boolean; automatic: boolean } = { chosen: false, automatic: false };
  #error: string | null = null;
  /** Remote participants' links as the server reports them (the court: everyone's; a participant: their own). */
  #links: ParticipantLink[] = [];

  #device: Device | null = null;
  #joined: Joined | null = null;
  #send: types.Transport | null = null;
  #recv: types.Transport | null = null;
  #producers = new Map<'audio' | 'video', types.Producer>();
  #consumers = new Map<string, { consumer: types.Consumer; source: MediaSource }>();
  #sources: MediaSource[] = [];
  #generation = 0;
  #stopped = false;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #poll: ReturnType<typeof setInterval> | undefined;
  #lowBandwidthPolls = 0;
  #everConnected = false;
  /** Our own devices are published (or there are none): before that, "nothing to carry" is not known. */
  #published = false;
  /** An appointed interpreter speaks into their channel (a second audio source, `interpretation`), heard only by whom it is for. */
  #channelOn = false;
  #channel: types.Producer | null = null;

  /**
   * `openLocal` is asked for the camera and microphone once the server has let this connection into
   * the media (so a browser never asks for them when there is no media to join).
   */
  constructor(options: {
    socket: MediaSocket;
    hearingId: string;
    consultationId?: string | null;
    openLocal: () => Promise<MediaStream | null>;
    devices: { audio: MediaDevice; video: MediaDevice };
    onChange: () => void;
  }) {
    this.hearingId = options.hearingId;
    this.#consultationId = options.consultationId ?? null;
    this.#socket = options.socket;
    this.#openLocal = options.openLocal;
    this.#devices = options.devices;
    this.#onChange = options.onChange;
    this.#socket.on('media:sources', this.#onSources);
    this.#socket.on('media:you', this.#onYou);
    this.#socket.on('media:consumer-closed', this.#onConsumerClosed);
    this.#socket.on('media:reset', this.#onReset);
    this.#socket.on('media:links', this.#onLinks);
    this.#socket.on('connect', this.#onReconnect);
    this.#socket.on('disconnect', this.#onSocketDown);
  }

  get phase(): MediaPhase {
    return this.#phase;
  }
  get standing(): PeerStanding | null {
    return this.#standing;
  }
  get mutedByCourt(): boolean {
    return this.#mutedByCourt;
  }
  get inConsultation(): boolean {
    return this.#inConsultation;
  }
  get micOff(): boolean {
    return this.#micOff;
  }
  get audioOnly(): boolean {
    return this.#audioOnly.chosen || this.#audioOnly.automatic;
  }
  get audioOnlyAutomatic(): boolean {
    return this.#audioOnly.automatic && !this.#audioOnly.chosen;
  }
  get error(): string | null {
    return this.#error;
  }
  get links(): ParticipantLink[] {
    return this.#links;
  }
  /** Speaking into the interpretation channel now (docs/media.md, "The interpreter's channel"). */
  get channelOn(): boolean {
    return this.#channelOn;
  }

  /**
   * An appointed interpreter starts or stops speaking into their channel: the microphone is sent a
   * second time as the `interpretation` source (the server refuses it to anyone not appointed). The
   * hall microphone is paused meanwhile, so the hall does not hear the whispered interpretation.
   */
  async setChannel(on: boolean): Promise<void> {
    if (this.#channelOn === on) return;
    this.#channelOn = on;
    this.setMicOff(on);
    if (on) await this.#publishChannel();
    else {
      this.#channel?.close();
      this.#channel = null;
    }
    this.#onChange();
  }

  /** What is received now, newest sources last. */
  get remote(): RemoteMedia[] {
    return [...this.#consumers.values()].map(({ consumer, source }) => ({ source, consumerId: consumer.id, track: consumer.track }));
  }

  async start(): Promise<void> {
    const generation = ++this.#generation;
    this.#setPhase(this.#joined ? 'reconnecting' : 'connecting');
    try {
      const joined = await this.#request('media:join', this.#consultationId ? { consultationId: this.#consultationId } : {});
      if (generation !== this.#generation) return;
      this.#joined = joined;
      this.#standing = joined.standing;
      const device = new Device();
      await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities });
      this.#device = device;
      await this.#request('media:capabilities', { rtpCapabilities: device.rtpCapabilities });
      this.#local ??= await this.#openLocal();
      if (generation !== this.#generation) return;
      this.#send = await this.#makeTransport('send');
      await this.#publish();
      this.#published = true;
      if (joined.standing === 'live') this.#recv = await this.#makeTransport('recv');
      if (generation !== this.#generation) return;
      this.#showStanding();
      this.#watchFirstConnection(generation);
      this.#startBandwidthWatch();
      await this.#syncConsumers();
    } catch (error) {
      if (generation !== this.#generation || this.#stopped) return;
      const code = error instanceof MediaError ? error.code : 'internal';
      this.#error = code;
      // Not admitted (any more), media off, or the hearing is over: nothing to retry.
      if (['unavailable', 'not_admitted', 'forbidden', 'unauthenticated'].includes(code)) this.#setPhase(code === 'unavailable' ? 'unavailable' : 'failed');
      else if (code === 'media_elsewhere') {
        // Another node holds the hearing's media (or held it, and its lease is running out): sent
        // there, the page joins again once connected (#onReconnect); else it asks again in a second.
        if (!this.#routeToNode((error as MediaError).details)) this.#later(() => void this.#rejoin(), 1000);
      } else this.#later(() => void this.#rejoin(), 2000);
    }
  }

  setMicOff(off: boolean): void {
    this.#micOff = off;
    const producer = this.#producers.get('audio');
    if (producer) void this.#pauseProducer(producer, off || this.#mutedByCourt || this.#inConsultation);
    this.#onChange();
  }

  /** The user's choice; automatic audio-only still applies while bandwidth is poor. */
  setAudioOnly(on: boolean): void {
    this.#audioOnly.chosen = on;
    void this.#applyAudioOnly();
  }

  stop(): void {
    this.#stopped = true;
    this.#generation++;
    for (const timer of this.#timers) clearTimeout(timer);
    clearInterval(this.#poll);
    this.#socket.off('media:sources', this.#onSources);
    this.#socket.off('media:you', this.#onYou);
    this.#socket.off('media:consumer-closed', this.#onConsumerClosed);
    this.#socket.off('media:reset', this.#onReset);
    this.#socket.off('media:links', this.#onLinks);
    this.#socket.off('connect', this.#onReconnect);
    this.#socket.off('disconnect', this.#onSocketDown);
    if (this.#socket.connected) void this.#request('media:leave', {}).catch(() => {});
    this.#teardown();
    this.#setPhase('closed');
  }

  // ---- transports -------------------------------------------------------------------------------

  async #makeTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const params = await this.#request('media:create-transport', {});
    const options = { ...params, iceServers: this.#joined?.iceServers ?? [] };
    const transport = direction === 'send' ? this.#device!.createSendTransport(options) : this.#device!.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      this.#request('media:connect-transport', { transportId: transport.id, dtlsParameters }).then(() => done(), fail);
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
        const label = appData.label === 'interpretation' ? 'interpretation' : this.#devices[kind];
        this.#request('media:produce', { transportId: transport.id, kind, rtpParameters, label }).then(({ producerId }) => done({ id: producerId }), fail);
      });
    }
    transport.on('connectionstatechange', (state) => this.#onTransportState(transport, state));
    return transport;
  }

  #onTransportState(transport: types.Transport, state: RTCPeerConnectionState): void {
    if (this.#stopped || (transport !== this.#send && transport !== this.#recv)) return;
    if (state === 'connected') {
      this.#everConnected = true;
      this.#showStanding();
      return;
    }
    // Never connected yet: still unreachable, not "reconnecting".
    const trouble: MediaPhase = this.#phase === 'unreachable' ? 'unreachable' : 'reconnecting';
    if (state === 'disconnected') {
      this.#setPhase(trouble);
      this.#later(() => {
        if (transport.connectionState === 'disconnected') void this.#restartIce(transport);
      }, DISCONNECTED_GRACE_MS);
    } else if (state === 'failed') {
      this.#setPhase(trouble);
      void this.#restartIce(transport);
    }
  }

  /** New ICE credentials for the same transport (a new network path); a full rejoin if that fails. */
  async #restartIce(transport: types.Transport): Promise<void> {
    if (!this.#socket.connected) return; // The socket's own reconnection will rejoin.
    try {
      const { iceParameters } = await this.#request('media:restart-ice', { transportId: transport.id });
      await transport.restartIce({ iceParameters });
      this.#later(() => {
        if (!transport.closed && transport.connectionState !== 'connected') void this.#rejoin();
      }, ICE_RESTART_TIMEOUT_MS);
    } catch {
      void this.#rejoin();
    }
  }

  async #rejoin(): Promise<void> {
    if (this.#stopped) return;
    this.#teardown();
    if (this.#phase !== 'unreachable') this.#setPhase('reconnecting');
    if (this.#socket.connected) await this.start();
  }

  /** Closes everything local (the server side goes with the peer on rejoin or disconnect). */
  #teardown(): void {
    for (const { consumer } of this.#consumers.values()) consumer.close();
    this.#consumers.clear();
    this.#closedEarly.clear();
    for (const producer of this.#producers.values()) producer.close();
    this.#producers.clear();
    this.#channel?.close();
    this.#channel = null;
    this.#send?.close();
    this.#recv?.close();
    this.#send = null;
    this.#recv = null;
    this.#device = null;
    this.#published = false;
  }

  // ---- publishing -------------------------------------------------------------------------------

  async #publish(): Promise<void> {
    const audio = this.#local?.getAudioTracks()[0];
    const video = this.#local?.getVideoTracks()[0];
    if (audio && this.#send) {
      const producer = await this.#send.produce({ track: audio, stopTracks: false, appData: { label: this.#devices.audio } });
      this.#producers.set('audio', producer);
      if (this.#micOff) await this.#pauseProducer(producer, true);
    }
    if (video && this.#send) {
      const producer = await this.#send.produce({ track: video, stopTracks: false, encodings: SIMULCAST, codecOptions: { videoGoogleStartBitrate: 600 }, appData: { label: this.#devices.video } });
      this.#producers.set('video', producer);
      if (this.audioOnly) await this.#pauseProducer(producer, true);
    }
    if (this.#channelOn) await this.#publishChannel();
  }

  /** The interpretation channel: the microphone's sound once more, labelled so the server routes it to its listener only. */
  async #publishChannel(): Promise<void> {
    const audio = this.#local?.getAudioTracks()[0];
    if (!audio || !this.#send || this.#channel) return;
    // A clone of its own: pausing the hall microphone disables the microphone's track, never the channel's.
    const track = audio.clone();
    track.enabled = true;
    try {
      this.#channel = await this.#send.produce({ track, stopTracks: true, disableTrackOnPause: false, appData: { label: 'interpretation' } });
    } catch (error) {
      // Not (or no longer) appointed: the channel stays off, the hall microphone comes back.
      this.#channelOn = false;
      this.#error = error instanceof MediaError ? error.code : 'internal';
      this.setMicOff(false);
    }
  }

  async #pauseProducer(producer: types.Producer, paused: boolean): Promise<void> {
    if (paused) producer.pause();
    else producer.resume();
    await this.#request('media:pause-producer', { producerId: producer.id, paused }).catch(() => {});
  }

  // ---- receiving --------------------------------------------------------------------------------

  #onSources: MediaServerEvents['media:sources'] = (message) => {
    if (message.hearingId !== this.hearingId) return;
    this.#sources = message.sources;
    void this.#syncConsumers();
  };

  #onYou = (you: MediaYou | null): void => {
    if (!you || you.hearingId !== this.hearingId) return;
    const admitted = you.standing === 'live' && this.#standing !== 'live';
    this.#standing = you.standing;
    if (this.#mutedByCourt !== you.mutedByCourt) {
      this.#mutedByCourt = you.mutedByCourt;
      // The server has paused (or resumed) the microphone already; keep the local sender in step.
      const producer = this.#producers.get('audio');
      if (producer) {
        if (you.mutedByCourt) producer.pause();
        else if (!this.#micOff && !this.#inConsultation) void this.#pauseProducer(producer, false);
      }
    }
    if (this.#inConsultation !== (you.inConsultation ?? false)) {
      this.#inConsultation = you.inConsultation ?? false;
      // As for the court's muting: the server holds the microphone already; the local sender follows.
      const producer = this.#producers.get('audio');
      if (producer) {
        if (this.#inConsultation) producer.pause();
        else if (!this.#micOff && !this.#mutedByCourt) void this.#pauseProducer(producer, false);
      }
    }
    if (this.#phase === 'lobby' || this.#phase === 'live') this.#showStanding();
    // Admitted (again): receive what is listed. The list may have come while still in the lobby.
    if (admitted && this.#device) {
      if (this.#recv && !this.#recv.closed) void this.#syncConsumers();
      else {
        void this.#makeTransport('recv').then((t) => {
          this.#recv = t;
          return this.#syncConsumers();
        });
      }
    }
    this.#onChange();
  };

  #onConsumerClosed: MediaServerEvents['media:consumer-closed'] = (message) => {
    let found = false;
    for (const [producerId, entry] of this.#consumers) {
      if (entry.consumer.id !== message.consumerId) continue;
      entry.consumer.close();
      this.#consumers.delete(producerId);
      found = true;
    }
    // Closed by the server before this page finished making it: never shown when it arrives.
    if (!found) this.#closedEarly.add(message.consumerId);
    this.#onChange();
  };

  #onReset: MediaServerEvents['media:reset'] = (message) => {
    if (message.hearingId !== this.hearingId) return;
    if (message.reason === 'worker-died') void this.#rejoin();
    else {
      this.#teardown();
      this.#setPhase('closed');
    }
  };

  #onReconnect = (): void => {
    // Also after `media_elsewhere` before any join: the connection was made again towards the holder.
    if (!this.#stopped && (this.#joined || this.#error === 'media_elsewhere')) void this.#rejoin();
  };

  #onSocketDown = (): void => {
    if (!this.#stopped && this.#phase !== 'closed') this.#setPhase('reconnecting');
  };

  #syncing = false;
  #syncAgain = false;
  /** Consumers the server closed while this page was still making them (a source gone meanwhile). */
  #closedEarly = new Set<string>();

  /**
   * Consumes every listed source not consumed yet, closes the ones no longer listed. One at a time;
   * a list that changes meanwhile is taken in the next round. A source whose consumer could not be
   * made (it left while asked for, the transport went) is tried again a second later while listed.
   */
  async #syncConsumers(): Promise<void> {
    if (this.#syncing) {
      this.#syncAgain = true;
      return;
    }
    this.#syncing = true;
    let failed = false;
    try {
      do {
        this.#syncAgain = false;
        const listed = new Map(this.#sources.map((s) => [s.producerId, s]));
        for (const [producerId, entry] of this.#consumers) {
          const source = listed.get(producerId);
          if (!source) {
            entry.consumer.close();
            this.#consumers.delete(producerId);
          } else entry.source = source;
        }
        const recv = this.#recv;
        if (recv && this.#standing === 'live') {
          for (const source of listed.values()) {
            if (this.#consumers.has(source.producerId) || recv.closed) continue;
            if (!(await this.#consumeOne(recv, source))) failed = true;
          }
        }
        if (this.#phase === 'live' || this.#phase === 'lobby' || this.#phase === 'connecting') this.#showStanding();
        this.#onChange();
      } while (this.#syncAgain);
    } finally {
      this.#syncing = false;
    }
    if (failed && !this.#stopped) this.#later(() => void this.#syncConsumers(), 1000);
  }

  /** One source: a consumer made, checked against a close that raced it, resumed; false if any step failed (nothing kept). */
  async #consumeOne(recv: types.Transport, source: MediaSource): Promise<boolean> {
    let consumer: types.Consumer | null = null;
    try {
      const params = await this.#request('media:consume', {
        transportId: recv.id,
        producerId: source.producerId,
      });
      if (!params || recv.closed) return false;
      consumer = await recv.consume(params);
      if (this.#closedEarly.delete(consumer.id) || !this.#sources.some((s) => s.producerId === source.producerId)) {
        consumer.close();
        return true;
      }
      if (source.kind === 'video' && this.audioOnly) await this.#request('media:consumer-quality', { consumerId: consumer.id, layer: null });
      else await this.#request('media:resume-consumer', { consumerId: consumer.id });
      if (this.#closedEarly.delete(consumer.id)) {
        consumer.close();
        return true;
      }
      this.#consumers.set(source.producerId, { consumer, source });
      return true;
    } catch {
      consumer?.close();
      return false;
    }
  }

  #onLinks: MediaServerEvents['media:links'] = ({ hearingId, links }) => {
    if (hearingId !== this.hearingId) return;
    this.#links = links;
    this.#onChange();
  };

  // ---- audio only -------------------------------------------------------------------------------

  async #applyAudioOnly(): Promise<void> {
    const on = this.audioOnly;
    const camera = this.#producers.get('video');
    if (camera) await this.#pauseProducer(camera, on);
    for (const { consumer, source } of this.#consumers.values()) {
      if (source.kind !== 'video') continue;
      await this.#request('media:consumer-quality', { consumerId: consumer.id, layer: on ? null : 2 }).catch(() => {});
    }
    this.#onChange();
  }

  /** Polls the estimated bandwidth; two poor readings in a row switch to audio only, two good ones back. */
  #startBandwidthWatch(): void {
    clearInterval(this.#poll);
    const threshold = (this.#joined?.audioOnlyBelowKbps ?? 0) * 1000;
    if (threshold <= 0) return;
    this.#poll = setInterval(async () => {
      const transport = this.#recv ?? this.#send;
      if (!transport || transport.closed || transport.connectionState !== 'connected') return;
      let estimate: number | null = null;
      for (const report of (await transport.getStats()).values()) {
        if (report.type === 'candidate-pair' && report.nominated) estimate = report.availableIncomingBitrate ?? report.availableOutgoingBitrate ?? null;
      }
      if (estimate === null) return;
      const poor = estimate < threshold;
      this.#lowBandwidthPolls = poor ? Math.max(1, this.#lowBandwidthPolls + 1) : Math.min(-1, this.#lowBandwidthPolls - 1);
      const automatic = this.#lowBandwidthPolls >= 2 ? true : this.#lowBandwidthPolls <= -2 ? false : this.#audioOnly.automatic;
      if (automatic !== this.#audioOnly.automatic) {
        this.#audioOnly.automatic = automatic;
        void this.#applyAudioOnly();
      }
    }, BANDWIDTH_POLL_MS);
  }

  // ---- plumbing ---------------------------------------------------------------------------------

  /**
   * In a cluster (docs/media.md, "Media failover"): the connection is made again with `?node=<the
   * holder>` on its handshake, which haproxy sends to that node while it is up (and by the hearing's
   * hash when it is not: a dead holder's lease runs out and the node reached takes it over). Once
   * per node named, so a dead holder named again only waits for its lease to run out.
   */
  #routeToNode(details: unknown): boolean {
    const node = typeof details === 'object' && details !== null && 'node' in details ? details.node : null;
    if (typeof node !== 'string') return false;
    const options = this.#socket.io.opts;
    const query = (options.query ?? {}) as Record<string, string>;
    if (query.node === node) return false;
    options.query = { ...query, node };
    this.#socket.disconnect();
    this.#socket.connect();
    return true;
  }

  /** One media command for this hearing, its answer typed by the contract (shared/socket/media.ts). */
  async #request<E extends MediaCommandName>(event: E, payload: Omit<MediaPayloads[E], 'hearingId'>): Promise<MediaAnswers[E]> {
    const sender: CommandSender = this.#socket.timeout(15_000);
    const answer = (await sender.emitWithAck(event, { hearingId: this.hearingId, ...payload })) as Ack<MediaAnswers[E]>;
    if ('error' in answer) throw new MediaError(answer.error.code, answer.error.message, answer.error.details);
    return answer.data;
  }

  /** A transport whose ICE and DTLS are connected: media can flow. */
  #connected(): boolean {
    return [this.#send, this.#recv].some((t) => t !== null && !t.closed && t.connectionState === 'connected');
  }

  /** Nothing to carry: nothing of ours to publish and nothing received (a screen with no camera, alone). */
  #idle(): boolean {
    return this.#published && this.#producers.size === 0 && this.#consumers.size === 0;
  }

  /** Lobby or live once media flows (or there is none to carry); until then, connecting. */
  #showStanding(): void {
    if (!this.#standing) return;
    if (this.#connected() || this.#idle()) this.#setPhase(this.#standing);
    else if (this.#phase !== 'unreachable') this.#setPhase(this.#everConnected ? 'reconnecting' : 'connecting');
  }

  #watchFirstConnection(generation: number): void {
    this.#later(() => {
      if (generation === this.#generation && !this.#connected() && !this.#idle()) this.#setPhase('unreachable');
    }, UNREACHABLE_AFTER_MS);
  }

  #setPhase(phase: MediaPhase): void {
    this.#phase = phase;
    this.#onChange();
  }

  #later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#stopped) fn();
    }, ms);
    this.#timers.add(timer);
  }
}
