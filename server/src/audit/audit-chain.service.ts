/**
 * The administrator's check of the audit log's hash chain, for the admin page:
 * the same verdict as `npm run admin -- audit:verify`, on demand over HTTP. Only an administrator
 * may ask; anyone else is refused and the refusal audited, as every refusal is. A check asked for
 * while one is running gets that one's verdict: a second walk over the same rows tells nothing new.
 */
import type { SessionUser } from '../auth/auth.service.ts';
import { AppError } from '../shared/errors.ts';
import type { AuditChainVerdict, AuditChainCheck } from '../shared/api/audit-chain.ts';
import type { AuditRepository } from './audit.repository.ts';

type Deps = {
  audit: AuditRepository;
  /** Walks the chain (off the server's thread: audit-chain.worker.ts). */
  verify: () => Promise<AuditChainVerdict>;
  now?: () => number;
};

export class AuditChainService {
  #deps: Deps;
  #running: Promise<AuditChainCheck> | null = null;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async check(user: SessionUser, ip: string | null): Promise<AuditChainCheck> {
    const { audit } = this.#deps;
    if (!user.roles.includes('admin')) {
      await audit.record({ userId: user.id, actor: user.username, action: 'audit.verify', outcome: 'denied', ip });
      throw new AppError('forbidden', 'Only an administrator checks the audit chain');
    }
    this.#running ??= this.#walk().finally(() => (this.#running = null));
    const result = await this.#running;
    // Who looked, and what they were told: written after the walk, so it is the first row of the next one.
    await audit.record({ userId: user.id, actor: user.username, action: 'audit.verify', outcome: 'allowed', ip, details: { ok: result.ok, rows: result.rows, problems: result.problems.length } });
    return result;
  }

  async #walk(): Promise<AuditChainCheck> {
    const now = this.#deps.now ?? Date.now;
    const started = now();
    const verdict = await this.#deps.verify();
    const finished = now();
    return { ...verdict, checkedAt: new Date(finished).toISOString(), durationMs: finished - started };
  }
}
