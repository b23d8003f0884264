/**
 * The live state of a hearing and the events that change it, put together from the features: the
 * state is their slices side by side, an event is one of theirs, and `applyEvent` hands each event
 * to the feature that owns it. The server applies each event before it stores and broadcasts it;
 * every client applies the same events in the same order to its copy, so both hold the same state.
 *
 * Stored states and events are read through `upcastState` and `upcastEvent` only: whatever shape
 * an older release stored comes out in the current one, so no other code patches a missing field.
 */
import type { HearingStatus, ParticipantRole, TrialStage } from '../domain.ts';
import type { Applier, EventEnvelope, HearingRole } from './core.ts';
import { attendance, NO_ATTENDANCE, type AttendanceEvent, type AttendanceState } from './attendance/attendance.ts';
import { consultation, NO_CONSULTATIONS, type ConsultationEvent, type ConsultationState } from './consultation/consultation.ts';
import { floor, type FloorEvent, type FloorState } from './floor/floor.ts';
import { interpreter, NO_INTERPRETERS, type InterpreterEvent, type InterpreterState } from './interpreter/interpreter.ts';
import { motions, type MotionsEvent, type MotionsState } from './motions/motions.ts';
import { EMPTY_PROTOCOL, protocol, type ProtocolEvent, type ProtocolState } from './protocol/protocol.ts';
import { recording, RECORDING_OFF, type RecordingEvent, type RecordingState } from './recording/recording.ts';
import { NO_REMOTE, remote, type RemoteEvent, type RemoteState } from './remote/remote.ts';
import { initialStages, stages, type StagesEvent, type StagesState } from './stages/stages.ts';

/** Every feature of the hearing, in the order their slices and rules are put together. */
export const FEATURES = [stages, attendance, floor, motions, protocol, recording, remote, consultation, interpreter] as const;

export type HearingLiveState = {
  /** The number of events applied so far; the next event has `version + 1`. */
  version: number;
} & StagesState &
  AttendanceState &
  FloorState &
  MotionsState &
  ProtocolState &
  RecordingState &
  RemoteState &
  ConsultationState &
  InterpreterState;

/** The events of the hearing's log, named in the past tense. */
export type HearingEventBody = StagesEvent | AttendanceEvent | FloorEvent | MotionsEvent | ProtocolEvent | RecordingEvent | RemoteEvent | ConsultationEvent | InterpreterEvent;
export type HearingEventType = HearingEventBody['type'];

/** One entry of the log, as stored and as broadcast. */
export type HearingEvent = HearingEventBody & EventEnvelope;

const APPLY: { [K in HearingEventType]: Applier<Extract<HearingEventBody, { type: K }>> } = {
  ...stages.apply,
  ...attendance.apply,
  ...floor.apply,
  ...motions.apply,
  ...protocol.apply,
  ...recording.apply,
  ...remote.apply,
  ...consultation.apply,
  ...interpreter.apply,
};

export const HEARING_EVENT_TYPES = Object.keys(APPLY) as HearingEventType[];

/** The state of a hearing nobody has opened yet, from what its row says. */
export function initialLiveState(hearing: { version: number; status: HearingStatus; stage: TrialStage | null }): HearingLiveState {
  return {
    version: hearing.version,
    ...initialStages(hearing),
    ...NO_ATTENDANCE,
    floor: null,
    shown: null,
    motions: [],
    protocol: EMPTY_PROTOCOL,
    recording: RECORDING_OFF,
    ...NO_REMOTE,
    ...NO_CONSULTATIONS,
    ...NO_INTERPRETERS,
  };
}

/**
 * The state after `event`. Assumes the event is valid for the state (the server decided it with
 * the rules) and is the next one (`event.version === state.version + 1`; callers check).
 * Never mutates `state`.
 */
export function applyEvent(state: HearingLiveState, event: HearingEvent): HearingLiveState {
  const apply = APPLY[event.type] as Applier<HearingEventBody> | undefined;
  if (!apply) throw new Error(`unknown hearing event ${event.type}`);
  return apply({ ...state, version: event.version }, event);
}

/** A state as a release stored it: the course of the hearing was there from the first; any slice added since may be missing. */
export type StoredLiveState = Partial<HearingLiveState> & Pick<HearingLiveState, 'version' | 'status' | 'stage'>;

/** A stored state in the current shape: each slice it lacks starts as in a new hearing. */
export function upcastState(stored: StoredLiveState): HearingLiveState {
  const fresh = initialLiveState(stored);
  return {
    ...fresh,
    ...stored,
    recording: { ...fresh.recording, ...stored.recording },
    protocol: { ...fresh.protocol, ...stored.protocol },
  };
}

/**
 * A stored event in the current shape. Fields added to a payload since the first release are filled
 * as the event would have had them: a presentation began when it was given the floor (older logs:
 * when it ended); a gap is named by its track and runs from (or to) the moment it was logged.
 */
export function upcastEvent(event: HearingEvent): HearingEvent {
  switch (event.type) {
    case 'presentation.ended':
      return { ...event, payload: { ...event.payload, startedAt: Math.min(event.payload.startedAt ?? event.at, event.at) } };
    case 'recording.gap_started':
      return { ...event, payload: { ...event.payload, label: event.payload.label ?? event.payload.trackId ?? '', from: Math.min(event.payload.from ?? event.at, event.at) } };
    case 'recording.gap_ended':
      return {
        ...event,
        payload: { ...event.payload, label: event.payload.label ?? event.payload.trackId ?? '', from: event.payload.from ?? event.at, to: Math.min(event.payload.to ?? event.at, event.at) },
      };
    default:
      return event;
  }
}

// ---- What a client receives when it joins --------------------------------------------------------

export type Localized = { kk: string; ru: string; en: string };

/** A case participant as the hearing shows them; `userId` is set for those who log in (prosecutor, lawyer). */
export type HearingParticipant = { id: string; role: ParticipantRole; fullName: string; userId: string | null };

/** What does not change while the hearing runs: the case, the hall, the court's composition, the participants. */
export type HearingInfo = {
  id: string;
  caseId: string;
  caseNumber: string;
  /** The court's time zone (`courts.timezone`): the hearing's times are shown and typed on its wall clock. */
  timeZone: string;
  scheduledAt: number;
  /** A closed hearing (закрытое заседание): no public. */
  closed: boolean;
  hall: { id: string; name: Localized };
  presidingJudge: { id: string; fullName: string };
  secretary: { id: string; fullName: string } | null;
  participants: HearingParticipant[];
};

/** The whole picture: sent on joining, and on a resync the missing events cannot cover. */
export type HearingSnapshot = {
  hearing: HearingInfo;
  state: HearingLiveState;
  /** The last events of the log (at most RECENT_EVENTS), oldest first; older ones through `hearing:history`. */
  recentEvents: HearingEvent[];
  /** Who is asking, and as what. */
  you: { userId: string; role: HearingRole; participantId: string | null };
  /** The server's clock when the snapshot was made, so a client can run the hearing's clock in server time. */
  serverTime: number;
};

export const RECENT_EVENTS = 50;
