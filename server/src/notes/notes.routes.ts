/**
 * A user's private notes on a case file:
 *   GET    /api/cases/:id/notes               the user's own notes on the case;
 *   POST   /api/cases/:id/notes               a new note (CSRF);
 *   PATCH  /api/cases/:id/notes/:noteId       its text or region (CSRF);
 *   DELETE /api/cases/:id/notes/:noteId       (CSRF).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { userOf } from '../auth/auth.plugin.ts';
import type { NotesService } from './notes.service.ts';

const id = Type.String({ minLength: 1, maxLength: 64 });
const caseParams = Type.Object({ id });
const noteParams = Type.Object({ id, noteId: id });
const fraction = Type.Number({ minimum: 0, maximum: 1 });
const region = Type.Union([Type.Object({ x: fraction, y: fraction, w: fraction, h: fraction }, { additionalProperties: false }), Type.Null()]);
const text = Type.String({ maxLength: 4000 });

const newNote = Type.Object({ documentId: id, page: Type.Integer({ minimum: 1, maximum: 100_000 }), region: Type.Optional(region), text: Type.Optional(text) }, { additionalProperties: false });
const noteChange = Type.Object({ region: Type.Optional(region), text: Type.Optional(text) }, { additionalProperties: false, minProperties: 1 });

export const notesRoutes: FastifyPluginAsyncTypebox<{ notes: NotesService }> = async (app, { notes }) => {
  app.addHook('onRequest', app.requireUser);
  const write = { onRequest: app.csrfProtection };

  app.get('/api/cases/:id/notes', { schema: { params: caseParams } }, async (request) => ({
    notes: await notes.list(userOf(request), request.params.id, request.ip),
  }));

  app.post('/api/cases/:id/notes', { ...write, schema: { params: caseParams, body: newNote } }, async (request, reply) => {
    const note = await notes.create(userOf(request), request.params.id, request.body, request.ip);
    return reply.code(201).send({ note });
  });

  app.patch('/api/cases/:id/notes/:noteId', { ...write, schema: { params: noteParams, body: noteChange } }, async (request) => ({
    note: await notes.update(userOf(request), request.params.id, request.params.noteId, request.body, request.ip),
  }));

  app.delete('/api/cases/:id/notes/:noteId', { ...write, schema: { params: noteParams } }, async (request, reply) => {
    await notes.remove(userOf(request), request.params.id, request.params.noteId, request.ip);
    return reply.code(204).send();
  });
};
