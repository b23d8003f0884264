/**
 * `npm run bench -- ecase.ingest`: accepting the 10,000-sheet case (40 volumes × 250 sheets:
 * 2,000 PDFs of 5 pages, a video, signatures) through the full intake — validation, storage,
 * the database transaction — next to the floor any intake has: reading and hashing every entry of
 * the same archive. Each run is its own child process, so each has its own peak RSS; the same
 * intake of a quarter-size case shows whether peak memory grows with the case.
 *
 * Target: at most 2× the baseline's time; peak memory independent of case size, < 300 MB.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';
import { openSqliteDb } from '../db/database.ts';
import { loadDemoData } from '../db/demo.ts';
import { loadConfig } from '../server/src/config.ts';
import { setUpIntake } from '../server/src/ecases/intake.setup.ts';
import { EcaseBuilder, makeTestPki } from '../tests/helpers/ecase-builder.ts';
import type { BenchResult } from './benchmarks.ts';
import { nodeFlagsOf } from './node-flags.ts';
import { median, round } from './stats.ts';

const DOCUMENTS_PER_VOLUME = 50;
const PAGES = 5; // 50 × 5 = 250 sheets a volume
const RUNS = 3;

type ChildReport = { ms: number; peakRssMiB: number; ok: boolean };

export async function ecaseIngest(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-bench-ecase-'));
  try {
    const pki = await makeTestPki();
    fs.writeFileSync(path.join(dir, 'root.pem'), pki.root.pem);
    const full = await buildCase(pki, 40, path.join(dir, 'case-40.zip'));
    const quarter = await buildCase(pki, 10, path.join(dir, 'case-10.zip'));

    const hash: ChildReport[] = [];
    const ingest: ChildReport[] = [];
    const ingestQuarter: ChildReport[] = [];
    for (let i = 0; i < RUNS; i++) {
      hash.push(child('--hash', full.zip, dir));
      ingest.push(child('--ingest', full.zip, dir));
      ingestQuarter.push(child('--ingest', quarter.zip, dir));
    }
    if (![...ingest, ...ingestQuarter].every((r) => r.ok)) throw new Error('the bench package was not accepted');
    const params = {
      sheets: 40 * DOCUMENTS_PER_VOLUME * PAGES,
      documents: 40 * DOCUMENTS_PER_VOLUME + 1,
      entries: full.entries,
      archiveMiB: round(fs.statSync(full.zip).size / 2 ** 20, 1),
      runs: RUNS,
    };
    return [
      {
        metric: 'ingest_time',
        value: round(median(ingest.map((r) => r.ms)), 0),
        unit: 'ms',
        baseline: round(median(hash.map((r) => r.ms)), 0),
        baselineIs: 'read + hash every entry',
        target: 'ratio <= 2',
        ...params,
      },
      {
        metric: 'ingest_peak_rss',
        value: round(median(ingest.map((r) => r.peakRssMiB)), 0),
        unit: 'MiB',
        baseline: round(median(hash.map((r) => r.peakRssMiB)), 0),
        baselineIs: 'read + hash every entry',
        target: '< 300 MiB',
        ...params,
      },
      {
        metric: 'ingest_peak_rss_by_size',
        value: round(median(ingest.map((r) => r.peakRssMiB)), 0),
        unit: 'MiB',
        baseline: round(median(ingestQuarter.map((r) => r.peakRssMiB)), 0),
        baselineIs: 'the same intake of a 10-volume case',
        target: 'ratio ~ 1',
        ...params,
      },
      // The same comparison as one figure, with each run's peaks to show the spread.
      {
        metric: 'peak_rss_ratio_40_vs_10',
        value: round(median(ingest.map((r) => r.peakRssMiB)) / median(ingestQuarter.map((r) => r.peakRssMiB)), 3),
        unit: 'ratio',
        target: '<= 1.05',
        peaksMiB40: ingest.map((r) => round(r.peakRssMiB, 0)),
        peaksMiB10: ingestQuarter.map((r) => round(r.peakRssMiB, 0)),
        ...params,
      },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function buildCase(pki: Awaited<ReturnType<typeof makeTestPki>>, volumes: number, file: string) {
  const builder = await EcaseBuilder.create(pki, { volumes, documentsPerVolume: DOCUMENTS_PER_VOLUME, pages: () => PAGES });
  await builder.writeZip(file);
  return { zip: file, entries: builder.files.size + 2 };
}

function child(mode: '--hash' | '--ingest', zip: string, dir: string): ChildReport {
  // Both children with the V8 flags of `npm run ecase:ingest` (the same as `npm start`; see
  // docs/architecture.md), so the baseline runs under the same collector settings as the intake.
  const out = execFileSync(process.execPath, [...nodeFlagsOf('ecase:ingest'), fileURLToPath(import.meta.url), mode, zip, dir], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildReport;
}

/** The floor: every entry inflated and hashed, nothing else. */
async function hashEveryEntry(zip: string): Promise<boolean> {
  const file = await yauzl.openPromise(zip);
  for await (const entry of file.eachEntry()) {
    const hash = createHash('sha256');
    await pipeline(await file.openReadStreamPromise(entry), hash);
    hash.digest('hex');
  }
  return true;
}

/** The whole intake, as the server or the command line runs it, into a fresh demo DATA_DIR. */
async function ingestOnce(zip: string, dir: string): Promise<boolean> {
  const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
  const config = loadConfig({ DATA_DIR: dataDir, ECASE_TRUST_ROOTS: path.join(dir, 'root.pem') });
  const database = openSqliteDb(dataDir);
  try {
    await loadDemoData(database);
    const intake = await setUpIntake(config, database);
    const started = performance.now();
    const answer = await intake.service.ingest({ source: zip, via: 'bench', archiveBytes: fs.statSync(zip).size });
    timed = performance.now() - started;
    if (answer.httpStatus !== 201) console.error(JSON.stringify(answer.body).slice(0, 500));
    return answer.httpStatus === 201;
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

let timed: number | undefined;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mode, zip, dir] = process.argv.slice(2);
  const started = performance.now();
  const ok = mode === '--ingest' ? await ingestOnce(zip, dir) : await hashEveryEntry(zip);
  const ms = timed ?? performance.now() - started;
  console.log(JSON.stringify({ ms, ok, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
}
