/**
 * The device half of the phone's self-test: frames from the camera, a level from the microphone
 * (with three seconds recorded and played back, the echo), and a test tone for the speaker. Each
 * works on the page's own local stream; nothing is sent anywhere. The AudioContext is made in the
 * person's tap (phones start sound only from one) and handed in. No Svelte here.
 */

/**
 * Whether the camera delivers frames: within five seconds the picture has a size and either three
 * frames were counted or its clock moved on (a frozen or black-holed camera does neither).
 */
export function cameraDelivers(stream: MediaStream | null): Promise<boolean> {
  const track = stream?.getVideoTracks()[0];
  if (!track || track.readyState !== 'live') return Promise.resolve(false);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  return new Promise<boolean>((resolve) => {
    let startTime: number | null = null;
    const delivering = () => {
      if (video.videoWidth === 0) return false;
      const frames = video.getVideoPlaybackQuality?.().totalVideoFrames ?? 0;
      startTime ??= video.currentTime;
      return frames >= 3 || video.currentTime - startTime >= 0.2;
    };
    const done = (ok: boolean) => {
      clearInterval(poll);
      clearTimeout(timer);
      video.pause();
      video.srcObject = null;
      resolve(ok);
    };
    const poll = setInterval(() => delivering() && done(true), 100);
    const timer = setTimeout(() => done(delivering()), 5_000);
    video.play().catch(() => done(false));
  });
}

/** RMS above this (0..1) is sound, not silence (a quiet room is about 0.001–0.003). */
const SOUND_LEVEL = 0.01;

/**
 * Listens to the microphone for `ms` while recording it: `onLevel` gets the level about 20 times a
 * second (for the meter). Answers whether anything above silence was heard, and the recording.
 */
export async function listenAndRecord(context: AudioContext, stream: MediaStream | null, ms: number, onLevel: (level: number) => void): Promise<{ heard: boolean; recording: Blob | null }> {
  const track = stream?.getAudioTracks()[0];
  if (!track || track.readyState !== 'live') return { heard: false, recording: null };
  const audio = new MediaStream([track]);
  const source = context.createMediaStreamSource(audio);
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let loudest = 0;
  const meter = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    const rms = Math.sqrt(sum / samples.length);
    loudest = Math.max(loudest, rms);
    onLevel(Math.min(1, rms * 4));
  }, 50);

  try {
    const recording = await record(audio, ms);
    return { heard: loudest > SOUND_LEVEL, recording };
  } finally {
    clearInterval(meter);
    source.disconnect();
    onLevel(0);
  }
}

function record(audio: MediaStream, ms: number): Promise<Blob | null> {
  if (typeof MediaRecorder === 'undefined') return new Promise((resolve) => setTimeout(() => resolve(null), ms));
  return new Promise((resolve) => {
    const chunks: Blob[] = [];
    const recorder = new MediaRecorder(audio);
    recorder.ondataavailable = (event) => event.data.size > 0 && chunks.push(event.data);
    recorder.onstop = () => resolve(chunks.length > 0 ? new Blob(chunks, { type: recorder.mimeType }) : null);
    recorder.onerror = () => resolve(null);
    recorder.start();
    setTimeout(() => recorder.state !== 'inactive' && recorder.stop(), ms);
  });
}

/** Plays the recording back through the speaker (the echo); true when it played to the end. */
export async function playBack(context: AudioContext, recording: Blob): Promise<boolean> {
  try {
    const buffer = await context.decodeAudioData(await recording.arrayBuffer());
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    await new Promise<void>((resolve) => {
      source.onended = () => resolve();
      source.start();
      // Never stuck: a context that does not run (no output device) ends the playback too.
      setTimeout(resolve, buffer.duration * 1000 + 2_000);
    });
    return buffer.duration > 0.5;
  } catch {
    return false;
  }
}

/** A soft 440 Hz tone, one second on and half a second off, until `stop()`. */
export function playTone(context: AudioContext): { stop(): void } {
  const gain = context.createGain();
  gain.gain.value = 0;
  gain.connect(context.destination);
  const oscillator = context.createOscillator();
  oscillator.frequency.value = 440;
  oscillator.connect(gain);
  oscillator.start();
  const beep = () => {
    const now = context.currentTime;
    gain.gain.setValueAtTime(0.25, now);
    gain.gain.setValueAtTime(0, now + 1);
  };
  beep();
  const timer = setInterval(beep, 1_500);
  return {
    stop() {
      clearInterval(timer);
      oscillator.stop();
      oscillator.disconnect();
      gain.disconnect();
    },
  };
}
