/**
 * Checks on the listing of a package, before any content is read (SPEC sections 1 and 5.1):
 * safe names, no links or special files, no duplicates, and the court's size limits. Sizes here
 * are the declared ones; the actual bytes are held to them while reading (staging.ts).
 */
import type { SourceEntry } from './package-source.ts';
import { problem } from './problems.ts';
import { DEFAULT_RATIO_CHECK_MIN_BYTES, type PackageLimits, type Problem } from './types.ts';

export type ListingCheck = {
  problems: Problem[];
  /** Entries that must not be read: unsafe names, links, unreadable content. */
  unusable: Set<number>;
};

export function checkListing(entries: SourceEntry[], limits: PackageLimits): ListingCheck {
  const problems: Problem[] = [];
  const unusable = new Set<number>();
  const seen = new Map<string, SourceEntry>();
  let total = 0;
  const minRatioBytes = limits.ratioCheckMinBytes ?? DEFAULT_RATIO_CHECK_MIN_BYTES;
  for (const entry of entries) {
    const own = [...checkName(entry), ...checkType(entry)];
    const folded = entry.name.normalize('NFC').toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined) {
      // Neither copy is read: which one a tool would pick is exactly the ambiguity the rule forbids.
      own.push(problem('archive_duplicate_name', entry.name, `"${entry.name}" duplicates "${earlier.name}" (names are compared case-insensitively)`));
      unusable.add(earlier.index);
    } else {
      seen.set(folded, entry);
    }
    if (entry.unsupported) own.push(problem('archive_unsupported_entry', entry.name, `cannot read "${entry.name}": ${entry.unsupported}`));
    if (own.length > 0) unusable.add(entry.index);
    problems.push(...own);

    if (entry.type !== 'file') continue;
    total += entry.size;
    if (entry.size > limits.maxEntryBytes) {
      problems.push(problem('archive_entry_too_large', entry.name, `"${entry.name}" declares ${entry.size} bytes; the limit per entry is ${limits.maxEntryBytes}`));
    }
    if (entry.compressedSize !== null && entry.size >= minRatioBytes) {
      const ratio = entry.compressedSize === 0 ? Infinity : entry.size / entry.compressedSize;
      if (ratio > limits.maxCompressionRatio) {
        problems.push(
          problem(
            'archive_compression_ratio',
            entry.name,
            `"${entry.name}" inflates ${entry.compressedSize} bytes to ${entry.size} (ratio ${ratio.toFixed(0)}); the limit is ${limits.maxCompressionRatio}`,
          ),
        );
      }
    }
  }
  if (total > limits.maxTotalBytes) {
    problems.push(problem('archive_total_too_large', '', `the entries declare ${total} bytes in all; the limit is ${limits.maxTotalBytes}`));
  }
  return { problems, unusable };
}

/** Names are relative POSIX paths in UTF-8 (SPEC section 1). */
function checkName(entry: SourceEntry): Problem[] {
  const name = entry.name;
  const problems: Problem[] = [];
  if (!entry.nameDecoded) problems.push(problem('archive_name_encoding', name, 'the entry name is not valid UTF-8'));
  if (name.includes('\\')) problems.push(problem('archive_backslash', name, `"${name}" contains a backslash; names use "/"`));
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) problems.push(problem('archive_absolute_path', name, `"${name}" is an absolute path`));
  const segments = name.replace(/\/$/, '').replace(/^\/+/, '').split(/[/\\]/);
  if (segments.includes('..')) problems.push(problem('archive_path_traversal', name, `"${name}" has a ".." segment`));
  if (name === '' || segments.some((s) => s === '' || s === '.') || /[\u0000-\u001f]/.test(name)) {
    problems.push(problem('archive_name_invalid', name, `"${name}" is not a clean relative path (empty or "." segment, or a control character)`));
  }
  return problems;
}

function checkType(entry: SourceEntry): Problem[] {
  if (entry.type === 'symlink') return [problem('archive_symlink', entry.name, `"${entry.name}" is a symbolic link`)];
  if (entry.type === 'special') return [problem('archive_special_file', entry.name, `"${entry.name}" is neither a file nor a folder`)];
  return [];
}
