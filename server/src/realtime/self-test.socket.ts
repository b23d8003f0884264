/**
 * The self-test commands of the /remote namespace (shared/socket/self-test.ts): a participant's
 * page opens a network probe on a media worker (media/src/self-test-probe.ts), tries each path,
 * has the upload measured, and reports its devices; the result goes into the hearing through its
 * rules (`remote_self_test`). One probe per connection at a time, closed when the page says so,
 * when the connection goes, or after PROBE_TTL_SECONDS. Only a live participant session of a
 * hearing not over may probe; the network part of the report is what this connection's probe
 * saw — the page cannot claim a path it did not connect.
 */
import type { types } from 'mediasoup';
import type { Socket } from 'socket.io';
import { SelfTestProbe, type ProbePath } from '../../../media/src/self-test-probe.ts';
import { AppError } from '../shared/errors.ts';
import type { Ack } from '../shared/socket/ack.ts';
import type { IceServer } from '../shared/socket/media.ts';
import {
  PROBE_PATHS,
  SELF_TEST_SCHEMAS,
  selfTestVerdict,
  type PathOutcome,
  type SelfTestAnswers,
  type SelfTestChecks,
  type SelfTestClientEvents,
  type SelfTestCommandName,
  type SelfTestPayloads,
  type SelfTestVerdict,
} from '../shared/socket/self-test.ts';
import { toAppError } from './media-signalling.ts';
import { parsePayload } from './parse-payload.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { Log } from './socket-types.ts';

export const PROBE_TTL_SECONDS = 60;

/** What the probe needs of the media set-up: a worker, the planned addresses, the TURN servers. */
export type SelfTestDeps = {
  worker: () => types.Worker;
  listenInfos: types.TransportListenInfo[];
  /** TURN servers with credentials for a label; an empty list: no TURN configured, no `relay` path. */
  iceServers: (label: string) => IceServer[];
  ratePerSecond: number;
};

type Deps = SelfTestDeps & {
  log: Log;
  /** Throws unless the connection's session may self-test now (live session, hearing not over, not refused). */
  access: () => Promise<void>;
  /** Records the result in the hearing; answers when it is committed. */
  record: (verdict: SelfTestVerdict, checks: SelfTestChecks) => Promise<void>;
};

/** A socket of the /remote namespace, as far as the self-test goes. */
type SelfTestSocket = Socket<SelfTestClientEvents>;

/** What the connection's latest probe established (kept after the probe closes, for the report). */
type Observed = { offered: Set<ProbePath>; connected: Map<ProbePath, 'udp' | 'tcp' | null>; uploadKbps: number | null };

let probeSequence = 0;

export function registerSelfTestHandlers(socket: SelfTestSocket, deps: Deps): void {
  const { log } = deps;
  const limiter = new RateLimiter(deps.ratePerSecond);
  let probe: SelfTestProbe | null = null;
  let timer: NodeJS.Timeout | null = null;
  let observed: Observed | null = null;

  const close = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (probe && observed) remember(probe, observed);
    probe?.close();
    probe = null;
  };
  const open = (): SelfTestProbe => {
    if (!probe || probe.closed) throw new AppError('invalid_transition', 'Open the self-test probe first');
    return probe;
  };

  const handlers: { [K in SelfTestCommandName]: (payload: SelfTestPayloads[K]) => Promise<SelfTestAnswers[K]> } = {
    'selftest:open': async () => {
      await deps.access();
      close();
      const label = `selftest-${socket.id}-${++probeSequence}`;
      const iceServers = deps.iceServers(label);
      const paths: ProbePath[] = iceServers.length > 0 ? [...PROBE_PATHS] : ['udp', 'tcp'];
      const opened = await SelfTestProbe.open({ worker: deps.worker(), listenInfos: deps.listenInfos, paths });
      // The page went while the probe was being made: nobody would close it.
      if (socket.disconnected) {
        opened.close();
        throw new AppError('invalid_transition', 'The connection has gone');
      }
      close();
      probe = opened;
      observed = { offered: new Set(Object.keys(opened.offered()) as ProbePath[]), connected: new Map(), uploadKbps: null };
      timer = setTimeout(close, PROBE_TTL_SECONDS * 1000);
      return { routerRtpCapabilities: opened.router.rtpCapabilities as SelfTestAnswers['selftest:open']['routerRtpCapabilities'], paths: opened.offered(), iceServers, ttlSeconds: PROBE_TTL_SECONDS };
    },
    'selftest:connect': async ({ path, dtlsParameters }) => {
      await open().connect(path, dtlsParameters);
      return { ok: true };
    },
    // The browser's object leaves streamId optional for unordered channels; mediasoup checks it.
    'selftest:produce-data': async ({ path, sctpStreamParameters }) => ({ id: await open().produceData(path, sctpStreamParameters as types.SctpStreamParameters) }),
    'selftest:paths': async () => {
      const states = await open().settledStates();
      if (probe) remember(probe, observed!);
      return states;
    },
    'selftest:measure': async ({ path, ms }) => {
      const measured = await open().measureUpload(path, ms);
      // The best path's figure is the one that counts: the page measures over the best path it has.
      observed!.uploadKbps = measured.kbps;
      return measured;
    },
    'selftest:close': async () => {
      close();
      return { closed: true };
    },
    'selftest:report': async (devices) => {
      if (!observed) throw new AppError('invalid_transition', 'Run the network probe first');
      await deps.access();
      if (probe) remember(probe, observed);
      const path = (p: ProbePath): PathOutcome => (!observed!.offered.has(p) ? 'not_offered' : observed!.connected.has(p) ? 'pass' : 'fail');
      const checks: SelfTestChecks = {
        camera: devices.camera,
        microphone: devices.microphone,
        echo: devices.echo,
        speaker: devices.speaker,
        udp: path('udp'),
        tcp: path('tcp'),
        relay: path('relay'),
        relayProtocol: path('relay') === 'pass' ? devices.relayProtocol : null,
        uploadKbps: observed.connected.size > 0 ? observed.uploadKbps : null,
      };
      const verdict = selfTestVerdict(checks);
      await deps.record(verdict, checks);
      return { verdict, checks, at: Date.now() };
    },
  };

  for (const name of Object.keys(handlers) as SelfTestCommandName[]) {
    socket.on(name, (payload: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (answer: Ack<unknown>) => void) : () => {};
      if (!limiter.take()) {
        reply({ error: { code: 'rate_limited', message: 'Too many self-test requests' } });
        return;
      }
      void (async () => {
        try {
          const parsed = parsePayload(SELF_TEST_SCHEMAS[name], payload);
          reply({ data: await (handlers[name] as (p: unknown) => Promise<unknown>)(parsed) });
        } catch (raw) {
          const error = toAppError(raw);
          if (error instanceof AppError) reply({ error: { code: error.code, message: error.message } });
          else {
            log.error({ err: error, event: name }, 'self-test command failed');
            reply({ error: { code: 'internal', message: 'Internal error' } });
          }
        }
      })();
    });
  }

  socket.on('disconnect', close);
}

/** A path counts as connected once the server has seen it connected. */
function remember(probe: SelfTestProbe, observed: Observed): void {
  if (probe.closed) return;
  for (const [path, state] of Object.entries(probe.states()) as [ProbePath, { connected: boolean; protocol: 'udp' | 'tcp' | null }][]) {
    if (state.connected) observed.connected.set(path, state.protocol);
  }
}
