/**
 * socket.io on the app's HTTP server (socket.ts): the hall's workstations, the /remote namespace,
 * the situation centre, media signalling. Registered after every domain it serves, so it is built
 * from them directly; motions reach the sockets by the subscription it makes here. It closes in
 * `preClose`, before any `onClose`: no socket handler runs against a closing database.
 */
import fp from 'fastify-plugin';
import { iceServersFor } from '../media-rooms/turn-credentials.ts';
import { createRealtime, type RealtimeServer } from './socket.ts';

declare module 'fastify' {
  interface FastifyInstance {
    io: RealtimeServer;
  }
}

export const realtimePlugin = fp(
  async (fastify) => {
    const { config, recording, mediaRooms, mediaWorkers, mediaAddresses } = fastify;
    // Per connection: time-limited TURN credentials when MEDIA_TURN_SECRET is set (turn-credentials.ts).
    const iceServers = iceServersFor(config.media.turn);
    const realtime = createRealtime({
      httpServer: fastify.server,
      auth: fastify.auth,
      hearings: fastify.hearings,
      log: fastify.log,
      parseCookie: (header) => fastify.parseCookie(header),
      situation: fastify.situation,
      hearingsRepository: fastify.hearingsRepository,
      remote: fastify.remote,
      audit: fastify.audit,
      sockets: config.sockets,
      responseHeaders: fastify.responseHeaders,
      // The recorders are ready before a start or resume of the recording is committed (docs/recording.md).
      prepareCommand: async (hearingId, seat, command) =>
        (seat.role === 'presiding_judge' || seat.role === 'secretary') && (await recording.mayStart(hearingId, command)) ? recording.prepare(hearingId) : null,
      media: mediaRooms ? { rooms: mediaRooms, iceServers, audioOnlyBelowKbps: config.media.audioOnlyBelowKbps, ratePerSecond: config.media.signalRatePerSecond } : null,
      // The phone's self-test probes the same addresses the hearings' transports announce.
      selfTest:
        mediaWorkers && mediaAddresses ? { worker: () => mediaWorkers.nextWorker(), listenInfos: mediaAddresses.listenInfos, iceServers, ratePerSecond: config.media.signalRatePerSecond } : null,
      redis: config.cluster.redisUrl ? { url: config.cluster.redisUrl, log: fastify.log } : null,
    });
    fastify.decorate('io', realtime.io);
    // A motion filed outside the hall reaches the case's people on their open pages.
    const stopNotifying = fastify.onMotionFiledOutside((motion, audience) => realtime.notifyUsers(audience, motion));
    // After the remote plugin's preClose (registered earlier, run earlier). `io.close()` would also
    // close the HTTP server, which is fastify's to close.
    fastify.addHook('preClose', async () => {
      stopNotifying();
      realtime.close();
      realtime.io.disconnectSockets(true);
      realtime.io.engine.close();
    });
  },
  {
    name: 'ezal-realtime',
    fastify: '5.x',
    dependencies: ['ezal-auth', 'ezal-hearings', 'ezal-situation', 'ezal-remote', 'ezal-recording', 'ezal-motions', 'ezal-media-rooms', 'ezal-security-headers'],
  },
);
