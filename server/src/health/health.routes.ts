import type { FastifyPluginAsync } from 'fastify';
import type { MediaHealth } from '../../../media/src/worker-pool.ts';
import type { AnnouncedAddress } from '../../../media/src/media-addresses.ts';

type Options = {
  database: () => boolean;
  media: (() => Promise<MediaHealth & { rooms?: number; announced?: AnnouncedAddress[]; warnings?: string[] }>) | null;
  version: string;
  startedAt: number;
};

/**
 * `GET /api/health`: 200 when the database answers and every media worker is alive, 503 otherwise
 * (also when no media address could be opened). `status` is `ok`, or `warning` when something
 * will keep some people from connecting (`warnings`: the media addresses announced to browsers
 * that only this machine can reach, for instance). Public (load balancers and the hall's
 * monitoring ask it), so it says nothing about cases, users or file paths; the media addresses it
 * names are the ones every browser is given anyway.
 */
export const healthRoutes: FastifyPluginAsync<Options> = async (app, options) => {
  app.get('/api/health', async (_request, reply) => {
    const databaseOk = options.database();
    const media = options.media ? await options.media() : { status: 'disabled' as const, workers: [] };
    const ok = databaseOk && (media.status === 'ok' || media.status === 'disabled');
    const warnings = 'warnings' in media ? (media.warnings ?? []) : [];
    reply.code(ok ? 200 : 503);
    return {
      status: !ok ? 'degraded' : warnings.length > 0 ? 'warning' : 'ok',
      warnings,
      version: options.version,
      uptimeSeconds: Math.round((Date.now() - options.startedAt) / 1000),
      database: { status: databaseOk ? 'ok' : 'down' },
      media,
    };
  });
};
