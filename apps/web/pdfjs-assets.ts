/**
 * Serves pdf.js's data files from the app's own origin (the court's pages may load nothing from
 * elsewhere, and a court may have no internet): the character maps of CJK fonts, the standard
 * fonts, the WebAssembly decoders of JPEG 2000 and JBIG2 scans, and the colour profiles. They are
 * copied into the build under /_app/immutable/pdfjs-<version>/ (immutable: the version is in the
 * path), and served from node_modules by the dev server. The worker script itself is imported
 * with `?url` (lib/viewer/pdfjs.ts), which Vite already places under /_app/immutable/.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

const FOLDERS = ['cmaps', 'standard_fonts', 'wasm', 'iccs'];

export function pdfjsAssets(): Plugin {
  const root = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const base = `_app/immutable/pdfjs-${version}/`;
  const files = FOLDERS.flatMap((folder) => fs.readdirSync(path.join(root, folder)).map((name) => `${folder}/${name}`));

  return {
    name: 'ezal-pdfjs-assets',
    configureServer(server) {
      server.middlewares.use(`/${base}`, (request, response, next) => {
        const wanted = decodeURIComponent((request.url ?? '').split('?')[0].replace(/^\//, ''));
        if (!files.includes(wanted)) return next();
        response.setHeader('content-type', wanted.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream');
        fs.createReadStream(path.join(root, wanted)).pipe(response);
      });
    },
    generateBundle() {
      // Only into the browser's build, not SvelteKit's server build.
      if (this.environment?.name !== 'client') return;
      for (const file of files) this.emitFile({ type: 'asset', fileName: base + file, source: fs.readFileSync(path.join(root, file)) });
    },
  };
}
