/** The audit log's hash chain as a check finds it (GET /api/admin/audit-chain; server/src/audit/). */

export type AuditChainVerdict = {
  ok: boolean;
  rows: number;
  /** The newest row chained, and its hash. */
  head: { auditId: number; hash: string } | null;
  checkpoints: number;
  /** The newest checkpoint (`at` in ISO), and whether its signature is this installation's; null before the first. */
  lastCheckpoint: { id: number; auditId: number; at: string; signatureValid: boolean } | null;
  /** What is wrong, oldest first: a row whose hash does not follow, a row without a hash, a checkpoint that does not match. */
  problems: { kind: 'hash_mismatch' | 'unchained' | 'checkpoint_mismatch' | 'checkpoint_row_missing' | 'bad_signature'; auditId: number; detail: string }[];
};

/** The verdict, when it was reached and how long the walk took. */
export type AuditChainCheck = AuditChainVerdict & { checkedAt: string; durationMs: number };
