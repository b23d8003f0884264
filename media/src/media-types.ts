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

/** One live producer as recording and the hall see it. */
export type MediaSource = {
  producerId: string;
  peerId: string;
  userId: string | null;
  participantId: string | null;
  role: string;
  fullName: string;
  kind: 'audio' | 'video';
  /** What it is, e.g. "hall camera 1", "judge microphone", "camera". Chosen by the publisher, max 60 chars. */
  label: string;
  /** Paused by its publisher or by the court (`mutedByCourt`). */
  paused: boolean;
  mutedByCourt: boolean;
  /** The publisher is in the lobby: only LOBBY_WATCHERS may consume it. */
  inLobby: boolean;
};
