/**
 * The in-page half of the media.glass benchmark, installed into the real app pages (the judge's
 * workstation, the remote participant's phone page) with `page.addInitScript` before the app runs.
 * Each function is serialised into the page, so each is self-contained.
 *
 * `installGlassMedia` does two things in every page:
 *  - **Sender.** `navigator.mediaDevices.getUserMedia` returns, instead of the camera, a 640x360
 *    canvas stream (30 fps) that paints the time it is painted — performance.timeOrigin + now(),
 *    the clock every page of one browser on one machine shares — as 32 black/white blocks (8x4:
 *    24 bits of milliseconds modulo 2^24 and an 8-bit check), large enough to survive the lowest
 *    simulcast layer (160x90). Instead of the microphone, a WebAudio track: a quiet 220 Hz hum, and
 *    each time the painted second changes a 40 ms 1 kHz click, started in the same task as the frame
 *    painted at that instant; the click times are kept on `__glass.clicks`.
 *  - **Receiver.** Every remote person's <video> (`figure[data-testid="media-tile"] video`, not
 *    one's own preview) is read frame by frame after decoding: requestVideoFrameCallback, the frame
 *    drawn to a 160x90 canvas, the blocks read back; the frame's painted time and the time the
 *    browser shows it (`expectedDisplayTime`) and received its last packet (`receiveTime`) are kept
 *    on `__glass.frames`. Each remote <audio> element's stream goes through an AnalyserNode polled
 *    every 10 ms; a click's onset (the first sample over 0.25 after quiet) is placed on the shared
 *    clock with the context's output timestamp and kept on `__glass.onsets`.
 *  - **The apparatus itself.** The sender's own preview (`figure[data-testid="media-self"]`) is
 *    read like a remote video, and its own generated audio goes straight into its own analyser
 *    (both tagged `self`): the latency and A/V offset of this measuring set-up with no network and
 *    no WebRTC, which the benchmark takes off the measured offset.
 */

import type { Page } from 'playwright-core';
import type { ImpairingRelay } from './impairing-relay.ts';

export type GlassFrame = { sent: number; shown: number; received: number | null; from: string; width: number };
export type GlassPageData = {
  clicks: number[];
  frames: GlassFrame[];
  onsets: { at: number; from: string; outputClock: boolean }[];
  undecodable: number;
  clockMinusDate: number;
  contexts: { role: string; baseLatency: number; outputLatency: number | null }[];
};

export function installGlassMedia(): void {
  const W = 640;
  const H = 360;
  const COLS = 8;
  const ROWS = 4;
  const MOD = 0x1000000;
  const clock = () => performance.timeOrigin + performance.now();
  const check = (value: number) => (((value & 0xff) + ((value >> 8) & 0xff) + ((value >> 16) & 0xff)) ^ 0xa5) & 0xff;
  const state: GlassPageData = { clicks: [], frames: [], onsets: [], undecodable: 0, clockMinusDate: 0, contexts: [] };
  (window as unknown as { __glass: GlassPageData }).__glass = state;

  // ---------------------------------------------------------------- sender
  let source: { video: MediaStreamTrack; audio: MediaStreamTrack } | null = null;
  const startSource = () => {
    const canvas = document.createElement('canvas');
    canvas.width = W;
    canvas.height = H;
    const g = canvas.getContext('2d')!;
    const video = canvas.captureStream(30).getVideoTracks()[0];
    const audioContext = new AudioContext({ sampleRate: 48_000 });
    void audioContext.resume();
    const destination = audioContext.createMediaStreamDestination();
    const hum = audioContext.createOscillator();
    hum.frequency.value = 220;
    const humGain = audioContext.createGain();
    humGain.gain.value = 0.02;
    hum.connect(humGain).connect(destination);
    hum.start();
    const beep = audioContext.createOscillator();
    beep.frequency.value = 1000;
    const beepGain = audioContext.createGain();
    beepGain.gain.value = 0;
    beep.connect(beepGain).connect(destination);
    beep.start();
    let lastSecond = -1;
    const paint = () => {
      const t = clock();
      const ms = Math.floor(t);
      const second = Math.floor(ms / 1000);
      const value = ms % MOD;
      const bits = [...Array(24)].map((_, i) => (value >> i) & 1).concat([...Array(8)].map((_, i) => (check(value) >> i) & 1));
      g.fillStyle = '#000';
      g.fillRect(0, 0, W, H);
      g.fillStyle = '#fff';
      bits.forEach((bit, i) => bit && g.fillRect((i % COLS) * (W / COLS), Math.floor(i / COLS) * (H / ROWS), W / COLS, H / ROWS));
      if (lastSecond !== -1 && second !== lastSecond) {
        beepGain.gain.setValueAtTime(0.8, audioContext.currentTime);
        beepGain.gain.setValueAtTime(0, audioContext.currentTime + 0.04);
        state.clicks.push(t);
      }
      lastSecond = second;
    };
    setInterval(paint, 33);
    paint();
    // The measuring apparatus's own audio latency: this page's clicks straight into its own analyser.
    tapStream(destination.stream, 'self');
    state.contexts.push({ role: 'sender', baseLatency: audioContext.baseLatency, outputLatency: audioContext.outputLatency ?? null });
    return { video, audio: destination.stream.getAudioTracks()[0] };
  };
  navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    source ??= startSource();
    const tracks: MediaStreamTrack[] = [];
    if (constraints?.audio) tracks.push(source.audio.clone());
    if (constraints?.video) tracks.push(source.video.clone());
    return new MediaStream(tracks);
  };

  // ---------------------------------------------------------------- receiver
  const scan = document.createElement('canvas');
  scan.width = 160;
  scan.height = 90;
  const sg = scan.getContext('2d', { willReadFrequently: true })!;
  const read = (video: HTMLVideoElement): number | null => {
    sg.drawImage(video, 0, 0, 160, 90);
    const data = sg.getImageData(0, 0, 160, 90).data;
    let value = 0;
    let checked = 0;
    for (let i = 0; i < 32; i++) {
      const cx = Math.round((i % COLS) * 20 + 10);
      const cy = Math.round(Math.floor(i / COLS) * 22.5 + 11);
      let sum = 0;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) sum += data[((cy + dy) * 160 + cx + dx) * 4 + 1];
      const bit = sum / 25 > 128 ? 1 : 0;
      if (i < 24) value |= bit << i;
      else checked |= bit << (i - 24);
    }
    return checked === check(value) ? value : null;
  };
  const hooked = new WeakSet<HTMLVideoElement>();
  const hook = (video: HTMLVideoElement) => {
    let last = -1;
    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
      const figure = video.closest('figure');
      const from = figure?.getAttribute('data-testid') === 'media-self' ? 'self' : (figure?.getAttribute('data-name') ?? '?');
      if (video.videoWidth > 0) {
        const value = read(video);
        if (value === null) state.undecodable++;
        else if (value !== last) {
          last = value;
          const shown = performance.timeOrigin + meta.expectedDisplayTime;
          let sent = Math.floor(shown) - (Math.floor(shown) % MOD) + value;
          if (sent > shown + 1000) sent -= MOD;
          const receiveTime = (meta as { receiveTime?: number }).receiveTime;
          state.frames.push({ sent, shown, received: receiveTime ? performance.timeOrigin + receiveTime : null, from, width: meta.width });
        }
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };

  let listen: AudioContext | null = null;
  const taps: { analyser: AnalyserNode; from: string; lastOnset: number; buffer: Float32Array<ArrayBuffer> }[] = [];
  const tapped = new WeakMap<HTMLAudioElement, MediaStream>();
  const tap = (audio: HTMLAudioElement) => {
    const stream = audio.srcObject as MediaStream | null;
    if (!stream || stream.getAudioTracks().length === 0 || tapped.get(audio) === stream) return;
    tapped.set(audio, stream);
    tapStream(stream, audio.closest('figure')?.getAttribute('data-name') ?? '?');
  };
  const tapStream = (stream: MediaStream, from: string) => {
    if (!listen) {
      listen = new AudioContext({ sampleRate: 48_000 });
      state.contexts.push({ role: 'receiver', baseLatency: listen.baseLatency, outputLatency: listen.outputLatency ?? null });
    }
    void listen.resume();
    const analyser = listen.createAnalyser();
    analyser.fftSize = 2048;
    const silent = listen.createGain();
    silent.gain.value = 0;
    listen.createMediaStreamSource(stream).connect(analyser).connect(silent).connect(listen.destination);
    taps.push({ analyser, from, lastOnset: 0, buffer: new Float32Array(2048) });
  };
  const poll = () => {
    if (!listen) return;
    const end = listen.currentTime;
    const stamp = listen.getOutputTimestamp();
    const outputClock = (stamp.performanceTime ?? 0) > 0 && (stamp.contextTime ?? 0) > 0;
    const wallOf = (contextTime: number) =>
      performance.timeOrigin + (outputClock ? stamp.performanceTime! + (contextTime - stamp.contextTime!) * 1000 : performance.now() - (end - contextTime) * 1000);
    for (const t of taps) {
      t.analyser.getFloatTimeDomainData(t.buffer);
      const n = t.buffer.length;
      const first = t.buffer.findIndex((s) => Math.abs(s) > 0.25);
      if (first < 64) continue; // nothing, or the click began before this window (seen by an earlier poll)
      const at = wallOf(end - (n - first) / listen.sampleRate);
      if (at - t.lastOnset < 500) continue;
      t.lastOnset = at;
      state.onsets.push({ at, from: t.from, outputClock });
    }
  };
  setInterval(() => {
    state.clockMinusDate = clock() - Date.now();
    for (const video of Array.from(document.querySelectorAll<HTMLVideoElement>('figure[data-testid="media-tile"] video, figure[data-testid="media-self"] video'))) {
      if (!hooked.has(video)) {
        hooked.add(video);
        hook(video);
      }
    }
    for (const audio of Array.from(document.querySelectorAll<HTMLAudioElement>('figure[data-testid="media-tile"] audio'))) tap(audio);
  }, 250);
  setInterval(poll, 10);
}

/**
 * For the impaired path, in the phone's page only: every remote description mediasoup-client sets
 * has its UDP candidates (the server's address and port) replaced by the relay's port for that
 * address (`__glassRelay`, exposed by the benchmark), and its TCP candidates dropped, so all of the
 * phone's media go through the impairing relay; the judge's page keeps its direct path.
 */
export function routeThroughRelay(): void {
  const relay = (ip: string, port: number) => (window as unknown as { __glassRelay: (ip: string, port: number) => Promise<number> }).__glassRelay(ip, port);
  const original = RTCPeerConnection.prototype.setRemoteDescription as (this: RTCPeerConnection, description: RTCSessionDescriptionInit) => Promise<void>;
  RTCPeerConnection.prototype.setRemoteDescription = async function (this: RTCPeerConnection, description?: RTCSessionDescriptionInit) {
    if (description?.sdp) {
      const lines: string[] = [];
      for (const line of description.sdp.split('\r\n')) {
        const m = /^a=candidate:(\S+) (\d+) (\S+) (\d+) (\S+) (\d+) (.*)$/.exec(line);
        if (!m) lines.push(line);
        else if (m[3].toLowerCase() === 'udp') {
          const port = await relay(m[5], Number(m[6]));
          lines.push(`a=candidate:${m[1]} ${m[2]} ${m[3]} ${m[4]} 127.0.0.1 ${port} ${m[7]}`);
        }
      }
      description = { type: description.type, sdp: lines.join('\r\n') };
    }
    return original.call(this, description as RTCSessionDescriptionInit);
  } as typeof RTCPeerConnection.prototype.setRemoteDescription;
}

/** Routes all of a page's media through the impairing relay (routeThroughRelay, with `__glassRelay` exposed); before the page loads. */
export async function routePageThroughRelay(page: Page, relay: ImpairingRelay): Promise<void> {
  await page.exposeFunction('__glassRelay', (ip: string, port: number) => relay.portFor(ip, port));
  await page.addInitScript(routeThroughRelay);
}
