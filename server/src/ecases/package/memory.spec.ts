/**
 * Memory must not follow the size of a package: entries are streamed to staging one at a time and
 * PDFs parsed one at a time. A package of several hundred megabytes is validated here while the
 * resident set is sampled; its growth must stay a small fraction of what went through.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { EcaseBuilder, makeTestPki, pseudoRandomFile, type TestPki } from '../../../../tests/helpers/ecase-builder.ts';
import { problemsOf, tempDir, validateFile } from './spec-helpers.ts';

const MiB = 1024 * 1024;
let pki: TestPki;

before(async () => {
  pki = await makeTestPki();
});

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** The peak resident set while `work` runs, above the resident set just before it. */
async function rssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  gc();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

/** 20 volumes of 20 PDFs (1,200 sheets) and `videos` incompressible videos, stored, so the zip is as large. */
async function packageWithVideos(videos: number, videoBytes: number): Promise<string> {
  const builder = await EcaseBuilder.create(pki, { volumes: 20, documentsPerVolume: 20 });
  for (let i = 1; i <= videos; i++) {
    const name = `media/recording-${i}.webm`;
    builder.files.set(name, pseudoRandomFile(videoBytes, i));
    builder.manifest.volumes[i - 1].documents.push({ id: `m${i + 1}`, kind: 'media', type: 'video_record', title: `Запись ${i}`, file: name, sha256: '', mimeType: 'video/webm' });
  }
  builder.rehash();
  return builder.writeZip(path.join(tempDir(), 'package.zip'), { compress: false });
}

test('the resident set grows by about the same for a 10 MiB and a 390 MiB package', async (t) => {
  const smallZip = await packageWithVideos(1, 8 * MiB);
  const small = await rssGrowth(() => validateFile(smallZip, [pki.root.pem]));
  const largeZip = await packageWithVideos(4, 96 * MiB);
  const large = await rssGrowth(() => validateFile(largeZip, [pki.root.pem]));
  assert.equal(problemsOf(small.result), 'ok');
  assert.equal(problemsOf(large.result), 'ok');
  const report = `small +${(small.growth / MiB).toFixed(0)} MiB, large +${(large.growth / MiB).toFixed(0)} MiB`;
  // What remains is V8's heap and not-yet-collected buffers (pdf-lib's 400 parses, 64 KiB stream
  // chunks), which the collector bounds whatever the package size.
  t.diagnostic(report);
  assert.ok(large.growth < 128 * MiB, `the 384 MiB of videos must not be held: ${report}`);
  assert.ok(large.growth < small.growth + 64 * MiB, `growth must not follow the package size: ${report}`);
});
