/**
 * A hearing's media for a page: asks for the camera and microphone, runs a MediaSession on the
 * given socket, and mirrors its state into runes for the components. Pages call `start()` and
 * `stop()`; components read the getters and call the intents.
 */
import { MediaSession, type MediaDevice, type MediaPhase, type MediaSocket, type ParticipantLink, type RemoteMedia } from './media-session.ts';

export type LocalState = 'idle' | 'asking' | 'ready' | 'denied' | 'none';

export class MediaManager {
  #session: MediaSession | null = null;
  #local = $state.raw<MediaStream | null>(null);
  #localState = $state<LocalState>('idle');
  #phase = $state<MediaPhase | null>(null);
  #standing = $state<'lobby' | 'live' | null>(null);
  #mutedByCourt = $state(false);
  #inConsultation = $state(false);
  #micOff = $state(false);
  #audioOnly = $state(false);
  #audioOnlyAutomatic = $state(false);
  #remote = $state.raw<RemoteMedia[]>([]);
  #error = $state<string | null>(null);
  #links = $state.raw<ParticipantLink[]>([]);
  #channelOn = $state(false);

  get local(): MediaStream | null {
    return this.#local;
  }
  get localState(): LocalState {
    return this.#localState;
  }
  get phase(): MediaPhase | null {
    return this.#phase;
  }
  get standing(): 'lobby' | 'live' | null {
    return this.#standing;
  }
  get mutedByCourt(): boolean {
    return this.#mutedByCourt;
  }
  /** In a private consultation: the hall microphone is off for it (held by the server). */
  get inConsultation(): boolean {
    return this.#inConsultation;
  }
  get micOff(): boolean {
    return this.#micOff;
  }
  get audioOnly(): boolean {
    return this.#audioOnly;
  }
  get audioOnlyAutomatic(): boolean {
    return this.#audioOnlyAutomatic;
  }
  get remote(): RemoteMedia[] {
    return this.#remote;
  }
  get error(): string | null {
    return this.#error;
  }
  /** Remote participants' links (link-quality.ts on the server): the court gets everyone's, a participant their own. */
  get links(): ParticipantLink[] {
    return this.#links;
  }
  /** An appointed interpreter speaks into their channel (MediaSession.setChannel). */
  get channelOn(): boolean {
    return this.#channelOn;
  }
  setChannel(on: boolean): void {
    void this.#session?.setChannel(on);
  }
  linkOf(participantId: string | null): ParticipantLink | null {
    return participantId ? (this.#links.find((l) => l.participantId === participantId) ?? null) : null;
  }

  /** The camera and microphone (either may be missing: a hall workstation without a camera). */
  async openDevices(video = true): Promise<MediaStream | null> {
    if (this.#local) return this.#local;
    this.#localState = 'asking';
    try {
      this.#local = await navigator.mediaDevices.getUserMedia({ audio: true, video: video ? { width: { ideal: 640 }, height: { ideal: 360 } } : false });
      this.#localState = 'ready';
    } catch (error) {
      // No camera: try the microphone alone before giving up.
      try {
        this.#local = video ? await navigator.mediaDevices.getUserMedia({ audio: true }) : null;
        this.#localState = this.#local ? 'ready' : 'none';
      } catch {
        this.#localState = (error as DOMException)?.name === 'NotAllowedError' ? 'denied' : 'none';
      }
    }
    return this.#local;
  }

  /** Joins the hearing's media on `socket`, publishing the camera and microphone (opened once admitted to the media). */
  start(options: { socket: MediaSocket; hearingId: string; consultationId?: string | null; devices: { audio: MediaDevice; video: MediaDevice }; video?: boolean }): void {
    if (this.#session?.hearingId === options.hearingId) return;
    this.#session?.stop();
    const session = new MediaSession({ ...options, openLocal: () => this.openDevices(options.video ?? true), onChange: () => this.#mirror(session) });
    this.#session = session;
    void session.start();
  }

  setMicOff(off: boolean): void {
    this.#session?.setMicOff(off);
  }

  setAudioOnly(on: boolean): void {
    this.#session?.setAudioOnly(on);
  }

  stop(): void {
    this.#session?.stop();
    this.#session = null;
    for (const track of this.#local?.getTracks() ?? []) track.stop();
    this.#local = null;
    this.#localState = 'idle';
    this.#phase = null;
    this.#remote = [];
    this.#links = [];
  }

  #mirror(session: MediaSession): void {
    if (session !== this.#session) return;
    this.#phase = session.phase;
    this.#standing = session.standing;
    this.#mutedByCourt = session.mutedByCourt;
    this.#inConsultation = session.inConsultation;
    this.#micOff = session.micOff;
    this.#audioOnly = session.audioOnly;
    this.#audioOnlyAutomatic = session.audioOnlyAutomatic;
    this.#remote = session.remote;
    this.#error = session.error;
    this.#links = session.links;
    this.#channelOn = session.channelOn;
  }
}
