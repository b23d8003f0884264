/**
 * The remote participant's page (routes/join/[token]): opens the invitation (or the session this
 * browser already holds, after a reload), lets the person check camera and microphone, enters the
 * lobby, and follows what the court decides — admitted (live), sent back to the lobby, refused,
 * hearing over. Its own socket.io connection is to the /remote namespace, authenticated by the
 * participant cookie; the media run through a MediaManager on that socket.
 */
import { io, type Socket } from 'socket.io-client';
import type { RemoteClientEvents, RemoteServerEvents } from '$server/shared/socket/remote.ts';
import { errorCode, joinSession, joinWithToken, type ErrorCode, type RemoteStanding } from '../api.ts';
import { MediaManager } from '../media/media-manager.svelte.ts';
import { isEnded } from '$server/shared/hearing/stages/stages.ts';

export type JoinPhase = 'opening' | 'check' | 'entering' | 'lobby' | 'live' | 'refused' | 'ended' | 'left' | 'error';

/** The /remote namespace, typed by its contract (shared/socket/remote.ts). */
type RemoteSocket = Socket<RemoteServerEvents, RemoteClientEvents>;

export class RemoteJoin {
  readonly media = new MediaManager();
  #standing = $state.raw<RemoteStanding | null>(null);
  #phase = $state<JoinPhase>('opening');
  #error = $state<ErrorCode | null>(null);
  #socket: RemoteSocket | null = null;
  #connected = $state(false);

  get phase(): JoinPhase {
    return this.#phase;
  }
  get standing(): RemoteStanding | null {
    return this.#standing;
  }
  get error(): ErrorCode | null {
    return this.#error;
  }
  /** False while the connection to the court is down (the page says "reconnecting"). */
  get connected(): boolean {
    return this.#connected;
  }

  /** Opens the link; a used link still works in the browser that used it (its session cookie). */
  async open(token: string): Promise<void> {
    let standing: RemoteStanding;
    try {
      standing = await joinWithToken(token).catch(async (error) => {
        if (errorCode(error) === 'invitation_used') return joinSession().catch(() => Promise.reject(error));
        throw error;
      });
    } catch (error) {
      this.#error = errorCode(error);
      this.#phase = 'error';
      return;
    }
    this.#standing = standing;
    // Back after a reload while already in the lobby or the hearing: straight in.
    if (standing.status === 'lobby' || standing.status === 'live') this.enter();
    else this.#phase = this.#phaseOf(standing);
    if (this.#phase === 'check') void this.media.openDevices(true);
  }

  /** After the check: into the lobby, with camera and microphone on for the court to see. */
  enter(): void {
    if (this.#socket) return;
    this.#phase = 'entering';
    // `?hearing=`: in a cluster, haproxy sends the connection to the node holding the hearing's room.
    const query = this.#standing ? { hearing: this.#standing.hearingId } : {};
    const socket: RemoteSocket = io('/remote', { path: '/socket.io', transports: ['websocket', 'polling'], withCredentials: true, query });
    this.#socket = socket;
    socket.on('connect', () => {
      this.#connected = true;
      socket.emit('remote:arrive', {}, (answer) => {
        if ('error' in answer) {
          this.#error = answer.error.code;
          if (answer.error.code === 'unauthenticated' || answer.error.code === 'forbidden') this.#phase = 'refused';
          return;
        }
        this.#update(answer.data);
        this.media.start({ socket, hearingId: answer.data.hearingId, devices: { audio: 'microphone', video: 'camera' } });
      });
    });
    socket.on('disconnect', () => (this.#connected = false));
    socket.on('connect_error', () => (this.#connected = false));
    socket.on('remote:standing', (standing) => this.#update(standing));
  }

  /** A lawyer opens a private consultation with their client (at once on a break; asked of the judge while the court sits). */
  openConsultation(participantId: string): void {
    this.#socket?.emit('remote:consultation-open', { participantId }, (answer) => {
      if ('error' in answer) this.#error = answer.error.code;
      else this.#update(answer.data);
    });
  }

  /** "Back to the hall": the participant's private consultation closes (for both of them). */
  closeConsultation(): void {
    this.#socket?.emit('remote:consultation-close', {}, (answer) => {
      if ('error' in answer) this.#error = answer.error.code;
      else this.#update(answer.data);
    });
  }

  /** A connection of its own for a consultation's media (the page's connection keeps the hall's). */
  consultationSocket(): RemoteSocket {
    const query = this.#standing ? { hearing: this.#standing.hearingId } : {};
    return io('/remote', { path: '/socket.io', transports: ['websocket', 'polling'], withCredentials: true, forceNew: true, query });
  }

  leave(): void {
    this.#socket?.emit('remote:leave', {}, () => this.#close('left'));
    setTimeout(() => this.#close('left'), 1000);
  }

  stop(): void {
    this.#close(this.#phase);
  }

  #close(phase: JoinPhase): void {
    this.media.stop();
    this.#socket?.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = null;
    this.#phase = phase;
  }

  #update(standing: RemoteStanding): void {
    this.#standing = standing;
    const phase = this.#phaseOf(standing);
    if (phase === 'refused' || phase === 'ended') this.#close(phase);
    else this.#phase = phase;
  }

  #phaseOf(standing: RemoteStanding): JoinPhase {
    if (isEnded(standing.hearingStatus) || standing.hearingStatus === 'cancelled') return 'ended';
    switch (standing.status) {
      case 'lobby':
        return 'lobby';
      case 'live':
        return 'live';
      case 'refused':
        return 'refused';
      case 'left':
        return this.#socket ? 'left' : 'check';
      default:
        return 'check';
    }
  }
}
