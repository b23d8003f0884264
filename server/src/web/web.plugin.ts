/**
 * Serves the built web app (a SvelteKit single-page app). Any GET that is not an API call and
 * not a file gets `index.html`, so deep links like /cases/123 open the app at that page.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { AppError } from '../shared/errors.ts';

export const webPlugin: FastifyPluginAsync<{ buildDir: string }> = async (app, { buildDir }) => {
  if (!fs.existsSync(path.join(buildDir, 'index.html'))) {
    app.log.warn({ buildDir }, 'the web app is not built (run npm run setup); serving the API only');
    return;
  }
  // preCompressed: the build's .br/.gz beside each file (svelte.config.js `precompress`), chosen by
  // Accept-Encoding, with `vary: accept-encoding`; the plain file when neither is accepted.
  await app.register(fastifyStatic, { root: buildDir, wildcard: false, index: false, serve: false, preCompressed: true });

  app.get('/*', async (request, reply) => {
    if (request.url.startsWith('/api/')) throw new AppError('not_found', 'No such API route');
    const asked = (request.params as { '*'?: string })['*'] ?? '';
    // The request guard refuses control characters first; this keeps statSync from throwing on any that pass.
    if (asked.includes('\0')) throw new AppError('invalid_request', 'The path contains a NUL character');
    const wanted = path.join(buildDir, path.normalize(asked));
    const isFile = wanted.startsWith(buildDir + path.sep) && isRegularFile(wanted);
    // cacheControl: false, so @fastify/static leaves the header set here alone.
    if (!isFile) return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    // Hashed assets never change; anything else must be revalidated after an upgrade.
    const immutable = wanted.includes(`${path.sep}_app${path.sep}immutable${path.sep}`);
    return reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(path.relative(buildDir, wanted), { cacheControl: false });
  });
};

function isRegularFile(file: string): boolean {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false; // a name too long for the file system, a path through a file: no file either way
  }
}
