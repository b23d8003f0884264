/**
 * `GET /api/health` (health.routes.ts). Health writes where the server writes, so a full or
 * read-only disk is seen even while every read still answers; and it counts the media rooms.
 */
import fp from 'fastify-plugin';
import { LocalFileStore } from '../storage/file-store.ts';
import { VERSION } from '../version.ts';
import { healthRoutes } from './health.routes.ts';
import { StorageProbe } from './storage-probe.ts';

export const healthPlugin = fp(
  async (fastify) => {
    const { config, db, mediaWorkers: media, mediaRooms } = fastify;
    await fastify.register(healthRoutes, {
      database: () => db.ping(),
      storage: new StorageProbe({
        writeDatabase: () => db.probeWrite(),
        locations: [
          { name: 'data', dir: config.dataDir },
          // With the object store, files still pass through the staging folder on this machine.
          { name: 'files', dir: fastify.intake.store instanceof LocalFileStore ? fastify.intake.store.root : fastify.intake.staging.root },
          { name: 'recordings', dir: config.recording.dir },
        ],
      }),
      minFreeBytes: config.health.minFreeBytes,
      criticalFreeBytes: config.health.criticalFreeBytes,
      // The workers, and how many hearings have a media room now.
      media: media
        ? async () => {
            const health = await media.health();
            const addresses = fastify.mediaAddresses ?? { announced: [], warnings: [], listenInfos: [] };
            // Workers that run but no address a browser can reach is media that cannot connect.
            const status = addresses.listenInfos.length === 0 ? 'down' : health.status;
            return { ...health, status, rooms: mediaRooms?.size ?? 0, announced: addresses.announced, warnings: addresses.warnings };
          }
        : null,
      version: VERSION,
      startedAt: Date.now(),
    });
  },
  { name: 'ezal-health', fastify: '5.x', dependencies: ['ezal-core', 'ezal-media-rooms'] },
);
