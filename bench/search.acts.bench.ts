/**
 * `npm run bench -- search.acts`: full-text search over 100,000 generated judicial acts (Russian and
 * Kazakh, with participants' names in declined forms, IINs, phones, e-mails, birth dates), as the
 * acts search answers it (ActsRepository.search: entitled acts against the text as written, the
 * rest against the depersonalised text, newest first, a count up to 1,000, snippets), for a set of
 * key-phrase queries with filters (filters are tokens of the index's `tags` column, act-tags.ts). Baseline, same data, same run: a naive LIKE scan of the texts
 * with the same filters (substring of every stem, newest first, the same count and page).
 * Also the depersonalisation miss rate on the generated corpus: every planted personal datum
 * that survives in the depersonalised text is a miss; and on the hand-written held-out acts, with
 * every miss and the over-masked words (depersonalise.bench.ts, which runs them alone and fast).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDb } from '../db/database.ts';
import { tagsOf } from '../server/src/acts/act-tags.ts';
import { ActsRepository } from '../server/src/acts/acts.repository.ts';
import { depersonalise, type Person } from '../server/src/acts/depersonalise.ts';
import { parseActsQuery } from '../server/src/acts/word-forms.ts';
import { snippetParts } from '../server/src/case-text/case-search.service.ts';
import { searchableText } from '../server/src/case-text/search-text.ts';
import type { BenchResult } from './benchmarks.ts';
import { heldOutResults } from './depersonalise.bench.ts';
import { percentile, round } from './stats.ts';

const ACTS = Number(process.env.BENCH_ACTS ?? 100_000);
const COURTS = 10;
const JUDGES = 100;
const ROUNDS = 10;

/** A small deterministic random source, so every run generates the same corpus. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)], int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

// Names with their declined forms written out by hand (not by the depersonaliser's rules).
const SURNAMES: { m: string; f: string; forms: string[] }[] = [
  { m: 'Иванов', f: 'Иванова', forms: ['Иванова', 'Иванову', 'Ивановым', 'Ивановтың', 'Ивановқа'] },
  { m: 'Ахметов', f: 'Ахметова', forms: ['Ахметова', 'Ахметову', 'Ахметовым', 'Ахметовтың', 'Ахметовке'] },
  { m: 'Сериков', f: 'Серикова', forms: ['Серикова', 'Серикову', 'Сериковым'] },
  { m: 'Жумабаев', f: 'Жумабаева', forms: ['Жумабаева', 'Жумабаеву', 'Жумабаевым', 'Жумабаевтың'] },
  { m: 'Нуржанов', f: 'Нуржанова', forms: ['Нуржанова', 'Нуржанову', 'Нуржановым'] },
  { m: 'Кузнецов', f: 'Кузнецова', forms: ['Кузнецова', 'Кузнецову', 'Кузнецовым'] },
  { m: 'Бекмуханов', f: 'Бекмуханова', forms: ['Бекмуханова', 'Бекмуханову'] },
  { m: 'Петренко', f: 'Петренко', forms: ['Петренко'] },
  { m: 'Ким', f: 'Ким', forms: ['Ким'] },
  { m: 'Тулегенов', f: 'Тулегенова', forms: ['Тулегенова', 'Тулегенову', 'Тулегеновым', 'Тулегеновтың'] },
];
const FIRST: { name: string; forms: string[] }[] = [
  { name: 'Ерлан', forms: ['Ерлана', 'Ерлану', 'Ерланом'] },
  { name: 'Айгерим', forms: ['Айгерим'] },
  { name: 'Дмитрий', forms: ['Дмитрия', 'Дмитрию', 'Дмитрием'] },
  { name: 'Алия', forms: ['Алии', 'Алию', 'Алией'] },
  { name: 'Нұрлан', forms: ['Нұрланның', 'Нұрланға', 'Нұрланды'] },
  { name: 'Гүлнар', forms: ['Гүлнардың', 'Гүлнарға'] },
];
const CRIMES = [
  { article: '188', ru: 'кражу, то есть тайное хищение чужого имущества', kk: 'ұрлық, яғни бөтеннің мүлкін жасырын ұрлау' },
  { article: '190', ru: 'мошенничество, то есть хищение чужого имущества путём обмана', kk: 'алаяқтық, яғни алдау жолымен бөтеннің мүлкін ұрлау' },
  { article: '106', ru: 'умышленное причинение тяжкого вреда здоровью', kk: 'денсаулыққа ауыр зиянды қасақана келтіру' },
  { article: '293', ru: 'хулиганство, грубо нарушающее общественный порядок', kk: 'қоғамдық тәртіпті өрескел бұзатын бұзақылық' },
  { article: '296', ru: 'незаконный оборот наркотических средств без цели сбыта', kk: 'есірткі құралдарының өткізу мақсатынсыз заңсыз айналымы' },
];
const SENTENCES_RU = ['лишения свободы сроком на 3 года', 'штрафа в размере 500 МРП', 'ограничения свободы сроком на 2 года', 'лишения свободы условно с испытательным сроком'];
const SENTENCES_KK = ['3 жылға бас бостандығынан айыру', '500 АЕК мөлшерінде айыппұл', '2 жылға бас бостандығын шектеу'];
const OUTCOMES = ['conviction', 'conviction', 'conviction', 'acquittal', 'termination', 'returned'] as const;

type Generated = { body: string; people: Person[]; planted: string[]; language: 'kk' | 'ru'; article: string; date: string; outcome: (typeof OUTCOMES)[number] };

function generate(r: ReturnType<typeof random>, n: number): Generated {
  const language = r.next() < 0.3 ? 'kk' : 'ru';
  const crime = r.pick(CRIMES);
  const person = () => {
    const s = r.pick(SURNAMES);
    const f = r.pick(FIRST);
    const female = ['Алия', 'Айгерим', 'Гүлнар'].includes(f.name);
    const iin = String(r.int(100000000000, 999999999999));
    const phone = `+7 70${r.int(0, 9)} ${r.int(100, 999)} ${r.int(10, 99)} ${r.int(10, 99)}`;
    const email = `user${n}.${r.int(1, 999)}@mail.kz`;
    const birthDate = `19${r.int(60, 99)}-0${r.int(1, 9)}-1${r.int(0, 9)}`;
    return { s, f, female, iin, phone, email, birthDate, full: `${female ? s.f : s.m} ${f.name}` };
  };
  const defendant = person();
  const victim = person();
  const [y, mo, d] = defendant.birthDate.split('-');
  const date = `20${r.int(20, 26)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
  const body =
    language === 'ru'
      ? `ПРИГОВОР. Суд, рассмотрев дело по обвинению ${r.pick(defendant.s.forms)} ${r.pick(defendant.f.forms)}, ${d}.${mo}.${y} года рождения, ИИН ${defendant.iin}, тел. ${defendant.phone}, в совершении преступления по ст. ${crime.article} УК РК, установил: подсудимый совершил ${crime.ru}. Потерпевшая ${victim.full} (e-mail ${victim.email}, ИИН ${victim.iin}) показала, что ущерб не возмещён. Показания ${r.pick(victim.s.forms)} суд признаёт достоверными. Вина ${r.pick(defendant.s.forms)} ${defendant.f.name[0]}. подтверждается доказательствами. Приговорил: назначить наказание в виде ${r.pick(SENTENCES_RU)}. Проживает: ул. Абая, д. ${r.int(1, 200)}, кв. ${r.int(1, 300)}.`
      : `ҮКІМ. Сот ${defendant.full} (ЖСН ${defendant.iin}, тел. ${defendant.phone}) ісін ҚР ҚК ${crime.article}-бабы бойынша қарап, анықтады: сотталушы ${crime.kk} жасаған. Жәбірленуші ${victim.full} (e-mail: ${victim.email}) зиян өтелмегенін айтты. ${r.pick(defendant.s.forms)} кінәсі дәлелденді. Үкім етті: ${r.pick(SENTENCES_KK)} жаза тағайындалсын. Мекенжайы: Абай даңғылы, ${r.int(1, 200)}-үй.`;
  const planted = [defendant.iin, victim.iin, defendant.phone, victim.email, defendant.s.m.slice(0, 5), victim.s.m.slice(0, 5), defendant.f.name, victim.f.name];
  const people: Person[] = [
    { fullName: defendant.full, iin: defendant.iin, phone: defendant.phone.replace(/\s/g, ''), birthDate: defendant.birthDate },
    { fullName: victim.full, iin: victim.iin, email: victim.email },
  ];
  return { body, people, planted, language, article: crime.article, date, outcome: r.pick(OUTCOMES) };
}

const QUERIES: { q: string; filters: string }[] = [
  { q: 'кража', filters: '' },
  { q: '"лишения свободы"', filters: 'court' },
  { q: 'мошенничество обман', filters: 'article' },
  { q: 'ұрлық', filters: 'judge' },
  { q: 'штраф', filters: 'date' },
  { q: 'хулиганство "общественный порядок"', filters: 'outcome' },
  { q: 'айыппұл', filters: 'court+date' },
  { q: 'вред здоровью', filters: 'judge+article' },
  { q: 'наркотических средств', filters: 'court+outcome' },
  { q: 'ущерб возмещён', filters: '' },
];

export async function searchActs(): Promise<BenchResult[]> {
  // BENCH_KEEP_DIR: generate the corpus there once and keep it (for working on the queries).
  const keep = process.env.BENCH_KEEP_DIR;
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-bench-acts-'));
  const reuse = keep !== undefined && fs.existsSync(path.join(dir, 'data'));
  const db = openSqliteDb(path.join(dir, 'data'));
  // The corpus is poured in through the writer's synchronous handle; the search reads through `db`.
  const database = db.legacy;
  try {
    const { sqlite } = database;
    const r = random(42);
    const courtIds = Array.from({ length: COURTS }, (_, i) => `bench-court-${i}`);
    const judgeIds = Array.from({ length: JUDGES }, (_, i) => `bench-judge-${i}`);
    // Only the rows the search reads: foreign keys off while the corpus is poured in.
    sqlite.pragma('foreign_keys = OFF');
    sqlite.pragma('synchronous = OFF');
    let planted = 0;
    let missed = 0;
    const generatedAt = performance.now();
    let depersonaliseMs = 0;
    if (!reuse)
      sqlite.transaction(() => {
        const now = Date.now();
        courtIds.forEach((id, i) =>
          sqlite
            .prepare("insert into courts (id, code, name_kk, name_ru, name_en, timezone, created_at) values (?, ?, ?, ?, ?, 'Asia/Almaty', ?)")
            .run(id, `B${i}`, `Сот ${i}`, `Суд ${i}`, `Court ${i}`, now),
        );
        judgeIds.forEach((id, i) =>
          sqlite
            .prepare("insert into users (id, username, password_hash, full_name, locale, court_id, active, created_at) values (?, ?, 'x', ?, 'ru', ?, 1, ?)")
            .run(id, `bench-judge-${i}`, `Судья ${i}`, courtIds[i % COURTS], now),
        );
        const insertCase = sqlite.prepare(
          "insert into cases (id, court_id, case_number, category, language, summary_kk, summary_ru, summary_en, qualification, status, received_at, created_at) values (?, ?, ?, 'crime', ?, '-', '-', '-', '[]', 'closed', ?, ?)",
        );
        const insertStaff = sqlite.prepare("insert into case_staff (case_id, user_id, role, assigned_at) values (?, ?, 'judge', ?)");
        const insertAct = sqlite.prepare(
          "insert into judicial_acts (id, text_key, case_id, document_id, court_id, judge_id, kind, outcome, act_date, articles, article_keys, marked_by, marked_at, indexed_at) values (?, ?, ?, ?, ?, ?, 'verdict', ?, ?, ?, ?, ?, ?, ?)",
        );
        const insertText = sqlite.prepare('insert into acts_text (rowid, body, public_body, tags) values (?, ?, ?, ?)');
        for (let i = 1; i <= ACTS; i++) {
          const g = generate(r, i);
          const caseId = crypto.randomUUID();
          const judge = judgeIds[i % JUDGES];
          const court = courtIds[(i % JUDGES) % COURTS];
          insertCase.run(caseId, court, `B-${i}`, g.language, now, now);
          insertStaff.run(caseId, judge, now);
          const t = performance.now();
          const publicBody = depersonalise(g.body, g.people, g.language).text;
          depersonaliseMs += performance.now() - t;
          for (const datum of g.planted) {
            planted++;
            if (publicBody.toLowerCase().includes(datum.toLowerCase())) missed++;
          }
          insertAct.run(crypto.randomUUID(), i, caseId, crypto.randomUUID(), court, judge, g.outcome, g.date, JSON.stringify([g.article]), `,${g.article},`, judge, now, now);
          insertText.run(
            i,
            searchableText(g.body),
            searchableText(publicBody),
            tagsOf({ courtId: court, judgeId: judge, articles: [g.article], outcome: g.outcome, kind: 'verdict', actDate: g.date }),
          );
        }
      })();
    const loadMs = performance.now() - generatedAt;
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('optimize');

    const acts = new ActsRepository(db);
    // The reader: a judge of court 0, entitled to their own cases (1,000 of them), not to the rest.
    const reader = { userId: judgeIds[0], courtWideId: null };
    const filtersOf = (name: string) => ({
      ...(name.includes('court') ? { courtId: courtIds[3] } : {}),
      ...(name.includes('judge') ? { judgeId: judgeIds[7] } : {}),
      ...(name.includes('article') ? { article: name.includes('judge') ? '106' : '190' } : {}),
      ...(name.includes('date') ? { from: '2023-01-01', to: '2024-12-31' } : {}),
      ...(name.includes('outcome') ? { outcome: 'acquittal' as const } : {}),
    });
    const ours = async (query: (typeof QUERIES)[number]) => {
      const parsed = parseActsQuery(query.q)!;
      const found = await acts.search(reader, parsed, filtersOf(query.filters), { limit: 20, offset: 0 });
      found.hits.forEach((hit) => snippetParts(hit.snippet));
      return found.total;
    };
    // The naive way: LIKE over the texts, the reader's cases against the original, others against the depersonalised.
    const naive = (query: (typeof QUERIES)[number]) => {
      const parsed = parseActsQuery(query.q)!;
      const f = filtersOf(query.filters);
      const where = [
        ...parsed.terms.map((_, i) => `(case when entitled then t.body else t.public_body end) like :t${i}`),
        ...(f.courtId ? ['a.court_id = :courtId'] : []),
        ...(f.judgeId ? ['a.judge_id = :judgeId'] : []),
        ...(f.article ? ['a.article_keys like :article'] : []),
        ...(f.from ? ['a.act_date between :from and :to'] : []),
        ...(f.outcome ? ['a.outcome = :outcome'] : []),
      ].join(' and ');
      const base = `from (select a.*, a.case_id in (select case_id from case_staff where user_id = :uid) as entitled from judicial_acts a) a join acts_text t on t.rowid = a.text_key where ${where}`;
      const params: Record<string, unknown> = { uid: reader.userId, ...f, ...(f.article ? { article: `%,${f.article},%` } : {}) };
      parsed.terms.forEach((term, i) => (params[`t${i}`] = `%${term}%`));
      const n = (sqlite.prepare(`select count(*) as n from (select 1 ${base} limit 1001)`).get(params) as { n: number }).n;
      sqlite.prepare(`select a.id, substr(t.body, 1, 200) ${base} order by a.text_key desc limit 20`).all(params);
      return n;
    };

    const timings = { ours: [] as number[], naive: [] as number[] };
    // Warm-up.
    for (const query of QUERIES) {
      await ours(query);
      naive(query);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const query of QUERIES) {
        let t = performance.now();
        await ours(query);
        timings.ours.push(performance.now() - t);
        t = performance.now();
        naive(query);
        timings.naive.push(performance.now() - t);
      }
    }
    const perQuery: { q: string; filters: string; matches: number }[] = [];
    for (const q of QUERIES) perQuery.push({ q: q.q, filters: q.filters || 'none', matches: await ours(q) });
    const params = { acts: ACTS, queries: QUERIES.length, rounds: ROUNDS };
    return [
      {
        metric: 'search_p95',
        value: round(percentile(timings.ours, 95), 2),
        unit: 'ms',
        baseline: round(percentile(timings.naive, 95), 2),
        baselineIs: 'LIKE scan of the texts with the same filters',
        p50: round(percentile(timings.ours, 50), 2),
        target: '< 50 ms',
        ...params,
      },
      {
        metric: 'depersonalisation_miss_rate',
        value: round((missed / planted) * 100, 3),
        unit: '%',
        baseline: null,
        planted,
        missed,
        note: 'planted names (nominative and declined forms), IINs, phones, e-mails that survived in the depersonalised text',
        ...params,
      },
      ...heldOutResults(),
      { metric: 'load_time', value: round(loadMs / 1000, 1), unit: 's', baseline: null, depersonaliseMsPerAct: round(depersonaliseMs / ACTS, 3), ...params },
      { metric: 'matches_per_query', value: perQuery.length, unit: 'queries', baseline: null, perQuery },
    ];
  } finally {
    await db.close();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}
