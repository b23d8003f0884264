/**
 * The self-test of a remote participant's phone (docs/media.md, "The self-test"), over the /remote
 * namespace before the lobby: the page opens a network probe on the media server
 * (`selftest:open`), tries each path — UDP, TCP, the court's TURN relay — as a WebRTC transport
 * with a data channel, has the server measure the upload over the best one, closes the probe, then
 * reports what the person's own devices did (`selftest:report`). The server records the result
 * in the hearing (`remote.self_tested`) with the network part as *it* saw it, never as the page
 * claims; the secretary's panel shows each participant's last result. The verdict is computed here
 * so the page, the server and the panel agree.
 */
import { Type, type Static } from 'typebox';
import type { types as Webrtc } from 'mediasoup-client';
import type { Command } from './ack.ts';
import type { IceServer } from './media.ts';

export const PROBE_PATHS = ['udp', 'tcp', 'relay'] as const;
export type ProbePath = (typeof PROBE_PATHS)[number];

/** A device check: passed, failed, or not done (the person skipped it or the browser cannot). */
export type DeviceOutcome = 'pass' | 'fail' | 'skipped';
/** A network path: connected, tried and did not connect, or not offered by this court's set-up. */
export type PathOutcome = 'pass' | 'fail' | 'not_offered';

export type SelfTestChecks = {
  /** Frames arrived from the camera. */
  camera: DeviceOutcome;
  /** The level meter moved: the microphone hears something. */
  microphone: DeviceOutcome;
  /** Three seconds recorded and played back. */
  echo: DeviceOutcome;
  /** The person heard the test tone (their own answer). */
  speaker: DeviceOutcome;
  udp: PathOutcome;
  tcp: PathOutcome;
  /** Through TURN (`not_offered`: no TURN server configured). */
  relay: PathOutcome;
  /** How the phone reached the TURN server (the browser's own statistics), when the relay connected. */
  relayProtocol: 'udp' | 'tcp' | 'tls' | null;
  /** Upload measured by the media server over the best path that connected, kbit/s; null when none did. */
  uploadKbps: number | null;
};

/**
 * ready: everything works directly; ready_relay: works, through the court's relay only (UDP and
 * direct TCP blocked); limited: works, but the upload is too low for video; fails: no path to the
 * media server, or the camera, microphone or speaker does not work.
 */
export const SELF_TEST_VERDICTS = ['ready', 'ready_relay', 'limited', 'fails'] as const;
export type SelfTestVerdict = (typeof SELF_TEST_VERDICTS)[number];

/** Below this upload the phone's video will not get through well (the hearing goes audio-only sooner). */
export const LOW_UPLOAD_KBPS = 300;

export function selfTestVerdict(checks: SelfTestChecks): SelfTestVerdict {
  const direct = checks.udp === 'pass' || checks.tcp === 'pass';
  if (!direct && checks.relay !== 'pass') return 'fails';
  if (checks.camera === 'fail' || checks.microphone === 'fail' || checks.speaker === 'fail') return 'fails';
  if (checks.uploadKbps !== null && checks.uploadKbps < LOW_UPLOAD_KBPS) return 'limited';
  return direct ? 'ready' : 'ready_relay';
}

/** The recorded result (the event's payload, and the participant's entry in the hearing's state). */
export type SelfTestResult = { verdict: SelfTestVerdict; checks: SelfTestChecks; at: number };

export type ProbeTransport = {
  id: string;
  iceParameters: Webrtc.IceParameters;
  iceCandidates: Webrtc.IceCandidate[];
  dtlsParameters: Webrtc.DtlsParameters;
  sctpParameters: Webrtc.SctpParameters;
};

export type SelfTestOpened = {
  routerRtpCapabilities: Webrtc.RtpCapabilities;
  /** Each path the server offers (UDP or TCP may be switched off, `relay` needs TURN configured). */
  paths: Partial<Record<ProbePath, ProbeTransport>>;
  /** For the `relay` path: the TURN servers with this probe's own credentials. */
  iceServers: IceServer[];
  /** The probe closes itself after this long. */
  ttlSeconds: number;
};

export type SelfTestPathStates = Partial<Record<ProbePath, { connected: boolean; protocol: 'udp' | 'tcp' | null }>>;

const strict = { additionalProperties: false } as const;
const Path = Type.Union([Type.Literal('udp'), Type.Literal('tcp'), Type.Literal('relay')]);
const Params = Type.Object({}, { additionalProperties: true });
const Device = Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('skipped')]);

export const SELF_TEST_SCHEMAS = {
  'selftest:open': Type.Object({}, strict),
  'selftest:connect': Type.Object({ path: Path, dtlsParameters: Params }, strict),
  'selftest:produce-data': Type.Object({ path: Path, sctpStreamParameters: Params }, strict),
  'selftest:paths': Type.Object({}, strict),
  /** The server counts what arrives on the path's data channel for `ms` (1–5 s). */
  'selftest:measure': Type.Object({ path: Path, ms: Type.Integer({ minimum: 1000, maximum: 5000 }) }, strict),
  'selftest:close': Type.Object({}, strict),
  /** What the person's own devices did, and how the browser reached the relay; the network part is the server's. */
  'selftest:report': Type.Object(
    {
      camera: Device,
      microphone: Device,
      echo: Device,
      speaker: Device,
      relayProtocol: Type.Union([Type.Literal('udp'), Type.Literal('tcp'), Type.Literal('tls'), Type.Null()]),
    },
    strict,
  ),
};

type Payload<K extends keyof typeof SELF_TEST_SCHEMAS> = Static<(typeof SELF_TEST_SCHEMAS)[K]>;
type WithWebrtc<T, R> = Omit<T, keyof R> & R;

export type SelfTestPayloads = {
  'selftest:open': Payload<'selftest:open'>;
  'selftest:connect': WithWebrtc<Payload<'selftest:connect'>, { dtlsParameters: Webrtc.DtlsParameters }>;
  'selftest:produce-data': WithWebrtc<Payload<'selftest:produce-data'>, { sctpStreamParameters: Webrtc.SctpStreamParameters }>;
  'selftest:paths': Payload<'selftest:paths'>;
  'selftest:measure': Payload<'selftest:measure'>;
  'selftest:close': Payload<'selftest:close'>;
  'selftest:report': Payload<'selftest:report'>;
};

export type SelfTestAnswers = {
  'selftest:open': SelfTestOpened;
  'selftest:connect': { ok: true };
  'selftest:produce-data': { id: string };
  'selftest:paths': SelfTestPathStates;
  'selftest:measure': { kbps: number; bytes: number; ms: number };
  'selftest:close': { closed: true };
  'selftest:report': SelfTestResult;
};

export type SelfTestCommandName = keyof SelfTestPayloads;

export type SelfTestClientEvents = { [K in SelfTestCommandName]: Command<SelfTestPayloads[K], SelfTestAnswers[K]> };
