/**
 * One live hearing as a workstation (judge, secretary, prosecutor, lawyer, hall screen) sees it.
 * Pages call `follow(hearingId)` when they open and `stop()` when they close, read the state from
 * the getters, and act through the intent methods; they never touch the socket.
 *
 * The protocol work is HearingFollower's (server/src/shared/socket/hearing-follower.ts, the same code
 * the server's tests run): it joins, applies the server's versioned events in order, resyncs on a
 * gap, and joins again after every reconnection, so a page is back in step without a reload. This
 * class mirrors the follower into rune state for the components.
 *
 * While the connection is down (`status` other than `online`) the page keeps showing the last state
 * and should say so (`readOnly`, `hearing_connection.*` texts): intents then answer `unavailable`
 * without sending anything — a decision on a stale picture is never sent behind the user's back.
 * Every intent answers `{ data: { version } }` or `{ error: { code, message } }` with a code the
 * page translates as `error.<code>`; the change itself arrives through the state like anyone else's.
 */
import type { ErrorCode } from '../api.ts';
import { realtimeSocket, routeTo } from '../realtime/socket.ts';
import type { FloorTarget, Region } from '$server/shared/hearing/floor/floor.ts';
import { STAGE_TRANSITIONS } from '$server/shared/hearing/stages/stages.ts';
import type { Attendance } from '$server/shared/hearing/attendance/attendance.ts';
import type { HearingRole } from '$server/shared/hearing/core.ts';
import type { HearingEvent, HearingEventType, HearingInfo, HearingLiveState, HearingSnapshot } from '$server/shared/hearing/state.ts';
import { HearingFollower, type CommandInput, type FollowerStatus } from '$server/shared/socket/hearing-follower.ts';
import type { Ack, CommandName, CommandResult, HearingPresence, HistoryPage } from '$server/shared/socket/events.ts';
import type { TrialStage } from '../types.ts';

export type { FollowerStatus as HearingConnection, FloorTarget };
export type CommandAnswer = Ack<CommandResult>;

export class HearingManager {
  #follower: HearingFollower | null = null;
  #status = $state<FollowerStatus>('connecting');
  #error = $state<ErrorCode | null>(null);
  #info = $state.raw<HearingInfo | null>(null);
  #you = $state.raw<HearingSnapshot['you'] | null>(null);
  #state = $state.raw<HearingLiveState | null>(null);
  #events = $state.raw<readonly HearingEvent[]>([]);
  #presence = $state.raw<HearingPresence['online']>([]);
  #lastError = $state<ErrorCode | null>(null);
  #inFlight = $state(0);

  /** Starts following a hearing on the app's socket (and stops following any other). */
  follow(hearingId: string): void {
    if (this.#follower?.hearingId === hearingId) return;
    this.stop();
    // Routed by the hearing first (a cluster's haproxy sends it to the node holding the hearing's room).
    routeTo(hearingId);
    this.#follower = new HearingFollower({ socket: realtimeSocket(), hearingId, onChange: () => this.#mirror() });
    this.#mirror();
  }

  /** Stops following (the page closed); the socket stays open for the rest of the app. */
  stop(): void {
    this.#follower?.stop();
    this.#follower = null;
    this.#status = 'connecting';
    this.#error = null;
    this.#info = null;
    this.#you = null;
    this.#state = null;
    this.#events = [];
    this.#presence = [];
    this.#lastError = null;
  }

  get hearingId(): string | null {
    return this.#follower?.hearingId ?? null;
  }

  /** connecting → joining → online; resyncing after a gap or reconnection; offline; refused (see `error`). */
  get status(): FollowerStatus {
    return this.#status;
  }

  /** Why the hearing cannot be followed (`forbidden`, `not_found`), or why the last sync failed. */
  get error(): ErrorCode | null {
    return this.#error;
  }

  /** True whenever the page must not offer actions: not (yet, or any longer) in step with the server. */
  get readOnly(): boolean {
    return this.#status !== 'online';
  }

  /** The case, hall, court composition and participants; null until the first snapshot. */
  get info(): HearingInfo | null {
    return this.#info;
  }

  /** Who this workstation is in the hearing. */
  get you(): HearingSnapshot['you'] | null {
    return this.#you;
  }

  get role(): HearingRole | null {
    return this.#you?.role ?? null;
  }

  /** Stage, status, break, attendance, floor and shown page, at `state.version`. */
  get state(): HearingLiveState | null {
    return this.#state;
  }

  /** The latest events of the log, oldest first (older ones through `history`). */
  get events(): readonly HearingEvent[] {
    return this.#events;
  }

  /** Who is connected right now (volatile; one entry per person). */
  get presence(): HearingPresence['online'] {
    return this.#presence;
  }

  /** The code of the last refused intent, for a page that shows one message line; cleared by the next success. */
  get lastError(): ErrorCode | null {
    return this.#lastError;
  }

  /** Whether an intent is waiting for the server's answer. */
  get busy(): boolean {
    return this.#inFlight > 0;
  }

  /** This workstation has the floor: it may show pages (`show`) and end its presentation. */
  get hasFloor(): boolean {
    return this.#you !== null && this.#state?.floor?.userId === this.#you.userId;
  }

  /** The stages the presiding judge may move to now (the server refuses any other). */
  get nextStages(): readonly TrialStage[] {
    const state = this.#state;
    return state?.status === 'in_progress' && state.stage ? STAGE_TRANSITIONS[state.stage] : [];
  }

  /** Milliseconds since the hearing opened, by the server's clock (the secretary's running clock); null before. */
  clock(deviceNow = Date.now()): number | null {
    return this.#follower?.replica.clock(deviceNow) ?? null;
  }

  // ---- Intents: the presiding judge ----

  openHearing(): Promise<CommandAnswer> {
    return this.#send('hearing:open', {});
  }

  moveStage(to: TrialStage): Promise<CommandAnswer> {
    return this.#send('hearing:move-stage', { to });
  }

  /** `until`: when the break is announced to end (UTC ms), if the judge named a time. */
  startBreak(options: { until?: number | null; reason?: string | null } = {}): Promise<CommandAnswer> {
    return this.#send('hearing:start-break', { until: options.until ?? null, reason: options.reason ?? null });
  }

  endBreak(): Promise<CommandAnswer> {
    return this.#send('hearing:end-break', {});
  }

  /** `nextDate`: YYYY-MM-DD, when the judge names the day the hearing continues. */
  adjourn(reason: string, nextDate: string | null = null): Promise<CommandAnswer> {
    return this.#send('hearing:adjourn', { reason, nextDate });
  }

  suspend(reason: string): Promise<CommandAnswer> {
    return this.#send('hearing:suspend', { reason });
  }

  /** Closes the hearing after the decision has been announced. */
  end(): Promise<CommandAnswer> {
    return this.#send('hearing:end', {});
  }

  /** Gives the floor to present to the judge themself or to a prosecutor/defender participant. */
  giveFloor(to: FloorTarget): Promise<CommandAnswer> {
    return this.#send('floor:give', { to });
  }

  // ---- Intents: the secretary ----

  recordAttendance(participantId: string, attendance: Attendance): Promise<CommandAnswer> {
    return this.#send('attendance:record', { participantId, attendance });
  }

  /** Records that the court established the participant's identity; `document` as typed ("удостоверение личности № …"). */
  identify(participantId: string, document: string | null): Promise<CommandAnswer> {
    return this.#send('participant:identify', { participantId, document });
  }

  explainRights(participantId: string): Promise<CommandAnswer> {
    return this.#send('participant:explain-rights', { participantId });
  }

  addMark(text: string): Promise<CommandAnswer> {
    return this.#send('mark:add', { text });
  }

  recording(action: 'start' | 'pause' | 'resume' | 'stop'): Promise<CommandAnswer> {
    return this.#send(`recording:${action}`, {});
  }

  // ---- Intents: whoever has the floor ----

  /**
   * Shows a page of a case-file document to everyone; the server adds its volume and sheet. Call
   * it as often as the view changes (a zoom or a highlight being dragged): one position at a time
   * goes to the server, and a newer one replaces any still waiting — only the latest is sent.
   */
  show(position: { documentId: string; page: number; zoom: number; region?: Region | null }): Promise<CommandAnswer> {
    const input = { documentId: position.documentId, page: position.page, zoom: position.zoom, region: position.region ?? null };
    return this.#track((follower) => follower.sendLatest('presenter:show', input));
  }

  /** Ends the presentation (the presenter, or the presiding judge). */
  endFloor(): Promise<CommandAnswer> {
    return this.#send('floor:end', {});
  }

  // ---- Intents: remote participation (the presiding judge and the secretary) ----

  admitRemote(participantId: string): Promise<CommandAnswer> {
    return this.#send('remote:admit', { participantId });
  }

  refuseRemote(participantId: string): Promise<CommandAnswer> {
    return this.#send('remote:refuse', { participantId });
  }

  sendRemoteToLobby(participantId: string): Promise<CommandAnswer> {
    return this.#send('remote:send-to-lobby', { participantId });
  }

  /** A lawyer opens a private consultation with their client (asked of the judge while the court sits). */
  openConsultation(participantId: string): Promise<CommandAnswer> {
    return this.#send('consultation:open', { participantId });
  }

  /** The presiding judge lets a consultation asked for while the court sits begin. */
  grantConsultation(consultationId: string): Promise<CommandAnswer> {
    return this.#send('consultation:grant', { consultationId });
  }

  /** Back to the hall (a member), or the judge ends or refuses it. */
  closeConsultation(consultationId: string): Promise<CommandAnswer> {
    return this.#send('consultation:close', { consultationId });
  }

  /** Mutes (or lets speak again) a hall user or a remote participant. */
  mute(target: { userId: string } | { participantId: string }, fullName: string, muted: boolean): Promise<CommandAnswer> {
    return this.#send('media:mute', { target, fullName, muted });
  }

  /** The presiding judge appoints an interpreter, having warned them of liability (shared/hearing/interpreter). */
  appointInterpreter(input: CommandInput<'interpreter:appoint'>): Promise<CommandAnswer> {
    return this.#send('interpreter:appoint', input);
  }

  releaseInterpreter(interpreterId: string): Promise<CommandAnswer> {
    return this.#send('interpreter:release', { interpreterId });
  }

  // ---- Intents: motions (filing is HTTP with a signature: lib/state/motion-filing.svelte.ts) ----

  /** A party's position on another party's motion. */
  statePosition(motionId: string, position: 'supports' | 'objects' | 'leaves_to_court', text: string | null): Promise<CommandAnswer> {
    return this.#send('motion:state-position', { motionId, position, text });
  }

  /** The presiding judge's ruling, with its reasons. */
  ruleMotion(motionId: string, ruling: 'granted' | 'denied' | 'granted_in_part' | 'deferred', reasons: string): Promise<CommandAnswer> {
    return this.#send('motion:rule', { motionId, ruling, reasons });
  }

  /** A secretary's note; `startedAt` (server time, UTC ms) is when they began typing it. */
  addProtocolNote(text: string, speakerParticipantId: string | null, startedAt: number): Promise<CommandAnswer> {
    return this.#send('protocol:add-note', { text, speakerParticipantId, startedAt });
  }

  /** A new wording of a note (and who spoke); the earlier one stays in the log. */
  editProtocolNote(noteId: string, text: string, speakerParticipantId: string | null): Promise<CommandAnswer> {
    return this.#send('protocol:edit-note', { noteId, text, speakerParticipantId });
  }

  /** The server's clock now (UTC ms), by the offset learnt when joining; the device's clock before that. */
  serverNow(deviceNow = Date.now()): number {
    const clock = this.clock(deviceNow);
    const openedAt = this.#state?.openedAt ?? null;
    return clock !== null && openedAt !== null ? openedAt + clock : deviceNow;
  }

  /** A page of the hearing's log, oldest first: the newest `limit` before version `before`, of `types`. */
  async history(query: { before?: number; types?: HearingEventType[]; limit?: number } = {}): Promise<Ack<HistoryPage>> {
    if (!this.#follower) return { error: { code: 'unavailable', message: 'not following a hearing' } };
    return this.#follower.history(query);
  }

  #send<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandAnswer> {
    return this.#track((follower) => follower.send(name, input));
  }

  /** Runs a command on the current follower, keeping `busy` and `lastError` up to date. */
  async #track(sending: (follower: HearingFollower) => Promise<CommandAnswer>): Promise<CommandAnswer> {
    const follower = this.#follower;
    if (!follower) return { error: { code: 'unavailable', message: 'not following a hearing' } };
    this.#inFlight++;
    try {
      const answer = await sending(follower);
      if (follower === this.#follower) this.#lastError = 'error' in answer ? answer.error.code : null;
      return answer;
    } finally {
      this.#inFlight--;
    }
  }

  #mirror(): void {
    const follower = this.#follower;
    if (!follower) return;
    this.#status = follower.status;
    this.#error = follower.error;
    this.#info = follower.replica.info;
    this.#you = follower.replica.you;
    this.#state = follower.replica.state;
    this.#events = follower.replica.events;
    this.#presence = follower.presence;
  }
}
