import type { FastifyPluginAsync } from 'fastify';
import type { MediaHealth } from '../../../media/src/worker-pool.ts';

type Options = {
  database: () => boolean;
  media: (() => Promise<MediaHealth & { rooms?: number }>) | null;
  version: string;
  startedAt: number;
};

/**
 * `GET /api/health`: 200 with `status: "ok"` when the database answers and every media worker is
 * alive, 503 otherwise. Public (load balancers and the hall's monitoring ask it), so it says
 * nothing about cases, users or file paths.
 */
export const healthRoutes: FastifyPluginAsync<Options> = async (app, options) => {
  app.get('/api/health', async (_request, reply) => {
    const databaseOk = options.database();
    const media = options.media ? await options.media() : { status: 'disabled' as const, workers: [] };
    const ok = databaseOk && (media.status === 'ok' || media.status === 'disabled');
    reply.code(ok ? 200 : 503);
    return {
      status: ok ? 'ok' : 'degraded',
      version: options.version,
      uptimeSeconds: Math.round((Date.now() - options.startedAt) / 1000),
      database: { status: databaseOk ? 'ok' : 'down' },
      media,
    };
  });
};
