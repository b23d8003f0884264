/**
 * Scheduling hearings: the court office (or the case's judge) sets a hearing's hall, time,
 * presiding judge and secretary, and summons participants of the case; it can move the hearing
 * or call it off until it begins. Each change, its summonses, its notices (rendered, in the
 * outbox) and its schedule-log entry are written in one transaction; the dispatcher sends the
 * notices afterwards, so a change is never half-announced.
 */
import type { HearingNoticeKind, NotificationChannel, ScheduleAction } from '../../../db/schema.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import type { CaseRelation } from '../cases/cases.repository.ts';
import type { CasesService } from '../cases/cases.service.ts';
import { AppError } from '../shared/errors.ts';
import type { OutboxRepository } from '../notifications/outbox.repository.ts';
import type { ScheduledHearing, HallRecord, ScheduleInput, RescheduleInput, HearingOptions, CaseHearings, HearingDetail } from '../shared/api/scheduling.ts';
import { fromZonedTime, toZonedTime } from '../shared/court-time.ts';
import type { ScheduleViewRepository } from './schedule-view.repository.ts';
import type { CaseFacts, HearingValues, SchedulingRepository } from './scheduling.repository.ts';
import * as rules from './scheduling.rules.ts';
import { composeNotices } from './summons-notices.ts';

/** Told after a change is committed (app.ts wakes the notification dispatcher with it). */
export type ScheduleChanged = { action: ScheduleAction; hearingId: string; caseId: string; notices: number };

type Deps = {
  cases: CasesService;
  scheduling: SchedulingRepository;
  views: ScheduleViewRepository;
  outbox: OutboxRepository;
  audit: AuditRepository;
  /** Runs `fn` in one transaction (db/database.ts: the repositories' queries inside it are part of it). */
  transaction: <T>(fn: () => Promise<T>) => Promise<T>;
  channels: () => ReadonlySet<NotificationChannel>;
  defaultDurationMinutes: number;
  onChanged?: (event: ScheduleChanged) => void;
  now?: () => Date;
};

/** A proposed schedule, resolved to an instant. */
type Proposal = HearingValues & { secretaryId: string; participantIds: string[] };

export class SchedulingService {
  #deps: Deps;
  #now: () => Date;

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  /** The case's hearings; anyone with access to the case sees them, contacts only those who schedule. */
  async list(user: SessionUser, caseId: string, ip: string | null): Promise<CaseHearings> {
    const relations = await this.#deps.cases.requireAccess(user, caseId, 'hearing.list', ip);
    const kase = await this.#case(caseId);
    const canSchedule = rules.canSchedule(relations);
    return { hearings: await this.#detailed(await this.#deps.views.list({ caseId }), caseId, canSchedule), canSchedule, timeZone: kase.court.timeZone };
  }

  /** What the schedule form offers: the court's halls, judges and secretaries, the case's participants. */
  async options(user: SessionUser, caseId: string, ip: string | null): Promise<HearingOptions> {
    await this.#requireScheduler(user, caseId, 'hearing.options', ip);
    const { scheduling, defaultDurationMinutes } = this.#deps;
    const kase = await this.#case(caseId);
    const staff = await scheduling.caseStaff(caseId);
    const channels = this.#deps.channels();
    return {
      timeZone: kase.court.timeZone,
      defaultDurationMinutes,
      halls: await scheduling.hallsOfCourt(kase.courtId),
      judges: await scheduling.staffOfCourt(kase.courtId, 'judge'),
      secretaries: await scheduling.staffOfCourt(kase.courtId, 'secretary'),
      participants: await scheduling.participants(caseId),
      defaults: {
        presidingJudgeId: staff.find((s) => s.role === 'judge')?.userId ?? null,
        secretaryId: staff.find((s) => s.role === 'secretary')?.userId ?? null,
      },
      channels: { email: channels.has('email'), sms: channels.has('sms') },
    };
  }

  /** The halls of the user's own court. */
  async halls(user: SessionUser): Promise<HallRecord[]> {
    return user.courtId ? this.#deps.scheduling.hallsOfCourt(user.courtId) : [];
  }

  async schedule(user: SessionUser, caseId: string, input: ScheduleInput, ip: string | null): Promise<HearingDetail> {
    await this.#requireScheduler(user, caseId, 'hearing.schedule', ip);
    const { scheduling, transaction } = this.#deps;
    const now = this.#now();
    const result = await transaction(async () => {
      const kase = await this.#case(caseId);
      await scheduling.lockSchedule(kase.courtId);
      rules.assertCaseOpen(kase.status);
      const proposal = await this.#validated(kase, resolve(kase, input, this.#deps.defaultDurationMinutes), { excludeHearingId: null, timeChanged: true, now });
      const hearingId = await scheduling.insertHearing(caseId, proposal, now);
      await this.#assignStaff(caseId, proposal, now);
      const plan = rules.planSummons([], proposal.participantIds);
      const notices = await this.#summonAndNotify({ kase, hearingId, proposal, plan, timeOrPlaceChanged: false, now });
      await scheduling.log({ hearingId, userId: user.id, action: 'scheduled', at: now });
      return { hearingId, notices };
    });
    return this.#done(user, 'scheduled', caseId, result, ip);
  }

  /** Moves a scheduled hearing, or changes its judge, secretary, closedness or summoned list. */
  async reschedule(user: SessionUser, hearingId: string, input: RescheduleInput, ip: string | null): Promise<HearingDetail> {
    const caseId = await this.#hearingCase(hearingId);
    await this.#requireScheduler(user, caseId, 'hearing.reschedule', ip);
    const { scheduling, transaction } = this.#deps;
    const now = this.#now();
    const result = await transaction(async () => {
      const kase = await this.#case(caseId);
      await scheduling.lockSchedule(kase.courtId);
      rules.assertCaseOpen(kase.status);
      const before = (await scheduling.hearingForUpdate(hearingId))!;
      rules.assertStillScheduled(before.status);
      const summoned = await scheduling.activeSummons(hearingId);
      const merged = merge(kase.court.timeZone, before, [...summoned.keys()], input);
      const timeChanged = merged.scheduledAt.getTime() !== before.scheduledAt.getTime();
      const proposal = await this.#validated(kase, merged, { excludeHearingId: hearingId, timeChanged, now });
      const beforeValues = { ...pick(before), participantIds: [...summoned.keys()].sort() };
      const changes = rules.changedFields(beforeValues, { ...pick(proposal), participantIds: [...proposal.participantIds].sort() });
      if (Object.keys(changes).length === 0) return { hearingId, notices: 0 };
      await scheduling.updateHearing(hearingId, pick(proposal));
      await this.#assignStaff(caseId, proposal, now);
      const plan = rules.planSummons([...summoned.keys()], proposal.participantIds);
      const timeOrPlaceChanged = timeChanged || before.hallId !== proposal.hallId;
      const notices = await this.#summonAndNotify({ kase, hearingId, proposal, plan, timeOrPlaceChanged, previousStart: before.scheduledAt, summoned, now });
      await scheduling.log({ hearingId, userId: user.id, action: 'rescheduled', at: now, changes });
      return { hearingId, notices };
    });
    return this.#done(user, 'rescheduled', caseId, result, ip);
  }

  /** Calls off a hearing that has not begun; everyone summoned is told, with the reason. */
  async cancel(user: SessionUser, hearingId: string, reason: string | null, ip: string | null): Promise<HearingDetail> {
    const caseId = await this.#hearingCase(hearingId);
    await this.#requireScheduler(user, caseId, 'hearing.cancel', ip);
    const { scheduling, transaction } = this.#deps;
    const now = this.#now();
    const result = await transaction(async () => {
      const kase = await this.#case(caseId);
      const hearing = (await scheduling.hearingForUpdate(hearingId))!;
      rules.assertStillScheduled(hearing.status);
      await scheduling.cancelHearing(hearingId);
      const summoned = await scheduling.activeSummons(hearingId);
      const list = [...summoned.keys()].map((participantId) => ({ participantId, kind: 'hearing.cancelled' as const }));
      const notices = await this.#notify({ kase, hearingId, proposal: hearing, summoned, reason, now, list });
      await scheduling.log({ hearingId, userId: user.id, action: 'cancelled', at: now, reason });
      return { hearingId, notices };
    });
    return this.#done(user, 'cancelled', caseId, result, ip, reason);
  }

  // ---- Rules applied ----------------------------------------------------------------------------

  async #requireScheduler(user: SessionUser, caseId: string, action: string, ip: string | null): Promise<CaseRelation[]> {
    const relations = await this.#deps.cases.requireAccess(user, caseId, action, ip);
    if (!rules.canSchedule(relations)) {
      await this.#deps.audit.record({ userId: user.id, actor: user.username, action, outcome: 'denied', caseId, ip, details: { reason: 'not_a_scheduler' } });
      throw new AppError('forbidden', 'Only the court office and the judge of the case schedule its hearings');
    }
    return relations;
  }

  async #case(caseId: string): Promise<CaseFacts> {
    const kase = await this.#deps.scheduling.caseFacts(caseId);
    if (!kase) throw new AppError('not_found', 'No such case');
    return kase;
  }

  async #hearingCase(hearingId: string): Promise<string> {
    const hearing = await this.#deps.scheduling.hearing(hearingId);
    if (!hearing) throw new AppError('not_found', 'No such hearing');
    return hearing.caseId;
  }

  async #validated(kase: CaseFacts, proposal: Proposal, options: { excludeHearingId: string | null; timeChanged: boolean; now: Date }): Promise<Proposal> {
    const { scheduling } = this.#deps;
    rules.assertHallOfCourt(await scheduling.hall(proposal.hallId), kase.courtId);
    rules.assertStaffOfCourt(await scheduling.staffFacts(proposal.presidingJudgeId), 'judge', kase.courtId);
    rules.assertStaffOfCourt(await scheduling.staffFacts(proposal.secretaryId), 'secretary', kase.courtId);
    rules.assertParticipantsOfCase(proposal.participantIds, new Set((await scheduling.participants(kase.id)).map((p) => p.id)));
    if (options.timeChanged) rules.assertNotInPast(proposal.scheduledAt, options.now);
    const slot = rules.slotOf(proposal.scheduledAt, proposal.durationMinutes);
    rules.assertNoConflicts(await scheduling.conflicts(slot, { hallId: proposal.hallId, judgeId: proposal.presidingJudgeId, secretaryId: proposal.secretaryId }, options.excludeHearingId));
    return proposal;
  }

  /** Presiding makes a judge (and sitting, a secretary) staff of the case: they need its file. */
  async #assignStaff(caseId: string, proposal: Proposal, now: Date): Promise<void> {
    await this.#deps.scheduling.assignToCase(caseId, proposal.presidingJudgeId, 'judge', now);
    await this.#deps.scheduling.assignToCase(caseId, proposal.secretaryId, 'secretary', now);
  }

  async #summonAndNotify(args: {
    kase: CaseFacts;
    hearingId: string;
    proposal: Proposal;
    plan: rules.SummonsPlan;
    timeOrPlaceChanged: boolean;
    previousStart?: Date;
    summoned?: Map<string, string>;
    now: Date;
  }): Promise<number> {
    const { scheduling } = this.#deps;
    const { hearingId, plan, now } = args;
    const summonsIds = new Map(args.summoned ?? []);
    for (const participantId of plan.summon) summonsIds.set(participantId, await scheduling.summon(hearingId, participantId, now));
    for (const participantId of plan.withdraw) await scheduling.withdraw(summonsIds.get(participantId)!, now);
    return this.#notify({ ...args, summoned: summonsIds, list: rules.noticesFor(plan, args.timeOrPlaceChanged) });
  }

  /** Puts a notice per contact of each participant in `list` into the outbox; returns how many. */
  async #notify(args: {
    kase: CaseFacts;
    hearingId: string;
    /** The hearing as it now is: where, when, and whether closed. */
    proposal: Pick<HearingValues, 'hallId' | 'scheduledAt' | 'closed'>;
    summoned: Map<string, string>;
    list: { participantId: string; kind: HearingNoticeKind }[];
    previousStart?: Date;
    reason?: string | null;
    now: Date;
  }): Promise<number> {
    const { scheduling, outbox } = this.#deps;
    const { kase, proposal } = args;
    const people = new Map((await scheduling.participants(kase.id)).map((p) => [p.id, p]));
    const notices = composeNotices({
      kase,
      hall: (await scheduling.hall(proposal.hallId))!,
      hearing: { id: args.hearingId, scheduledAt: proposal.scheduledAt, closed: proposal.closed },
      previousStart: args.previousStart,
      reason: args.reason,
      recipients: args.list.map(({ participantId, kind }) => ({ person: people.get(participantId)!, kind, summonsId: args.summoned.get(participantId)! })),
    });
    await outbox.enqueue(notices, this.#deps.channels(), args.now);
    return notices.length;
  }

  /** After the commit: audit, tell listeners, answer with the hearing as it now is. */
  async #done(user: SessionUser, action: ScheduleAction, caseId: string, result: { hearingId: string; notices: number }, ip: string | null, reason?: string | null): Promise<HearingDetail> {
    await this.#deps.audit.record({
      userId: user.id,
      actor: user.username,
      action: `hearing.${action === 'scheduled' ? 'schedule' : action === 'rescheduled' ? 'reschedule' : 'cancel'}`,
      outcome: 'allowed',
      caseId,
      target: result.hearingId,
      ip,
      details: { notices: result.notices, ...(reason ? { reason } : {}) },
    });
    // Every change is announced (the situation centre counts hearings); the notice dispatcher
    // looks at `notices` and has nothing to do when it is 0.
    this.#deps.onChanged?.({ action, hearingId: result.hearingId, caseId, notices: result.notices });
    return (await this.#detailed(await this.#deps.views.list({ hearingId: result.hearingId }), caseId, true))[0];
  }

  /** Adds contacts and notices to each summons for those who schedule; the others get the list alone. */
  async #detailed(hearings: ScheduledHearing[], caseId: string, withPrivate: boolean): Promise<HearingDetail[]> {
    if (!withPrivate) return hearings;
    const contacts = new Map((await this.#deps.scheduling.participants(caseId)).map((p) => [p.id, { email: p.email, phone: p.phone }]));
    const notices = Map.groupBy(await this.#deps.outbox.forHearings(hearings.map((h) => h.id)), (n) => n.summonsId ?? '');
    return hearings.map((h) => ({
      ...h,
      summons: h.summons.map((s) => ({ ...s, contacts: contacts.get(s.participantId), notices: notices.get(s.id) ?? [] })),
    }));
  }
}

/** The form's wall-clock date and time in the court's zone, as an instant; a date that does not exist is a 400. */
function instantOf(timeZone: string, date: string, time: string): Date {
  const local = rules.parseLocalDateTime(date, time);
  if (!local) throw new AppError('invalid_request', `No such date and time: ${date} ${time}`, [{ path: '/date', message: 'not a real date and time' }]);
  return fromZonedTime(timeZone, local);
}

function resolve(kase: CaseFacts, input: ScheduleInput, defaultDuration: number): Proposal {
  return {
    hallId: input.hallId,
    scheduledAt: instantOf(kase.court.timeZone, input.date, input.time),
    durationMinutes: input.durationMinutes ?? defaultDuration,
    presidingJudgeId: input.presidingJudgeId,
    secretaryId: input.secretaryId,
    closed: input.closed,
    participantIds: [...new Set(input.participantIds)],
  };
}

/** The hearing as it would be with the changes asked for; a date alone keeps the time, and the reverse. */
function merge(timeZone: string, before: HearingValues, summoned: string[], input: RescheduleInput): Proposal {
  let scheduledAt = before.scheduledAt;
  if (input.date !== undefined || input.time !== undefined) {
    const l = toZonedTime(timeZone, before.scheduledAt);
    const two = (n: number) => String(n).padStart(2, '0');
    const date = input.date ?? `${l.year}-${two(l.month)}-${two(l.day)}`;
    const time = input.time ?? `${two(l.hour)}:${two(l.minute)}`;
    scheduledAt = instantOf(timeZone, date, time);
  }
  return {
    hallId: input.hallId ?? before.hallId,
    scheduledAt,
    durationMinutes: input.durationMinutes ?? before.durationMinutes,
    presidingJudgeId: input.presidingJudgeId ?? before.presidingJudgeId,
    secretaryId: input.secretaryId ?? before.secretaryId ?? '',
    closed: input.closed ?? before.closed,
    participantIds: input.participantIds ? [...new Set(input.participantIds)] : summoned,
  };
}

function pick(h: HearingValues): HearingValues {
  return { hallId: h.hallId, scheduledAt: h.scheduledAt, durationMinutes: h.durationMinutes, presidingJudgeId: h.presidingJudgeId, secretaryId: h.secretaryId, closed: h.closed };
}
