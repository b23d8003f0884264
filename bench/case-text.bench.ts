/**
 * `npm run bench -- case-text`: the text of the 10,000-sheet case (40 volumes × 50 PDFs of 5
 * pages) read into the search index in the background, as after an intake, next to the floor any
 * indexing has: reading every stored PDF. Then searches in that case: a word on every page and a
 * word on three pages, answered as the search route answers (case-file order, snippets,
 * coverage), next to the bare FTS5 match of the same words.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { pino } from 'pino';
import { openSqliteDb } from '../db/database.ts';
import { loadDemoData } from '../db/demo.ts';
import { snippetParts } from '../server/src/case-text/case-search.service.ts';
import { CaseTextRepository } from '../server/src/case-text/case-text.repository.ts';
import { setUpCaseText } from '../server/src/case-text/case-text.setup.ts';
import { parseSearchQuery } from '../server/src/case-text/search-text.ts';
import { loadConfig } from '../server/src/config.ts';
import { setUpIntake } from '../server/src/ecases/intake.setup.ts';
import { EcaseBuilder, makeTestPki } from '../tests/helpers/ecase-builder.ts';
import type { BenchResult } from './benchmarks.ts';
import { percentile, round } from './stats.ts';

const SEARCHES = 200;
/** The rare word, on three pages of the case. */
const RARE: Record<string, string[]> = { '7/3/2': ['Свидетель Ахметжанов'], '21/10/5': ['Ахметжанов показал'], '39/49/1': ['Ахметжанову вручено'] };

export async function caseText(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-bench-text-'));
  const db = openSqliteDb(path.join(dir, 'data'));
  // The bare FTS5 baseline is asked through the synchronous handle, as a floor under any wrapper.
  const database = db.legacy;
  try {
    const pki = await makeTestPki();
    fs.writeFileSync(path.join(dir, 'root.pem'), pki.root.pem);
    const builder = await EcaseBuilder.create(pki, { volumes: 40, documentsPerVolume: 50, pages: () => 5, pageText: (v, i, p) => RARE[`${v}/${i}/${p}`] ?? null });
    const zip = await builder.writeZip(path.join(dir, 'case.zip'));
    await loadDemoData(db);
    const config = loadConfig({ DATA_DIR: path.join(dir, 'data'), ECASE_TRUST_ROOTS: path.join(dir, 'root.pem') });
    const intake = await setUpIntake(config, db);
    const answer = await intake.service.ingest({ source: zip, via: 'bench', archiveBytes: fs.statSync(zip).size });
    if (answer.httpStatus !== 201) throw new Error(`the bench package was not accepted: ${JSON.stringify(answer.body).slice(0, 300)}`);
    const caseId = answer.body.caseId;
    const { documents } = db.tables;
    const files = await db.db
      .select({ sha256: documents.fileSha256 })
      .from(documents)
      .where(and(eq(documents.caseId, caseId), inArray(documents.kind, ['pdf', 'electronic'])));

    // The floor: every PDF read once (from its row or from disk, as the indexer reads it).
    let started = performance.now();
    for (const file of files) await intake.files.read(file.sha256);
    const readMs = performance.now() - started;

    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    const indexer = setUpCaseText({ database: db, files: intake.files, log: pino({ level: 'silent' }) });
    started = performance.now();
    indexer.start();
    await indexer.idle();
    const indexMs = performance.now() - started;
    clearInterval(sampler);
    await indexer.close();

    const texts = new CaseTextRepository(db);
    const coverage = await texts.coverage(caseId);
    if (coverage.indexed !== files.length) throw new Error(`indexed ${coverage.indexed} of ${files.length} documents`);
    const bare = database.sqlite.prepare('select rowid from case_text where case_text match ? limit 50');
    const search = async (words: string) => {
      const query = parseSearchQuery(words)!;
      const found = await texts.search(caseId, query, 50, 0);
      found.matches.forEach((m) => snippetParts(m.snippet));
      await texts.coverage(caseId);
      return found.total;
    };
    const timings = async (run: () => unknown) => {
      const ms: number[] = [];
      for (let i = 0; i < SEARCHES; i++) {
        const t = performance.now();
        await run();
        ms.push(performance.now() - t);
      }
      return ms;
    };
    if ((await search('test')) !== 10_000 - 3 || (await search('Ахметжанов')) !== 3) throw new Error('the searches did not find what the case holds');
    const common = await timings(() => search('test'));
    const commonBare = await timings(() => bare.all(parseSearchQuery('test')!.match));
    const rare = await timings(() => search('Ахметжанов'));
    const rareBare = await timings(() => bare.all(parseSearchQuery('Ахметжанов')!.match));

    const params = { documents: files.length, sheets: 10_000 };
    return [
      { metric: 'index_time', value: round(indexMs, 0), unit: 'ms', baseline: round(readMs, 0), baselineIs: 'read every stored PDF', pagesPerSecond: round(10_000 / (indexMs / 1000), 0), ...params },
      {
        metric: 'index_rss_growth',
        value: round((rssPeak - rssBefore) / 2 ** 20, 0),
        unit: 'MiB',
        baseline: null,
        note: 'peak resident memory during indexing minus before; the worker thread is capped at 384 MiB of heap',
        ...params,
      },
      {
        metric: 'search_every_page_p95',
        value: round(percentile(common, 95), 2),
        unit: 'ms',
        baseline: round(percentile(commonBare, 95), 2),
        baselineIs: 'bare FTS5 match, first 50 rows',
        p50: round(percentile(common, 50), 2),
        matches: 10_000 - 3,
        ...params,
      },
      {
        metric: 'search_three_pages_p95',
        value: round(percentile(rare, 95), 2),
        unit: 'ms',
        baseline: round(percentile(rareBare, 95), 2),
        baselineIs: 'bare FTS5 match, first 50 rows',
        p50: round(percentile(rare, 50), 2),
        matches: 3,
        ...params,
      },
    ];
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
