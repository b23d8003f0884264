/**
 * The admin page's check of the audit chain: walked on a worker thread, which
 * is stopped when the server closes. Apart from the audit log itself because its routes need the
 * signed-in user (auth.plugin.ts), and signing in is audited.
 */
import fp from 'fastify-plugin';
import { AuditChainService } from './audit-chain.service.ts';
import { verifyAuditChainInWorker } from './audit-chain.worker.ts';
import { auditRoutes } from './audit.routes.ts';

export const auditChainPlugin = fp(
  async (fastify) => {
    const walks = new AbortController();
    const auditChain = new AuditChainService({
      audit: fastify.audit,
      verify: () => verifyAuditChainInWorker(fastify.database.file, fastify.secrets.auditKey, walks.signal),
    });
    await fastify.register(auditRoutes, { auditChain });
    fastify.addHook('onClose', async () => walks.abort());
  },
  { name: 'ezal-audit-chain', fastify: '5.x', dependencies: ['ezal-audit', 'ezal-auth'] },
);
