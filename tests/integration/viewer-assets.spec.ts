/**
 * pdf.js comes from the court's own origin: its worker script, and the data files it fetches
 * (standard fonts, character maps, WebAssembly decoders of scanned images), all in the built web
 * app under /_app/immutable/, cached for good. The page's policy allows workers from this origin
 * only. Needs the web app built (`npm run build:web`), like web.spec.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const version = (JSON.parse(fs.readFileSync(path.join(pdfjsRoot, 'package.json'), 'utf8')) as { version: string }).version;
const buildDir = path.resolve(import.meta.dirname, '..', '..', 'apps', 'web', 'build');

describe('pdf.js for the case-file viewer', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('the data files are served from this origin, byte for byte, cached for good', async () => {
    for (const file of ['standard_fonts/LiberationSans-Regular.ttf', 'cmaps/78-H.bcmap', 'wasm/openjpeg.wasm', 'wasm/jbig2.wasm', 'iccs/CGATS001Compat-v2-micro.icc']) {
      const response = await fetch(`${server.url}/_app/immutable/pdfjs-${version}/${file}`);
      assert.equal(response.status, 200, file);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable', file);
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), fs.readFileSync(path.join(pdfjsRoot, file)), file);
    }
    const wasm = await fetch(`${server.url}/_app/immutable/pdfjs-${version}/wasm/openjpeg.wasm`);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    await wasm.arrayBuffer();
  });

  test('the worker script is in the build, served as JavaScript; the policy allows workers from this origin only', async () => {
    const worker = fs.readdirSync(path.join(buildDir, '_app', 'immutable', 'assets')).find((name) => /^pdf\.worker\.min\..+\.mjs$/.test(name));
    assert.ok(worker, 'the pdf.js worker is bundled');
    const response = await fetch(`${server.url}/_app/immutable/assets/${worker}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^(text|application)\/javascript/);
    await response.arrayBuffer();
    const html = await (await fetch(`${server.url}/`)).text();
    assert.match(html, /worker-src 'self'/);
    assert.doesNotMatch(html, /unsafe-eval/);
  });
});
