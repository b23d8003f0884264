/**
 * The media signalling commands, the same for a workstation (main namespace, logged-in user) and a
 * remote participant (/remote namespace, participant session): only `access` differs — who the
 * connection is in the hearing and whether it may publish. Every command is rate limited, validated
 * (media-schemas.ts), and refused with `not_joined` unless the connection joined that hearing's media;
 * the room (media/src/hearing-media-room.ts) refuses what the peer's standing does not allow.
 *
 * The client's sequence: media:join → (load the device) media:capabilities → media:create-transport
 * ×2 → media:connect-transport (on the transport's 'connect') → media:produce; then for each source
 * in `media:sources`: media:consume → media:resume-consumer. After a network change:
 * media:restart-ice; when that fails or after a reconnection: media:join again.
 */
import type { types } from 'mediasoup';
import type { types as Webrtc } from 'mediasoup-client';
import type { Socket } from 'socket.io';
import { AppError } from '../shared/errors.ts';
import type { Ack } from '../shared/socket/ack.ts';
import type { IceServer, MediaAnswers, MediaClientEvents, MediaCommandName, MediaServerEvents, PeerIdentity, PeerStanding } from '../shared/socket/media.ts';
import { parsePayload } from './parse-payload.ts';
import { MEDIA_SCHEMAS, type MediaPayloads } from '../shared/socket/media-schemas.ts';
import { toAppError, type MediaSignalling } from './media-signalling.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { Log } from './socket-types.ts';

/** Who the connection is in the hearing's media, decided by the namespace (throws a refusal). */
export type MediaAccess = (hearingId: string) => Promise<{ identity: Omit<PeerIdentity, 'peerId'>; standing: PeerStanding; mayPublish: boolean }>;

/** What both namespaces share: the signalling and the settings handed to browsers. */
export type MediaDeps = { signalling: MediaSignalling; iceServers: (label: string) => IceServer[]; audioOnlyBelowKbps: number; ratePerSecond: number };

type Deps = MediaDeps & { access: MediaAccess; log: Log };

/** A socket of either namespace, as far as media goes: both contracts include the media events. */
export type MediaSocket = Socket<MediaClientEvents, MediaServerEvents>;

/**
 * mediasoup (the server) and mediasoup-client (the browser, whose types the contract uses) describe
 * the same RTP objects, but mediasoup's list of header extensions names one the client's type does
 * not (`toffset`); the browser ignores extensions it does not know, so the objects go as they are.
 */
const forBrowser = {
  rtpCapabilities: (capabilities: types.RtpCapabilities) => capabilities as Webrtc.RtpCapabilities,
  rtpParameters: (parameters: types.RtpParameters) => parameters as Webrtc.RtpParameters,
};

let peerSequence = 0;

export function registerMediaHandlers(socket: MediaSocket, deps: Deps): void {
  const { signalling, access, log } = deps;
  const limiter = new RateLimiter(deps.ratePerSecond);
  /** The one room this connection is in: the hall, or a private consultation (`consultationId`). */
  let joined: { hearingId: string; consultationId: string | null; peerId: string; mayPublish: boolean } | null = null;

  const current = (hearingId: string) => {
    if (!joined || joined.hearingId !== hearingId) throw new AppError('not_joined', 'Join the media of this hearing first');
    return { ...joined, room: signalling.room(hearingId, joined.peerId, joined.consultationId) };
  };

  const leave = () => {
    if (!joined) return;
    signalling.leave(joined.hearingId, joined.peerId, joined.consultationId);
    joined = null;
  };

  const handlers: { [K in MediaCommandName]: (payload: MediaPayloads[K]) => Promise<MediaAnswers[K]> } = {
    'media:join': async ({ hearingId, consultationId }) => {
      const seat = await access(hearingId);
      const { identity, mayPublish } = seat;
      // In a consultation room its members hear each other whatever their standing in the hall.
      const standing = consultationId ? 'live' : seat.standing;
      if (consultationId) await signalling.requireConsultationMember(hearingId, consultationId, identity);
      // A second join (a rejoin after a reset or a failed ICE restart) replaces the first.
      leave();
      const peerId = `${socket.id}:${++peerSequence}`;
      const room = await signalling.join(hearingId, { ...identity, peerId }, standing, socket, consultationId ?? null);
      joined = { hearingId, consultationId: consultationId ?? null, peerId, mayPublish };
      return { peerId, routerRtpCapabilities: forBrowser.rtpCapabilities(room.router.rtpCapabilities), iceServers: deps.iceServers(peerId), standing, audioOnlyBelowKbps: deps.audioOnlyBelowKbps };
    },
    'media:capabilities': async ({ hearingId, rtpCapabilities }) => {
      const { room, peerId } = current(hearingId);
      room.setRtpCapabilities(peerId, rtpCapabilities);
      return { ok: true };
    },
    'media:create-transport': async ({ hearingId }) => {
      const { room, peerId } = current(hearingId);
      return room.createTransport(peerId);
    },
    'media:connect-transport': async ({ hearingId, transportId, dtlsParameters }) => {
      const { room, peerId } = current(hearingId);
      await room.connectTransport(peerId, transportId, dtlsParameters);
      return { ok: true };
    },
    'media:restart-ice': async ({ hearingId, transportId }) => {
      const { room, peerId } = current(hearingId);
      return { iceParameters: await room.restartIce(peerId, transportId) };
    },
    'media:close-transport': async ({ hearingId, transportId }) => {
      const { room, peerId } = current(hearingId);
      room.closeTransport(peerId, transportId);
      return { ok: true };
    },
    'media:produce': async ({ hearingId, transportId, kind, rtpParameters, label }) => {
      const { room, peerId, mayPublish } = current(hearingId);
      if (!mayPublish) throw new AppError('forbidden_action', 'This seat follows the hearing without publishing');
      // An interpretation channel only from an interpreter the court appointed for simultaneous interpretation, for whom it names.
      const listeners = label === 'interpretation' ? await signalling.interpretationListeners(hearingId, (await access(hearingId)).identity.participantId) : undefined;
      if (listeners?.length === 0) throw new AppError('forbidden_action', 'Only an interpreter appointed for simultaneous interpretation speaks into a channel');
      const source = await room.produce(peerId, { transportId, kind, rtpParameters, label, listeners });
      // Someone the court muted stays muted on a new microphone (a reload, a rejoin); the court's muting is the hall's.
      if (kind === 'audio' && room.kind === 'hall' && (await signalling.mutedByCourt(hearingId, source))) await room.muteByCourt(peerId, true);
      // A microphone published during the person's consultation (after a reload, say) starts held too.
      if (kind === 'audio' && room.kind === 'hall' && (await signalling.inConsultation(hearingId, source))) await room.holdForConsultation(peerId, true);
      return { producerId: source.producerId };
    },
    'media:pause-producer': async ({ hearingId, producerId, paused }) => {
      const { room, peerId } = current(hearingId);
      await room.setPaused(peerId, producerId, paused);
      return { ok: true };
    },
    'media:consume': async ({ hearingId, transportId, producerId }) => {
      const { room, peerId } = current(hearingId);
      const consumer = await room.consume(peerId, { transportId, producerId });
      return { ...consumer, rtpParameters: forBrowser.rtpParameters(consumer.rtpParameters) };
    },
    'media:resume-consumer': async ({ hearingId, consumerId }) => {
      const { room, peerId } = current(hearingId);
      await room.resumeConsumer(peerId, consumerId);
      return { ok: true };
    },
    'media:consumer-quality': async ({ hearingId, consumerId, layer }) => {
      const { room, peerId } = current(hearingId);
      await room.setConsumerQuality(peerId, consumerId, layer);
      return { ok: true };
    },
    'media:leave': async ({ hearingId }) => {
      if (joined?.hearingId === hearingId) leave();
      return { left: true };
    },
  };

  for (const name of Object.keys(handlers) as MediaCommandName[]) {
    // The payload is whatever the client sent until the schema has checked it.
    socket.on(name, (payload: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (answer: Ack<unknown>) => void) : () => {};
      if (!limiter.take()) {
        reply({ error: { code: 'rate_limited', message: 'Too many media requests' } });
        return;
      }
      void (async () => {
        try {
          const parsed = parsePayload(MEDIA_SCHEMAS[name], payload);
          reply({ data: await (handlers[name] as (p: unknown) => Promise<unknown>)(parsed) });
        } catch (raw) {
          const error = toAppError(raw);
          // `details`: which node holds the hearing's media, with `media_elsewhere`.
          if (error instanceof AppError) reply({ error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } });
          else {
            log.error({ err: error, event: name }, 'media command failed');
            reply({ error: { code: 'internal', message: 'Internal error' } });
          }
        }
      })();
    });
  }

  socket.on('disconnect', leave);
}
