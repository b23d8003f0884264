/**
 * The administrator's pages:
 *   GET /api/admin/audit-chain    walks the audit log's hash chain and its signed checkpoints and
 *                                 answers the verdict (AuditChainCheck); admin only, others 403 (audited).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { userOf } from '../auth/auth.plugin.ts';
import type { AuditChainService } from './audit-chain.service.ts';

export const auditRoutes: FastifyPluginAsyncTypebox<{ auditChain: AuditChainService }> = async (app, { auditChain }) => {
  app.addHook('onRequest', app.requireUser);

  // A verdict is about one moment: never kept by a browser or a proxy.
  app.get('/api/admin/audit-chain', async (request, reply) => {
    const verdict = await auditChain.check(userOf(request), request.ip);
    return reply.header('cache-control', 'no-store').send(verdict);
  });
};
