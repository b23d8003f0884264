/**
 * The phone's self-test, as the page follows it (self-test-step.svelte): camera, microphone with a level
 * meter and an echo, speaker (a tone the person confirms), and the network probe, run over a /remote
 * connection of its own; the result is recorded by the server and shown to the court. Re-runnable.
 */
import { io, type Socket } from 'socket.io-client';
import type { DeviceOutcome, PathOutcome, ProbePath, SelfTestResult } from '$server/shared/socket/self-test.ts';
import { cameraDelivers, listenAndRecord, playBack, playTone } from './self-test-devices.ts';
import { probeNetwork, request, SelfTestError } from './self-test-network.ts';

export type SelfTestPhase = 'idle' | 'running' | 'done' | 'error';
export type StepName = 'camera' | 'microphone' | 'echo' | 'speaker' | ProbePath;
export type StepState = 'pending' | 'running' | DeviceOutcome | PathOutcome;
export type EchoState = 'idle' | 'recording' | 'playing';

const ECHO_MS = 3_000;
const STEPS: StepName[] = ['camera', 'microphone', 'echo', 'speaker', 'udp', 'tcp', 'relay'];

export class SelfTestManager {
  #phase = $state<SelfTestPhase>('idle');
  #steps = $state<Record<StepName, StepState>>(initialSteps());
  #level = $state(0);
  #echo = $state<EchoState>('idle');
  #askingSpeaker = $state(false);
  #result = $state.raw<SelfTestResult | null>(null);
  #error = $state<string | null>(null);
  #speakerAnswer: ((heard: boolean) => void) | null = null;
  /** What the browser itself saw of each path (the steps show the server's word once it is in). */
  #seen = $state<Partial<Record<ProbePath, boolean>>>({});

  get phase(): SelfTestPhase {
    return this.#phase;
  }
  get steps(): Record<StepName, StepState> {
    return this.#steps;
  }
  get seen(): Partial<Record<ProbePath, boolean>> {
    return this.#seen;
  }
  /** The microphone's level now, 0..1 (the meter). */
  get level(): number {
    return this.#level;
  }
  get echo(): EchoState {
    return this.#echo;
  }
  /** The tone is playing: the page asks whether the person hears it. */
  get askingSpeaker(): boolean {
    return this.#askingSpeaker;
  }
  /** The recorded result (the server's verdict and checks). */
  get result(): SelfTestResult | null {
    return this.#result;
  }
  /** An error code (shared/errors.ts, or `unavailable`) when the test could not run. */
  get error(): string | null {
    return this.#error;
  }

  /** Runs the whole test; call it from the person's tap (sound may start only from one). */
  async run(options: { stream: MediaStream | null; hearingId: string | null }): Promise<void> {
    if (this.#phase === 'running') return;
    const context = new AudioContext();
    void context.resume();
    this.#phase = 'running';
    this.#steps = initialSteps();
    this.#seen = {};
    this.#result = null;
    this.#error = null;
    const socket: Socket = io('/remote', {
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      withCredentials: true,
      forceNew: true,
      query: options.hearingId ? { hearing: options.hearingId } : {},
    });
    // Tapped before the page's camera preview was ready (or after it failed): the test asks for the
    // camera and microphone itself, so it reports the devices, not the moment of the tap.
    const own = hasLiveTracks(options.stream) ? null : await askForDevices();
    try {
      await connected(socket);
      for (const path of ['udp', 'tcp', 'relay'] as const) this.#steps[path] = 'running';
      const network = probeNetwork(socket, (path, ok) => {
        this.#steps[path] = ok ? 'pass' : 'fail';
        this.#seen[path] = ok;
      });
      const devices = this.#devices(context, own ?? options.stream);
      const [net, dev] = await Promise.all([network, devices]);
      const result = await request(socket, 'selftest:report', { ...dev, relayProtocol: net.relayProtocol });
      for (const step of STEPS) this.#steps[step] = result.checks[step];
      this.#result = result;
      this.#phase = 'done';
    } catch (error) {
      this.#error = error instanceof SelfTestError ? error.code : 'unavailable';
      this.#phase = 'error';
    } finally {
      this.#answerSpeaker(false);
      socket.removeAllListeners();
      socket.disconnect();
      for (const track of own?.getTracks() ?? []) track.stop();
      void context.close();
    }
  }

  /** The person's answer to "do you hear the tone?". */
  answerSpeaker(heard: boolean): void {
    this.#answerSpeaker(heard);
  }

  #answerSpeaker(heard: boolean): void {
    const answer = this.#speakerAnswer;
    this.#speakerAnswer = null;
    answer?.(heard);
  }

  async #devices(context: AudioContext, stream: MediaStream | null): Promise<{ camera: DeviceOutcome; microphone: DeviceOutcome; echo: DeviceOutcome; speaker: DeviceOutcome }> {
    this.#steps.camera = 'running';
    const camera = cameraDelivers(stream).then((ok): DeviceOutcome => {
      this.#steps.camera = ok ? 'pass' : 'fail';
      return ok ? 'pass' : 'fail';
    });

    this.#steps.microphone = 'running';
    this.#steps.echo = 'running';
    this.#echo = 'recording';
    const { heard, recording } = await listenAndRecord(context, stream, ECHO_MS, (level) => (this.#level = level));
    this.#steps.microphone = heard ? 'pass' : 'fail';
    this.#echo = 'playing';
    this.#steps.echo = recording && (await playBack(context, recording)) ? 'pass' : 'fail';
    this.#echo = 'idle';

    this.#steps.speaker = 'running';
    const tone = playTone(context);
    this.#askingSpeaker = true;
    const speaker = await new Promise<boolean>((resolve) => (this.#speakerAnswer = resolve));
    tone.stop();
    this.#askingSpeaker = false;
    this.#steps.speaker = speaker ? 'pass' : 'fail';

    const cameraOutcome = await camera;
    return { camera: cameraOutcome, microphone: this.#steps.microphone as DeviceOutcome, echo: this.#steps.echo as DeviceOutcome, speaker: this.#steps.speaker as DeviceOutcome };
  }
}

function hasLiveTracks(stream: MediaStream | null): boolean {
  const live = (tracks: MediaStreamTrack[] | undefined) => tracks?.some((track) => track.readyState === 'live') ?? false;
  return live(stream?.getVideoTracks()) && live(stream?.getAudioTracks());
}

/** The camera and microphone for the test alone; null when the person or the phone refuses them. */
async function askForDevices(): Promise<MediaStream | null> {
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  } catch {
    return null;
  }
}

function initialSteps(): Record<StepName, StepState> {
  return Object.fromEntries(STEPS.map((step) => [step, 'pending'])) as Record<StepName, StepState>;
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(new SelfTestError(error.message === 'unauthenticated' ? 'unauthenticated' : 'unavailable', error.message)));
  });
}
