import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { pdfjsAssets } from './pdfjs-assets.ts';

export default defineConfig({
  plugins: [sveltekit(), pdfjsAssets()],
  ssr: {
    // Kit's server runtime wants cookie@0.6; the top-level cookie is fastify's 2.x. Bundling it
    // into the (build-time only) server output makes kit use its own copy.
    noExternal: ['cookie'],
  },
  server: {
    // `npm run dev:web` proxies the API and sockets to a running `npm start`.
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
