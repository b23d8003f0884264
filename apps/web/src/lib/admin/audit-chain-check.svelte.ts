/**
 * The admin page's audit-chain check: the last verdict, whether a check is under way, and what went
 * wrong asking for one. Checks once when the page opens and again when the administrator asks.
 */
import { checkAuditChain, errorCode, type ErrorCode } from '$lib/api.ts';
import type { AuditChainCheck } from '$server/shared/api/audit-chain.ts';

export class AuditChainCheckManager {
  verdict = $state<AuditChainCheck | null>(null);
  checking = $state(false);
  error = $state<ErrorCode | null>(null);

  async check(): Promise<void> {
    // The button is disabled meanwhile; a second click would only wait for the same walk anyway.
    if (this.checking) return;
    this.checking = true;
    try {
      this.verdict = await checkAuditChain();
      this.error = null;
    } catch (error) {
      this.error = errorCode(error);
    } finally {
      this.checking = false;
    }
  }
}
