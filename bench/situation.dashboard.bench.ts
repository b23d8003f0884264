/**
 * `npm run bench -- situation.dashboard`: the situation centre's whole dashboard (receipts today,
 * this week, this month and their 30-day, 12-week and 12-month trends; hearings today and running;
 * the deadline engine over every open case for three rules; suspended cases; per judge and per
 * category) for a court with 100,000 cases, 150,000 hearings and their defendants, as
 * SituationService.dashboard answers it. Baseline, same data, same run: the naive way — every case
 * of the court read into JavaScript, its judge, hearings and defendants fetched case by case, and
 * the same figures computed in a loop with the court-time helpers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DbHandle } from '../db/client.ts';
import { openSqliteDb } from '../db/database.ts';
import { AuditRepository } from '../server/src/audit/audit.repository.ts';
import type { SessionUser } from '../server/src/auth/auth.service.ts';
import { DEFAULT_DEADLINE_RULES } from '../server/src/situation/deadline-rules.ts';
import { SituationRepository } from '../server/src/situation/situation.repository.ts';
import { SituationService } from '../server/src/situation/situation.service.ts';
import { startOfDay, toZonedTime } from '../server/src/shared/court-time.ts';
import type { BenchResult } from './benchmarks.ts';
import { median, percentile, round } from './stats.ts';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const JUDGES = 50;
const RUNS = 20;
const NAIVE_RUNS = 3;
const DAY = 86_400_000;
const TZ = 'Asia/Almaty';

export async function situationDashboard(): Promise<BenchResult[]> {
  // BENCH_KEEP_DIR: keep the generated court there (to work on the queries); generated afresh each run.
  const keep = process.env.BENCH_KEEP_DIR;
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-bench-situation-'));
  if (keep) fs.rmSync(dir, { recursive: true, force: true });
  const db = openSqliteDb(path.join(dir, 'data'));
  // The court is poured in through the writer's synchronous handle; the dashboard reads through `db`.
  const database = db.legacy;
  try {
    const { sqlite } = database;
    const now = Date.now();
    let seed = 7;
    const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    sqlite.pragma('foreign_keys = OFF');
    sqlite.pragma('synchronous = OFF');
    let hearingsMade = 0;
    sqlite.transaction(() => {
      sqlite.prepare("insert into courts (id, code, name_kk, name_ru, name_en, timezone, created_at) values ('court', 'B', 'Сот', 'Суд', 'Court', 'Asia/Almaty', ?)").run(now);
      sqlite.prepare("insert into halls (id, court_id, code, name_kk, name_ru, name_en) values ('hall', 'court', '1', 'зал', 'зал', 'hall')").run();
      for (let j = 0; j < JUDGES; j++)
        sqlite
          .prepare("insert into users (id, username, password_hash, full_name, locale, court_id, active, created_at) values (?, ?, 'x', ?, 'ru', 'court', 1, ?)")
          .run(`j${j}`, `j${j}`, `Судья ${j}`, now);
      const insertCase = sqlite.prepare(
        "insert into cases (id, court_id, case_number, category, language, summary_kk, summary_ru, summary_en, qualification, status, received_at, suspended_at, created_at) values (?, 'court', ?, ?, 'ru', '-', '-', '-', '[]', ?, ?, ?, ?)",
      );
      const insertStaff = sqlite.prepare("insert into case_staff (case_id, user_id, role, assigned_at) values (?, ?, 'judge', ?)");
      const insertHearing = sqlite.prepare("insert into hearings (id, case_id, hall_id, scheduled_at, presiding_judge_id, status, created_at) values (?, ?, 'hall', ?, ?, ?, ?)");
      const insertDefendant = sqlite.prepare("insert into case_participants (id, case_id, role, full_name, in_custody, created_at) values (?, ?, 'defendant', '-', ?, ?)");
      for (let i = 0; i < CASES; i++) {
        const id = `c${i}`;
        // Two years of receipts, more recently; a fifth still open, a twentieth suspended.
        const receivedAt = now - Math.floor(rand() ** 2 * 730 * DAY);
        const x = rand();
        const status = x < 0.75 ? 'closed' : x < 0.8 ? 'suspended' : x < 0.9 ? 'in_trial' : 'received';
        const judge = `j${i % JUDGES}`;
        insertCase.run(id, `B-${i}`, rand() < 0.8 ? 'crime' : 'misdemeanor', status, receivedAt, status === 'suspended' ? receivedAt + Math.floor(rand() * 60 * DAY) : null, now);
        insertStaff.run(id, judge, now);
        insertDefendant.run(`p${i}`, id, rand() < 0.1 ? 1 : 0, now);
        const hearings = status === 'received' ? (rand() < 0.5 ? 1 : 0) : 1 + Math.floor(rand() * 2);
        for (let h = 0; h < hearings; h++) {
          const at = receivedAt + Math.floor((h + rand()) * 25 * DAY);
          const hStatus = status === 'received' ? 'scheduled' : at > now ? 'scheduled' : rand() < 0.002 ? 'in_progress' : 'finished';
          insertHearing.run(`h${i}-${h}`, id, at, judge, hStatus, now);
          hearingsMade++;
        }
      }
    })();
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('optimize');

    const service = new SituationService({ situation: new SituationRepository(db), audit: new AuditRepository(db), rules: DEFAULT_DEADLINE_RULES });
    const admin: SessionUser = { id: 'admin', username: 'admin', fullName: 'admin', roles: ['admin'], locale: 'en', courtId: null, sessionId: 's' };
    const ours = () => service.dashboard(admin, { courtId: 'court' }, null);
    const first = await ours();
    const timings: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await ours();
      timings.push(performance.now() - t);
    }

    const naiveTimings: number[] = [];
    let naiveResult: ReturnType<typeof naive> | undefined;
    for (let i = 0; i < NAIVE_RUNS; i++) {
      const t = performance.now();
      naiveResult = naive(database.sqlite, new Date());
      naiveTimings.push(performance.now() - t);
    }
    const agree =
      naiveResult!.breached === first.deadlines.reduce((n, d) => n + d.breached, 0) && naiveResult!.receivedMonth === first.received.month && naiveResult!.suspended === first.suspended.total;
    if (!agree) throw new Error(`the naive computation disagrees: ${JSON.stringify(naiveResult)} vs breached ${first.deadlines.map((d) => d.breached)}, month ${first.received.month}`);
    return [
      {
        metric: 'dashboard_time_p95',
        value: round(percentile(timings, 95), 1),
        unit: 'ms',
        baseline: round(median(naiveTimings), 1),
        baselineIs: 'every case read into JS, judge/hearings/defendants fetched per case, figures computed in a loop',
        p50: round(median(timings), 1),
        target: '< 200 ms',
        cases: CASES,
        hearings: hearingsMade,
        open: first.open,
        breached: first.deadlines.map((d) => `${d.rule}:${d.breached}`).join(' '),
      },
    ];
  } finally {
    await db.close();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The baseline: what one would write first, case by case in JavaScript (the same figures). */
function naive(sqlite: DbHandle['sqlite'], at: Date) {
  const cases = sqlite.prepare("select id, category, status, received_at, suspended_at from cases where court_id = 'court'").all() as {
    id: string;
    category: string;
    status: string;
    received_at: number;
    suspended_at: number | null;
  }[];
  const judgeOf = sqlite.prepare("select user_id from case_staff where case_id = ? and role = 'judge'");
  const hearingsOf = sqlite.prepare('select scheduled_at, status from hearings where case_id = ?');
  const custodyOf = sqlite.prepare("select in_custody from case_participants where case_id = ? and role = 'defendant'");
  const today = startOfDay(TZ, at).getTime();
  const local = toZonedTime(TZ, at);
  const monthStart = startOfDay(TZ, new Date(today - (local.day - 1) * DAY + 3_600_000)).getTime();
  const dayOf = (ms: number) => startOfDay(TZ, new Date(ms)).getTime();
  const result = { receivedMonth: 0, breached: 0, dueSoon: 0, suspended: 0, hearingsToday: 0, running: 0, perJudge: new Map<string, number>() };
  for (const c of cases) {
    const judge = (judgeOf.get(c.id) as { user_id: string } | undefined)?.user_id ?? '';
    result.perJudge.set(judge, (result.perJudge.get(judge) ?? 0) + 1);
    if (c.received_at >= monthStart && c.received_at < today + DAY) result.receivedMonth++;
    const hearings = hearingsOf.all(c.id) as { scheduled_at: number; status: string }[];
    for (const h of hearings) {
      if (h.scheduled_at >= today && h.scheduled_at < today + DAY) result.hearingsToday++;
      if (h.status === 'in_progress' || h.status === 'break') result.running++;
    }
    if (c.status === 'suspended') result.suspended++;
    if (c.status !== 'received' && c.status !== 'in_trial') continue;
    const custody = (custodyOf.all(c.id) as { in_custody: number }[]).some((p) => p.in_custody === 1);
    const opened = hearings.filter((h) => ['in_progress', 'break', 'adjourned', 'suspended', 'finished'].includes(h.status)).map((h) => h.scheduled_at);
    const firstOpened = opened.length > 0 ? Math.min(...opened) : null;
    for (const rule of DEFAULT_DEADLINE_RULES) {
      if (rule.appliesTo === 'custody' && !custody) continue;
      const due = dayOf(c.received_at) + rule.days * DAY;
      const ended = rule.endsAt === 'first_hearing_opened' ? firstOpened : null;
      if ((ended === null ? today : dayOf(ended)) > due) result.breached++;
      else if (ended === null && due - today <= rule.warnDays * DAY) result.dueSoon++;
    }
  }
  return result;
}
