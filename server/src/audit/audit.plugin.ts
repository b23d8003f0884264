/**
 * The audit log every domain records into. Its chain's head is checkpointed under the
 * installation's secret at start, daily, and at stop — the stop's checkpoint runs last of all the
 * close hooks, since this plugin is registered first, so it covers what the others record on closing.
 */
import fp from 'fastify-plugin';
import { AuditRepository } from './audit.repository.ts';

/** How often the audit chain's head is checkpointed (besides at every start and stop). */
const AUDIT_CHECKPOINT_MS = 24 * 60 * 60 * 1000;

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditRepository;
  }
}

export const auditPlugin = fp(
  async (fastify) => {
    const { auditKey } = fastify.secrets;
    const audit = new AuditRepository(fastify.db);
    await audit.checkpoint(auditKey);
    const checkpoints = setInterval(() => {
      audit.checkpoint(auditKey).catch((error: unknown) => fastify.log.error({ err: error }, 'the audit checkpoint could not be written'));
    }, AUDIT_CHECKPOINT_MS);
    checkpoints.unref();
    fastify.addHook('onClose', async () => {
      clearInterval(checkpoints);
      // Rows cut from the end later no longer reach the last checkpoint.
      await audit.checkpoint(auditKey);
    });
    fastify.decorate('audit', audit);
  },
  { name: 'ezal-audit', fastify: '5.x', dependencies: ['ezal-core'] },
);
