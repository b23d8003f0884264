/**
 * Whether the file stores may remove a file (storage/file-store.ts `mayRemove`), answered from the
 * database right before each removal: another process (the command-line intake, another node)
 * may have committed a row for it since the sweep began. Then, only when no row names it, whether
 * another import is under way — its rows may not be committed yet.
 */
import type { EcasesRepository } from './ecases.repository.ts';

export function mayRemoveUnreferenced(repository: EcasesRepository, othersAreWorking: () => Promise<boolean>): (sha256: string) => Promise<boolean> {
  return async (sha256) => !(await repository.isStored(sha256)) && !(await othersAreWorking());
}
