/**
 * The server side of the media: which connection is which peer of which hearing's media room, and
 * what each peer is told. The socket handlers (media.socket.ts, for workstations and for remote
 * participants alike) call `join`, `leave` and `room`; this class fans out what a peer may consume
 * (`media:sources`, the whole list each time: a handful of sources, never a diff to get wrong), its
 * own standing (`media:you`), and `media:reset` when the room is lost with its worker, after which
 * clients join again and the room is rebuilt on a live worker.
 *
 * It also carries out the media side of the court's decisions, from the committed hearing events:
 * admitted → the participant's peers go live; sent to the lobby → their consumers close; refused →
 * their sessions end and they are disconnected; muted → their microphones pause; hearing over → the
 * room closes, and with it every transport, producer and consumer.
 *
 * A private consultation (shared/hearing/consultation) is a room of its own (key
 * `<hearingId>/consultation/<id>`): only its members join it, it is made when the first joins and
 * closed when the consultation closes; nothing of it reaches the hall or the recording.
 */
import { LOBBY_WATCHERS, MediaError, mediaRoomKey, type HearingMediaRoom } from '../../../media/src/hearing-media-room.ts';
import { LinkMonitor } from '../../../media/src/link-quality.ts';
import type { MediaRooms } from '../../../media/src/media-rooms.ts';
import type { HearingsService } from '../hearings/hearings.service.ts';
import type { HearingsRepository } from '../hearings/hearings.repository.ts';
import { interpretationListeners } from '../shared/hearing/interpreter/interpreter.ts';
import type { ConsultationMember } from '../shared/hearing/consultation/consultation.ts';
import { muteKey } from '../shared/hearing/remote/remote.ts';
import type { HearingEvent } from '../shared/hearing/state.ts';
import { AppError } from '../shared/errors.ts';
import type { MediaServerEvents, MediaSource, MediaYou, ParticipantLink, PeerIdentity, PeerStanding } from '../shared/socket/media.ts';

/** What the signalling needs of a connection (a socket of either namespace): to send it media events, and to end it. */
export type PeerEndpoint = {
  emit<E extends keyof MediaServerEvents>(event: E, ...args: Parameters<MediaServerEvents[E]>): unknown;
  disconnect(close?: boolean): unknown;
};

type Deps = {
  rooms: MediaRooms;
  hearings: HearingsService;
  hearingsRepository: HearingsRepository;
  log: { error(obj: object, msg: string): void };
  /** Ends a participant's sessions (the court refused them); remote.service's `revoke`. */
  revokeRemote: (hearingId: string, participantId: string) => Promise<void>;
  /** Tells a remote participant's pages of a change of their standing (remote.socket.ts). */
  remoteChanged: (hearingId: string, participantId: string, disconnect: boolean) => void;
};

type PeerEntry = { identity: PeerIdentity; endpoint: PeerEndpoint };

export class MediaSignalling {
  #deps: Deps;
  /** room key (the hearing id for the hall) → peer id → connection. */
  #peers = new Map<string, Map<string, PeerEntry>>();
  #watched = new WeakSet<HearingMediaRoom>();
  #linkMonitors = new WeakMap<HearingMediaRoom, LinkMonitor>();
  #pendingFanOut = new Set<string>();
  #stopListening: () => void;

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#stopListening = deps.hearings.onCommitted((events) => {
      for (const event of events) void this.#apply(event).catch((error) => deps.log.error({ err: error, type: event.type }, 'media side of a hearing event failed'));
    });
  }

  close(): void {
    this.#stopListening();
    this.#deps.rooms.closeAll();
  }

  /** Adds a connection as a peer of the hearing's hall room (or of a consultation's), made if needed; returns the room. */
  async join(hearingId: string, identity: PeerIdentity, standing: PeerStanding, endpoint: PeerEndpoint, consultationId: string | null = null): Promise<HearingMediaRoom> {
    const room = await this.#deps.rooms.get(hearingId, consultationId);
    this.#watch(room);
    room.addPeer(identity, standing);
    let peers = this.#peers.get(room.key);
    if (!peers) this.#peers.set(room.key, (peers = new Map()));
    peers.set(identity.peerId, { identity, endpoint });
    this.#scheduleFanOut(hearingId, consultationId);
    if (consultationId) return room;
    // A judge's page that joins late learns the links known so far.
    const links = this.#linkMonitors.get(room)?.links() ?? [];
    if (links.length > 0) this.#sendLinks(hearingId, links, identity.peerId);
    return room;
  }

  /**
   * A consultation's room admits its members only (all their connections), and only while it is
   * open: `not_found` for a consultation asked for, closed or of another hearing, `forbidden` for anyone else.
   */
  async requireConsultationMember(hearingId: string, consultationId: string, who: { participantId: string | null }): Promise<void> {
    const consultation = (await this.#deps.hearingsRepository.liveState(hearingId))?.consultations[consultationId];
    if (!consultation || consultation.status !== 'open') throw new AppError('not_found', 'No such consultation under way');
    if (!who.participantId || !consultation.members.some((m) => m.participantId === who.participantId)) throw new AppError('forbidden', 'This consultation is private to its members');
  }

  /** The open room a joined peer works in, or `not_joined` (it left, or the room was lost: rejoin). */
  room(hearingId: string, peerId: string, consultationId: string | null = null): HearingMediaRoom {
    const room = this.#deps.rooms.find(hearingId, consultationId);
    if (!room || !room.hasPeer(peerId)) throw new AppError('not_joined', 'Join the media of this hearing first');
    return room;
  }

  /** The peer is gone (left or disconnected): everything it had is closed; an empty room closes. */
  leave(hearingId: string, peerId: string, consultationId: string | null = null): void {
    this.#peers.get(mediaRoomKey(hearingId, consultationId))?.delete(peerId);
    const room = this.#deps.rooms.find(hearingId, consultationId);
    if (!room) return;
    room.removePeer(peerId);
    if (room.peerIds().length === 0) room.close();
    else this.#scheduleFanOut(hearingId, consultationId);
  }

  /** Whether the court has muted this person in this hearing (applied to each microphone they publish). */
  async mutedByCourt(hearingId: string, who: { userId: string | null; participantId: string | null }): Promise<boolean> {
    return (await this.#mutedInHearing(hearingId)).includes(muteKey(who));
  }

  /** Whether this person is in a consultation under way (their hall microphones are held paused meanwhile). */
  async inConsultation(hearingId: string, who: { userId: string | null; participantId: string | null }): Promise<boolean> {
    const state = await this.#deps.hearingsRepository.liveState(hearingId);
    return Object.values(state?.consultations ?? {}).some((c) => c.status === 'open' && c.members.some((m) => isMember(m, who)));
  }

  /** Whom an interpreter's channel is for now (shared/hearing/interpreter): none unless appointed for simultaneous interpretation. */
  async interpretationListeners(hearingId: string, participantId: string | null): Promise<string[]> {
    const state = await this.#deps.hearingsRepository.liveState(hearingId);
    return state ? interpretationListeners(state, participantId) : [];
  }

  /** The people the court has muted in the hearing (`muteKey`s). */
  async #mutedInHearing(hearingId: string): Promise<string[]> {
    return (await this.#deps.hearingsRepository.liveState(hearingId))?.mutedByCourt ?? [];
  }

  #youOf(hearingId: string, peerId: string, muted: readonly string[], consultationId: string | null = null): MediaYou | null {
    const room = this.#deps.rooms.find(hearingId, consultationId);
    const entry = this.#peers.get(mediaRoomKey(hearingId, consultationId))?.get(peerId);
    const standing = room?.standingOf(peerId);
    if (!entry || !standing) return null;
    // The court's muting is the hall's; a consultation is not the court's to mute.
    const inConsultation = !consultationId && !!room && room.sources().some((s) => s.peerId === peerId && s.inConsultation);
    return { hearingId, peerId, standing, mutedByCourt: !consultationId && muted.includes(muteKey(entry.identity)), ...(inConsultation ? { inConsultation } : {}) };
  }

  #watch(room: HearingMediaRoom): void {
    if (this.#watched.has(room)) return;
    this.#watched.add(room);
    const { hearingId, consultationId, key } = room;
    const fanOut = () => this.#scheduleFanOut(hearingId, consultationId);
    room.on('source-added', fanOut);
    room.on('source-removed', fanOut);
    room.on('source-changed', fanOut);
    room.on('consumer-closed', ({ peerId, consumerId }) => this.#peers.get(key)?.get(peerId)?.endpoint.emit('media:consumer-closed', { hearingId, consumerId }));
    // Remote participants' links (link-quality.ts): the court sees each one's, each participant their own.
    const links =
      room.kind === 'hall'
        ? new LinkMonitor(room, { onChange: (all) => this.#sendLinks(hearingId, all), onError: (error) => this.#deps.log.error({ err: error, hearingId }, 'link quality could not be read') })
        : null;
    if (links) this.#linkMonitors.set(room, links);
    room.once('closed', ({ reason }) => {
      links?.stop();
      const peers = this.#peers.get(key);
      this.#peers.delete(key);
      // Only a room lost with its worker is worth rejoining; one closed with its hearing is over.
      for (const { endpoint } of peers?.values() ?? []) endpoint.emit('media:reset', { hearingId, reason });
    });
  }

  /** One `media:sources` and `media:you` per peer after a burst of changes (coalesced to one tick). */
  #scheduleFanOut(hearingId: string, consultationId: string | null = null): void {
    const key = mediaRoomKey(hearingId, consultationId);
    if (this.#pendingFanOut.has(key)) return;
    this.#pendingFanOut.add(key);
    setImmediate(() => {
      this.#pendingFanOut.delete(key);
      void this.#fanOut(hearingId, consultationId).catch((error: unknown) => this.#deps.log.error({ err: error, hearingId }, 'media sources could not be sent'));
    });
  }

  async #fanOut(hearingId: string, consultationId: string | null = null): Promise<void> {
    const muted = await this.#mutedInHearing(hearingId);
    const room = this.#deps.rooms.find(hearingId, consultationId);
    if (!room) return;
    for (const [peerId, { endpoint }] of this.#peers.get(room.key) ?? []) {
      if (!room.hasPeer(peerId)) continue;
      const sources: MediaSource[] = room.sourcesFor(peerId);
      endpoint.emit('media:sources', { hearingId, sources });
      endpoint.emit('media:you', this.#youOf(hearingId, peerId, muted, consultationId));
    }
  }

  #sendLinks(hearingId: string, links: ParticipantLink[], onlyPeerId?: string): void {
    for (const { identity, endpoint } of this.#peers.get(hearingId)?.values() ?? []) {
      if (onlyPeerId && identity.peerId !== onlyPeerId) continue;
      if ((LOBBY_WATCHERS as readonly string[]).includes(identity.role)) endpoint.emit('media:links', { hearingId, links });
      else if (identity.participantId) endpoint.emit('media:links', { hearingId, links: links.filter((l) => l.participantId === identity.participantId) });
    }
  }

  /** The members of a consultation, from the log (it has left the state once closed). */
  async #membersOf(hearingId: string, consultationId: string): Promise<ConsultationMember[]> {
    const opened = await this.#deps.hearingsRepository.events(hearingId, { types: ['consultation.opened', 'consultation.requested'], limit: 200, newest: true });
    for (const event of opened) if ((event.type === 'consultation.opened' || event.type === 'consultation.requested') && event.payload.id === consultationId) return event.payload.members;
    return [];
  }

  #peersOfParticipant(hearingId: string, participantId: string): string[] {
    return this.#deps.rooms.find(hearingId)?.peersOf({ participantId }) ?? [];
  }

  async #apply(event: HearingEvent): Promise<void> {
    const { hearingId } = event;
    const room = this.#deps.rooms.find(hearingId);
    switch (event.type) {
      case 'remote.arrived':
        this.#deps.remoteChanged(hearingId, event.payload.participantId, false);
        return;
      case 'remote.admitted':
      case 'remote.sent_to_lobby': {
        const standing = event.type === 'remote.admitted' ? 'live' : 'lobby';
        for (const peerId of this.#peersOfParticipant(hearingId, event.payload.participantId)) room?.setStanding(peerId, standing);
        this.#deps.remoteChanged(hearingId, event.payload.participantId, false);
        this.#scheduleFanOut(hearingId);
        return;
      }
      case 'remote.refused':
      case 'remote.left':
      case 'remote.disconnected': {
        const refused = event.type === 'remote.refused';
        if (refused) await this.#deps.revokeRemote(hearingId, event.payload.participantId);
        for (const peerId of this.#peersOfParticipant(hearingId, event.payload.participantId)) this.leave(hearingId, peerId);
        this.#deps.remoteChanged(hearingId, event.payload.participantId, refused);
        return;
      }
      case 'media.muted': {
        const { target, muted } = event.payload;
        for (const peerId of room?.peersOf(target) ?? []) await room?.muteByCourt(peerId, muted);
        if (target.participantId) this.#deps.remoteChanged(hearingId, target.participantId, false);
        this.#scheduleFanOut(hearingId);
        return;
      }
      case 'interpreter.appointed':
      case 'interpreter.released': {
        // The channel follows the appointment: heard by the new listener, by nobody once released.
        const { interpreterId } = event.payload;
        const listeners = event.type === 'interpreter.appointed' && event.payload.mode === 'simultaneous' ? [event.payload.forParticipantId] : [];
        for (const peerId of this.#peersOfParticipant(hearingId, interpreterId)) room?.setInterpretationListeners(peerId, listeners);
        this.#deps.remoteChanged(hearingId, interpreterId, false);
        if (event.type === 'interpreter.appointed') this.#deps.remoteChanged(hearingId, event.payload.forParticipantId, false);
        this.#scheduleFanOut(hearingId);
        return;
      }
      case 'floor.given':
      case 'position.shown':
      case 'presentation.ended':
        // Admitted participants follow the presented page (read-only) on their own page.
        for (const [participantId, attendee] of Object.entries((await this.#deps.hearingsRepository.liveState(hearingId))?.remote ?? {})) {
          if (attendee.status === 'live') this.#deps.remoteChanged(hearingId, participantId, false);
        }
        return;
      case 'consultation.opened':
      case 'consultation.closed': {
        // A closed consultation's room goes at once, with every transport, producer and consumer in it.
        if (event.type === 'consultation.closed') this.#deps.rooms.close(hearingId, event.payload.id);
        const members = event.type === 'consultation.opened' ? event.payload.members : await this.#membersOf(hearingId, event.payload.id);
        // The members' hall microphones carry nothing of it: held paused while it is open, let go when it closes.
        const held = event.type === 'consultation.opened';
        for (const member of members) {
          for (const peerId of room?.peersOf({ participantId: member.participantId, userId: member.userId }) ?? []) await room?.holdForConsultation(peerId, held);
        }
        this.#scheduleFanOut(hearingId);
        for (const { participantId } of members) this.#deps.remoteChanged(hearingId, participantId, false);
        return;
      }
      case 'hearing.adjourned':
      case 'hearing.suspended':
      case 'hearing.ended':
        // No media outlives its hearing, nor any consultation.
        this.#deps.rooms.close(hearingId);
        for (const consultation of this.#deps.rooms.consultationsOf(hearingId)) consultation.close();
        for (const id of Object.keys((await this.#deps.hearingsRepository.liveState(hearingId))?.consultations ?? {})) {
          await this.#deps.hearings.executeAsSystem(hearingId, { type: 'close_consultation', consultationId: id, reason: 'hearing_ended' });
        }
        for (const participantId of Object.keys((await this.#deps.hearingsRepository.liveState(hearingId))?.remote ?? {})) this.#deps.remoteChanged(hearingId, participantId, true);
        return;
      default:
        return;
    }
  }
}

/** Whether a connection's person (by case participant, or by user account for a hall seat) is this consultation member. */
function isMember(member: ConsultationMember, who: { userId: string | null; participantId: string | null }): boolean {
  return (who.participantId !== null && member.participantId === who.participantId) || (who.userId !== null && member.userId === who.userId);
}

/** A media error or a mediasoup refusal as the whitelisted code a client sees. */
export function toAppError(error: unknown): unknown {
  if (error instanceof MediaError) return new AppError(error.code, error.message);
  if (error instanceof TypeError || (error instanceof Error && error.name === 'UnsupportedError')) return new AppError('invalid_request', error.message);
  return error;
}
