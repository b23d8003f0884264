// A small SRTP/SRTCP implementation for tests only, written from RFC 3711
// (AES-CM + HMAC-SHA1) and RFC 7714 (AES-GCM) with node:crypto.
//
// worker.spec.ts talks SRTP to the mediasoup worker with it. Because it shares
// no code with libsrtp, a packet that passes both ways shows that our port of
// the worker's SRTP code to libsrtp 2 speaks standard SRTP, not just that it
// agrees with itself. Not hardened: no replay protection, RTP without CSRC
// lists or header extensions on the sending side, ROC guessed simply.

import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import type { CipherGCMTypes } from 'node:crypto';

export type SrtpCryptoSuite = 'AEAD_AES_256_GCM' | 'AEAD_AES_128_GCM' | 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32';

export const SRTP_CRYPTO_SUITES: SrtpCryptoSuite[] = ['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];

type SuiteInfo = { gcm: boolean; keyLen: number; saltLen: number; rtpTagLen: number };

const SUITES: Record<SrtpCryptoSuite, SuiteInfo> = {
  AEAD_AES_256_GCM: { gcm: true, keyLen: 32, saltLen: 12, rtpTagLen: 16 },
  AEAD_AES_128_GCM: { gcm: true, keyLen: 16, saltLen: 12, rtpTagLen: 16 },
  AES_CM_128_HMAC_SHA1_80: { gcm: false, keyLen: 16, saltLen: 14, rtpTagLen: 10 },
  AES_CM_128_HMAC_SHA1_32: { gcm: false, keyLen: 16, saltLen: 14, rtpTagLen: 4 },
};

// Length of the master key + master salt, as mediasoup's keyBase64 carries them.
export function masterKeyLength(suite: SrtpCryptoSuite): number {
  return SUITES[suite].keyLen + SUITES[suite].saltLen;
}

type SessionKeys = { encKey: Buffer; authKey: Buffer; salt: Buffer };

function ctrCipherName(keyLen: number): string {
  return keyLen === 32 ? 'aes-256-ctr' : 'aes-128-ctr';
}

function gcmCipherName(keyLen: number): CipherGCMTypes {
  return keyLen === 32 ? 'aes-256-gcm' : 'aes-128-gcm';
}

// RFC 3711 4.3.1 key derivation (key derivation rate 0): AES-CM keystream
// with IV = (master salt XOR label in octet 7) || 0x0000. RFC 7714's 96-bit
// salts are padded with two zero octets to the 112 bits this expects.
function deriveKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0);
  iv[7] ^= label;
  const cipher = createCipheriv(ctrCipherName(masterKey.length), masterKey, iv);
  return cipher.update(Buffer.alloc(length));
}

function deriveSessionKeys(suite: SrtpCryptoSuite, master: Buffer, rtcp: boolean): SessionKeys {
  const info = SUITES[suite];
  const masterKey = master.subarray(0, info.keyLen);
  const masterSalt = master.subarray(info.keyLen, info.keyLen + info.saltLen);
  const base = rtcp ? 3 : 0; // labels 0,1,2 for SRTP and 3,4,5 for SRTCP
  return {
    encKey: deriveKey(masterKey, masterSalt, base, info.keyLen),
    authKey: info.gcm ? Buffer.alloc(0) : deriveKey(masterKey, masterSalt, base + 1, 20),
    salt: deriveKey(masterKey, masterSalt, base + 2, info.saltLen),
  };
}

// Offset of the RTP payload: fixed header, CSRCs and the header extension.
export function rtpHeaderLength(packet: Buffer): number {
  let offset = 12 + 4 * (packet[0] & 0x0f);
  if (packet[0] & 0x10) {
    offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  }
  return offset;
}

// RFC 3711 4.1.1: IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16).
function aesCmIv(salt: Buffer, ssrc: number, index: bigint): Buffer {
  const iv = Buffer.alloc(16);
  salt.copy(iv, 0);
  iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
  const high = Number(index >> 32n) & 0xffff;
  const low = Number(index & 0xffffffffn);
  iv.writeUInt16BE(iv.readUInt16BE(8) ^ high, 8);
  iv.writeUInt32BE((iv.readUInt32BE(10) ^ low) >>> 0, 10);
  return iv;
}

// RFC 7714 8.1 / 9.1: IV = (0x0000 || SSRC || 4 octets || 2 or 4 octets) XOR salt.
function gcmIv(salt: Buffer, ssrc: number, middle: number, last: number, lastLen: 2 | 4): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(ssrc, 2);
  if (lastLen === 2) {
    iv.writeUInt32BE(middle >>> 0, 6);
    iv.writeUInt16BE(last, 10);
  } else {
    iv.writeUInt16BE(middle, 6);
    iv.writeUInt32BE(last >>> 0, 8);
  }
  for (let i = 0; i < 12; i++) iv[i] ^= salt[i];
  return iv;
}

function hmacTag(authKey: Buffer, data: Buffer[], tagLen: number): Buffer {
  const hmac = createHmac('sha1', authKey);
  for (const part of data) hmac.update(part);
  return hmac.digest().subarray(0, tagLen);
}

function roc4(roc: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(roc >>> 0);
  return buffer;
}

// One direction of an SRTP session (one master key), as one endpoint sees it.
export class SrtpContext {
  readonly suite: SrtpCryptoSuite;
  readonly #rtp: SessionKeys;
  readonly #rtcp: SessionKeys;
  #srtcpIndex = 0;
  // Rollover counter guess for received RTP, per SSRC.
  readonly #recv = new Map<number, { roc: number; lastSeq: number }>();

  constructor(suite: SrtpCryptoSuite, masterKeyBase64: string) {
    const master = Buffer.from(masterKeyBase64, 'base64');
    if (master.length !== masterKeyLength(suite)) {
      throw new Error(`${suite} needs a ${masterKeyLength(suite)} byte master key, got ${master.length}`);
    }
    this.suite = suite;
    this.#rtp = deriveSessionKeys(suite, master, false);
    this.#rtcp = deriveSessionKeys(suite, master, true);
  }

  // Encrypts an RTP packet sent with rollover counter 0 (tests send few packets).
  protectRtp(packet: Buffer): Buffer {
    const info = SUITES[this.suite];
    const headerLen = rtpHeaderLength(packet);
    const header = packet.subarray(0, headerLen);
    const payload = packet.subarray(headerLen);
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const roc = 0;

    if (info.gcm) {
      const cipher = createCipheriv(gcmCipherName(info.keyLen), this.#rtp.encKey, gcmIv(this.#rtp.salt, ssrc, roc, seq, 2));
      cipher.setAAD(header);
      return Buffer.concat([header, cipher.update(payload), cipher.final(), cipher.getAuthTag()]);
    }
    const iv = aesCmIv(this.#rtp.salt, ssrc, (BigInt(roc) << 16n) | BigInt(seq));
    const encrypted = Buffer.concat([header, createCipheriv('aes-128-ctr', this.#rtp.encKey, iv).update(payload)]);
    return Buffer.concat([encrypted, hmacTag(this.#rtp.authKey, [encrypted, roc4(roc)], info.rtpTagLen)]);
  }

  // Decrypts and authenticates an SRTP packet; throws if it does not verify.
  unprotectRtp(packet: Buffer): Buffer {
    const info = SUITES[this.suite];
    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const roc = this.#guessRoc(ssrc, seq);
    const headerLen = rtpHeaderLength(packet);
    const header = packet.subarray(0, headerLen);

    if (info.gcm) {
      const body = packet.subarray(headerLen, packet.length - 16);
      const decipher = createDecipheriv(gcmCipherName(info.keyLen), this.#rtp.encKey, gcmIv(this.#rtp.salt, ssrc, roc, seq, 2));
      decipher.setAAD(header);
      decipher.setAuthTag(packet.subarray(packet.length - 16));
      return Buffer.concat([header, decipher.update(body), decipher.final()]);
    }
    const authenticated = packet.subarray(0, packet.length - info.rtpTagLen);
    const tag = packet.subarray(packet.length - info.rtpTagLen);
    if (!timingSafeEqual(tag, hmacTag(this.#rtp.authKey, [authenticated, roc4(roc)], info.rtpTagLen))) {
      throw new Error('SRTP authentication failed');
    }
    const iv = aesCmIv(this.#rtp.salt, ssrc, (BigInt(roc) << 16n) | BigInt(seq));
    const payload = createDecipheriv('aes-128-ctr', this.#rtp.encKey, iv).update(authenticated.subarray(headerLen));
    return Buffer.concat([header, payload]);
  }

  // Encrypts an RTCP (compound) packet; SRTCP always authenticates with 80 bits.
  protectRtcp(packet: Buffer): Buffer {
    const info = SUITES[this.suite];
    const header = packet.subarray(0, 8);
    const ssrc = packet.readUInt32BE(4);
    const index = this.#srtcpIndex++;
    const eIndex = Buffer.alloc(4);
    eIndex.writeUInt32BE((0x80000000 | index) >>> 0); // E flag: encrypted

    if (info.gcm) {
      const cipher = createCipheriv(gcmCipherName(info.keyLen), this.#rtcp.encKey, gcmIv(this.#rtcp.salt, ssrc, 0, index, 4));
      cipher.setAAD(Buffer.concat([header, eIndex]));
      const body = Buffer.concat([cipher.update(packet.subarray(8)), cipher.final()]);
      return Buffer.concat([header, body, cipher.getAuthTag(), eIndex]);
    }
    const iv = aesCmIv(this.#rtcp.salt, ssrc, BigInt(index));
    const encrypted = Buffer.concat([header, createCipheriv('aes-128-ctr', this.#rtcp.encKey, iv).update(packet.subarray(8)), eIndex]);
    return Buffer.concat([encrypted, hmacTag(this.#rtcp.authKey, [encrypted], 10)]);
  }

  // Decrypts and authenticates an SRTCP packet; throws if it does not verify.
  unprotectRtcp(packet: Buffer): Buffer {
    const info = SUITES[this.suite];
    const header = packet.subarray(0, 8);
    const ssrc = packet.readUInt32BE(4);

    if (info.gcm) {
      const eIndex = packet.subarray(packet.length - 4);
      const index = eIndex.readUInt32BE() & 0x7fffffff;
      const decipher = createDecipheriv(gcmCipherName(info.keyLen), this.#rtcp.encKey, gcmIv(this.#rtcp.salt, ssrc, 0, index, 4));
      decipher.setAAD(Buffer.concat([header, eIndex]));
      decipher.setAuthTag(packet.subarray(packet.length - 20, packet.length - 4));
      return Buffer.concat([header, decipher.update(packet.subarray(8, packet.length - 20)), decipher.final()]);
    }
    const authenticated = packet.subarray(0, packet.length - 10);
    if (!timingSafeEqual(packet.subarray(packet.length - 10), hmacTag(this.#rtcp.authKey, [authenticated], 10))) {
      throw new Error('SRTCP authentication failed');
    }
    const eIndex = authenticated.readUInt32BE(authenticated.length - 4);
    const body = authenticated.subarray(8, authenticated.length - 4);
    if (!(eIndex & 0x80000000)) return Buffer.concat([header, body]);
    const iv = aesCmIv(this.#rtcp.salt, ssrc, BigInt(eIndex & 0x7fffffff));
    return Buffer.concat([header, createDecipheriv('aes-128-ctr', this.#rtcp.encKey, iv).update(body)]);
  }

  // RFC 3711 3.3.1, simplified: count a wrap when the sequence number jumps back a lot.
  #guessRoc(ssrc: number, seq: number): number {
    const state = this.#recv.get(ssrc);
    if (!state) {
      this.#recv.set(ssrc, { roc: 0, lastSeq: seq });
      return 0;
    }
    if (seq < state.lastSeq && state.lastSeq - seq > 0x8000) state.roc++;
    state.lastSeq = seq;
    return state.roc;
  }
}
