/**
 * `npm run bench -- depersonalise`: how well and how fast judicial acts are depersonalised, on the
 * held-out acts (server/src/acts/depersonalise.held-out.ts: twelve acts, every personal item
 * annotated, never tuned on) and the dev set the rules were tuned on. Figures: the share of
 * personal items still readable, with every miss listed (act, item, kind); over-masking — words
 * masked that are no personal item, as a share of the capitalised words outside the items (crime
 * scene streets are masked on purpose and count here); and the time per act. The search.acts bench
 * prints the same held-out figures next to its generated corpus's miss rate.
 */
import { depersonalise } from '../server/src/acts/depersonalise.ts';
import { DEV_SET } from '../server/src/acts/depersonalise.dev-set.ts';
import { HELD_OUT } from '../server/src/acts/depersonalise.held-out.ts';
import { measure, percentOf } from '../server/src/acts/depersonalise.measure.ts';
import type { BenchResult } from './benchmarks.ts';
import { percentile, round } from './stats.ts';

const ROUNDS = 200;

/** The held-out and dev figures as bench results. */
export function heldOutResults(): BenchResult[] {
  const heldOut = measure(HELD_OUT);
  const dev = measure(DEV_SET);
  const rate = (part: number, whole: number) => round((part / whole) * 100, 2);
  return [
    {
      metric: 'heldout_miss_rate',
      value: rate(heldOut.missed.length, heldOut.items),
      unit: '%',
      baseline: null,
      figure: `heldout_miss_rate ${percentOf(heldOut.missed.length, heldOut.items)}`,
      target: '< 1 %',
      acts: HELD_OUT.length,
      items: heldOut.items,
      misses: heldOut.missed.map((m) => `${m.act} | ${m.item} | ${m.kind}`),
    },
    {
      metric: 'heldout_overmasked',
      value: rate(heldOut.overmaskedCapitalised, heldOut.capitalisedOutside),
      unit: '%',
      baseline: null,
      figure: `heldout_overmasked ${percentOf(heldOut.overmaskedCapitalised, heldOut.capitalisedOutside)} capitalised words outside the personal items`,
      wordsInAll: heldOut.overmasked.length,
      words: heldOut.overmasked.map((o) => `${o.act.split(' ')[0]}: ${o.word}`),
    },
    {
      metric: 'dev_miss_rate',
      value: rate(dev.missed.length, dev.items),
      unit: '%',
      baseline: null,
      figure: `dev_miss_rate ${percentOf(dev.missed.length, dev.items)}; dev_overmasked ${percentOf(dev.overmaskedCapitalised, dev.capitalisedOutside)}`,
      misses: dev.missed.map((m) => `${m.act} | ${m.item} | ${m.kind}`),
    },
  ];
}

export async function depersonaliseActs(): Promise<BenchResult[]> {
  const acts = [...HELD_OUT, ...DEV_SET];
  for (const act of acts) depersonalise(act.text, act.people, act.language); // warm-up
  const perAct: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const act of acts) {
      const t = performance.now();
      depersonalise(act.text, act.people, act.language);
      perAct.push(performance.now() - t);
    }
  }
  const chars = Math.round(acts.reduce((sum, act) => sum + act.text.length, 0) / acts.length);
  return [
    ...heldOutResults(),
    {
      metric: 'depersonalise_per_act',
      value: round(perAct.reduce((a, b) => a + b, 0) / perAct.length, 3),
      unit: 'ms',
      baseline: null,
      p95: round(percentile(perAct, 95), 3),
      acts: acts.length,
      charsPerAct: chars,
      rounds: ROUNDS,
    },
  ];
}
