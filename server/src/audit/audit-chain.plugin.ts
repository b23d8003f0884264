/**
 * The admin page's check of the audit chain: walked on a worker thread, which
 * is stopped when the server closes. Apart from the audit log itself because its routes need the
 * signed-in user (auth.plugin.ts), and signing in is audited.
 */
import fp from 'fastify-plugin';
import { databaseFile } from '../../../db/client.ts';
import { AuditChainService } from './audit-chain.service.ts';
import { verifyAuditChainInWorker } from './audit-chain.worker.ts';
import { auditRoutes } from './audit.routes.ts';

export const auditChainPlugin = fp(
  async (fastify) => {
    const walks = new AbortController();
    const auditChain = new AuditChainService({
      audit: fastify.audit,
      // SQLite: a worker thread reads the file; PostgreSQL: the pool, in pages (audit.repository.ts).
      verify: () =>
        fastify.db.dialect === 'sqlite' ? verifyAuditChainInWorker(databaseFile(fastify.config.dataDir), fastify.secrets.auditKey, walks.signal) : fastify.audit.verifyChain(fastify.secrets.auditKey),
    });
    await fastify.register(auditRoutes, { auditChain });
    fastify.addHook('onClose', async () => walks.abort());
  },
  { name: 'ezal-audit-chain', fastify: '5.x', dependencies: ['ezal-audit', 'ezal-auth'] },
);
