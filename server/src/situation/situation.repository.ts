/**
 * The situation centre's queries: every figure is one aggregate query over the court's cases and
 * hearings (indexes: cases(court_id, received_at), cases(court_id, status), hearings(scheduled_at)),
 * so the dashboard costs the same whether a court has a hundred cases or a hundred thousand.
 *
 * Days are court-local day numbers: floor((UTC ms + offset) / 86,400,000), with the court's UTC
 * offset at the moment asked about (Asia/Almaty has kept UTC+5 since 1 March 2024; a case received
 * before a zone change is at most an hour off, which the docs note).
 *
 * PostgreSQL: the same SQL but integer division written `div(...)` and the boolean sums as
 * `count(*) filter (where ...)`.
 */
import type { Statement } from 'better-sqlite3';
import type { DbHandle } from '../../../db/client.ts';
import type { DeadlineRule } from './deadline-rules.ts';
import type { DeadlineRuleId } from '../shared/api/situation.ts';

const DAY = 86_400_000;
// Parameters arrive from JavaScript as REAL: every day number is computed from integers
// (`cast(:off as integer)`), or SQLite would divide exactly instead of flooring.
/**
 * A hearing was opened (it happened, whatever came after) unless it is still `scheduled` or was
 * `cancelled`: written as the complement, one range of the (case_id, status, scheduled_at) index
 * per case rather than five.
 */
const NOT_OPENED = `('scheduled', 'cancelled')`;

/**
 * The court-local days case `c` spent suspended before its current status: every ended suspension
 * (a change out of `suspended`, case_status_changes) from its local day to the day it ended. The
 * limits that run until the case is closed are that much longer: their clock stood still.
 */
const PAUSED_DAYS = `coalesce((select sum((x.at + cast(:off as integer)) / ${DAY} - (x.since + cast(:off as integer)) / ${DAY})
  from case_status_changes x where x.case_id = c.id and x.from_status = 'suspended'), 0)`;

/** The due day of `rule` for a case with `rday` and `paused` (openCte, caseFigures). */
function dueDay(rule: DeadlineRule): string {
  return rule.endsAt === 'case_closed' ? `(rday + :days_${rule.id} + paused)` : `(rday + :days_${rule.id})`;
}

/**
 * Which court (null: all courts) and the court-local calendar of the moment asked about. `at`
 * (UTC ms) is that moment: a case received after it is not counted in any figure of that moment.
 */
export type Scope = { courtId: string | null; offsetMs: number; today: number; at: number };
export type Breakdown = { judgeId: string | null; category: string; rule: DeadlineRuleId; open: number; breached: number; dueSoon: number };
export type StatusCounts = { judgeId: string | null; category: string; open: number; suspended: number };
export type DrillFilter = { judgeId?: string | null; category?: string };
export type CaseRow = {
  id: string;
  caseNumber: string;
  category: string;
  status: string;
  receivedAt: number;
  suspendedAt: number | null;
  judgeId: string | null;
  judgeName: string | null;
  /** The case's court's time zone (for dates written out on its clock: the CSV). */
  timezone: string;
  /** For deadline lists: the rule, its due day (court-local day number) and whether it is breached. */
  rule?: DeadlineRuleId;
  dueDay?: number;
};
export type DeadlineFigure = 'breached' | 'due_soon';

export class SituationRepository {
  #sqlite: DdHandleSqlite;
  #statements = new Map<string, Statement>();

  constructor(handle: DbHandle) {
    this.#sqlite = handle.sqlite;
  }

  courtTimezone(courtId: string): string | undefined {
    return (this.#prepare('tz', 'select timezone from courts where id = ?').get(courtId) as { timezone: string } | undefined)?.timezone;
  }

  courtName(courtId: string): { kk: string; ru: string; en: string } | undefined {
    const row = this.#prepare('court', 'select name_kk as kk, name_ru as ru, name_en as en from courts where id = ?').get(courtId);
    return row as { kk: string; ru: string; en: string } | undefined;
  }

  courtOfCase(caseId: string): string | undefined {
    return (this.#prepare('courtOfCase', 'select court_id as c from cases where id = ?').get(caseId) as { c: string } | undefined)?.c;
  }

  courtOfHearing(hearingId: string): string | undefined {
    return (this.#prepare('courtOfHearing', 'select c.court_id as c from hearings h join cases c on c.id = h.case_id where h.id = ?').get(hearingId) as { c: string } | undefined)?.c;
  }

  userNames(ids: string[]): Map<string, string> {
    if (ids.length === 0) return new Map();
    const rows = this.#sqlite.prepare(`select id, full_name as name from users where id in (${ids.map(() => '?').join(', ')})`).all(...ids) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Receipts per court-local day number from `from` (UTC ms) on. */
  receiptsPerDay(scope: Scope, from: number, to: number): Map<number, number> {
    const rows = this.#prepare(
      'perDay',
      `select (received_at + cast(:off as integer)) / ${DAY} as day, count(*) as n from cases
       where ${court('court_id')} and received_at >= :from and received_at < :to group by day`,
      scope,
    ).all({ court: scope.courtId, off: scope.offsetMs, from, to }) as { day: number; n: number }[];
    return new Map(rows.map((r) => [r.day, r.n]));
  }

  /** Hearings scheduled in [from, to) by status, and hearings in session right now (any day). */
  hearings(scope: Scope, from: number, to: number): { today: Record<string, number>; running: number } {
    const rows = this.#prepare(
      'hearingsToday',
      `select h.status, count(*) as n from hearings h cross join cases c on c.id = h.case_id
       where ${court('c.court_id')} and h.scheduled_at >= :from and h.scheduled_at < :to group by h.status`,
      scope,
    ).all({ court: scope.courtId, from, to }) as { status: string; n: number }[];
    const running = this.#prepare(
      'running',
      `select count(*) as n from hearings h cross join cases c on c.id = h.case_id where ${court('c.court_id')} and h.status in ('in_progress', 'break')`,
      scope,
    ).get({ court: scope.courtId }) as { n: number };
    return { today: Object.fromEntries(rows.map((r) => [r.status, r.n])), running: running.n };
  }

  /** The longest-suspended cases first. */
  longestSuspended(scope: Scope, limit: number): CaseRow[] {
    return this.cases(scope, { kind: 'suspended' }, {}, limit, 0);
  }

  /** Receipts per judge and category in [from, to). */
  receivedBreakdown(scope: Scope, from: number, to: number): { judgeId: string | null; category: string; n: number }[] {
    return this.#prepare(
      'receivedBreakdown',
      `select s.user_id as judgeId, c.category, count(*) as n from cases c ${JUDGE_JOIN}
       where ${court('c.court_id')} and c.received_at >= :from and c.received_at < :to group by s.user_id, c.category`,
      scope,
    ).all({ court: scope.courtId, from, to }) as { judgeId: string | null; category: string; n: number }[];
  }

  /**
   * Open and suspended cases and the deadline engine, per judge and category, in one pass over the
   * court's open and suspended cases (the judge looked up once per case): every rule is a column of
   * sums (no row per rule). A suspended case's clock stands still, so its limits are not computed
   * (its first hearing and custody are not even looked up); a case suspended before and resumed has
   * the days it was suspended added to the limits that run until it is closed (PAUSED_DAYS). The pass is materialized: the first
   * opened hearing and custody are then read once per case, not once per column that uses them.
   */
  caseFigures(scope: Scope, rules: DeadlineRule[]): { counts: StatusCounts[]; deadlines: Breakdown[] } {
    const columns = rules.map((rule, i) => {
      const applies = rule.appliesTo === 'custody' ? 'custody' : 'not suspended';
      const due = dueDay(rule);
      const ended = rule.endsAt === 'first_hearing_opened' ? 'first_opened' : 'null';
      const breached = `coalesce((${ended} + cast(:off as integer)) / ${DAY}, :today) > ${due}`;
      const dueSoon = `${ended} is null and ${due} >= :today and ${due} - :today <= :warn_${rule.id}`;
      return `sum(${applies}) as open${i}, sum(${applies} and ${breached}) as breached${i}, sum(${applies} and ${dueSoon}) as dueSoon${i}`;
    });
    const sql = `with cased as materialized (
        select s.user_id as judge_id, c.category, c.status = 'suspended' as suspended, (c.received_at + cast(:off as integer)) / ${DAY} as rday,
          case when c.status <> 'suspended' then (select min(h.scheduled_at) from hearings h where h.case_id = c.id and h.status not in ${NOT_OPENED}) end as first_opened,
          case when c.status <> 'suspended' then exists (select 1 from case_participants p where p.case_id = c.id and p.role = 'defendant' and p.in_custody = 1) else 0 end as custody,
          case when c.status <> 'suspended' then ${PAUSED_DAYS} else 0 end as paused
        from cases c ${JUDGE_JOIN} where ${court('c.court_id')} and c.status in ('received', 'in_trial', 'suspended') and c.received_at <= :at)
      select judge_id as judgeId, category, sum(not suspended) as open, sum(suspended) as suspended, ${columns.join(', ')} from cased group by judge_id, category`;
    const rows = this.#prepare(`caseFigures:${rulesKey(rules)}`, sql, scope).all(ruleParams(scope, rules)) as Record<string, number | string | null>[];
    return {
      counts: rows.map((row) => ({ judgeId: row.judgeId as string | null, category: row.category as string, open: Number(row.open ?? 0), suspended: Number(row.suspended ?? 0) })),
      deadlines: rows.flatMap((row) =>
        rules.map((rule, i) => ({
          judgeId: row.judgeId as string | null,
          category: row.category as string,
          rule: rule.id,
          open: Number(row[`open${i}`] ?? 0),
          breached: Number(row[`breached${i}`] ?? 0),
          dueSoon: Number(row[`dueSoon${i}`] ?? 0),
        })),
      ),
    };
  }

  /** The cases behind a figure, for drill-down lists and CSV. */
  cases(
    scope: Scope,
    figure:
      | { kind: 'received'; from: number; to: number }
      | { kind: 'open' }
      | { kind: 'suspended' }
      | { kind: DeadlineFigure; rules: DeadlineRule[]; rule?: DeadlineRuleId }
      | { kind: 'hearings'; from: number; to: number }
      | { kind: 'running' },
    filter: DrillFilter,
    limit: number,
    offset: number,
  ): CaseRow[] {
    const select = `select c.id, c.case_number as caseNumber, c.category, c.status, c.received_at as receivedAt, c.suspended_at as suspendedAt,
      ${JUDGE} as judgeId, (select full_name from users u where u.id = ${JUDGE}) as judgeName,
      (select timezone from courts ct where ct.id = c.court_id) as timezone`;
    const params: Record<string, unknown> = { court: scope.courtId, at: scope.at, limit, offset, judge: filter.judgeId ?? null, category: filter.category ?? null };
    const filters = `and (:judge is null or ${JUDGE} = :judge) and (:category is null or c.category = :category)`;
    let key: string;
    let sql: string;
    switch (figure.kind) {
      case 'received':
        key = 'drill:received';
        sql = `${select} from cases c where ${court('c.court_id')} and c.received_at >= :from and c.received_at < :to ${filters} order by c.received_at desc limit :limit offset :offset`;
        Object.assign(params, { from: figure.from, to: figure.to });
        break;
      case 'open':
        key = 'drill:open';
        sql = `${select} from cases c where ${court('c.court_id')} and c.status in ('received', 'in_trial') and c.received_at <= :at ${filters} order by c.received_at limit :limit offset :offset`;
        break;
      case 'suspended':
        key = 'drill:suspended';
        sql = `${select} from cases c where ${court('c.court_id')} and c.status = 'suspended' and c.received_at <= :at ${filters} order by c.suspended_at limit :limit offset :offset`;
        break;
      case 'hearings':
      case 'running':
        key = `drill:${figure.kind}`;
        sql = `${select} from cases c where ${court('c.court_id')} and exists (select 1 from hearings h where h.case_id = c.id and ${
          figure.kind === 'running' ? `h.status in ('in_progress', 'break')` : 'h.scheduled_at >= :from and h.scheduled_at < :to'
        }) ${filters} order by c.case_number limit :limit offset :offset`;
        if (figure.kind === 'hearings') Object.assign(params, { from: figure.from, to: figure.to });
        break;
      default: {
        const rules = figure.rule ? figure.rules.filter((r) => r.id === figure.rule) : figure.rules;
        key = `drill:${figure.kind}:${rulesKey(rules)}`;
        sql = `with ${deadlinesCte(rules)}
          ${select}, d.rule, d.due as dueDay from deadlines d join cases c on c.id = d.id
          where ${figure.kind === 'breached' ? BREACHED : DUE_SOON} ${filters} order by d.due, c.case_number limit :limit offset :offset`;
        Object.assign(params, ruleParams(scope, rules));
      }
    }
    return this.#prepare(key, sql, scope).all(params) as CaseRow[];
  }

  #prepare(key: string, sql: string, scope?: Scope): Statement {
    const oneCourt = scope?.courtId != null;
    const fullKey = `${oneCourt ? 'court' : 'all'}:${key}`;
    let statement = this.#statements.get(fullKey);
    if (!statement) {
      statement = this.#sqlite.prepare(sql.replace(/COURT\(([\w.]+)\)/g, (_, column: string) => (oneCourt ? `${column} = :court` : ':court is null')));
      this.#statements.set(fullKey, statement);
    }
    return statement;
  }
}

type DdHandleSqlite = DbHandle['sqlite'];

/**
 * The court condition, resolved per scope when the statement is prepared (#prepare): `column =
 * :court` for one court, which uses the court indexes, or the constant `:court is null` for all
 * courts. (One `(:court is null or column = :court)` would do for both, but defeats every index.)
 */
function court(column: string): string {
  return `COURT(${column})`;
}

/**
 * The judge of case `c` as a join (a case has one assigned judge; were there two, the case would
 * count for each): one lookup per case, where the scalar subquery below is evaluated per use.
 */
const JUDGE_JOIN = `left join case_staff s on s.case_id = c.id and s.role = 'judge'`;

/** The judge of case `c` (its assigned judge in case_staff). */
const JUDGE = `(select s.user_id from case_staff s where s.case_id = c.id and s.role = 'judge' limit 1)`;

const BREACHED = `(coalesce((ended + cast(:off as integer)) / ${DAY}, :today) > due)`;
const DUE_SOON = `(ended is null and due >= :today and due - :today <= warn)`;

/**
 * One row per open case and rule that applies to it: the due day (day of receipt + days) and when
 * the limit ended (the first opened hearing for `first_hearing`; null while still running).
 */
function deadlinesCte(rules: DeadlineRule[]): string {
  const open = openCte();
  const parts = rules.map(
    (rule) => `select id, judge_id, category, '${rule.id}' as rule, ${dueDay(rule)} as due, :warn_${rule.id} as warn,
      ${rule.endsAt === 'first_hearing_opened' ? 'first_opened' : 'null'} as ended from open ${rule.appliesTo === 'custody' ? 'where custody' : ''}`,
  );
  return `${open}, deadlines as (${parts.join(' union all ')})`;
}

/** Every open case with what its limits need: judge, day of receipt, first opened hearing, custody, days suspended before. */
function openCte(materialized = true): string {
  return `open as ${materialized ? 'materialized' : ''} (
    select c.id, c.category, s.user_id as judge_id, (c.received_at + cast(:off as integer)) / ${DAY} as rday,
      (select min(h.scheduled_at) from hearings h where h.case_id = c.id and h.status not in ${NOT_OPENED}) as first_opened,
      exists (select 1 from case_participants p where p.case_id = c.id and p.role = 'defendant' and p.in_custody = 1) as custody,
      ${PAUSED_DAYS} as paused
    from cases c ${JUDGE_JOIN} where ${court('c.court_id')} and c.status in ('received', 'in_trial') and c.received_at <= :at)`;
}

function ruleParams(scope: Scope, rules: DeadlineRule[]): Record<string, unknown> {
  const params: Record<string, unknown> = { court: scope.courtId, off: scope.offsetMs, today: scope.today, at: scope.at };
  for (const rule of rules) {
    params[`days_${rule.id}`] = rule.days;
    params[`warn_${rule.id}`] = rule.warnDays;
  }
  return params;
}

function rulesKey(rules: DeadlineRule[]): string {
  return rules.map((r) => `${r.id}:${r.endsAt}:${r.appliesTo}`).join(',');
}
