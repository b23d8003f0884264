/** A judge's own notes on a case. */
import fp from 'fastify-plugin';
import { NotesRepository } from './notes.repository.ts';
import { notesRoutes } from './notes.routes.ts';
import { NotesService } from './notes.service.ts';

export const notesPlugin = fp(
  async (fastify) => {
    await fastify.register(notesRoutes, { notes: new NotesService({ notes: new NotesRepository(fastify.db), cases: fastify.cases, audit: fastify.audit }) });
  },
  { name: 'ezal-notes', fastify: '5.x', dependencies: ['ezal-cases', 'ezal-auth'] },
);
