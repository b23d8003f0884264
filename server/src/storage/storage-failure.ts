/**
 * Whether an error is the disk refusing a write — full, read-only, quota, an I/O fault — whether
 * it came from the file system (Node's `code`), from SQLite (better-sqlite3's `code`) or from
 * PostgreSQL (node-postgres' `code`, the SQLSTATE). Nothing
 * the user does fixes it, and nothing they do is recorded until an operator does: clients get
 * `storage_unavailable` (503), the intake command its own exit code, never `internal` or a
 * problem blamed on the package. Pure: the web app's code may import it too.
 */
import { AppError } from '../shared/errors.ts';

const FILE_SYSTEM_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);
/** SQLite's primary codes; better-sqlite3 reports extended ones too (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED…). */
const SQLITE_PREFIXES = ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR'];
/** PostgreSQL's SQLSTATEs: 53100 disk_full; 58030 io_error, 25006 read_only_sql_transaction (a standby, or default_transaction_read_only). */
const POSTGRES_DISK_FULL = '53100';
const POSTGRES_NOT_WRITABLE = new Set(['58030', '25006']);

export type StorageFailureKind = 'disk_full' | 'not_writable';

/** `disk_full` (no space, or no quota left), `not_writable` (read-only, I/O fault), or null when it is some other error. */
export function storageFailureKind(error: unknown): StorageFailureKind | null {
  const code = codeOf(error);
  if (code === undefined) return null;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || code === POSTGRES_DISK_FULL) return 'disk_full';
  if (FILE_SYSTEM_CODES.has(code) || POSTGRES_NOT_WRITABLE.has(code) || SQLITE_PREFIXES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`))) return 'not_writable';
  return null;
}

export function isStorageFailure(error: unknown): boolean {
  return storageFailureKind(error) !== null;
}

/** The refusal a client sees for a storage failure, or undefined for any other error. */
export function storageUnavailable(error: unknown): AppError | undefined {
  const kind = storageFailureKind(error);
  if (!kind) return undefined;
  return new AppError('storage_unavailable', kind === 'disk_full' ? 'Nothing can be saved: the disk is full' : 'Nothing can be saved: the disk refuses writes');
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
