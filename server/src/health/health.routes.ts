import type { FastifyPluginAsync } from 'fastify';
import type { MediaHealth } from '../../../media/src/worker-pool.ts';
import type { AnnouncedAddress } from '../../../media/src/media-addresses.ts';
import { assessHealth } from './health-report.ts';
import type { StorageProbe } from './storage-probe.ts';

type Options = {
  /** A read: does the database answer at all. */
  database: () => Promise<boolean>;
  /** Writes: the database and every folder the server saves to (storage-probe.ts). */
  storage: StorageProbe;
  media: (() => Promise<MediaHealth & { rooms?: number; announced?: AnnouncedAddress[]; warnings?: string[] }>) | null;
  minFreeBytes: number;
  criticalFreeBytes: number;
  version: string;
  startedAt: number;
};

/**
 * `GET /api/health`: 200 when the server can work and record, 503 when it cannot — the database
 * does not answer or cannot save, a folder it saves to is full or read-only (or below
 * HEALTH_CRITICAL_FREE_MB), a media worker is down, or no media address could be opened.
 * `status` is `ok`, `warning` (it works, but someone should act: a disk below HEALTH_MIN_FREE_MB,
 * media addresses only this machine can reach) or `failing`; `reasons` says why, each with a
 * stable `code` (docs/api.md). Public (load balancers and the hall's monitoring ask it), so it says
 * nothing about cases, users or file paths; the media addresses it names are the ones every
 * browser is given anyway.
 */
export const healthRoutes: FastifyPluginAsync<Options> = async (app, options) => {
  app.get('/api/health', async (_request, reply) => {
    const [databaseUp, storage, media] = await Promise.all([options.database(), options.storage.check(), options.media ? options.media() : null]);
    const health = assessHealth({ databaseUp, storage, media, minFreeBytes: options.minFreeBytes, criticalFreeBytes: options.criticalFreeBytes });
    reply.code(health.httpStatus);
    return {
      status: health.status,
      reasons: health.reasons,
      warnings: health.reasons.filter((r) => r.level === 'warning').map((r) => r.message),
      version: options.version,
      uptimeSeconds: Math.round((Date.now() - options.startedAt) / 1000),
      database: health.database,
      storage: health.storage,
      media: media ?? { status: 'disabled' as const, workers: [] },
    };
  });
};
