/**
 * The schedule form's values while the clerk fills it in: a new hearing (the case's own judge
 * and secretary proposed, tomorrow at 10:00 court time) or an existing one as it stands. Bound
 * to the form's fields; `input` is what goes to the server.
 */
import { courtClock, courtDateFromToday } from '$server/shared/court-time.ts';
import type { HearingDetail, HearingOptions, ScheduleInput } from '../types.ts';

export class HearingDraft {
  hallId = $state('');
  date = $state('');
  time = $state('10:00');
  durationMinutes = $state(120);
  presidingJudgeId = $state('');
  secretaryId = $state('');
  closed = $state(false);
  participantIds = $state<string[]>([]);

  constructor(values: ScheduleInput & { durationMinutes: number }) {
    this.hallId = values.hallId;
    this.date = values.date;
    this.time = values.time;
    this.durationMinutes = values.durationMinutes;
    this.presidingJudgeId = values.presidingJudgeId;
    this.secretaryId = values.secretaryId;
    this.closed = values.closed;
    this.participantIds = values.participantIds;
  }

  static forNew(options: HearingOptions): HearingDraft {
    return new HearingDraft({
      hallId: options.halls[0]?.id ?? '',
      date: courtDateFromToday(options.timeZone, 1),
      time: '10:00',
      durationMinutes: options.defaultDurationMinutes,
      presidingJudgeId: options.defaults.presidingJudgeId ?? '',
      secretaryId: options.defaults.secretaryId ?? '',
      closed: false,
      participantIds: [],
    });
  }

  static forEdit(hearing: HearingDetail, timeZone: string): HearingDraft {
    const { date, time } = courtClock(timeZone, hearing.scheduledAt);
    return new HearingDraft({
      hallId: hearing.hall.id,
      date,
      time,
      durationMinutes: hearing.durationMinutes,
      presidingJudgeId: hearing.presidingJudge.id,
      secretaryId: hearing.secretary?.id ?? '',
      closed: hearing.closed,
      participantIds: hearing.summons.filter((s) => s.withdrawnAt === null).map((s) => s.participantId),
    });
  }

  summoned(participantId: string): boolean {
    return this.participantIds.includes(participantId);
  }

  setSummoned(participantId: string, on: boolean): void {
    const others = this.participantIds.filter((id) => id !== participantId);
    this.participantIds = on ? [...others, participantId] : others;
  }

  /** Every required field has a value (the browser checks the same before sending). */
  get complete(): boolean {
    return Boolean(this.hallId && this.date && this.time && this.presidingJudgeId && this.secretaryId);
  }

  get input(): ScheduleInput {
    return {
      hallId: this.hallId,
      date: this.date,
      time: this.time,
      durationMinutes: this.durationMinutes,
      presidingJudgeId: this.presidingJudgeId,
      secretaryId: this.secretaryId,
      closed: this.closed,
      participantIds: [...this.participantIds],
    };
  }
}
