/**
 * The hearing's recording: follows the hearings' committed events and the hall's media
 * rooms, fills the hearings' port for its number of sources (hearings.plugin.ts), sweeps old
 * recordings at start and daily, and closes its recorders' last segments before the database closes.
 */
import crypto from 'node:crypto';
import fp from 'fastify-plugin';
import { recordingSourcesOf } from '../../../media/src/room-recording-sources.ts';
import { RECORDING_SPAN_EVENTS, recordingSpans } from '../shared/recording-clock.ts';
import { RecordingAccess } from './recording-access.ts';
import { RecordingRepository } from './recording.repository.ts';
import { recordingRoutes } from './recording.routes.ts';
import { RecordingService } from './recording.service.ts';

const RETENTION_SWEEP_MS = 86_400_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Hearing recording; the hall's media room plugs in with `recording.attachRoom(hearingId, sources)`. */
    recording: RecordingService;
  }
}

export const recordingPlugin = fp(
  async (fastify) => {
    const { config, db, hearings, hearingsRepository, log } = fastify;
    const store = new RecordingRepository(db);
    const recording = new RecordingService({
      hearings,
      store,
      root: config.recording.dir,
      segmentSeconds: config.recording.segmentSeconds,
      headIntervalMs: config.recording.headIntervalSeconds * 1000,
      newId: () => crypto.randomUUID(),
      log,
      retentionDays: config.recording.retentionDays,
      database: db,
      chainHeads: async (hearingId) =>
        (await hearingsRepository.events(hearingId, { types: ['recording.chain_heads'], limit: 1_000_000 })).flatMap((e) => (e.type === 'recording.chain_heads' ? e.payload.heads : [])),
      spans: async (hearingId) => recordingSpans(await hearingsRepository.events(hearingId, { types: [...RECORDING_SPAN_EVENTS], limit: 1_000_000 })),
    });
    fastify.recordingSources.provide((hearingId) => recording.sourceCount(hearingId));
    fastify.decorate('recording', recording);

    // Recording follows the hall's media: every room made (again after its worker died) is plugged in.
    const rooms = fastify.mediaRooms;
    if (rooms) {
      const attach = (hearingId: string, sources: ReturnType<typeof recordingSourcesOf> | null) =>
        recording.attachRoom(hearingId, sources).catch((error: unknown) => log.error({ err: error, hearingId }, 'recording could not follow the media room'));
      const stopFollowing = rooms.onRoomCreated((room) => {
        // A consultation room is private: nothing of it is recorded, not even that it closed.
        if (!room.recorded) return;
        void attach(room.hearingId, recordingSourcesOf(room));
        room.on('closed', () => void attach(room.hearingId, null));
      });
      fastify.addHook('onClose', async () => void stopFollowing());
    }

    await fastify.register(recordingRoutes, {
      access: new RecordingAccess({ hearings: hearingsRepository, access: fastify.hearingAccess, cases: fastify.cases, audit: fastify.audit }),
      recording,
      store,
      hearings: hearingsRepository,
      root: config.recording.dir,
    });

    // Retention: at start and then daily, on the leading node only (several nodes share one
    // RECORDINGS_DIR: docs/deployment.md). A sweep that fails is logged and tried again the next day.
    const sweep = async () => {
      if (!fastify.leader.isLeader) return;
      await recording.sweepRetention(Date.now()).catch((error: unknown) => log.error({ err: error }, 'the recording retention sweep failed'));
    };
    const retention = setInterval(() => void sweep(), RETENTION_SWEEP_MS);
    retention.unref();
    fastify.addHook('onReady', async () => {
      await sweep();
    });
    fastify.addHook('onClose', async () => clearInterval(retention));
    // Before the database closes: recorders close their last segments and write them to the manifest.
    fastify.addHook('onClose', async () => recording.close());
  },
  { name: 'ezal-recording', fastify: '5.x', dependencies: ['ezal-hearings', 'ezal-media-rooms', 'ezal-auth', 'ezal-cluster'] },
);
