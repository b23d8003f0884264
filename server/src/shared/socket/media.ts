/**
 * The media signalling contract, the same on the main namespace (workstations, the hall station)
 * and on /remote (remote participants): who a peer is, one live source, and every media command
 * with its payload (media-schemas.ts) and its answer, and what the server pushes. The server's
 * handlers (server/src/realtime/media.socket.ts) and the browser's MediaSession
 * (apps/web/src/lib/media/media-session.ts) are both typed by these maps, so a renamed field is a
 * type error at both ends. The WebRTC parameter objects are typed as mediasoup-client reads them.
 */
import type { types as Webrtc } from 'mediasoup-client';
import type { Command } from './ack.ts';
import type { MediaPayloads } from './media-schemas.ts';

/** Who a peer is. `peerId` is unique in the room; a person reconnecting gets a new peer. */
export type PeerIdentity = {
  peerId: string;
  /** `hall`: a logged-in workstation or the hall station; `remote`: an invited participant. */
  kind: 'hall' | 'remote';
  userId: string | null;
  participantId: string | null;
  /** The hearing role (`presiding_judge`, `secretary`, `hall_display`, `remote_participant`, …). */
  role: string;
  fullName: string;
};

/** What a peer may do now; changed by admission (`setStanding`). */
export type PeerStanding = 'lobby' | 'live';

/**
 * The devices a source can be; the browser says which, the server checks it is one of these.
 * `interpretation`: an appointed interpreter's channel, heard only by those it is for (`listeners`).
 */
export const MEDIA_DEVICES = ['microphone', 'camera', 'hall_microphone', 'hall_camera', 'interpretation'] as const;
export type MediaDevice = (typeof MEDIA_DEVICES)[number];

/** One live producer as recording and the hall see it. */
export type MediaSource = {
  producerId: string;
  peerId: string;
  userId: string | null;
  participantId: string | null;
  role: string;
  fullName: string;
  kind: 'audio' | 'video';
  /**
   * Which device it is, as a key every page translates into its own language (a person's camera
   * or microphone, the hall's). Never text in one person's language: others read it in theirs.
   */
  label: MediaDevice;
  /** Paused by its publisher or by the court (`mutedByCourt`). */
  paused: boolean;
  mutedByCourt: boolean;
  /** A microphone of a person in a private consultation: paused by the server until they are back in the hall. */
  inConsultation: boolean;
  /** The publisher is in the lobby: only LOBBY_WATCHERS may consume it. */
  inLobby: boolean;
  /** An `interpretation` source only: the participant ids it is for (nobody else consumes it). */
  listeners?: string[];
};

/** A STUN or TURN server the browser may use (from the server's configuration). */
export type IceServer = { urls: string[]; username?: string; credential?: string };

/** The answer to `media:join`: the peer, the router's codecs, and the settings for this browser. */
export type MediaJoined = {
  peerId: string;
  routerRtpCapabilities: Webrtc.RtpCapabilities;
  iceServers: IceServer[];
  standing: PeerStanding;
  /** Below this estimated bandwidth (kbit/s) the page should go audio-only. */
  audioOnlyBelowKbps: number;
};

/** A WebRTC transport made on the server, for the browser's Device to open its side. */
export type MediaTransportParams = {
  id: string;
  iceParameters: Webrtc.IceParameters;
  iceCandidates: Webrtc.IceCandidate[];
  dtlsParameters: Webrtc.DtlsParameters;
};

/** A consumer made (paused) on the server for one listed source; resumed by `media:resume-consumer`. */
export type MediaConsumerParams = {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: Webrtc.RtpParameters;
  source: MediaSource;
};

type Done = { ok: true };

/** What each media command answers (inside `{ data }`). */
export type MediaAnswers = {
  'media:join': MediaJoined;
  'media:capabilities': Done;
  'media:create-transport': MediaTransportParams;
  'media:connect-transport': Done;
  'media:restart-ice': { iceParameters: Webrtc.IceParameters };
  'media:close-transport': Done;
  'media:produce': { producerId: string };
  'media:pause-producer': Done;
  'media:consume': MediaConsumerParams;
  'media:resume-consumer': Done;
  'media:consumer-quality': Done;
  'media:leave': { left: true };
};

export type MediaCommandName = keyof MediaAnswers;

export type MediaClientEvents = { [K in MediaCommandName]: Command<MediaPayloads[K], MediaAnswers[K]> };

/** A remote participant's link as the server sees it (media/src/link-quality.ts). `audio_only`: their video is paused for the network. */
export type LinkState = 'good' | 'weak' | 'audio_only';

/** The simulcast layer forwarded to a participant: 0 is the lowest; `scaleDown` 4 is a quarter of the camera's width. */
export type LinkLayer = { spatialLayer: number; spatialLayers: number; scaleDown: number | null };

export type ParticipantLink = {
  participantId: string;
  /** What reaches them. */
  downlink: LinkState;
  /** What they send (their producers' scores); null when they publish nothing. */
  uplink: LinkState | null;
  /** The lowest layer of the video they receive now; null when none flows. */
  layer: LinkLayer | null;
  /** The server's bandwidth estimate towards them (kbit/s), when known. */
  availableKbps: number | null;
};

/** The peer's own standing in the room, sent after every change of it (null: no longer in the room). */
export type MediaYou = {
  hearingId: string;
  peerId: string;
  standing: PeerStanding;
  mutedByCourt: boolean;
  /** The person is in a private consultation: their microphones in this (the hall's) room are held paused by the server. */
  inConsultation?: boolean;
};

export type MediaServerEvents = {
  /** Everything this peer may consume now: the whole list each time (a handful of sources, never a diff). */
  'media:sources': (message: { hearingId: string; sources: MediaSource[] }) => void;
  'media:you': (you: MediaYou | null) => void;
  /** The server closed one of this peer's consumers (its source left, or the peer went to the lobby). */
  'media:consumer-closed': (message: { hearingId: string; consumerId: string }) => void;
  /** The room is gone: `worker-died` — join again (it is rebuilt on a live worker); `closed` — the hearing's media is over. */
  'media:reset': (message: { hearingId: string; reason: 'closed' | 'worker-died' }) => void;
  /**
   * Remote participants' links, when one changed (at most once a second): to the presiding judge's and
   * the secretary's peers every participant's, to a participant's own pages only their own.
   */
  'media:links': (message: { hearingId: string; links: ParticipantLink[] }) => void;
};
