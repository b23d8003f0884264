/**
 * A small disk of a test's own, to fill and free: a tmpfs of a few MiB mounted in a private user
 * and mount namespace (`unshare --user --map-root-user --mount`). It needs no root where the
 * kernel lets users make namespaces (most Linux distributions), and as root it leaves the host's
 * mounts alone: the mount exists only for the processes started on it (`command`) and goes when
 * the namespace's holder process ends — even if the test dies. The test itself reads and writes
 * the disk's files through `/proc/<holder>/root` (`hostPath`), and its database with `runNode`. Where namespaces are refused, `mount`
 * answers why, for `test(..., { skip })`.
 *
 * The alternatives, and why not: `ulimit -f` fails writes with EFBIG and a signal, not ENOSPC; a
 * read-only folder (`chmod 555`) does not stop root; a host tmpfs or loop device needs root and
 * outlives a crashed test.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

export class SmallDisk {
  /** The disk's path for the processes started on it (the same string outside, where it is an empty folder). */
  readonly dir: string;
  readonly #holder: ChildProcess;
  #fillers = 0;

  private constructor(dir: string, holder: ChildProcess) {
    this.dir = dir;
    this.#holder = holder;
  }

  /** Mounts a tmpfs of `sizeMb` MiB; answers the reason instead when this machine does not allow it. */
  static async mount(sizeMb: number): Promise<SmallDisk | { skip: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-small-disk-'));
    const script = `mount -t tmpfs -o size=${sizeMb}m ezal-test "$0" && echo mounted && exec sleep 86400`;
    const holder = spawn('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    holder.stdout!.on('data', (chunk) => (output += chunk));
    holder.stderr!.on('data', (chunk) => (output += chunk));
    const mounted = await new Promise<boolean>((resolve) => {
      holder.stdout!.on('data', () => output.includes('mounted') && resolve(true));
      holder.once('error', (error) => {
        output += error.message;
        resolve(false);
      });
      holder.once('exit', () => resolve(false));
    });
    if (!mounted) {
      holder.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
      return { skip: `cannot mount a small tmpfs in a user namespace here (unshare --user --map-root-user --mount): ${output.trim()}` };
    }
    return new SmallDisk(dir, holder);
  }

  /** A path on the disk as this (the test's) process reaches it. */
  hostPath(...parts: string[]): string {
    return path.join(`/proc/${this.#holder.pid}/root`, this.dir, ...parts);
  }

  /** The command line prefix that runs a program on the disk's side (working in the repository). */
  command(): string[] {
    return ['nsenter', `--target=${this.#holder.pid}`, '--user', '--mount', '--preserve-credentials', `--wd=${REPO_ROOT}`, '--'];
  }

  /**
   * Runs a Node module's source on the disk's side and answers what it printed. For SQLite: it
   * cannot open a database through `hostPath`, as it resolves /proc/<pid>/root to the host's `/`.
   */
  runNode(source: string, env: Record<string, string> = {}): string {
    const [command, ...args] = [...this.command(), process.execPath, '--input-type=module', '-e', source];
    const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env } });
    if (result.status !== 0) throw new Error(`node on the small disk exited ${result.status}: ${result.stderr}`);
    return result.stdout;
  }

  /**
   * Fills the disk until it refuses another byte, then frees `leaveBytes` of it again.
   * Returns how many bytes it took.
   */
  /**
   * Fills the disk so that any commit of the database `dbFile` (in the disk's folder) needs space it
   * does not have: SQLite reuses the WAL file's space from its start once a checkpoint has copied
   * it, so a small commit could still fit; emptied first, any commit needs new space.
   */
  fillUnderDatabase(dbFile: string): void {
    const truncated = this.runNode(
      `import Database from 'better-sqlite3';
       const sqlite = new Database(process.env.DB);
       sqlite.pragma('busy_timeout = 5000');
       console.log(JSON.stringify(sqlite.pragma('wal_checkpoint(TRUNCATE)')));`,
      { DB: `${this.dir}/${dbFile}` },
    );
    assert.deepEqual(JSON.parse(truncated), [{ busy: 0, log: 0, checkpointed: 0 }], 'the WAL is empty');
    const filled = this.fill();
    assert.ok(filled > 1024 * 1024 && this.freeBytes() === 0, `filled ${filled} bytes, ${this.freeBytes()} left`);
  }

  fill(leaveBytes = 0): number {
    const file = this.hostPath(`.filler-${++this.#fillers}`);
    const fd = fs.openSync(file, 'w');
    const chunk = Buffer.alloc(1024 * 1024, 0x66);
    let written = 0;
    try {
      for (;;) {
        try {
          written += fs.writeSync(fd, chunk, 0, chunk.length, written);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
      // The last pages, smaller than a chunk.
      for (;;) {
        try {
          const n = fs.writeSync(fd, chunk, 0, 4096, written);
          if (n === 0) break;
          written += n;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
      if (leaveBytes > 0) {
        written = Math.max(0, written - leaveBytes);
        fs.ftruncateSync(fd, written);
      }
    } finally {
      fs.closeSync(fd);
    }
    return written;
  }

  /** Frees what `fill` took. */
  free(): void {
    for (let i = 1; i <= this.#fillers; i++) fs.rmSync(this.hostPath(`.filler-${i}`), { force: true });
  }

  /** Space left, as the processes on the disk see it. */
  freeBytes(): number {
    const stats = fs.statfsSync(this.hostPath());
    return stats.bavail * stats.bsize;
  }

  async close(): Promise<void> {
    if (this.#holder.exitCode === null) {
      const exited = new Promise((resolve) => this.#holder.once('exit', resolve));
      this.#holder.kill('SIGKILL');
      await exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
