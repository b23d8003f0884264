/**
 * The hearing as the hall's wall screen (`hall_display` seat) receives it: what the room sees on
 * the screen — status, stage, break, who presents and the shown page, the remote participants'
 * tiles, whether the hearing is being recorded — and nothing of the case's working record. Each
 * feature says what of its events and its slice of the state the screen may see (`display`,
 * `screen` in its rules); this puts them together.
 *
 * The screen follows versions like any client (docs/realtime-protocol.md), so an event it may not
 * read still reaches it, as a `withheld` event that carries only its version: the screen's copy
 * stays gap-free and never asks for a resync it would be refused.
 */
import type { DisplayRule } from './core.ts';
import { FEATURES, type HearingEvent, type HearingEventBody, type HearingEventType, type HearingLiveState, type HearingSnapshot } from './state.ts';

/** An event the screen may not read: its place in the version order, nothing else. */
export type WithheldEvent = { type: 'withheld'; hearingId: string; version: number; at: number };

/** What a follower receives: an event of the log, or (the wall screen only) a withheld one. */
export type FollowedEvent = HearingEvent | WithheldEvent;

const DISPLAY = Object.assign({}, ...FEATURES.map((f) => f.display)) as { [K in HearingEventType]: DisplayRule<Extract<HearingEventBody, { type: K }>> };

/** The screen's view of one event: the event (without what it may not read), or withheld. */
export function displayEvent(event: HearingEvent): FollowedEvent {
  const rule = DISPLAY[event.type] as DisplayRule<HearingEventBody>;
  if (rule === 'shown') return event;
  if (rule === 'withheld') return { type: 'withheld', hearingId: event.hearingId, version: event.version, at: event.at };
  return rule(event);
}

/** The screen's view of the live state: the same shape, with what it may not read left empty. */
export function displayState(state: HearingLiveState): HearingLiveState {
  let view = state;
  for (const feature of FEATURES) if (feature.screen) view = { ...view, ...feature.screen(state) };
  return view;
}

export function displaySnapshot(snapshot: HearingSnapshot): HearingSnapshot {
  return {
    ...snapshot,
    state: displayState(snapshot.state),
    recentEvents: snapshot.recentEvents.map(displayEvent).filter(isLogEvent),
  };
}

export function isLogEvent(event: FollowedEvent): event is HearingEvent {
  return event.type !== 'withheld';
}
