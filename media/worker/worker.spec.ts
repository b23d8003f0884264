// Proves the worker binary from resolveWorkerBin() is a working mediasoup
// worker: it starts, makes routers and transports, and moves real RTP/RTCP
// through SRTP PlainTransports for every SRTP crypto suite. The SRTP on our
// side is srtp-for-tests.ts (node:crypto, written from the RFCs), so this
// also checks that the worker's SRTP code, ported to libsrtp 2 by our patch,
// speaks standard SRTP in both directions.

import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { SRTP_CRYPTO_SUITES, SrtpContext, masterKeyLength, rtpHeaderLength } from './srtp-for-tests.ts';
import type { SrtpCryptoSuite } from './srtp-for-tests.ts';
import { resolveWorkerBin } from './worker-bin.ts';

// The mediasoup package that `import 'mediasoup'` loads (its entry is node/lib/index.js).
const MEDIASOUP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.resolve('mediasoup'))), '..', '..');

const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
];
const LOCALHOST = { protocol: 'udp', ip: '127.0.0.1' } as const;
const VP8_PAYLOAD_TYPE = 101;
const PACKET_COUNT = 20;

let worker: types.Worker;
let router: types.Router;
let workerDied: Error | undefined;

before(async () => {
  worker = await mediasoup.createWorker({ workerBin: resolveWorkerBin(MEDIASOUP_DIR), logLevel: 'warn' });
  worker.on('died', (error) => {
    workerDied = error;
  });
  router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
});

after(() => {
  worker?.close();
  assert.equal(workerDied, undefined, `the worker died: ${workerDied}`);
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function udpSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

function send(socket: dgram.Socket, packet: Buffer, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.send(packet, port, '127.0.0.1', (error) => (error ? reject(error) : resolve()));
  });
}

// With rtcp-mux, RTCP packet types 192..223 sit where RTP has marker + payload type.
function isRtcp(packet: Buffer): boolean {
  return packet.length >= 8 && packet[1] >= 192 && packet[1] <= 223;
}

// A one-packet VP8 key frame: payload descriptor with S=1, partition 0, then
// a frame tag whose lowest bit 0 marks a key frame (what mediasoup looks at).
function vp8KeyFramePacket(seq: number, ssrc: number, payloadBytes: Buffer): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80; // version 2
  header[1] = 0x80 | VP8_PAYLOAD_TYPE; // marker: last packet of the frame
  header.writeUInt16BE(seq, 2);
  header.writeUInt32BE((seq * 3000) >>> 0, 4);
  header.writeUInt32BE(ssrc, 8);
  return Buffer.concat([header, Buffer.from([0x10, 0x00]), payloadBytes]);
}

// Splits a compound RTCP packet into [packet type, count/format, bytes] parts.
function rtcpParts(compound: Buffer): { type: number; count: number; bytes: Buffer }[] {
  const parts = [];
  let offset = 0;
  while (offset + 4 <= compound.length) {
    const length = 4 * (compound.readUInt16BE(offset + 2) + 1);
    parts.push({ type: compound[offset + 1], count: compound[offset] & 0x1f, bytes: compound.subarray(offset, offset + length) });
    offset += length;
  }
  return parts;
}

test('the worker runs a router with opus, VP8 and rtx', () => {
  const mimeTypes = router.rtpCapabilities.codecs?.map((codec) => codec.mimeType) ?? [];
  assert.ok(mimeTypes.includes('audio/opus'), 'opus');
  assert.ok(mimeTypes.includes('video/VP8'), 'VP8');
  assert.ok(mimeTypes.includes('video/rtx'), 'rtx');
});

test('a WebRtcTransport listens on 127.0.0.1 over UDP and TCP', async () => {
  const transport = await router.createWebRtcTransport({
    listenInfos: [LOCALHOST, { protocol: 'tcp', ip: '127.0.0.1' }],
  });
  const protocols = transport.iceCandidates.map((candidate) => candidate.protocol).sort();
  assert.deepEqual(protocols, ['tcp', 'udp']);
  assert.ok(transport.iceCandidates.every((candidate) => candidate.address === '127.0.0.1'));
  assert.ok(transport.dtlsParameters.fingerprints.length > 0, 'DTLS fingerprints');
  assert.equal(transport.dtlsState, 'new');
  transport.close();
  assert.ok(transport.closed);
});

for (const suite of SRTP_CRYPTO_SUITES) {
  test(`SRTP RTP and RTCP pass both ways with ${suite}`, () => srtpRoundTrip(suite));
}

// Node sends SRTP to PlainTransport A (a producer on it); the worker forwards
// to a consumer on PlainTransport B, which sends SRTP back to node. Then node
// sends an SRTCP PLI to B, which the worker relays as an SRTCP PLI out of A.
async function srtpRoundTrip(suite: SrtpCryptoSuite): Promise<void> {
  const socketA = await udpSocket(); // node as the sender
  const socketB = await udpSocket(); // node as the receiver
  const keyToWorkerA = randomBytes(masterKeyLength(suite)).toString('base64');
  const keyToWorkerB = randomBytes(masterKeyLength(suite)).toString('base64');

  // comedia: A learns node's address from the first packet.
  const transportA = await router.createPlainTransport({
    listenInfo: LOCALHOST,
    rtcpMux: true,
    comedia: true,
    enableSrtp: true,
    srtpCryptoSuite: suite,
  });
  await transportA.connect({ srtpParameters: { cryptoSuite: suite, keyBase64: keyToWorkerA } });
  const transportB = await router.createPlainTransport({
    listenInfo: LOCALHOST,
    rtcpMux: true,
    comedia: false,
    enableSrtp: true,
    srtpCryptoSuite: suite,
  });
  await transportB.connect({
    ip: '127.0.0.1',
    port: socketB.address().port,
    srtpParameters: { cryptoSuite: suite, keyBase64: keyToWorkerB },
  });
  assert.equal(transportA.srtpParameters?.cryptoSuite, suite);
  assert.equal(transportB.srtpParameters?.cryptoSuite, suite);

  const ssrc = randomInt(1, 2 ** 32 - 1);
  const producer = await transportA.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [
        {
          mimeType: 'video/VP8',
          payloadType: VP8_PAYLOAD_TYPE,
          clockRate: 90000,
          rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
        },
      ],
      encodings: [{ ssrc }],
    },
  });
  const consumer = await transportB.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
  const consumerSsrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
  const consumerPayloadType = consumer.rtpParameters.codecs[0].payloadType;

  // Node's SRTP contexts: what it sends to A / B, what it gets from A / B.
  const toA = new SrtpContext(suite, keyToWorkerA);
  const fromA = new SrtpContext(suite, transportA.srtpParameters!.keyBase64);
  const toB = new SrtpContext(suite, keyToWorkerB);
  const fromB = new SrtpContext(suite, transportB.srtpParameters!.keyBase64);

  const rtpFromB: Buffer[] = [];
  const rtcpFromA: Buffer[] = [];
  const rtcpFromB: Buffer[] = [];
  const errors: Error[] = [];
  socketB.on('message', (packet) => {
    try {
      if (isRtcp(packet)) rtcpFromB.push(fromB.unprotectRtcp(packet));
      else rtpFromB.push(fromB.unprotectRtp(packet));
    } catch (error) {
      errors.push(error as Error);
    }
  });
  socketA.on('message', (packet) => {
    try {
      if (isRtcp(packet)) rtcpFromA.push(fromA.unprotectRtcp(packet));
      else errors.push(new Error('unexpected RTP from transport A'));
    } catch (error) {
      errors.push(error as Error);
    }
  });

  // Waits for packets, failing at once if one did not decrypt.
  const waitForPackets = (what: string, check: () => boolean) =>
    waitFor(what, () => {
      if (errors.length > 0) throw errors[0];
      return check();
    });

  try {
    // 1. RTP: node → A → producer → consumer → B → node, payloads intact.
    const payloads: Buffer[] = [];
    for (let i = 0; i < PACKET_COUNT; i++) {
      const payload = randomBytes(100 + i * 10);
      payloads.push(payload);
      await send(socketA, toA.protectRtp(vp8KeyFramePacket(1000 + i, ssrc, payload)), transportA.tuple.localPort);
      await sleep(5);
    }
    // A packet altered in transit must be dropped by the worker (authentication works),
    // and one good packet after it must still go through.
    const tampered = toA.protectRtp(vp8KeyFramePacket(1000 + PACKET_COUNT, ssrc, randomBytes(50)));
    tampered[20] ^= 0x01;
    await send(socketA, tampered, transportA.tuple.localPort);
    const lastPayload = randomBytes(60);
    payloads.push(lastPayload);
    await send(socketA, toA.protectRtp(vp8KeyFramePacket(1001 + PACKET_COUNT, ssrc, lastPayload)), transportA.tuple.localPort);

    await waitForPackets('the forwarded RTP', () => rtpFromB.length >= payloads.length);
    await sleep(100); // anything extra (the tampered packet) would show up now
    const received = rtpFromB.filter((packet) => packet.readUInt32BE(8) === consumerSsrc);
    assert.equal(received.length, payloads.length, 'every good packet, and only those, arrives');
    received.forEach((packet, i) => {
      assert.equal(packet[1] & 0x7f, consumerPayloadType, 'payload type of the consumer');
      assert.ok(packet[1] & 0x80, 'marker bit kept');
      const payload = packet.subarray(rtpHeaderLength(packet));
      assert.deepEqual(payload.subarray(2), payloads[i], `payload ${i} intact`);
    });

    // 2. SRTCP both ways: a PLI from node to B makes the worker ask the
    //    sender (node, through A) for a key frame with its own PLI.
    const pli = Buffer.alloc(12);
    pli[0] = 0x81; // version 2, FMT 1 = PLI
    pli[1] = 206; // payload-specific feedback
    pli.writeUInt16BE(2, 2);
    pli.writeUInt32BE(0x12345678, 4); // our (receiver) SSRC
    pli.writeUInt32BE(consumerSsrc!, 8);
    await send(socketB, toB.protectRtcp(pli), transportB.tuple.localPort);
    const isPliForUs = (compound: Buffer) => rtcpParts(compound).some((part) => part.type === 206 && part.count === 1 && part.bytes.readUInt32BE(8) === ssrc);
    await waitForPackets('the PLI out of transport A', () => rtcpFromA.some(isPliForUs));

    // 3. The consumer's own sender report, encrypted by the worker.
    const isSenderReport = (compound: Buffer) => rtcpParts(compound).some((part) => part.type === 200 && part.bytes.readUInt32BE(4) === consumerSsrc);
    await waitForPackets('a sender report out of transport B', () => rtcpFromB.some(isSenderReport));

    assert.deepEqual(errors, [], 'every packet from the worker decrypts and authenticates');
  } finally {
    consumer.close();
    producer.close();
    transportA.close();
    transportB.close();
    socketA.close();
    socketB.close();
  }
}
