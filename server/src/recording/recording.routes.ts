/**
 * A hearing's recording over HTTP:
 *   GET  /api/hearings/:id/recording                               tracks, segments and the hearing's timeline (audited);
 *   GET  /api/hearings/:id/recording/tracks/:trackId/segments/:seq   one WebM segment, with byte ranges;
 *   GET  /api/hearings/:id/recording/mix                           the hall mix (all audio + hall camera), with byte ranges;
 *   POST /api/hearings/:id/recording/verify                        the verifier's verdict (CSRF; audited);
 *   GET  /api/hearings/:id/recording/export?tracks=all|mix|<ids>    a ZIP copy with manifest.json (audited).
 * Access rules: recording-access.ts.
 */
import send from '@fastify/send';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { userOf } from '../auth/auth.plugin.ts';
import type { HearingsRepository } from '../hearings/hearings.repository.ts';
import { AppError } from '../shared/errors.ts';
import type { RecordingAccess } from './recording-access.ts';
import { exportRecording } from './recording-export.ts';
import type { RecordingRepository } from './recording.repository.ts';
import type { RecordingView } from '../shared/api/recording-view.ts';
import type { RecordingService } from './recording.service.ts';

type Options = { access: RecordingAccess; recording: RecordingService; store: RecordingRepository; hearings: HearingsRepository; root: string };

const Id = Type.String({ minLength: 1, maxLength: 64 });
const hearingParams = Type.Object({ id: Id });
const segmentParams = Type.Object({ id: Id, trackId: Id, seq: Type.Integer({ minimum: 0, maximum: 10_000_000 }) });
const exportQuery = Type.Object({ tracks: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })) }, { additionalProperties: false });

/** The most events a timeline carries: a long hearing day has a few thousand. */
const TIMELINE_LIMIT = 20_000;

export async function recordingRoutes(app: FastifyInstance, { access, recording, store, hearings, root }: Options): Promise<void> {
  app.addHook('onRequest', app.requireUser);

  app.get('/api/hearings/:id/recording', { schema: { params: hearingParams } }, async (request) => {
    const { id } = request.params as { id: string };
    const hearing = await access.allow(userOf(request), id, 'recording.open', request.ip);
    const manifest = await store.manifest(id);
    const tracks = manifest.tracks.map(({ trackId, sourceId, kind, role, label }) => ({
      trackId,
      sourceId,
      kind,
      role,
      label,
      segments: (manifest.segments.get(trackId) ?? []).map(({ seq, startedAt, durationMs, bytes }) => ({ seq, startedAt, durationMs, bytes })),
    }));
    // The chain heads are for the verifier, not for people: left out of the timeline.
    const events = (await hearings.events(id, { limit: TIMELINE_LIMIT })).filter((e) => e.type !== 'recording.chain_heads');
    const mix = recording.hallMix(id);
    const view: RecordingView = { hearing: await hearings.info(hearing), tracks, events, mix: mix && { startedAt: mix.startedAt, spans: mix.spans } };
    return view;
  });

  app.get('/api/hearings/:id/recording/mix', { schema: { params: hearingParams } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    await access.allow(userOf(request), id, 'recording.open', request.ip, false);
    const mix = recording.hallMix(id);
    if (!mix) throw new AppError('no_recording', 'No hall mix has been made for this hearing');
    const result = await send(request.raw, mix.file, { root, dotfiles: 'deny', acceptRanges: true, cacheControl: false, etag: true, lastModified: false, index: false });
    if (result.type === 'error') throw new AppError('no_recording', 'The hall mix is missing');
    reply.code(result.statusCode);
    reply.headers({ ...result.headers, 'content-type': 'video/webm', 'cache-control': 'private, no-cache' });
    return reply.send(result.stream);
  });

  app.get('/api/hearings/:id/recording/tracks/:trackId/segments/:seq', { schema: { params: segmentParams } }, async (request, reply) => {
    const { id, trackId, seq } = request.params as { id: string; trackId: string; seq: number };
    await access.allow(userOf(request), id, 'recording.open', request.ip, false);
    const track = (await store.tracks(id)).find((t) => t.trackId === trackId);
    const segment = track && (await store.segment(trackId, seq));
    if (!track || !segment) throw new AppError('not_found', 'No such segment');
    const result = await send(request.raw, `${track.dir}/${segment.file}`, { root, dotfiles: 'deny', acceptRanges: true, cacheControl: false, etag: false, lastModified: false, index: false });
    if (result.type === 'error') throw new AppError('not_found', 'The segment file is missing');
    reply.code(result.statusCode);
    reply.headers({ ...result.headers, 'content-type': track.kind === 'audio' ? 'audio/webm' : 'video/webm', 'cache-control': 'private, no-cache', etag: `"${segment.sha256}"` });
    return reply.send(result.stream);
  });

  app.post('/api/hearings/:id/recording/verify', { schema: { params: hearingParams }, onRequest: app.csrfProtection }, async (request) => {
    const { id } = request.params as { id: string };
    await access.allow(userOf(request), id, 'recording.verify', request.ip);
    return recording.verify(id);
  });

  app.get('/api/hearings/:id/recording/export', { schema: { params: hearingParams, querystring: exportQuery } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { tracks: wanted } = request.query as { tracks?: string };
    if (wanted === 'mix') {
      const mix = recording.hallMix(id);
      const hearing = await access.allow(userOf(request), id, 'recording.export', request.ip, true, { mix: true });
      if (!mix) throw new AppError('no_recording', 'No hall mix has been made for this hearing');
      reply.header('content-type', 'application/zip');
      reply.header('content-disposition', `attachment; filename="recording-${hearing.id}-hall-mix.zip"`);
      return reply.send(exportRecording({ root, hearingId: id, tracks: [], segments: () => [], mix }));
    }
    const { tracks: all, segments } = await store.manifest(id);
    const chosen = wanted && wanted !== 'all' ? wanted.split(',').map((trackId) => all.find((t) => t.trackId === trackId)) : all;
    if (chosen.some((t) => !t)) throw new AppError('invalid_request', 'No such track in this recording');
    const hearing = await access.allow(userOf(request), id, 'recording.export', request.ip, true, { tracks: chosen.map((t) => t!.trackId) });
    if (chosen.length === 0) throw new AppError('no_recording', 'This hearing has no recording');
    reply.header('content-type', 'application/zip');
    reply.header('content-disposition', `attachment; filename="recording-${hearing.id}.zip"`);
    return reply.send(exportRecording({ root, hearingId: id, tracks: chosen.map((t) => t!), segments: (trackId) => segments.get(trackId) ?? [] }));
  });
}
