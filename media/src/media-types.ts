/**
 * The types of a hearing's media shared by the server, the web app and recording: who a peer is,
 * and one live source. Types only, so the browser bundle can import them.
 */

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

/** The devices a source can be; the browser says which, the server checks it is one of these. */
export const MEDIA_DEVICES = ['microphone', 'camera', 'hall_microphone', 'hall_camera'] as const;
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
  /** The publisher is in the lobby: only LOBBY_WATCHERS may consume it. */
  inLobby: boolean;
};
