/**
 * The payloads of the media signalling commands (server/src/realtime/media.socket.ts) as TypeBox
 * schemas; the server checks every payload against them, the browser is typed by them. The
 * WebRTC parameter objects (RTP capabilities and parameters, DTLS parameters) are checked here for
 * shape and size only; mediasoup validates their content and refuses what it cannot use, which the
 * handler answers as `invalid_request`.
 */
import { Type, type Static } from 'typebox';
import type { types as Webrtc } from 'mediasoup-client';
import { MEDIA_DEVICES } from './media.ts';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ minLength: 1, maxLength: 64 });
/** A WebRTC parameter object from mediasoup-client: an object, validated by mediasoup. */
const Params = Type.Object({}, { additionalProperties: true });

/** Which device a source is (media.ts MEDIA_DEVICES): a key each page translates. */
const MediaDeviceSchema = Type.Union([Type.Literal('microphone'), Type.Literal('camera'), Type.Literal('hall_microphone'), Type.Literal('hall_camera'), Type.Literal('interpretation')]);
export const MEDIA_DEVICE_SCHEMA_MATCHES: (typeof MEDIA_DEVICES)[number] extends Static<typeof MediaDeviceSchema> ? true : false = true;

/** `consultationId`: join that private consultation's room instead of the hall (its members only; a connection is in one room). */
export const MediaJoinPayload = Type.Object({ hearingId: Id, consultationId: Type.Optional(Id) }, strict);
export const MediaCapabilitiesPayload = Type.Object({ hearingId: Id, rtpCapabilities: Params }, strict);
export const MediaCreateTransportPayload = Type.Object({ hearingId: Id }, strict);
export const MediaConnectTransportPayload = Type.Object({ hearingId: Id, transportId: Id, dtlsParameters: Params }, strict);
export const MediaTransportPayload = Type.Object({ hearingId: Id, transportId: Id }, strict);
export const MediaProducePayload = Type.Object(
  {
    hearingId: Id,
    transportId: Id,
    kind: Type.Union([Type.Literal('audio'), Type.Literal('video')]),
    rtpParameters: Params,
    label: MediaDeviceSchema,
  },
  strict,
);
export const MediaPauseProducerPayload = Type.Object({ hearingId: Id, producerId: Id, paused: Type.Boolean() }, strict);
export const MediaConsumePayload = Type.Object({ hearingId: Id, transportId: Id, producerId: Id }, strict);
export const MediaConsumerPayload = Type.Object({ hearingId: Id, consumerId: Id }, strict);
/** 0..2: the simulcast layer wanted (0 lowest); null: pause this video (audio only). */
export const MediaConsumerQualityPayload = Type.Object({ hearingId: Id, consumerId: Id, layer: Type.Union([Type.Integer({ minimum: 0, maximum: 2 }), Type.Null()]) }, strict);
export const MediaLeavePayload = Type.Object({ hearingId: Id }, strict);

/** A payload whose WebRTC objects are typed as mediasoup-client makes them (the schema checks their shape only). */
type WithWebrtc<T, R> = Omit<T, keyof R> & R;

export type MediaPayloads = {
  'media:join': Static<typeof MediaJoinPayload>;
  'media:capabilities': WithWebrtc<Static<typeof MediaCapabilitiesPayload>, { rtpCapabilities: Webrtc.RtpCapabilities }>;
  'media:create-transport': Static<typeof MediaCreateTransportPayload>;
  'media:connect-transport': WithWebrtc<Static<typeof MediaConnectTransportPayload>, { dtlsParameters: Webrtc.DtlsParameters }>;
  'media:restart-ice': Static<typeof MediaTransportPayload>;
  'media:close-transport': Static<typeof MediaTransportPayload>;
  'media:produce': WithWebrtc<Static<typeof MediaProducePayload>, { rtpParameters: Webrtc.RtpParameters }>;
  'media:pause-producer': Static<typeof MediaPauseProducerPayload>;
  'media:consume': Static<typeof MediaConsumePayload>;
  'media:resume-consumer': Static<typeof MediaConsumerPayload>;
  'media:consumer-quality': Static<typeof MediaConsumerQualityPayload>;
  'media:leave': Static<typeof MediaLeavePayload>;
};

export const MEDIA_SCHEMAS = {
  'media:join': MediaJoinPayload,
  'media:capabilities': MediaCapabilitiesPayload,
  'media:create-transport': MediaCreateTransportPayload,
  'media:connect-transport': MediaConnectTransportPayload,
  'media:restart-ice': MediaTransportPayload,
  'media:close-transport': MediaTransportPayload,
  'media:produce': MediaProducePayload,
  'media:pause-producer': MediaPauseProducerPayload,
  'media:consume': MediaConsumePayload,
  'media:resume-consumer': MediaConsumerPayload,
  'media:consumer-quality': MediaConsumerQualityPayload,
  'media:leave': MediaLeavePayload,
} as const;
