/**
 * What the media specs share to drive a hearing's media room against a real mediasoup worker: a
 * worker pool on a port range of the spec's own, a loopback transport set-up, the RTP parameters a
 * browser would send for an Opus microphone, and a silent log. For specs only.
 */
import type { types } from 'mediasoup';
import { resolveWorkerBin } from '../worker/worker-bin.ts';
import { MediaWorkerPool } from './worker-pool.ts';

export const quietLog = { info() {}, error() {} };

/** WebRTC transports on loopback, UDP only. */
export const LOOPBACK_UDP_TRANSPORT = { listenInfos: [{ protocol: 'udp' as const, ip: '127.0.0.1' }], initialOutgoingBitrate: 600_000 };

/** A pool of real mediasoup workers whose WebRTC ports are rtcMinPort..rtcMaxPort (a range no other spec uses). */
export function startTestPool(workers: number, rtcMinPort: number, rtcMaxPort: number): Promise<MediaWorkerPool> {
  return MediaWorkerPool.start({ workers, workerBin: resolveWorkerBin(), rtcMinPort, rtcMaxPort, log: quietLog });
}

/** What a browser would send for an Opus microphone. */
export const opus = (ssrc: number): types.RtpParameters => ({
  mid: String(ssrc),
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc }],
  rtcp: { cname: `c${ssrc}` },
});
