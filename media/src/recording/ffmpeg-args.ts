/**
 * The SDP that tells ffmpeg what arrives on its UDP port, and the ffmpeg command lines: the copying
 * segment recorder (what runs in a hearing) and the transcoding one (only for the benchmark's
 * comparison).
 */
import type { types } from 'mediasoup';

export const RECORDER_IP = '127.0.0.1';

/** An SDP for one consumer's stream arriving at `port` on loopback, RTCP muxed on the same port. */
export function consumerSdp(rtp: types.RtpParameters, kind: 'audio' | 'video', port: number): string {
  const codec = rtp.codecs[0];
  const name = codec.mimeType.split('/')[1];
  const channels = kind === 'audio' && codec.channels ? `/${codec.channels}` : '';
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(';');
  return [
    'v=0',
    `o=- 0 0 IN IP4 ${RECORDER_IP}`,
    's=e-Zal recorder',
    `c=IN IP4 ${RECORDER_IP}`,
    't=0 0',
    `m=${kind} ${port} RTP/AVP ${codec.payloadType}`,
    `a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${channels}`,
    ...(fmtp ? [`a=fmtp:${codec.payloadType} ${fmtp}`] : []),
    'a=rtcp-mux',
    'a=recvonly',
    '',
  ].join('\r\n');
}

const INPUT = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-protocol_whitelist', 'file,udp,rtp', '-reorder_queue_size', '100'];

/**
 * Copies the stream, never re-encoding it, into WebM segments of about `segmentSeconds`. ffmpeg
 * appends a line to `listFile` only after a segment file is complete and closed: that line is our
 * signal to hash it. Video segments can only start on a key frame; the recorder asks for one at
 * every boundary. `runTag` keeps file names of successive ffmpeg runs apart.
 */
export function copyRecorderArgs(o: { sdpFile: string; dir: string; listFile: string; runTag: string; segmentSeconds: number }): string[] {
  return [
    ...INPUT,
    '-i',
    o.sdpFile,
    '-map',
    '0',
    '-c',
    'copy',
    '-f',
    'segment',
    '-segment_time',
    String(o.segmentSeconds),
    '-segment_format',
    'webm',
    '-segment_list',
    o.listFile,
    '-segment_list_type',
    'csv',
    '-reset_timestamps',
    '1',
    `${o.dir}/${o.runTag}-%05d.webm`,
  ];
}

/** The same input re-encoded (libopus / libvpx realtime): the cost a transcoding recorder would pay. */
export function transcodingRecorderArgs(o: { sdpFile: string; kind: 'audio' | 'video'; output: string }): string[] {
  const codec = o.kind === 'audio' ? ['-c:a', 'libopus', '-b:a', '48k'] : ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '600k', '-threads', '1'];
  return [...INPUT, '-i', o.sdpFile, '-map', '0', ...codec, '-f', 'webm', '-y', o.output];
}
