/**
 * What the recorder needs from a hearing's media room, and nothing more: the room's Router and its
 * live sources. The media room implements this with a few lines of adapter; the tests
 * implement it with PlainTransport producers fed by synthetic RTP (testing/synthetic-sources.ts).
 *
 * A source is one mediasoup Producer: a hall microphone, a remote participant's microphone or
 * camera, a hall camera. Each is recorded as its own track. A source not part of the hearing's
 * record (a participant still in the lobby) must not be offered. Whether a source is paused (a muted
 * microphone) the recorder learns from its own Consumer (`producerpause` / `producerresume`), and
 * that a source went away from `source-removed` or from the Consumer's `producerclose`.
 */
import type { types } from 'mediasoup';

/** Who or what a source is, for the track's label and for the playback page. */
export type SourceWho = {
  /** The user who publishes it, when it is a logged-in person (a lawyer, a remote prosecutor). */
  userId: string | null;
  /** The case participant it belongs to, when known (a defendant in a detention centre). */
  participantId: string | null;
  /** `hall_microphone`, `hall_camera`, or the person's hearing role (`presiding_judge`, `defender`, …). */
  role: string;
  /** Shown on the playback page: "Microphone 2 (prosecutor's table)", "Ivanov A. (remote)". */
  label: string;
};

export type RecordingSource = {
  /**
   * Stable across reconnects of the same device or person (e.g. `hall-mic-2`, `user:<id>:audio`):
   * a source that comes back with the same id continues the same track, and the time it was away
   * is a gap. A new id is a new track.
   */
  sourceId: string;
  /** The mediasoup Producer on `router` (a source whose producer has closed is simply not recorded). */
  producerId: string;
  kind: 'audio' | 'video';
  who: SourceWho;
};

export type RecordingSourcesEvents = {
  'source-added': (source: RecordingSource) => void;
  /**
   * The source went away. With `producerId`, only if that is still the source's producer: a source
   * that reconnected (same `sourceId`, new producer, announced by `source-added`) is not stopped by
   * the late removal of its old producer.
   */
  'source-removed': (sourceId: string, producerId?: string) => void;
};

/** A hearing's media room as the recorder sees it. */
export interface RecordingSources {
  /** The router the sources' producers live on; the recorder makes its PlainTransports on it. */
  readonly router: types.Router;
  /** The sources live now. */
  sources(): RecordingSource[];
  on<E extends keyof RecordingSourcesEvents>(event: E, listener: RecordingSourcesEvents[E]): unknown;
  off<E extends keyof RecordingSourcesEvents>(event: E, listener: RecordingSourcesEvents[E]): unknown;
}
