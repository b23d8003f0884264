/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name> [<name>…]` runs those named.
 * Each prints JSON lines: { bench, metric, value, unit, baseline, ratio, ...params }, where the
 * baseline is measured in the same run on the same machine, so figures compare across machines.
 */
import { benchmarks } from './benchmarks.ts';

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}

for (const name of wanted.length > 0 ? wanted : Object.keys(benchmarks)) {
  for (const result of await benchmarks[name]()) {
    const ratio = result.baseline ? Number((result.value / result.baseline).toFixed(3)) : null;
    console.log(JSON.stringify({ bench: name, ...result, baseline: result.baseline ?? null, ratio }));
  }
}
