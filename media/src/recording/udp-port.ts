/** Finding a free loopback UDP port for an ffmpeg recorder, and knowing when ffmpeg has bound it. */
import dgram from 'node:dgram';
import { RECORDER_IP } from './ffmpeg-args.ts';

function tryBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, RECORDER_IP, () => socket.close(() => resolve(true)));
  });
}

/**
 * An even port with its odd neighbour free too (ffmpeg's RTP input binds port+1 for RTCP even
 * when RTCP is muxed). Random within the range, so concurrent recorders rarely collide, and a
 * collision just costs another try. Outside mediasoup's default RTC range (40000–49999), so a
 * port the worker holds is never mistaken for ffmpeg having bound it.
 */
export async function freeRecorderPort(range: { min: number; max: number } = { min: 51000, max: 52998 }): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = range.min + 2 * Math.floor((Math.random() * (range.max - range.min)) / 2);
    if ((await tryBind(port)) && (await tryBind(port + 1))) return port;
  }
  throw new Error('no free UDP port for a recorder');
}

/** Resolves once something (ffmpeg) holds `port`, false after `timeoutMs`. */
export async function waitUntilBound(port: number, timeoutMs: number, stillAlive: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && stillAlive()) {
    if (!(await tryBind(port))) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}
