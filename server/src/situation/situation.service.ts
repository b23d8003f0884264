/**
 * The situation centre (Supreme Court recommendation 004, item 3): operational figures of a court
 * — cases received today, this week, this month, and their trend; hearings today and in session
 * now; open cases past their procedural time limits and about to pass them; suspended cases and
 * for how long — per judge and case category, each with the list of cases behind it.
 *
 * Who: the court's chair and office see their own court; an admin sees any court or all of them.
 * Everyone else is refused (audited). Periods are court-local (the court's time zone, Asia/Almaty):
 * "today" is from local midnight, the week from Monday, the month from the 1st.
 */
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import { AppError } from '../shared/errors.ts';
import { DEFAULT_COURT_TIME_ZONE, fromZonedTime, startOfDay, toZonedTime, zoneOffsetMs } from '../shared/court-time.ts';
import type { DeadlineRule } from './deadline-rules.ts';
import type { DeadlineRuleId, Figure, SituationCounts, DrillCase, Dashboard } from '../shared/api/situation.ts';
import type { ExportCase } from './situation-csv.ts';
import type { CaseRow, DrillFilter, Scope, SituationRepository } from './situation.repository.ts';

const DAY = 86_400_000;

export type DrillQuery = DrillFilter & { figure: Figure; rule?: DeadlineRuleId; limit: number; offset: number };

type Deps = { situation: SituationRepository; audit: AuditRepository; rules: DeadlineRule[]; now?: () => Date };

export class SituationService {
  #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  get rules(): DeadlineRule[] {
    return this.#deps.rules;
  }

  /** The court the user may look at (null: all courts, for an admin who names none), or a refusal. */
  async scopeOf(user: SessionUser, courtId: string | undefined, ip: string | null): Promise<string | null> {
    if (courtId !== undefined && !(await this.#deps.situation.courtTimezone(courtId))) throw new AppError('not_found', 'No such court');
    if (user.roles.includes('admin')) return courtId ?? null;
    const courtWide = user.roles.includes('chair') || user.roles.includes('office');
    if (courtWide && user.courtId && (courtId === undefined || courtId === user.courtId)) return user.courtId;
    await this.#deps.audit.record({ userId: user.id, actor: user.username, action: 'situation.read', outcome: 'denied', target: courtId ?? null, ip });
    throw new AppError('forbidden', 'The situation centre is for the court chair, the court office and administrators');
  }

  async dashboard(user: SessionUser, input: { courtId?: string; at?: string }, ip: string | null): Promise<Dashboard> {
    const courtId = await this.scopeOf(user, input.courtId, ip);
    const { situation, rules } = this.#deps;
    const calendar = await this.#calendar(courtId, input.at);
    const { scope } = calendar;

    const yearAgo = calendar.monthStart(-11);
    // One question after another: on SQLite they run on one reader anyway, on PostgreSQL one pooled connection does.
    const perDay = await situation.receiptsPerDay(scope, yearAgo, calendar.until);
    const sum = (fromDay: number, toDay: number) => {
      let n = 0;
      for (let d = fromDay; d < toDay; d++) n += perDay.get(d) ?? 0;
      return n;
    };
    const dayOf = (utcMs: number) => Math.floor((utcMs + scope.offsetMs) / DAY);
    const days = Array.from({ length: 30 }, (_, i) => scope.today - 29 + i).map((d) => ({ label: localDate(d), from: localDate(d), count: perDay.get(d) ?? 0 }));
    const weeks = Array.from({ length: 12 }, (_, i) => dayOf(calendar.weekStart) - 7 * (11 - i)).map((d) => ({ label: localDate(d), from: localDate(d), count: sum(d, d + 7) }));
    const months = Array.from({ length: 12 }, (_, i) => [calendar.monthStart(i - 11), calendar.monthStart(i - 10)]).map(([from, to]) => ({
      label: localDate(dayOf(from)).slice(0, 7),
      from: localDate(dayOf(from)),
      count: sum(dayOf(from), dayOf(to)),
    }));

    const hearings = await situation.hearings(scope, calendar.todayStart, calendar.tomorrow);
    const { counts, deadlines } = await situation.caseFigures(scope, rules);
    const receivedMonth = await situation.receivedBreakdown(scope, calendar.monthStart(0), calendar.until);
    const longestSuspended = await situation.longestSuspended(scope, 10);

    // Per judge and per category, from the same three breakdowns.
    const empty = (): SituationCounts => ({ open: 0, suspended: 0, receivedMonth: 0, breached: 0, dueSoon: 0 });
    const judges = new Map<string | null, SituationCounts>();
    const categories = new Map<string, SituationCounts>();
    const add = (judgeId: string | null, category: string, change: Partial<SituationCounts>) => {
      for (const [map, key] of [
        [judges, judgeId],
        [categories, category],
      ] as const) {
        const counts = (map as Map<typeof key, SituationCounts>).get(key) ?? empty();
        for (const [k, v] of Object.entries(change) as [keyof SituationCounts, number][]) counts[k] += v;
        (map as Map<typeof key, SituationCounts>).set(key, counts);
      }
    };
    for (const row of counts) add(row.judgeId, row.category, { open: row.open, suspended: row.suspended });
    for (const row of receivedMonth) add(row.judgeId, row.category, { receivedMonth: row.n });
    for (const row of deadlines) add(row.judgeId, row.category, { breached: row.breached, dueSoon: row.dueSoon });
    const names = await situation.userNames([...judges.keys()].filter((id): id is string => id !== null));

    return {
      courtId,
      timezone: calendar.timezone,
      at: calendar.at.toISOString(),
      date: localDate(scope.today),
      // From the receipts per day (day, week and month start at court-local midnights).
      received: {
        day: sum(scope.today, scope.today + 1),
        week: sum(dayOf(calendar.weekStart), scope.today + 1),
        month: sum(dayOf(calendar.monthStart(0)), scope.today + 1),
      },
      trend: { days, weeks, months },
      hearings: { today: hearings.today, todayTotal: Object.values(hearings.today).reduce((a, b) => a + b, 0), running: hearings.running },
      open: counts.reduce((n, r) => n + r.open, 0),
      suspended: {
        total: counts.reduce((n, r) => n + r.suspended, 0),
        longest: longestSuspended.map((row) => ({ ...toDrillCase(row), daysSuspended: row.suspendedAt === null ? 0 : scope.today - dayOf(row.suspendedAt) })),
      },
      deadlines: rules.map((rule) => {
        const rows = deadlines.filter((d) => d.rule === rule.id);
        const total = (k: 'open' | 'breached' | 'dueSoon') => rows.reduce((n, r) => n + r[k], 0);
        return { rule: rule.id, days: rule.days, name: rule.name, source: rule.source, open: total('open'), breached: total('breached'), dueSoon: total('dueSoon') };
      }),
      byJudge: [...judges].map(([judgeId, counts]) => ({ judgeId, name: judgeId ? (names.get(judgeId) ?? null) : null, ...counts })).sort((a, b) => b.open + b.suspended - (a.open + a.suspended)),
      byCategory: [...categories].map(([category, counts]) => ({ category, ...counts })),
    };
  }

  /** The cases behind one figure of the dashboard (the same filters), page by page. */
  async cases(user: SessionUser, input: DrillQuery & { courtId?: string; at?: string }, ip: string | null): Promise<{ figure: Figure; cases: DrillCase[] }> {
    return { figure: input.figure, cases: (await this.#drill(user, input, ip)).map(toDrillCase) };
  }

  /** The same list for the CSV export, each case with its court's time zone (situation-csv.ts). */
  async exportCases(user: SessionUser, input: DrillQuery & { courtId?: string; at?: string }, ip: string | null): Promise<ExportCase[]> {
    return (await this.#drill(user, input, ip)).map((row) => ({ ...toDrillCase(row), timezone: row.timezone }));
  }

  async #drill(user: SessionUser, input: DrillQuery & { courtId?: string; at?: string }, ip: string | null): Promise<CaseRow[]> {
    const courtId = await this.scopeOf(user, input.courtId, ip);
    const { scope, todayStart, tomorrow, until, weekStart, monthStart } = await this.#calendar(courtId, input.at);
    const filter: DrillFilter = { judgeId: input.judgeId, category: input.category };
    const { rules, situation } = this.#deps;
    if (input.rule && !rules.some((r) => r.id === input.rule)) throw new AppError('invalid_request', 'No such time-limit rule', [{ path: '/rule', message: 'unknown rule' }]);
    const figure = (() => {
      switch (input.figure) {
        case 'received_day':
          return { kind: 'received' as const, from: todayStart, to: until };
        case 'received_week':
          return { kind: 'received' as const, from: weekStart, to: until };
        case 'received_month':
          return { kind: 'received' as const, from: monthStart(0), to: until };
        case 'hearings_today':
          return { kind: 'hearings' as const, from: todayStart, to: tomorrow };
        case 'breached':
        case 'due_soon':
          return { kind: input.figure, rules, rule: input.rule };
        default:
          return { kind: input.figure };
      }
    })();
    const rows = await situation.cases(scope, figure, filter, input.limit, input.offset);
    const names = await situation.userNames([...new Set(rows.map((r) => r.judgeId).filter((id): id is string => id !== null))]);
    return rows.map((row) => ({ ...row, judgeName: row.judgeId ? (names.get(row.judgeId) ?? null) : null }));
  }

  async #calendar(courtId: string | null, atInput: string | undefined) {
    const at = atInput ? new Date(atInput) : (this.#deps.now?.() ?? new Date());
    if (Number.isNaN(at.getTime())) throw new AppError('invalid_request', 'Not a date', [{ path: '/at', message: 'expected an ISO date-time' }]);
    const timezone = (courtId && (await this.#deps.situation.courtTimezone(courtId))) || DEFAULT_COURT_TIME_ZONE;
    const offsetMs = zoneOffsetMs(timezone, at);
    const todayStart = startOfDay(timezone, at).getTime();
    const local = toZonedTime(timezone, at);
    const scope: Scope = { courtId, offsetMs, today: Math.floor((at.getTime() + offsetMs) / DAY), at: at.getTime() };
    const tomorrow = startOfDay(timezone, new Date(todayStart + DAY + 3_600_000)).getTime();
    return {
      at,
      timezone,
      scope,
      todayStart,
      tomorrow,
      /** The end of every receipt period: the moment asked about (a case received after it is not counted yet). */
      until: Math.min(tomorrow, at.getTime() + 1),
      weekStart: startOfDay(timezone, new Date(todayStart - ((local.weekday + 6) % 7) * DAY + 3_600_000)).getTime(),
      /** The start of the month `shift` months from this one (0 this month, -1 the last). */
      monthStart: (shift: number) => {
        const month0 = local.year * 12 + (local.month - 1) + shift;
        return fromZonedTime(timezone, { year: Math.floor(month0 / 12), month: (month0 % 12) + 1, day: 1, hour: 0, minute: 0 }).getTime();
      },
    };
  }
}

/** A court-local day number → YYYY-MM-DD. */
export function localDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function toDrillCase(row: CaseRow): DrillCase {
  return {
    id: row.id,
    caseNumber: row.caseNumber,
    category: row.category,
    status: row.status,
    receivedAt: new Date(row.receivedAt).toISOString(),
    suspendedAt: row.suspendedAt === null ? null : new Date(row.suspendedAt).toISOString(),
    judge: row.judgeId ? { id: row.judgeId, fullName: row.judgeName ?? '' } : null,
    ...(row.rule && row.dueDay !== undefined ? { deadline: { rule: row.rule, due: localDate(row.dueDay) } } : {}),
  };
}
