/**
 * The media of one hearing: a mediasoup Router on one worker, the peers in it (hall workstations,
 * the hall station, remote participants), their transports, producers and consumers. Mechanics and
 * the media side of the access rules only: who is allowed into the hearing is decided by the server
 * (signalling) before it calls `addPeer`; this class then refuses anything a peer's standing does not
 * allow — a peer in the lobby receives nothing, its own sources reach only the presiding judge and the
 * secretary, a peer publishes only under its own identity.
 *
 * Cleanup follows mediasoup's own close events: closing a transport closes its producers and
 * consumers, closing a producer closes its consumers, and this class forgets each of them when
 * mediasoup says it is gone. `close()` (hearing over, or its worker died) closes the router and with
 * it everything else.
 *
 * No fastify or socket.io here; the signalling layer (server/src/realtime/media.socket.ts) calls it.
 */
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';

export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 600 } },
];

/** Roles whose members may see and hear a participant still in the lobby (to identify them). */
export const LOBBY_WATCHERS = ['presiding_judge', 'secretary'] as const;

import type { MediaDevice, MediaSource, PeerIdentity, PeerStanding } from '../../server/src/shared/socket/media.ts';
import { heldForLink, setPageWants, type LinkPeer } from './link-quality.ts';

export type { MediaSource, PeerIdentity, PeerStanding };

export type RoomEvents = {
  'source-added': [MediaSource];
  'source-removed': [MediaSource];
  /** Paused or resumed (by the publisher or the court), or moved between lobby and hall. */
  'source-changed': [MediaSource];
  /** A peer's consumers were closed by the room (sent to the lobby, its source left). */
  'consumer-closed': [{ peerId: string; consumerId: string; producerId: string }];
  /** The router is gone (the hearing closed or its worker died); `reason` says which. */
  closed: [{ reason: 'closed' | 'worker-died' }];
};

/**
 * A hearing's media is the hall and any number of consultation rooms: `<hearingId>` is the hall,
 * `<hearingId>/consultation/<id>` a private consultation. Only the hall is recorded.
 */
export type MediaRoomKind = 'hall' | 'consultation';

export function mediaRoomKey(hearingId: string, consultationId: string | null = null): string {
  return consultationId ? `${hearingId}/consultation/${consultationId}` : hearingId;
}

export type TransportOptions = {
  /** Where each transport listens and what it announces (media-addresses.ts plans them). */
  listenInfos: types.TransportListenInfo[];
  initialOutgoingBitrate: number;
};

export type TransportParams = {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
};

export type ConsumerParams = {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: types.RtpParameters;
  source: MediaSource;
};

type Peer = {
  identity: PeerIdentity;
  standing: PeerStanding;
  rtpCapabilities: types.RtpCapabilities | null;
  transports: Map<string, types.WebRtcTransport>;
  producers: Map<string, types.Producer>;
  consumers: Map<string, types.Consumer>;
};

export class MediaError extends Error {
  readonly code: 'forbidden_action' | 'not_found' | 'invalid_request' | 'unavailable';
  constructor(code: MediaError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export class HearingMediaRoom extends EventEmitter<RoomEvents> {
  readonly hearingId: string;
  /** Set for a consultation room; null for the hall. */
  readonly consultationId: string | null;
  readonly kind: MediaRoomKind;
  /** Whether recording follows this room: the hall only, never a consultation. */
  readonly recorded: boolean;
  /** `mediaRoomKey(hearingId, consultationId)`. */
  readonly key: string;
  readonly router: types.Router;
  readonly #transportOptions: TransportOptions;
  readonly #peers = new Map<string, Peer>();
  #sources = new Map<string, MediaSource>();
  #closed = false;
  #workerDied = false;

  constructor(hearingId: string, router: types.Router, transportOptions: TransportOptions, worker?: types.Worker, consultationId: string | null = null) {
    super();
    this.hearingId = hearingId;
    this.consultationId = consultationId;
    this.kind = consultationId ? 'consultation' : 'hall';
    this.recorded = this.kind === 'hall';
    this.key = mediaRoomKey(hearingId, consultationId);
    this.router = router;
    this.#transportOptions = transportOptions;
    router.observer.once('close', () => {
      // mediasoup marks the worker dead before it closes its routers.
      if (worker?.died) this.#workerDied = true;
      this.#closedUnderneath();
    });
  }

  static async create(hearingId: string, worker: types.Worker, transportOptions: TransportOptions, consultationId: string | null = null): Promise<HearingMediaRoom> {
    const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { hearingId, consultationId } });
    return new HearingMediaRoom(hearingId, router, transportOptions, worker, consultationId);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The live producers, with who publishes them. For recording and for a peer joining. */
  sources(): MediaSource[] {
    return [...this.#sources.values()].map((s) => ({ ...s }));
  }

  peerIds(): string[] {
    return [...this.#peers.keys()];
  }

  hasPeer(peerId: string): boolean {
    return this.#peers.has(peerId);
  }

  standingOf(peerId: string): PeerStanding | null {
    return this.#peers.get(peerId)?.standing ?? null;
  }

  /** The sources `peerId` may consume now (what its page should subscribe to). */
  sourcesFor(peerId: string): MediaSource[] {
    const peer = this.#peer(peerId);
    return this.sources().filter((s) => s.peerId !== peerId && mayConsume(peer, s));
  }

  addPeer(identity: PeerIdentity, standing: PeerStanding): void {
    this.#open();
    if (this.#peers.has(identity.peerId)) throw new MediaError('invalid_request', 'This connection has already joined the media');
    this.#peers.set(identity.peerId, { identity, standing, rtpCapabilities: null, transports: new Map(), producers: new Map(), consumers: new Map() });
  }

  setRtpCapabilities(peerId: string, rtpCapabilities: types.RtpCapabilities): void {
    this.#peer(peerId).rtpCapabilities = rtpCapabilities;
  }

  /**
   * Moves a peer between the lobby and the hall. Into the lobby: every consumer it holds is closed
   * (it no longer sees or hears the hearing) and its sources become visible to the court only — their
   * consumers held by anyone else are closed too.
   */
  setStanding(peerId: string, standing: PeerStanding): void {
    const peer = this.#peer(peerId);
    if (peer.standing === standing) return;
    peer.standing = standing;
    if (standing === 'lobby') {
      for (const consumer of [...peer.consumers.values()]) this.#closeConsumer(peer, consumer);
    }
    for (const producer of peer.producers.values()) {
      const source = this.#sources.get(producer.id);
      if (!source) continue;
      source.inLobby = standing === 'lobby';
      if (source.inLobby) this.#closeConsumersNotAllowed(source);
      this.emit('source-changed', { ...source });
    }
  }

  async createTransport(peerId: string): Promise<TransportParams> {
    this.#open();
    const peer = this.#peer(peerId);
    if (peer.transports.size >= 4) throw new MediaError('invalid_request', 'Too many transports for one connection');
    // From the lobby a participant only shows themself to the court: one transport, to send on.
    if (peer.standing === 'lobby' && peer.transports.size >= 1) throw new MediaError('forbidden_action', 'Wait in the lobby until the court admits you');
    const { listenInfos, initialOutgoingBitrate } = this.#transportOptions;
    const transport = await this.router.createWebRtcTransport({ listenInfos, preferUdp: true, initialAvailableOutgoingBitrate: initialOutgoingBitrate, appData: { peerId } });
    if (!this.#peers.has(peerId)) {
      // The peer left while the transport was being made.
      transport.close();
      throw new MediaError('not_found', 'The connection has left the media');
    }
    peer.transports.set(transport.id, transport);
    transport.observer.once('close', () => peer.transports.delete(transport.id));
    return { id: transport.id, iceParameters: transport.iceParameters, iceCandidates: transport.iceCandidates, dtlsParameters: transport.dtlsParameters };
  }

  async connectTransport(peerId: string, transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    await this.#transport(peerId, transportId).connect({ dtlsParameters });
  }

  /** New ICE credentials for a transport after a network change; the browser restarts ICE with them. */
  async restartIce(peerId: string, transportId: string): Promise<types.IceParameters> {
    return this.#transport(peerId, transportId).restartIce();
  }

  /** `listeners`: for an `interpretation` source, the participant ids it is for (the signalling reads them from the appointment). */
  async produce(peerId: string, input: { transportId: string; kind: 'audio' | 'video'; rtpParameters: types.RtpParameters; label: MediaDevice; listeners?: string[] }): Promise<MediaSource> {
    const peer = this.#peer(peerId);
    if (input.label === 'interpretation' && input.kind !== 'audio') throw new MediaError('invalid_request', 'An interpretation channel is audio');
    const transport = this.#transport(peerId, input.transportId);
    if ([...peer.producers.values()].filter((p) => p.kind === input.kind).length >= 4) {
      throw new MediaError('invalid_request', `Too many ${input.kind} sources for one connection`);
    }
    const producer = await transport.produce({ kind: input.kind, rtpParameters: input.rtpParameters, appData: { peerId } });
    const { identity } = peer;
    const source: MediaSource = {
      producerId: producer.id,
      peerId,
      userId: identity.userId,
      participantId: identity.participantId,
      role: identity.role,
      fullName: identity.fullName,
      kind: producer.kind,
      label: input.label,
      paused: producer.paused,
      mutedByCourt: false,
      inConsultation: false,
      inLobby: peer.standing === 'lobby',
      ...(input.label === 'interpretation' ? { listeners: [...(input.listeners ?? [])] } : {}),
    };
    peer.producers.set(producer.id, producer);
    this.#sources.set(producer.id, source);
    producer.observer.once('close', () => {
      peer.producers.delete(producer.id);
      const gone = this.#sources.get(producer.id);
      this.#sources.delete(producer.id);
      if (gone && !this.#closed) this.emit('source-removed', { ...gone });
    });
    this.emit('source-added', { ...source });
    return { ...source };
  }

  /** The publisher pauses or resumes its own source. A source muted by the court stays paused. */
  async setPaused(peerId: string, producerId: string, paused: boolean): Promise<void> {
    const producer = this.#peer(peerId).producers.get(producerId);
    if (!producer) throw new MediaError('not_found', 'No such source of this connection');
    const source = this.#sources.get(producerId)!;
    if (!paused && source.mutedByCourt) throw new MediaError('forbidden_action', 'The court has muted this microphone');
    if (paused) await producer.pause();
    else if (!source.inConsultation) await producer.resume();
    source.paused = paused;
    this.emit('source-changed', { ...source });
  }

  /** The court mutes (or lets speak again) every microphone of a peer. Returns whether anything changed. */
  async muteByCourt(targetPeerId: string, muted: boolean): Promise<boolean> {
    const peer = this.#peer(targetPeerId);
    let changed = false;
    for (const producer of peer.producers.values()) {
      if (producer.kind !== 'audio') continue;
      const source = this.#sources.get(producer.id)!;
      if (source.mutedByCourt === muted) continue;
      if (muted) await producer.pause();
      source.mutedByCourt = muted;
      source.paused = muted;
      if (!muted && !source.inConsultation) await producer.resume();
      changed = true;
      this.emit('source-changed', { ...source });
    }
    return changed;
  }

  /**
   * A peer's person stepped out into a private consultation (or came back): every microphone of the
   * peer in this room is paused server-side meanwhile, whatever the page does, so the hall (and its
   * recording) hears nothing of it. Its own flag, apart from the court's muting and the publisher's
   * pause: coming back resumes only a microphone neither of them holds paused. Returns whether anything changed.
   */
  async holdForConsultation(targetPeerId: string, held: boolean): Promise<boolean> {
    const peer = this.#peer(targetPeerId);
    let changed = false;
    for (const producer of peer.producers.values()) {
      if (producer.kind !== 'audio') continue;
      const source = this.#sources.get(producer.id)!;
      if (source.inConsultation === held) continue;
      source.inConsultation = held;
      if (held) await producer.pause();
      else if (!source.paused && !source.mutedByCourt) await producer.resume();
      changed = true;
      this.emit('source-changed', { ...source });
    }
    return changed;
  }

  /** Whom a peer's interpretation channels are for now (an appointment made or released); others' consumers of them close. */
  setInterpretationListeners(peerId: string, listeners: string[]): void {
    for (const producer of this.#peer(peerId).producers.values()) {
      const source = this.#sources.get(producer.id);
      if (source?.label !== 'interpretation') continue;
      source.listeners = [...listeners];
      this.#closeConsumersNotAllowed(source);
      this.emit('source-changed', { ...source });
    }
  }

  /** Peers of a person (a user or a participant), to mute or send back all their connections. */
  peersOf(who: { userId?: string | null; participantId?: string | null }): string[] {
    return [...this.#peers.values()]
      .filter((p) => (who.participantId && p.identity.participantId === who.participantId) || (who.userId && p.identity.userId === who.userId))
      .map((p) => p.identity.peerId);
  }

  /** A consumer for `peerId` of one source, created paused (the client resumes it once it is wired up). */
  async consume(peerId: string, input: { transportId: string; producerId: string }): Promise<ConsumerParams> {
    const peer = this.#peer(peerId);
    const source = this.#sources.get(input.producerId);
    if (!source) throw new MediaError('not_found', 'No such source');
    if (source.peerId === peerId) throw new MediaError('invalid_request', 'A connection does not consume its own source');
    if (!mayConsume(peer, source)) throw new MediaError('forbidden_action', 'This source is not for this connection');
    if (!peer.rtpCapabilities) throw new MediaError('invalid_request', 'Send the device capabilities first');
    if (!this.router.canConsume({ producerId: source.producerId, rtpCapabilities: peer.rtpCapabilities })) {
      throw new MediaError('invalid_request', 'This device cannot decode the source');
    }
    const transport = this.#transport(peerId, input.transportId);
    const consumer = await transport.consume({ producerId: source.producerId, rtpCapabilities: peer.rtpCapabilities, paused: true, appData: { peerId, transportId: transport.id } });
    peer.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => peer.consumers.delete(consumer.id));
    // A consumer closed by mediasoup because its producer went away: the client hears it as source-removed.
    return { id: consumer.id, producerId: source.producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters, source: { ...source } };
  }

  async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
    const consumer = this.#peer(peerId).consumers.get(consumerId);
    if (!consumer) throw new MediaError('not_found', 'No such consumer');
    // Paused by the link monitor for the network: it resumes the consumer when the network allows.
    setPageWants(consumer, true);
    if (!heldForLink(consumer)) await consumer.resume();
  }

  /** Audio-only (0) or a simulcast layer (0 low … 2 high) for a video consumer; `null` pauses it. */
  async setConsumerQuality(peerId: string, consumerId: string, layer: number | null): Promise<void> {
    const consumer = this.#peer(peerId).consumers.get(consumerId);
    if (!consumer) throw new MediaError('not_found', 'No such consumer');
    setPageWants(consumer, layer !== null);
    if (layer === null) return consumer.pause();
    if (consumer.type === 'simulcast') await consumer.setPreferredLayers({ spatialLayer: layer });
    if (!heldForLink(consumer)) await consumer.resume();
  }

  /** Remote participants' peers only (never the hall's), for the link monitor (link-quality.ts). */
  remotePeers(): LinkPeer[] {
    return [...this.#peers.values()].flatMap((p) =>
      p.identity.participantId
        ? [{ peerId: p.identity.peerId, participantId: p.identity.participantId, transports: [...p.transports.values()], producers: [...p.producers.values()], consumers: [...p.consumers.values()] }]
        : [],
    );
  }

  /** The encodings a live producer was published with (simulcast layers, lowest first), or null. */
  encodingsOf(producerId: string): types.RtpEncodingParameters[] | null {
    for (const peer of this.#peers.values()) {
      const producer = peer.producers.get(producerId);
      if (producer) return producer.rtpParameters.encodings ?? [];
    }
    return null;
  }

  /** Closes one transport of a peer (the client gave up on it and makes a new one). */
  closeTransport(peerId: string, transportId: string): void {
    this.#transport(peerId, transportId).close();
  }

  /** Removes a peer and everything it had: transports (and with them its producers and consumers). */
  removePeer(peerId: string): void {
    const peer = this.#peers.get(peerId);
    if (!peer) return;
    this.#peers.delete(peerId);
    for (const transport of [...peer.transports.values()]) transport.close();
  }

  /** Counts for health and tests: what is still open. */
  counts(): { peers: number; transports: number; producers: number; consumers: number } {
    let transports = 0;
    let producers = 0;
    let consumers = 0;
    for (const p of this.#peers.values()) {
      transports += p.transports.size;
      producers += p.producers.size;
      consumers += p.consumers.size;
    }
    return { peers: this.#peers.size, transports, producers, consumers };
  }

  close(): void {
    if (this.#closed) return;
    this.router.close();
  }

  #closedUnderneath(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#peers.clear();
    this.#sources.clear();
    this.emit('closed', { reason: this.#workerDied ? 'worker-died' : 'closed' });
  }

  /** Called by the registry before the router goes away with its worker. */
  markWorkerDied(): void {
    this.#workerDied = true;
  }

  #open(): void {
    if (this.#closed) throw new MediaError('unavailable', 'The media of this hearing has closed');
  }

  #peer(peerId: string): Peer {
    const peer = this.#peers.get(peerId);
    if (!peer) throw new MediaError('not_found', 'This connection has not joined the media');
    return peer;
  }

  #transport(peerId: string, transportId: string): types.WebRtcTransport {
    const transport = this.#peer(peerId).transports.get(transportId);
    if (!transport) throw new MediaError('not_found', 'No such transport of this connection');
    return transport;
  }

  #closeConsumer(peer: Peer, consumer: types.Consumer): void {
    consumer.close();
    peer.consumers.delete(consumer.id);
    this.emit('consumer-closed', { peerId: peer.identity.peerId, consumerId: consumer.id, producerId: consumer.producerId });
  }

  #closeConsumersNotAllowed(source: MediaSource): void {
    for (const peer of this.#peers.values()) {
      for (const consumer of [...peer.consumers.values()]) {
        if (consumer.producerId === source.producerId && !mayConsume(peer, source)) this.#closeConsumer(peer, consumer);
      }
    }
  }
}

/**
 * The media side of "no media leaves the hearing": a peer in the lobby receives nothing; a source
 * from the lobby reaches only the presiding judge and the secretary; an interpreter's channel
 * reaches only the participants it is for (not the court, not the hall's loudspeakers).
 */
function mayConsume(peer: Peer, source: MediaSource): boolean {
  if (peer.standing !== 'live') return false;
  if (source.label === 'interpretation') return !source.inLobby && peer.identity.participantId !== null && (source.listeners ?? []).includes(peer.identity.participantId);
  if (source.inLobby) return (LOBBY_WATCHERS as readonly string[]).includes(peer.identity.role);
  return true;
}
