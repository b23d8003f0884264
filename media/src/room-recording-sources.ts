/**
 * A hearing's media room, seen by the recorder: the room's Router and the sources that belong to
 * the hearing's record (docs/recording.md, "Sources"). A participant still in the lobby is not
 * part of the record, so their microphone and camera are offered only once they are admitted, and
 * withdrawn when they are sent back. A source keeps its `sourceId` across reconnects (the same
 * person or device, the same kind, the same label), so a participant who drops out and returns
 * continues their track, with the time away logged as a gap.
 */
import { EventEmitter } from 'node:events';
import type { HearingMediaRoom } from './hearing-media-room.ts';
import type { MediaSource } from '../../server/src/shared/socket/media.ts';
import type { RecordingSource, RecordingSources, RecordingSourcesEvents } from './recording/recording-sources.ts';

export function recordingSourceId(source: MediaSource): string {
  return `${source.userId ?? source.participantId ?? source.peerId}:${source.kind}:${source.label}`;
}

function toRecordingSource(source: MediaSource): RecordingSource {
  return {
    sourceId: recordingSourceId(source),
    producerId: source.producerId,
    kind: source.kind,
    // The hall's own devices are recorded as such (the hall mix is laid over the hall camera); so is an interpreter's channel.
    who: {
      userId: source.userId,
      participantId: source.participantId,
      role: source.label === 'hall_camera' || source.label === 'hall_microphone' || source.label === 'interpretation' ? source.label : source.role,
      label: source.fullName,
    },
  };
}

export function recordingSourcesOf(room: HearingMediaRoom): RecordingSources {
  const events = new EventEmitter();
  const inRecord = (s: MediaSource) => !s.inLobby;
  room.on('source-added', (s) => {
    if (inRecord(s)) events.emit('source-added', toRecordingSource(s));
  });
  room.on('source-removed', (s) => events.emit('source-removed', recordingSourceId(s), s.producerId));
  // A pause or resume re-announces a source already recorded: the recorder sees the same producer and does nothing.
  room.on('source-changed', (s) => {
    if (inRecord(s)) events.emit('source-added', toRecordingSource(s));
    else events.emit('source-removed', recordingSourceId(s), s.producerId);
  });
  return {
    router: room.router,
    sources: () => room.sources().filter(inRecord).map(toRecordingSource),
    on<E extends keyof RecordingSourcesEvents>(event: E, listener: RecordingSourcesEvents[E]) {
      events.on(event, listener);
    },
    off<E extends keyof RecordingSourcesEvents>(event: E, listener: RecordingSourcesEvents[E]) {
      events.off(event, listener);
    },
  };
}
