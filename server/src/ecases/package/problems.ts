/**
 * Problems are collected, never thrown: the sender gets every reason at once, not one per attempt.
 */
import type { Problem } from './types.ts';

export function problem(code: string, path: string, message: string): Problem {
  return { code, path, message };
}

/** A JSON pointer (RFC 6901) from path segments. */
export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}

/** Problem codes that mean "over the court's limits": nothing is inflated once one of them is found. */
export const LIMIT_CODES = new Set(['archive_too_large', 'archive_too_many_entries', 'archive_entry_too_large', 'archive_total_too_large', 'archive_compression_ratio']);
