/**
 * Staging folders: where an import (a package being ingested, later a recording) writes files
 * before they are adopted into the store. Each folder holds a `.owner` file with the pid of the
 * process working in it, so a start-up sweep can tell an abandoned folder (its process is gone:
 * a crash or a kill) from one another live process — the command-line intake running beside the
 * server — is still using.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

export class Staging {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
    fs.mkdirSync(root, { recursive: true });
  }

  /**
   * A new empty folder owned by this process. When it cannot be made whole (a full disk takes the
   * `.owner` file, not the folder), nothing is left: a folder without its owner would be swept
   * from under a live import.
   */
  async create(): Promise<string> {
    const dir = path.join(this.root, crypto.randomUUID());
    await fsp.mkdir(dir);
    try {
      await fsp.writeFile(path.join(dir, '.owner'), String(process.pid));
    } catch (error) {
      await fsp.rm(dir, { recursive: true, force: true });
      throw error;
    }
    return dir;
  }

  async remove(dir: string): Promise<void> {
    await fsp.rm(dir, { recursive: true, force: true });
  }

  /** Whether any staging folder belongs to a live process other than this one. */
  async othersAreWorking(): Promise<boolean> {
    for (const dir of await fsp.readdir(this.root)) {
      const pid = ownerOf(path.join(this.root, dir));
      if (pid !== undefined && pid !== process.pid && isAlive(pid)) return true;
    }
    return false;
  }

  /** Removes the folders whose process is gone. Returns how many. */
  async sweepAbandoned(): Promise<number> {
    let removed = 0;
    for (const dir of await fsp.readdir(this.root)) {
      const full = path.join(this.root, dir);
      const pid = ownerOf(full);
      if (pid === undefined || (pid !== process.pid && !isAlive(pid))) {
        await fsp.rm(full, { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }
}

function ownerOf(dir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, '.owner'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
