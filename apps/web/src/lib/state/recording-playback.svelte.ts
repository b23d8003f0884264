/**
 * The playback page's state: the recording (tracks, timeline, hall mix), which source plays (the
 * hall mix or one track), where playback is on the hearing's wall clock, and the verifier's last
 * verdict. The player reports the time as it plays (`tick`); a jump (`seek`) is a request the
 * player carries out, numbered so that jumping twice to the same moment still moves it.
 */
import * as api from '../api.ts';
import { errorCode, type ErrorCode } from '../api.ts';
import { recordedSpan } from '../recording/playback.ts';
import type { RecordingVerdict, RecordingView } from '$server/shared/api/recording-view.ts';

export type PlaybackSource = { kind: 'mix' } | { kind: 'track'; trackId: string };

export class RecordingPlayback {
  #view = $state.raw<RecordingView | null>(null);
  #error = $state<ErrorCode | null>(null);
  #source = $state.raw<PlaybackSource>({ kind: 'mix' });
  #at = $state(0);
  #seek = $state.raw<{ at: number; id: number }>({ at: 0, id: 0 });
  #verdict = $state.raw<RecordingVerdict | null>(null);
  #verifying = $state(false);
  #verifyError = $state<ErrorCode | null>(null);

  get view(): RecordingView | null {
    return this.#view;
  }
  get error(): ErrorCode | null {
    return this.#error;
  }
  get source(): PlaybackSource {
    return this.#source;
  }
  /** The moment playing, on the hearing's wall clock (UTC ms). */
  get at(): number {
    return this.#at;
  }
  get seekRequest(): { at: number; id: number } {
    return this.#seek;
  }
  get verdict(): RecordingVerdict | null {
    return this.#verdict;
  }
  get verifying(): boolean {
    return this.#verifying;
  }
  get verifyError(): ErrorCode | null {
    return this.#verifyError;
  }

  async load(hearingId: string): Promise<void> {
    this.#error = null;
    try {
      const view = await api.getRecording(hearingId);
      this.#view = view;
      // The mix when there is one, else the first track that has media.
      const first = view.tracks.find((t) => t.segments.length > 0);
      this.#source = view.mix || !first ? { kind: 'mix' } : { kind: 'track', trackId: first.trackId };
      this.#at = recordedSpan(view.tracks)?.from ?? 0;
    } catch (error) {
      this.#error = errorCode(error);
    }
  }

  choose(source: PlaybackSource): void {
    this.#source = source;
    this.seek(this.#at);
  }

  seek(at: number): void {
    this.#at = at;
    this.#seek = { at, id: this.#seek.id + 1 };
  }

  tick(at: number): void {
    this.#at = at;
  }

  async verify(): Promise<void> {
    if (!this.#view) return;
    this.#verifying = true;
    this.#verifyError = null;
    try {
      this.#verdict = await api.verifyRecording(this.#view.hearing.id);
    } catch (error) {
      this.#verifyError = errorCode(error);
    } finally {
      this.#verifying = false;
    }
  }
}
