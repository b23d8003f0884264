/**
 * The JavaScript the presiding judge's workstation loads, in Chromium, from the login page to the
 * hearing online with its case file shown, before anyone starts media or signs: the bytes that
 * crossed the wire (`value`, as the server sent them: brotli when precompressed) against the same
 * files uncompressed (`baseline`), both read from the browser's own network events. Needs the web
 * app built and Debian's Chromium, like the browser tests.
 */
import type { BenchResult } from './benchmarks.ts';
import { BrowserHarness, logIn } from '../tests/helpers/browser.ts';
import { demoHearing } from '../tests/helpers/hall.ts';
import { startTestServer } from '../tests/helpers/server.ts';

export type ScriptWeight = { files: number; transferred: number; uncompressed: number; byFile: { url: string; transferred: number; uncompressed: number }[] };

export async function webWeight(): Promise<BenchResult[]> {
  const weight = await judgeWorkstationScripts();
  const kib = (bytes: number) => Math.round(bytes / 1024);
  return [{ metric: 'judge_workstation_js_kib', value: kib(weight.transferred), unit: 'KiB', baseline: kib(weight.uncompressed), files: weight.files, note: 'transferred vs uncompressed' }];
}

/** Opens the judge's workstation on the demo hearing and sums what its `.js`/`.mjs` answers weighed. */
export async function judgeWorkstationScripts(): Promise<ScriptWeight> {
  const server = await startTestServer();
  const harness = await BrowserHarness.launch();
  try {
    const { hearingId } = demoHearing(server.sqlite!);
    const page = await harness.openPage({ width: 1440, height: 900 }, 30_000);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const scripts = new Map<string, { url: string; transferred: number; uncompressed: number }>();
    cdp.on('Network.responseReceived', ({ requestId, response }) => {
      if (/\.m?js(\?|$)/.test(new URL(response.url).pathname)) scripts.set(requestId, { url: response.url, transferred: 0, uncompressed: 0 });
    });
    cdp.on('Network.dataReceived', ({ requestId, dataLength }) => {
      const script = scripts.get(requestId);
      if (script) script.uncompressed += dataLength;
    });
    cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
      const script = scripts.get(requestId);
      if (script) script.transferred = encodedDataLength;
    });
    await logIn(page, server.url, 'judge');
    await page.locator(`[data-testid="hearing-row"][data-hearing-id="${hearingId}"]`).getByTestId('hearing-enter').click();
    await page.waitForURL(`**/hearings/${hearingId}/judge`);
    await page.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
    await page.getByTestId('shared-viewer').locator('canvas').first().waitFor();
    await page.waitForLoadState('networkidle');
    const byFile = [...scripts.values()].filter((s) => s.transferred > 0);
    return {
      files: byFile.length,
      transferred: byFile.reduce((sum, s) => sum + s.transferred, 0),
      uncompressed: byFile.reduce((sum, s) => sum + s.uncompressed, 0),
      byFile: byFile.sort((a, b) => b.uncompressed - a.uncompressed),
    };
  } finally {
    await harness.close();
    await server.close();
  }
}
