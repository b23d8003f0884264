/**
 * The hearings' media rooms (docs/media.md), on the media workers; null when MEDIA_WORKERS=0.
 * Where browsers send media is planned from the configuration and this machine's interfaces, then
 * tried once, so an unreachable address or a port range that cannot be bound is said at start.
 */
import os from 'node:os';
import fp from 'fastify-plugin';
import { MediaRooms } from '../../../media/src/media-rooms.ts';
import { planMediaAddresses, probeMediaAddresses, type MediaAddressPlan } from '../../../media/src/media-addresses.ts';
import { mediaRoomLease } from './media-room-lease.ts';
import { MediaRoomLeasesRepository } from './media-room-leases.repository.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Recording attaches to these (recording.plugin.ts); health counts them. */
    mediaRooms: MediaRooms | null;
    /** What was announced to browsers and what may not connect; null without media workers. */
    mediaAddresses: MediaAddressPlan | null;
  }
}

export const mediaRoomsPlugin = fp(
  async (fastify) => {
    const { config, mediaWorkers: pool, log } = fastify;
    const addresses = pool ? await probeMediaAddresses(pool.nextWorker(), planMediaAddresses({ ...config.media, enableUdp: config.media.iceUdp, enableTcp: config.media.iceTcp })) : null;
    if (addresses) {
      log.info({ announced: addresses.announced.map((a) => `${a.protocol} ${a.address}`) }, 'media addresses announced to browsers');
      for (const warning of addresses.warnings) log.warn({ warning }, 'media may not connect');
    }
    const rooms = pool
      ? new MediaRooms({
          pool,
          transport: { listenInfos: addresses?.listenInfos ?? [], initialOutgoingBitrate: config.media.initialOutgoingKbps * 1000 },
          log,
          // In a cluster a hearing's room is made only on the node holding its lease (docs/media.md,
          // "Media failover"); on SQLite there is one process, so nothing to share.
          lease: config.cluster.databaseUrl
            ? mediaRoomLease({
                repository: new MediaRoomLeasesRepository(fastify.db),
                node: { id: config.cluster.nodeName, address: `${config.host === '0.0.0.0' || config.host === '::' ? os.hostname() : config.host}:${config.port}` },
                ...config.media.lease,
                log,
              })
            : undefined,
        })
      : null;
    fastify.decorate('mediaAddresses', addresses);
    fastify.decorate('mediaRooms', rooms);
  },
  { name: 'ezal-media-rooms', fastify: '5.x', dependencies: ['ezal-core'] },
);
