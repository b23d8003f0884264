import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../db/schema.ts';
import { ActsRepository } from '../../server/src/acts/acts.repository.ts';
import { parseActsQuery } from '../../server/src/acts/word-forms.ts';
const sqlite = new Database('/tmp/acts100k/data/ezal.sqlite');
const database: any = { sqlite, db: drizzle({ client: sqlite, schema }), atomically: (f: any) => sqlite.transaction(f)() };
const acts = new ActsRepository(database);
const reader = { userId: 'bench-judge-0', courtWideId: null };
const Q: [string, any][] = [
  ['кража', {}], ['"лишения свободы"', { courtId: 'bench-court-3' }], ['мошенничество обман', { article: '190' }], ['ұрлық', { judgeId: 'bench-judge-7' }],
  ['штраф', { from: '2023-01-01', to: '2024-12-31' }], ['хулиганство "общественный порядок"', { outcome: 'acquittal' }], ['айыппұл', { courtId: 'bench-court-3', from: '2023-01-01', to: '2024-12-31' }],
  ['вред здоровью', { judgeId: 'bench-judge-7', article: '106' }], ['наркотических средств', { courtId: 'bench-court-3', outcome: 'acquittal' }], ['ущерб возмещён', {}],
];
for (const [q, f] of Q) {
  const m = parseActsQuery(q)!.match;
  acts.search(reader, m, f, { limit: 20, offset: 0 });
  const s = performance.now();
  for (let i = 0; i < 3; i++) acts.search(reader, m, f, { limit: 20, offset: 0 });
  console.log(q, JSON.stringify(f), ((performance.now() - s) / 3).toFixed(1), 'ms');
}
