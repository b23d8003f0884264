/**
 * The canonical bytes of a motion: exactly what the filer signs and what the server verifies the
 * signature over (docs/motions.md). UTF-8 JSON with the keys of every object in code-point order,
 * no whitespace, arrays in the order filed. The server builds them from what it received — the
 * filer's identity from the session and the case, the attachments' hashes from the bytes that
 * arrived — so a signature over anything else fails.
 */
import type { MotionKind, MotionSubtype } from '../../../db/schema.ts';

export const CANONICAL_FORMAT = 'ezal-motion/1';

export type CanonicalMotion = {
  caseId: string;
  hearingId: string | null;
  kind: MotionKind;
  subtype: MotionSubtype | null;
  /** As stored: trimmed, line breaks as \n (motion-text.ts). */
  text: string;
  refs: { documentId: string; sheet: number | null }[];
  attachments: { fileName: string; sha256: string; size: number }[];
  /** `userId` null: a remote participant without an account (docs/motions.md). */
  filer: { userId: string | null; participantId: string; iin: string | null };
};

/** The canonical text (its UTF-8 encoding is what is signed). */
export function canonicalMotion(motion: CanonicalMotion): string {
  return stableJson({ format: CANONICAL_FORMAT, ...motion });
}

/** JSON with sorted keys at every level; `undefined` members are left out as JSON.stringify does. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
