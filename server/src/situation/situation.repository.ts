/**
 * The situation centre's queries: every figure is one aggregate query over the court's cases and
 * hearings (indexes: cases(court_id, received_at), cases(court_id, status), hearings(scheduled_at)),
 * so the dashboard costs the same whether a court has a hundred cases or a hundred thousand.
 *
 * Days are court-local day numbers: floor((UTC ms + offset) / 86,400,000), with the court's UTC
 * offset at the moment asked about (Asia/Almaty has kept UTC+5 since 1 March 2024; a case received
 * before a zone change is at most an hour off, which the docs note).
 *
 * One query text for both dialects (db/database.ts), with what differs written by `Dialect` below:
 * SQLite keeps times as integer ms, PostgreSQL as timestamps (turned into ms to count days, and
 * given as timestamps to compare); booleans are summed as `case when … then 1 else 0 end`, which
 * both accept; camelCase names are quoted, as PostgreSQL folds the others to lower case.
 */
import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/database.ts';
import type { DeadlineRule } from './deadline-rules.ts';
import type { DeadlineRuleId } from '../shared/api/situation.ts';

const DAY = 86_400_000;
/**
 * A hearing was opened (it happened, whatever came after) unless it is still `scheduled` or was
 * `cancelled`: written as the complement, one range of the (case_id, status, scheduled_at) index
 * per case rather than five.
 */
const NOT_OPENED = sql.raw(`('scheduled', 'cancelled')`);

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
export type CaseFigure =
  | { kind: 'received'; from: number; to: number }
  | { kind: 'open' }
  | { kind: 'suspended' }
  | { kind: DeadlineFigure; rules: DeadlineRule[]; rule?: DeadlineRuleId }
  | { kind: 'hearings'; from: number; to: number }
  | { kind: 'running' };

/** What the two dialects write differently about time (see the note above). */
type Dialect = {
  /** A time column as UTC ms. */
  ms(column: SQL): SQL;
  /** A moment (UTC ms) to compare a time column with. */
  at(ms: number): SQL;
  /** The court-local day number of a time column (an integer: floored, not divided exactly). */
  day(column: SQL, offsetMs: number): SQL;
  /** No time (a limit still running), typed as a time: PostgreSQL needs the type to take its day. */
  noTime: SQL;
  /** A join that keeps the order written (SQLite's `cross join` is its planner's hint; PostgreSQL has no `on` for it). */
  orderedJoin: SQL;
};

const SQLITE: Dialect = {
  ms: (column) => column,
  at: (ms) => sql`${ms}`,
  // Parameters arrive from JavaScript as REAL: the day is computed from integers, or SQLite would divide exactly.
  day: (column, offsetMs) => sql`(${column} + cast(${offsetMs} as integer)) / ${sql.raw(String(DAY))}`,
  noTime: sql`null`,
  orderedJoin: sql`cross join`,
};

const POSTGRES: Dialect = {
  ms: (column) => sql`cast(extract(epoch from ${column}) * 1000 as double precision)`,
  at: (ms) => sql`cast(${new Date(ms).toISOString()} as timestamptz)`,
  day: (column, offsetMs) => sql`(cast(extract(epoch from ${column}) * 1000 as bigint) + cast(${offsetMs} as integer)) / ${sql.raw(String(DAY))}`,
  noTime: sql`cast(null as timestamptz)`,
  orderedJoin: sql`join`,
};

export class SituationRepository {
  #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  get #dialect(): Dialect {
    return this.#database.dialect === 'postgres' ? POSTGRES : SQLITE;
  }

  async courtTimezone(courtId: string): Promise<string | undefined> {
    const { courts } = this.#database.tables;
    const [row] = await this.#database.db.select({ timezone: courts.timezone }).from(courts).where(eq(courts.id, courtId));
    return row?.timezone;
  }

  async courtName(courtId: string): Promise<{ kk: string; ru: string; en: string } | undefined> {
    const { courts } = this.#database.tables;
    const [row] = await this.#database.db.select({ kk: courts.nameKk, ru: courts.nameRu, en: courts.nameEn }).from(courts).where(eq(courts.id, courtId));
    return row;
  }

  async courtOfCase(caseId: string): Promise<string | undefined> {
    const { cases } = this.#database.tables;
    const [row] = await this.#database.db.select({ c: cases.courtId }).from(cases).where(eq(cases.id, caseId));
    return row?.c;
  }

  async courtOfHearing(hearingId: string): Promise<string | undefined> {
    const { cases, hearings } = this.#database.tables;
    const [row] = await this.#database.db.select({ c: cases.courtId }).from(hearings).innerJoin(cases, eq(cases.id, hearings.caseId)).where(eq(hearings.id, hearingId));
    return row?.c;
  }

  async userNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const { users } = this.#database.tables;
    const rows = await this.#database.db.select({ id: users.id, name: users.fullName }).from(users).where(inArray(users.id, ids));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Receipts per court-local day number from `from` (UTC ms) on. */
  async receiptsPerDay(scope: Scope, from: number, to: number): Promise<Map<number, number>> {
    const d = this.#dialect;
    const rows = await this.#rows<{ day: number | string; n: number | string }>(
      sql`select ${d.day(sql`received_at`, scope.offsetMs)} as day, count(*) as n from cases
       where ${court(scope, sql`court_id`)} and received_at >= ${d.at(from)} and received_at < ${d.at(to)} group by day`,
    );
    return new Map(rows.map((r) => [Number(r.day), Number(r.n)]));
  }

  /** Hearings scheduled in [from, to) by status, and hearings in session right now (any day). */
  async hearings(scope: Scope, from: number, to: number): Promise<{ today: Record<string, number>; running: number }> {
    const d = this.#dialect;
    const rows = await this.#rows<{ status: string; n: number | string }>(
      sql`select h.status, count(*) as n from hearings h ${d.orderedJoin} cases c on c.id = h.case_id
       where ${court(scope, sql`c.court_id`)} and h.scheduled_at >= ${d.at(from)} and h.scheduled_at < ${d.at(to)} group by h.status`,
    );
    const [running] = await this.#rows<{ n: number | string }>(
      sql`select count(*) as n from hearings h ${d.orderedJoin} cases c on c.id = h.case_id where ${court(scope, sql`c.court_id`)} and h.status in ('in_progress', 'break')`,
    );
    return { today: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])), running: Number(running!.n) };
  }

  /** The longest-suspended cases first. */
  longestSuspended(scope: Scope, limit: number): Promise<CaseRow[]> {
    return this.cases(scope, { kind: 'suspended' }, {}, limit, 0);
  }

  /** Receipts per judge and category in [from, to). */
  async receivedBreakdown(scope: Scope, from: number, to: number): Promise<{ judgeId: string | null; category: string; n: number }[]> {
    const d = this.#dialect;
    const rows = await this.#rows<{ judgeId: string | null; category: string; n: number | string }>(
      sql`select s.user_id as "judgeId", c.category, count(*) as n from cases c ${JUDGE_JOIN}
       where ${court(scope, sql`c.court_id`)} and c.received_at >= ${d.at(from)} and c.received_at < ${d.at(to)}
       group by s.user_id, c.category order by s.user_id nulls first, c.category`,
    );
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  }

  /**
   * Open and suspended cases and the deadline engine, per judge and category, in one pass over the
   * court's open and suspended cases (the judge looked up once per case): every rule is a column of
   * sums (no row per rule). A suspended case's clock stands still, so its limits are not computed
   * (its first hearing and custody are not even looked up); a case suspended before and resumed has
   * the days it was suspended added to the limits that run until it is closed (pausedDays). The pass is materialized: the first
   * opened hearing and custody are then read once per case, not once per column that uses them.
   */
  async caseFigures(scope: Scope, rules: DeadlineRule[]): Promise<{ counts: StatusCounts[]; deadlines: Breakdown[] }> {
    const d = this.#dialect;
    const columns = rules.map((rule, i) => {
      const applies = rule.appliesTo === 'custody' ? sql`custody` : sql`not suspended`;
      const due = dueDay(rule);
      // A limit that runs until the case is closed has not ended while it is open.
      const ends = rule.endsAt === 'first_hearing_opened';
      const breached = ends ? sql`coalesce(${d.day(sql`first_opened`, scope.offsetMs)}, ${scope.today}) > ${due}` : sql`${scope.today} > ${due}`;
      const dueSoon = sql`${ends ? sql`first_opened is null and ` : sql``}${due} >= ${scope.today} and ${due} - ${scope.today} <= ${rule.warnDays}`;
      return sql`${count(applies)} as ${sql.raw(`"open${i}"`)}, ${count(sql`${applies} and ${breached}`)} as ${sql.raw(`"breached${i}"`)}, ${count(sql`${applies} and ${dueSoon}`)} as ${sql.raw(`"dueSoon${i}"`)}`;
    });
    const rows = await this.#rows<Record<string, number | string | null>>(sql`with cased as materialized (
        select s.user_id as judge_id, c.category, c.status = 'suspended' as suspended, ${d.day(sql`c.received_at`, scope.offsetMs)} as rday,
          case when c.status <> 'suspended' then (select min(h.scheduled_at) from hearings h where h.case_id = c.id and h.status not in ${NOT_OPENED}) end as first_opened,
          case when c.status <> 'suspended' then exists (select 1 from case_participants p where p.case_id = c.id and p.role = 'defendant' and p.in_custody) else false end as custody,
          case when c.status <> 'suspended' then ${pausedDays(d, scope)} else 0 end as paused
        from cases c ${JUDGE_JOIN} where ${court(scope, sql`c.court_id`)} and c.status in ('received', 'in_trial', 'suspended') and c.received_at <= ${d.at(scope.at)})
      select judge_id as "judgeId", category, ${count(sql`not suspended`)} as open, ${count(sql`suspended`)} as suspended, ${sql.join(columns, sql`, `)} from cased
      group by judge_id, category order by judge_id nulls first, category`);
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
  async cases(scope: Scope, figure: CaseFigure, filter: DrillFilter, limit: number, offset: number): Promise<CaseRow[]> {
    const d = this.#dialect;
    const select = sql`select c.id, c.case_number as "caseNumber", c.category, c.status, ${d.ms(sql`c.received_at`)} as "receivedAt", ${d.ms(sql`c.suspended_at`)} as "suspendedAt",
      ${JUDGE} as "judgeId", (select full_name from users u where u.id = ${JUDGE}) as "judgeName",
      (select timezone from courts ct where ct.id = c.court_id) as timezone`;
    const filters = sql.join([...(filter.judgeId != null ? [sql` and ${JUDGE} = ${filter.judgeId}`] : []), ...(filter.category != null ? [sql` and c.category = ${filter.category}`] : [])], sql``);
    const page = sql`limit ${limit} offset ${offset}`;
    const inCourt = court(scope, sql`c.court_id`);
    let query: SQL;
    switch (figure.kind) {
      case 'received':
        query = sql`${select} from cases c where ${inCourt} and c.received_at >= ${d.at(figure.from)} and c.received_at < ${d.at(figure.to)}${filters} order by c.received_at desc, c.id desc ${page}`;
        break;
      case 'open':
        query = sql`${select} from cases c where ${inCourt} and c.status in ('received', 'in_trial') and c.received_at <= ${d.at(scope.at)}${filters} order by c.received_at, c.id ${page}`;
        break;
      case 'suspended':
        query = sql`${select} from cases c where ${inCourt} and c.status = 'suspended' and c.received_at <= ${d.at(scope.at)}${filters} order by c.suspended_at nulls first, c.id ${page}`;
        break;
      case 'hearings':
      case 'running': {
        const which = figure.kind === 'running' ? sql`h.status in ('in_progress', 'break')` : sql`h.scheduled_at >= ${d.at(figure.from)} and h.scheduled_at < ${d.at(figure.to)}`;
        query = sql`${select} from cases c where ${inCourt} and exists (select 1 from hearings h where h.case_id = c.id and ${which})${filters} order by c.case_number ${page}`;
        break;
      }
      default: {
        const rules = figure.rule ? figure.rules.filter((r) => r.id === figure.rule) : figure.rules;
        if (rules.length === 0) return [];
        const breached = sql`(coalesce(${d.day(sql`ended`, scope.offsetMs)}, ${scope.today}) > due)`;
        const dueSoon = sql`(ended is null and due >= ${scope.today} and due - ${scope.today} <= warn)`;
        query = sql`with ${deadlinesCte(d, scope, rules)}
          ${select}, dl.rule, dl.due as "dueDay" from deadlines dl join cases c on c.id = dl.id
          where ${figure.kind === 'breached' ? breached : dueSoon}${filters} order by dl.due, c.case_number ${page}`;
      }
    }
    const rows = await this.#rows<CaseRow & { receivedAt: number | string; suspendedAt: number | string | null; dueDay?: number | string }>(query);
    return rows.map((row) => ({
      ...row,
      receivedAt: Number(row.receivedAt),
      suspendedAt: row.suspendedAt === null ? null : Number(row.suspendedAt),
      ...(row.dueDay !== undefined && row.dueDay !== null ? { dueDay: Number(row.dueDay) } : {}),
    }));
  }

  #rows<T>(query: SQL): Promise<T[]> {
    return this.#database.rows<T>(query);
  }
}

/**
 * The court condition: `column = court` for one court, which uses the court indexes, or nothing
 * (a constant truth) for all courts. (One `(court is null or column = court)` would do for both,
 * but defeats every index.)
 */
function court(scope: Scope, column: SQL): SQL {
  return scope.courtId === null ? sql`1 = 1` : sql`${column} = ${scope.courtId}`;
}

/** How many rows meet `condition` (a boolean sum both dialects accept). */
function count(condition: SQL): SQL {
  return sql`sum(case when ${condition} then 1 else 0 end)`;
}

/**
 * The judge of case `c` as a join (a case has one assigned judge; were there two, the case would
 * count for each): one lookup per case, where the scalar subquery below is evaluated per use.
 */
const JUDGE_JOIN = sql`left join case_staff s on s.case_id = c.id and s.role = 'judge'`;

/** The judge of case `c` (its assigned judge in case_staff). */
const JUDGE = sql`(select s.user_id from case_staff s where s.case_id = c.id and s.role = 'judge' limit 1)`;

/**
 * The court-local days case `c` spent suspended before its current status: every ended suspension
 * (a change out of `suspended`, case_status_changes) from its local day to the day it ended. The
 * limits that run until the case is closed are that much longer: their clock stood still.
 */
function pausedDays(d: Dialect, scope: Scope): SQL {
  return sql`coalesce((select sum(${d.day(sql`x.at`, scope.offsetMs)} - ${d.day(sql`x.since`, scope.offsetMs)})
  from case_status_changes x where x.case_id = c.id and x.from_status = 'suspended'), 0)`;
}

/** The due day of `rule` for a case with `rday` and `paused` (openCte, caseFigures). */
function dueDay(rule: DeadlineRule): SQL {
  return rule.endsAt === 'case_closed' ? sql`(rday + ${rule.days} + paused)` : sql`(rday + ${rule.days})`;
}

/**
 * One row per open case and rule that applies to it: the due day (day of receipt + days) and when
 * the limit ended (the first opened hearing for `first_hearing`; null while still running).
 */
function deadlinesCte(d: Dialect, scope: Scope, rules: DeadlineRule[]): SQL {
  const parts = rules.map(
    (rule) => sql`select id, judge_id, category, ${sql.raw(`'${rule.id}'`)} as rule, ${dueDay(rule)} as due, cast(${rule.warnDays} as integer) as warn,
      ${rule.endsAt === 'first_hearing_opened' ? sql`first_opened` : d.noTime} as ended from open_cases ${rule.appliesTo === 'custody' ? sql`where custody` : sql``}`,
  );
  return sql`${openCte(d, scope)}, deadlines as (${sql.join(parts, sql` union all `)})`;
}

/** Every open case with what its limits need: judge, day of receipt, first opened hearing, custody, days suspended before. */
function openCte(d: Dialect, scope: Scope): SQL {
  return sql`open_cases as materialized (
    select c.id, c.category, s.user_id as judge_id, ${d.day(sql`c.received_at`, scope.offsetMs)} as rday,
      (select min(h.scheduled_at) from hearings h where h.case_id = c.id and h.status not in ${NOT_OPENED}) as first_opened,
      exists (select 1 from case_participants p where p.case_id = c.id and p.role = 'defendant' and p.in_custody) as custody,
      ${pausedDays(d, scope)} as paused
    from cases c ${JUDGE_JOIN} where ${court(scope, sql`c.court_id`)} and c.status in ('received', 'in_trial') and c.received_at <= ${d.at(scope.at)})`;
}
