/**
 * Builds the HTTP application: plugins, routes, socket.io. Never listens and owns none of the
 * resources it is given (database, media workers); `main.ts` and the tests start and close those.
 */
import crypto from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { Config } from './config.ts';
import type { DbHandle } from '../../db/client.ts';
import { pingDatabase, probeDatabaseWrite } from '../../db/client.ts';
import type { MediaWorkerPool } from '../../media/src/worker-pool.ts';
import { ActsRepository } from './acts/acts.repository.ts';
import { actsRoutes } from './acts/acts.routes.ts';
import { ActsService } from './acts/acts.service.ts';
import { AuditRepository } from './audit/audit.repository.ts';
import { DEFAULT_DEADLINE_RULES, validateRules } from './situation/deadline-rules.ts';
import { SituationRepository } from './situation/situation.repository.ts';
import { situationRoutes } from './situation/situation.routes.ts';
import { SituationService } from './situation/situation.service.ts';
import { SituationSignals } from './situation/situation-signals.ts';
import { authPlugin } from './auth/auth.plugin.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { AuthService } from './auth/auth.service.ts';
import { LoginGuard } from './auth/login-guard.ts';
import { SessionsRepository } from './auth/sessions.repository.ts';
import { casesRoutes } from './cases/cases.routes.ts';
import { CaseSearchService } from './case-text/case-search.service.ts';
import { caseTextRoutes } from './case-text/case-text.routes.ts';
import { CaseTextRepository } from './case-text/case-text.repository.ts';
import { caseFileRoutes } from './ecases/case-file.routes.ts';
import { ecasesRoutes } from './ecases/ecases.routes.ts';
import type { Intake } from './ecases/intake.setup.ts';
import { IntegrationClients } from './integrations/integration-clients.ts';
import { CasesRepository } from './cases/cases.repository.ts';
import { CasesService } from './cases/cases.service.ts';
import { CaseStatusRepository } from './cases/case-status.repository.ts';
import { CaseStatusService } from './cases/case-status.service.ts';
import { HearingAccess } from './hearings/hearing-access.ts';
import { HearingsRepository } from './hearings/hearings.repository.ts';
import { STATUS_EVENTS } from './hearings/hearing-state.ts';
import { HearingsService } from './hearings/hearings.service.ts';
import { ScheduleViewRepository } from './hearings/schedule-view.repository.ts';
import { SchedulingRepository } from './hearings/scheduling.repository.ts';
import { schedulingRoutes } from './hearings/scheduling.routes.ts';
import { SchedulingService } from './hearings/scheduling.service.ts';
import { createDispatcher } from './notifications/notifications.setup.ts';
import { OutboxRepository } from './notifications/outbox.repository.ts';
import { healthRoutes } from './health/health.routes.ts';
import { StorageProbe } from './health/storage-probe.ts';
import { NotesRepository } from './notes/notes.repository.ts';
import { notesRoutes } from './notes/notes.routes.ts';
import { NotesService } from './notes/notes.service.ts';
import { errorHandler, frameworkErrorHandler, notFoundHandler } from './http/error-handler.ts';
import { requestGuard } from './http/request-guard.ts';
import { createRealtime, type RealtimeServer } from './realtime/socket.ts';
import type { Secrets } from './secrets.ts';

/** How often the audit chain's head is checkpointed (besides at every start). */
const AUDIT_CHECKPOINT_MS = 24 * 60 * 60 * 1000;
import { UsersRepository } from './users/users.repository.ts';
import { parseTrustRoots } from './ecases/package/trust-roots.ts';
import { MotionsRepository } from './motions/motions.repository.ts';
import { motionsRoutes } from './motions/motions.routes.ts';
import { remoteMotionsRoutes } from './motions/remote-motions.routes.ts';
import { MotionsService } from './motions/motions.service.ts';
import { ProtocolRepository } from './protocol/protocol.repository.ts';
import { protocolRoutes } from './protocol/protocol.routes.ts';
import { ProtocolService } from './protocol/protocol.service.ts';
import { RecordingAccess } from './recording/recording-access.ts';
import { RecordingRepository } from './recording/recording.repository.ts';
import { recordingRoutes } from './recording/recording.routes.ts';
import { RecordingService } from './recording/recording.service.ts';
import { RECORDING_SPAN_EVENTS, recordingSpans } from './protocol/recording-clock.ts';
import { contentSecurityPolicy } from './web/content-security-policy.ts';
import { webPlugin } from './web/web.plugin.ts';
import { VERSION } from './version.ts';
// ---- remote participation and media (issue 6) ----
import { MediaRooms } from '../../media/src/media-rooms.ts';
import { planMediaAddresses, probeMediaAddresses } from '../../media/src/media-addresses.ts';
import { recordingSourcesOf } from '../../media/src/room-recording-sources.ts';
import { InvitationsRepository } from './remote/invitations.repository.ts';
import { remoteRoutes } from './remote/remote.routes.ts';
import { RemoteService } from './remote/remote.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    io: RealtimeServer | undefined;
    /** Hearing recording; the hall's media room plugs in with `recording.attachRoom(hearingId, sources)`. */
    recording: RecordingService;
    /** The hearings' media rooms (null when MEDIA_WORKERS=0); recording attaches here (docs/media.md). */
    mediaRooms: MediaRooms | null;
  }
}

export type AppDeps = {
  config: Config;
  database: DbHandle;
  media: MediaWorkerPool | null;
  secrets: Secrets;
  intake: Intake;
  /** The process's logger (pino); main.ts makes it so the media pool and the app log alike. */
  log: FastifyBaseLogger;
  /** Changes the situation centre pushes live (server.ts hands the intake's to it too). */
  situationSignals?: SituationSignals;
};

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database, media, secrets } = deps;
  const app = Fastify({
    loggerInstance: deps.log,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    frameworkErrors: frameworkErrorHandler,
  });

  const audit = new AuditRepository(database.db);
  // The audit chain's head, checkpointed under the installation's secret at start, daily and at stop.
  audit.checkpoint(secrets.auditKey);
  const auditCheckpoints = setInterval(() => {
    try {
      audit.checkpoint(secrets.auditKey);
    } catch (error) {
      deps.log.error({ err: error }, 'the audit checkpoint could not be written');
    }
  }, AUDIT_CHECKPOINT_MS);
  auditCheckpoints.unref();
  const situationSignals = deps.situationSignals ?? new SituationSignals();
  const situationRepository = new SituationRepository(database);
  const users = new UsersRepository(database.db);
  const sessions = new SessionsRepository(database.db);
  const guard = new LoginGuard({ ...config.login, addressWindowMs: config.login.addressWindowSeconds * 1000 });
  const auth = new AuthService({ users, sessions, audit, guard, sessionTtlMs: config.sessionTtlHours * 3600_000, atomically: database.atomically });
  const cases = new CasesService({ cases: new CasesRepository(database.db), audit });
  const hearingsRepository = new HearingsRepository(database.db);
  const hearingAccess = new HearingAccess({ cases, hearings: hearingsRepository, audit });
  // The recording service is made after the hearings service it follows; the rules ask it for the room's sources.
  let recording: RecordingService | undefined;
  const hearings = new HearingsService({
    hearings: hearingsRepository,
    access: hearingAccess,
    audit,
    atomically: database.atomically,
    log: deps.log,
    recordingSources: (hearingId) => recording?.sourceCount(hearingId) ?? 0,
  });
  // The case's status follows its hearings (opened, suspended, ended), in the same transactions.
  new CaseStatusService({ repository: new CaseStatusRepository(database.db), hearings });
  const recordingStore = new RecordingRepository(database.db);
  recording = new RecordingService({
    hearings,
    store: recordingStore,
    root: config.recording.dir,
    segmentSeconds: config.recording.segmentSeconds,
    headIntervalMs: config.recording.headIntervalSeconds * 1000,
    newId: () => crypto.randomUUID(),
    log: deps.log,
    retentionDays: config.recording.retentionDays,
    atomically: database.atomically,
    chainHeads: (hearingId) =>
      hearingsRepository
        .events(hearingId, { types: ['recording.chain_heads'], limit: 1_000_000 })
        .flatMap((e) => (e.type === 'recording.chain_heads' ? e.payload.heads : [])),
    spans: (hearingId) => recordingSpans(hearingsRepository.events(hearingId, { types: [...RECORDING_SPAN_EVENTS], limit: 1_000_000 })),
  });

  // Summonses and the notices that follow them: written to the outbox with each change, sent by
  // the dispatcher afterwards (and at start, whatever an earlier run left pending).
  const outbox = new OutboxRepository(database.db);
  const dispatcher = createDispatcher(config.notifications, outbox, deps.log);
  const scheduling = new SchedulingService({
    cases,
    scheduling: new SchedulingRepository(database.db),
    views: new ScheduleViewRepository(database.db),
    outbox,
    audit,
    atomically: database.atomically,
    channels: () => dispatcher.channels,
    defaultDurationMinutes: config.hearings.defaultDurationMinutes,
    onChanged: (change) => {
      if (change.notices > 0) dispatcher.wake();
      situationSignals.changed(situationRepository.courtOfCase(change.caseId));
    },
  });

  // ---- remote participation and media (issue 6) ----
  const remote = new RemoteService({
    invitations: new InvitationsRepository(database.db),
    hearings,
    hearingsRepository,
    scheduling: new SchedulingRepository(database.db),
    outbox,
    audit,
    channels: () => dispatcher.channels,
    atomically: database.atomically,
    onNotified: () => dispatcher.wake(),
    inviteTtlHours: config.remote.inviteTtlHours,
    sessionTtlHours: config.remote.sessionTtlHours,
    disconnectGraceMs: config.remote.disconnectGraceSeconds * 1000,
    log: deps.log,
  });
  // Where browsers send media: planned from the configuration and this machine's interfaces, then
  // tried once, so an unreachable address or a port range that cannot be bound is said at start.
  const mediaAddresses = media ? await probeMediaAddresses(media.nextWorker(), planMediaAddresses({ ...config.media, enableUdp: config.media.iceUdp, enableTcp: config.media.iceTcp })) : null;
  if (mediaAddresses) {
    deps.log.info({ announced: mediaAddresses.announced.map((a) => `${a.protocol} ${a.address}`) }, 'media addresses announced to browsers');
    for (const warning of mediaAddresses.warnings) deps.log.warn({ warning }, 'media may not connect');
  }
  const mediaRooms = media
    ? new MediaRooms({
        pool: media,
        transport: { listenInfos: mediaAddresses?.listenInfos ?? [], initialOutgoingBitrate: config.media.initialOutgoingKbps * 1000 },
        log: deps.log,
      })
    : null;
  app.decorate('mediaRooms', mediaRooms);
  // Recording follows the hall's media: every room made (again after its worker died) is plugged in.
  if (mediaRooms) {
    const recorder = recording;
    const attach = (hearingId: string, sources: ReturnType<typeof recordingSourcesOf> | null) =>
      recorder.attachRoom(hearingId, sources).catch((error: unknown) => deps.log.error({ err: error, hearingId }, 'recording could not follow the media room'));
    const stopFollowing = mediaRooms.onRoomCreated((room) => {
      void attach(room.hearingId, recordingSourcesOf(room));
      room.on('closed', () => void attach(room.hearingId, null));
    });
    app.addHook('onClose', async () => void stopFollowing());
  }
  const { turn } = config.media;
  const iceServers = turn ? [{ urls: turn.urls, ...(turn.username ? { username: turn.username } : {}), ...(turn.credential ? { credential: turn.credential } : {}) }] : [];
  // Motions (issue 5): filed over HTTP with the filer's signature, ruled on in the hearing.
  // The court's trust roots (signatures/court-trust-roots.ts): the same the case file's verification uses.
  const motionRoots = parseTrustRoots(deps.intake.trustRoots);
  let realtimeForMotions: ReturnType<typeof createRealtime> | undefined;
  const motions = new MotionsService({
    motions: new MotionsRepository(database.db),
    cases,
    hearings,
    hearingsRepository,
    access: hearingAccess,
    audit,
    store: deps.intake.store,
    staging: deps.intake.staging,
    trustRoots: () => motionRoots,
    maxAttachmentBytes: config.motions.maxAttachmentBytes,
    atomically: database.atomically,
    onFiledOutside: (motion, audience) => realtimeForMotions?.notifyUsers(audience, motion),
    notices: { outbox, channels: () => dispatcher.channels, wake: () => dispatcher.wake() },
  });

  // The short protocol (issue 8): computed from the hearing's log, signed by the secretary and the judge.
  const protocol = new ProtocolService({
    repository: new ProtocolRepository(database.db),
    hearings,
    hearingsRepository,
    access: hearingAccess,
    audit,
    store: deps.intake.store,
    staging: deps.intake.staging,
    trustRoots: () => motionRoots,
    recordings: recording,
    atomically: database.atomically,
    publicUrl: config.protocol.publicUrl,
  });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  // Odd URLs (NUL, bad percent-encoding, too long) are a 400 before any route; unusable Range headers are dropped.
  await app.register(requestGuard);

  // Security headers on every answer: the page's Content-Security-Policy (the one SvelteKit writes
  // into index.html with its scripts' hashes, plus frame-ancestors; web/content-security-policy.ts),
  // no framing, no MIME sniffing, no referrer leaving the court, HSTS when served over HTTPS.
  const policy = contentSecurityPolicy(config.webBuildDir);
  app.addHook('onRequest', async (_request, reply) => void reply.header('content-security-policy', policy()));
  await app.register(helmet, {
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    strictTransportSecurity: config.cookieSecure ? { maxAge: 31_536_000 } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(rateLimit, { global: false });
  await app.register(authPlugin, { auth, cookieSecret: secrets.cookieSecret, csrfHmacKey: secrets.csrfHmacKey, cookieSecure: config.cookieSecure });

  await app.register(healthRoutes, {
    database: () => pingDatabase(database),
    // Health writes where the server writes: a full or read-only disk still answers every read.
    storage: new StorageProbe({
      writeDatabase: () => probeDatabaseWrite(database),
      locations: [
        { name: 'data', dir: config.dataDir },
        { name: 'files', dir: deps.intake.store.root },
        { name: 'recordings', dir: config.recording.dir },
      ],
    }),
    minFreeBytes: config.health.minFreeBytes,
    criticalFreeBytes: config.health.criticalFreeBytes,
    // The workers, and how many hearings have a media room now.
    media: media
      ? async () => {
          const health = await media.health();
          const addresses = mediaAddresses ?? { announced: [], warnings: [], listenInfos: [] };
          // Workers that run but no address a browser can reach is media that cannot connect.
          const status = addresses.listenInfos.length === 0 ? 'down' : health.status;
          return { ...health, status, rooms: mediaRooms?.size ?? 0, announced: addresses.announced, warnings: addresses.warnings };
        }
      : null,
    version: VERSION,
    startedAt: Date.now(),
  });
  await app.register(authRoutes, { auth, users, cookieSecure: config.cookieSecure, deviceTtlDays: config.login.deviceTtlDays });
  await app.register(casesRoutes, { cases, users });
  await app.register(ecasesRoutes, { intake: deps.intake, clients: new IntegrationClients(database.db), audit, users });
  await app.register(caseFileRoutes, { intake: deps.intake, cases, audit });
  await app.register(schedulingRoutes, { scheduling });
  await app.register(caseTextRoutes, { search: new CaseSearchService({ texts: new CaseTextRepository(database), cases }) });
  await app.register(notesRoutes, { notes: new NotesService({ notes: new NotesRepository(database.db), cases, audit }) });
  await app.register(remoteRoutes, { remote, intake: deps.intake, cookieSecure: config.cookieSecure, publicUrl: config.remote.publicUrl, joinRateLimit: config.loginRateLimit });
  await app.register(motionsRoutes, { motions, files: deps.intake.files, maxAttachmentBytes: config.motions.maxAttachmentBytes });
  await app.register(remoteMotionsRoutes, { motions, remote, maxAttachmentBytes: config.motions.maxAttachmentBytes });
  await app.register(protocolRoutes, { protocol });
  // ---- Judicial acts and the situation centre (issue 9) ----
  const acts = new ActsService({ acts: new ActsRepository(database), cases, audit });
  await app.register(actsRoutes, { acts });
  // Acts marked before their document's text was read enter the index once it is.
  const actsSweep = setInterval(() => {
    try {
      acts.indexPending();
    } catch (error) {
      app.log.error({ err: error }, 'indexing judicial acts failed; retrying');
    }
  }, 5_000);
  actsSweep.unref();
  app.addHook('onClose', async () => clearInterval(actsSweep));
  app.addHook('onClose', async () => {
    clearInterval(auditCheckpoints);
    // And at every stop: rows cut from the end later no longer reach the last checkpoint.
    audit.checkpoint(secrets.auditKey);
  });
  const situation = new SituationService({ situation: situationRepository, audit, rules: validateRules(DEFAULT_DEADLINE_RULES) });
  await app.register(situationRoutes, { situation });
  // Hearings opened, broken off, finished change the court's figures; a page turned changes nothing it counts.
  const stopSituationFeed = hearings.onCommitted((events) => {
    const counted = new Set(events.filter((e) => STATUS_EVENTS.has(e.type)).map((e) => e.hearingId));
    for (const hearingId of counted) situationSignals.changed(situationRepository.courtOfHearing(hearingId));
  });
  app.addHook('onClose', async () => {
    stopSituationFeed();
    situationSignals.close();
  });
  // ---- end of judicial acts and the situation centre ----
  await app.register(recordingRoutes, {
    access: new RecordingAccess({ hearings: hearingsRepository, access: hearingAccess, cases, audit }),
    recording,
    store: recordingStore,
    hearings: hearingsRepository,
    root: config.recording.dir,
  });
  await app.register(webPlugin, { buildDir: config.webBuildDir });

  // Expired sessions are refused anyway; this only keeps the table small.
  const sweep = setInterval(() => sessions.deleteExpired(), 3600_000);
  sweep.unref();
  app.addHook('onReady', async () => {
    sessions.deleteExpired();
  });
  app.addHook('onClose', async () => clearInterval(sweep));
  app.addHook('onReady', async () => dispatcher.wake());
  // Before the server listens: whoever was connected by video when it stopped is not any more.
  app.addHook('onReady', async () => void remote.recordRestart());
  // Before the sockets close (preClose below): a shutdown is not everyone losing their connection.
  app.addHook('preClose', async () => remote.close());
  // Before the database closes: the message in hand is finished and recorded.
  app.addHook('onClose', async () => dispatcher.stop());

  app.decorate('recording', recording);
  // Retention: at start and then daily.
  const retention = setInterval(() => recording.sweepRetention(Date.now()), 86_400_000);
  retention.unref();
  app.addHook('onReady', async () => void recording.sweepRetention(Date.now()));
  app.addHook('onClose', async () => clearInterval(retention));
  // Before the database closes: recorders close their last segments and write them to the manifest.
  app.addHook('onClose', async () => recording.close());

  app.decorate('io', undefined);
  let realtime: ReturnType<typeof createRealtime> | undefined;
  app.addHook('onReady', async () => {
    realtime = createRealtime({
      httpServer: app.server,
      auth,
      hearings,
      log: app.log,
      parseCookie: (header) => app.parseCookie(header),
      situation: { service: situation, signals: situationSignals },
      hearingsRepository,
      remote,
      audit,
      sockets: config.sockets,
      responseHeaders: () => ({
        'content-security-policy': policy(),
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
      }),
      // The recorders are ready before a start or resume of the recording is committed (docs/recording.md).
      prepareCommand: (hearingId, seat, command) =>
        (seat.role === 'presiding_judge' || seat.role === 'secretary') && recording.mayStart(hearingId, command) ? recording.prepare(hearingId) : null,
      media: mediaRooms
        ? { rooms: mediaRooms, iceServers, audioOnlyBelowKbps: config.media.audioOnlyBelowKbps, ratePerSecond: config.media.signalRatePerSecond }
        : null,
    });
    app.io = realtime.io;
    realtimeForMotions = realtime;
  });
  // Sockets go first, so no handler runs against a closing database. (`io.close()` would also
  // close the HTTP server, which is fastify's to close.)
  app.addHook('preClose', async () => {
    realtime?.close();
    app.io?.disconnectSockets(true);
    app.io?.engine.close();
  });

  return app;
}
