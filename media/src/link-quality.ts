/**
 * The link quality of each remote participant in a hearing's media room, read from mediasoup once a
 * second (docs/media.md, "Bad networks: simulcast steps and sound only").
 *
 * Only peers with a `participantId` are watched: the hall's workstations and the hall station sit on
 * the court's own network, and their consumers are never touched here.
 *
 * Downlink (what the server sends to the participant): mediasoup steps the simulcast layers of each
 * video consumer by itself from its bandwidth estimate; this module only reads which layer is being
 * forwarded (`currentLayers`) and the transport's `availableOutgoingBitrate`:
 * - `good` — every video consumer forwards the layer the page asked for, scores well, and the
 *   estimate is comfortable;
 * - `weak` — a layer below the one asked for, a poor score, or a low estimate;
 * - `audio_only` — the estimate stayed below AUDIO_ONLY_BELOW_KBPS for ENTER_AUDIO_ONLY_MS: the
 *   monitor pauses the participant's video consumers on the server, so what bandwidth there is
 *   carries the sound. With audio alone the estimate cannot show that the network recovered (it
 *   only grows with what is sent), so after HOLD_MS the video is resumed on trial (PROBE_MS, at the
 *   layer mediasoup's estimate allows, with mediasoup's own probation); if the estimate then holds
 *   above RESUME_ABOVE_KBPS the participant is back, otherwise the video is paused again and the
 *   next trial waits twice as long (up to MAX_HOLD_MS).
 * Uplink (what the participant sends): from their producers' scores.
 *
 * A consumer the page paused itself (a hidden tile, audio only chosen: `media:consumer-quality`
 * null) is never resumed here: the monitor resumes only what it paused (`consumer.appData.heldForLink`)
 * and the page still wants (`pageWants`).
 *
 * The decisions are pure functions (`nextLink`, `downlinkState`) fed with samples, tested in
 * link-quality.spec.ts; `LinkMonitor` only gathers the samples and applies the decisions.
 */
import type { types } from 'mediasoup';
import type { LinkLayer, LinkState, ParticipantLink } from '../../server/src/shared/socket/media.ts';

export type { LinkLayer, LinkState, ParticipantLink };

/** Below this estimate (kbit/s) the lowest simulcast layer (120 kbit/s) and the sound no longer fit together. */
export const AUDIO_ONLY_BELOW_KBPS = 150;
/** How long the estimate must stay that low before the video is paused. */
export const ENTER_AUDIO_ONLY_MS = 3000;
/** The estimate at which paused video comes back (hysteresis above AUDIO_ONLY_BELOW_KBPS). */
export const RESUME_ABOVE_KBPS = 220;
/** Video stays paused at least this long, and this long before the first trial. */
export const HOLD_MS = 8000;
/** The longest wait between two trials. */
export const MAX_HOLD_MS = 60_000;
/** How long a trial lets video flow before it is judged. */
export const PROBE_MS = 6000;
/** Below this estimate (kbit/s) the link is weak even when every layer still fits. */
export const WEAK_BELOW_KBPS = 300;
/** A consumer's score (0..10, mediasoup: from the receiver's loss reports) below this is weak. */
export const WEAK_SCORE = 7;
export const SAMPLE_MS = 1000;

/** One flowing video consumer as read from mediasoup. */
export type VideoSample = { score: number; spatialLayer: number | null; preferredSpatialLayer: number | null; spatialLayers: number; scaleDown: number | null };

/** One reading of a participant's link. */
export type LinkSample = {
  /** The server's estimate towards the participant (kbit/s), from the transport carrying video; null when unknown. */
  availableKbps: number | null;
  /** Video consumers forwarding now (not paused by anyone, their source not paused). */
  video: VideoSample[];
  /** The worst of the participant's producers' best scores; null when they publish nothing. */
  uplinkScore: number | null;
};

/** What the monitor remembers of one participant between readings. */
export type LinkMemory = {
  mode: 'normal' | 'held' | 'probing';
  lowSince: number | null;
  heldSince: number;
  probeAt: number;
  probeUntil: number;
  holdMs: number;
};

export const FRESH_MEMORY: LinkMemory = { mode: 'normal', lowSince: null, heldSince: 0, probeAt: 0, probeUntil: 0, holdMs: HOLD_MS };

/** `hold`: pause the participant's video consumers; `release`: resume those the monitor paused. */
export type LinkAction = 'hold' | 'release' | null;

/** The next memory and what to do, from one sample at `now` (ms). */
export function nextLink(memory: LinkMemory, sample: LinkSample, now: number): { memory: LinkMemory; action: LinkAction } {
  const kbps = sample.availableKbps;
  switch (memory.mode) {
    case 'normal': {
      if (kbps === null || kbps >= AUDIO_ONLY_BELOW_KBPS) return { memory: { ...memory, lowSince: null }, action: null };
      const lowSince = memory.lowSince ?? now;
      if (now - lowSince < ENTER_AUDIO_ONLY_MS) return { memory: { ...memory, lowSince }, action: null };
      return { memory: { ...memory, mode: 'held', lowSince: null, heldSince: now, probeAt: now + memory.holdMs }, action: 'hold' };
    }
    case 'held': {
      if (kbps !== null && kbps >= RESUME_ABOVE_KBPS && now - memory.heldSince >= HOLD_MS) return { memory: { ...FRESH_MEMORY }, action: 'release' };
      if (now >= memory.probeAt) return { memory: { ...memory, mode: 'probing', probeUntil: now + PROBE_MS }, action: 'release' };
      return { memory, action: null };
    }
    case 'probing': {
      if (now < memory.probeUntil) return { memory, action: null };
      if (kbps !== null && kbps >= RESUME_ABOVE_KBPS) return { memory: { ...FRESH_MEMORY }, action: null };
      const holdMs = Math.min(memory.holdMs * 2, MAX_HOLD_MS);
      return { memory: { ...memory, mode: 'held', heldSince: now, probeAt: now + holdMs, holdMs }, action: 'hold' };
    }
  }
}

/** What the participant's downlink is, given the memory after `nextLink` and the same sample. */
export function downlinkState(memory: LinkMemory, sample: LinkSample): LinkState {
  if (memory.mode !== 'normal') return 'audio_only';
  if (sample.availableKbps !== null && sample.availableKbps < WEAK_BELOW_KBPS) return 'weak';
  for (const v of sample.video) {
    if (v.score < WEAK_SCORE) return 'weak';
    if (v.spatialLayer !== null && v.preferredSpatialLayer !== null && v.spatialLayer < v.preferredSpatialLayer) return 'weak';
  }
  return 'good';
}

export function uplinkState(sample: LinkSample): LinkState | null {
  if (sample.uplinkScore === null) return null;
  return sample.uplinkScore < WEAK_SCORE ? 'weak' : 'good';
}

/** The layer reported for the participant's video: the lowest being forwarded to them. */
export function reportedLayer(sample: LinkSample): LinkLayer | null {
  let lowest: VideoSample | null = null;
  for (const v of sample.video) if (v.spatialLayer !== null && (lowest === null || v.spatialLayer < lowest.spatialLayer!)) lowest = v;
  if (!lowest) return null;
  return { spatialLayer: lowest.spatialLayer!, spatialLayers: lowest.spatialLayers, scaleDown: lowest.scaleDown };
}

// ---- the consumer marks shared with HearingMediaRoom ---------------------------------------------

/** The monitor paused this consumer for the network (and will resume it). */
export function heldForLink(consumer: types.Consumer): boolean {
  return consumer.appData.heldForLink === true;
}

/**
 * What the page asked of the consumer: to receive it (`media:resume-consumer`, a layer) or not
 * (`media:consumer-quality` null). A consumer flows when the page wants it and the monitor does not hold it.
 */
export function setPageWants(consumer: types.Consumer, wants: boolean): void {
  consumer.appData.pageWants = wants;
}

// ---- the monitor --------------------------------------------------------------------------------

/** A remote participant's peer as the room shows it to the monitor. */
export type LinkPeer = {
  peerId: string;
  participantId: string;
  transports: types.WebRtcTransport[];
  producers: types.Producer[];
  consumers: types.Consumer[];
};

export type LinkSource = {
  readonly closed: boolean;
  /** Only peers with a participantId. */
  remotePeers(): LinkPeer[];
  /** The encodings a producer was published with (for each layer's scale), or null if it is gone. */
  encodingsOf(producerId: string): types.RtpEncodingParameters[] | null;
};

type Watched = { memory: LinkMemory; reported: string; link: ParticipantLink | null };

export class LinkMonitor {
  #room: LinkSource;
  #onChange: (links: ParticipantLink[]) => void;
  #onError: (error: unknown) => void;
  #watched = new Map<string, Watched>();
  #timer: ReturnType<typeof setInterval>;
  #busy = false;
  #now: () => number;

  /** `onChange` gets every participant's link whenever any of them changed (at most once a sample). */
  constructor(room: LinkSource, options: { onChange: (links: ParticipantLink[]) => void; onError: (error: unknown) => void; now?: () => number; sampleMs?: number }) {
    this.#room = room;
    this.#onChange = options.onChange;
    this.#onError = options.onError;
    this.#now = options.now ?? (() => performance.now());
    this.#timer = setInterval(() => void this.sample(), options.sampleMs ?? SAMPLE_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** The links last reported. */
  links(): ParticipantLink[] {
    return [...this.#watched.values()].flatMap((w) => (w.link ? [w.link] : []));
  }

  /** One reading of every remote participant's peers; skipped while the previous one is still running. */
  async sample(): Promise<void> {
    if (this.#busy || this.#room.closed) return;
    this.#busy = true;
    try {
      await this.#sample();
    } catch (error) {
      this.#onError(error);
    } finally {
      this.#busy = false;
    }
  }

  async #sample(): Promise<void> {
    const byParticipant = new Map<string, LinkPeer[]>();
    for (const peer of this.#room.remotePeers()) {
      const list = byParticipant.get(peer.participantId) ?? [];
      list.push(peer);
      byParticipant.set(peer.participantId, list);
    }
    let changed = false;
    for (const participantId of [...this.#watched.keys()]) {
      if (!byParticipant.has(participantId)) {
        this.#watched.delete(participantId);
        changed = true;
      }
    }
    const now = this.#now();
    for (const [participantId, peers] of byParticipant) {
      const watched = this.#watched.get(participantId) ?? { memory: { ...FRESH_MEMORY }, reported: '', link: null };
      this.#watched.set(participantId, watched);
      const sample = await this.#read(peers);
      const { memory, action } = nextLink(watched.memory, sample, now);
      watched.memory = memory;
      if (action === 'hold') await holdVideo(peers);
      if (action === 'release') await releaseVideo(peers);
      // Video a page resumed while held (a new consumer, a tile shown again) is held too.
      if (memory.mode === 'held' && action === null) await holdVideo(peers);
      const link: ParticipantLink = {
        participantId,
        downlink: downlinkState(memory, sample),
        uplink: uplinkState(sample),
        layer: memory.mode === 'normal' ? reportedLayer(sample) : null,
        availableKbps: sample.availableKbps,
      };
      // Reported when the states or the layer change; the estimate alone does not make a message.
      const key = JSON.stringify([link.downlink, link.uplink, link.layer]);
      watched.link = link;
      if (key !== watched.reported) {
        watched.reported = key;
        changed = true;
      }
    }
    if (changed) this.#onChange(this.links());
  }

  async #read(peers: LinkPeer[]): Promise<LinkSample> {
    let availableKbps: number | null = null;
    const video: VideoSample[] = [];
    let uplinkScore: number | null = null;
    for (const peer of peers) {
      const videoConsumers = peer.consumers.filter((c) => !c.closed && c.kind === 'video');
      for (const transport of peer.transports) {
        if (transport.closed || !videoConsumers.some((c) => transportOf(c) === transport.id)) continue;
        for (const stat of await transport.getStats()) {
          if (typeof stat.availableOutgoingBitrate !== 'number') continue;
          const kbps = Math.round(stat.availableOutgoingBitrate / 1000);
          availableKbps = availableKbps === null ? kbps : Math.min(availableKbps, kbps);
        }
      }
      for (const consumer of videoConsumers) {
        if (consumer.paused || consumer.producerPaused) continue;
        const encodings = this.#room.encodingsOf(consumer.producerId) ?? [];
        const spatialLayer = consumer.currentLayers?.spatialLayer ?? null;
        video.push({
          score: consumer.score.score,
          spatialLayer,
          preferredSpatialLayer: consumer.type === 'simulcast' ? (consumer.preferredLayers?.spatialLayer ?? null) : null,
          spatialLayers: Math.max(1, encodings.length),
          scaleDown: scaleOf(encodings, spatialLayer),
        });
      }
      for (const producer of peer.producers) {
        if (producer.closed || producer.paused || producer.score.length === 0) continue;
        const best = Math.max(...producer.score.map((s) => s.score));
        uplinkScore = uplinkScore === null ? best : Math.min(uplinkScore, best);
      }
    }
    return { availableKbps, video, uplinkScore };
  }
}

/**
 * How much smaller than the camera a layer is: the publisher's `scaleResolutionDownBy` when its
 * browser sent it, else e-Zal's own simulcast (media-session.ts: ¼, ½, full, lowest first).
 */
function scaleOf(encodings: types.RtpEncodingParameters[], spatialLayer: number | null): number | null {
  if (spatialLayer === null || encodings.length === 0) return null;
  const given = (encodings[spatialLayer] as { scaleResolutionDownBy?: unknown } | undefined)?.scaleResolutionDownBy;
  if (typeof given === 'number' && given >= 1) return given;
  return encodings.length > 1 ? 2 ** (encodings.length - 1 - spatialLayer) : 1;
}

/** The transport a consumer was made on (HearingMediaRoom puts it in the consumer's appData). */
function transportOf(consumer: types.Consumer): unknown {
  return consumer.appData.transportId;
}

/** Pauses every video consumer of the peers the page wants, and marks it as the monitor's. */
export async function holdVideo(peers: LinkPeer[]): Promise<void> {
  for (const peer of peers) {
    for (const consumer of peer.consumers) {
      if (consumer.closed || consumer.kind !== 'video' || heldForLink(consumer) || consumer.appData.pageWants !== true) continue;
      consumer.appData.heldForLink = true;
      await consumer.pause();
    }
  }
}

/** Resumes the consumers the monitor paused, unless the page has paused them meanwhile. */
export async function releaseVideo(peers: LinkPeer[]): Promise<void> {
  for (const peer of peers) {
    for (const consumer of peer.consumers) {
      if (consumer.closed || !heldForLink(consumer)) continue;
      consumer.appData.heldForLink = false;
      if (consumer.appData.pageWants === true) await consumer.resume();
    }
  }
}
