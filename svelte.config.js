// SvelteKit configuration for the web app in apps/web. It lives at the top level because
// SvelteKit reads it from the folder vite runs in; `kit.files` points SvelteKit at apps/web.
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // A single-page app: fastify serves the files and answers every other path with index.html.
    // `precompress`: a .br and a .gz beside every script, style, page and WebAssembly file, made once
    // at build time at the best ratio; the web plugin picks one by the request's Accept-Encoding.
    adapter: adapter({ pages: 'apps/web/build', assets: 'apps/web/build', fallback: 'index.html', strict: true, precompress: true }),
    outDir: 'apps/web/.svelte-kit',
    files: {
      src: 'apps/web/src',
      routes: 'apps/web/src/routes',
      lib: 'apps/web/src/lib',
      appTemplate: 'apps/web/src/app.html',
      errorTemplate: 'apps/web/src/error.html',
      assets: 'apps/web/static',
      hooks: { client: 'apps/web/src/hooks.client', server: 'apps/web/src/hooks.server', universal: 'apps/web/src/hooks' },
      params: 'apps/web/src/params',
      serviceWorker: 'apps/web/src/service-worker',
    },
    // A Content-Security-Policy meta tag with the hashes of SvelteKit's own inline scripts: no other
    // script, style source or connection than this origin can run in a page of the court. The server
    // sends the same policy as a header on every answer, plus frame-ancestors, which only a header
    // can state (server/src/web/content-security-policy.ts reads it from the built index.html).
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'media-src': ['self', 'blob:'],
        'connect-src': ['self'],
        // pdf.js parses PDFs in a worker, from this origin (apps/web/pdfjs-assets.ts; no CDN).
        'worker-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
      },
    },
    alias: {
      // The typed contract the server and the web app share (types only; erased at build).
      $server: 'server/src',
      $media: 'media/src',
      $db: 'db',
    },
  },
};

export default config;
