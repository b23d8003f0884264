/**
 * Puts a file that already exists on this machine (a recording's hall mix) into the file store:
 * staged first — a hard link when the staging folder is on the same file system, else a copy —
 * then hashed by streaming the staged file (so what is hashed is what is adopted, whatever happens
 * to the source meanwhile) and adopted under its hash. The source stays where it was. The caller
 * writes the `stored_files` row that names it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { FileStore } from './file-store.ts';
import type { Staging } from './staging.ts';

export async function storeFileFrom(source: string, store: FileStore, staging: Staging): Promise<{ sha256: string; size: number }> {
  const dir = await staging.create();
  try {
    const stagedPath = path.join(dir, 'file');
    // Whoever makes the source replaces it by renaming a new file over it, never by writing into it: a link shares no later change.
    await fsp.link(source, stagedPath).catch(() => fsp.copyFile(source, stagedPath));
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(stagedPath) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    const sha256 = hash.digest('hex');
    // Even when the store has it already: adopting again keeps it from a sweep running meanwhile (file-store.ts, object-file-store.ts).
    await store.adoptAll([{ stagedPath, sha256 }]);
    return { sha256, size };
  } finally {
    await staging.remove(dir);
  }
}
