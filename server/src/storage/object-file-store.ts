/**
 * Stored files in an S3-compatible object store (the clustered form: S3_* in .env.example,
 * docs/deployment.md), so that every node of a court reads every file. An object's key is the
 * file's SHA-256 — the same content address as files/ab/<sha256> on disk — so the same content is
 * kept once and a key proves its content.
 *
 * Removing unreferenced objects with several nodes. On one machine, the sweep asks the staging
 * folders whether another process is between storing its files and committing its rows
 * (staging.ts). Another node's staging folders are out of sight, and its upload may be the very
 * object found unreferenced here (same content, same key). So an object is removed only when,
 * besides no row naming it, its LastModified is older than `graceMs` (ORPHAN_GRACE_MS, a day):
 *   - every upload for a commit is a fresh PutObject (`adoptAll` never skips an object already
 *     there), which sets LastModified to now, even for content the bucket already held;
 *   - a commit follows its uploads within seconds to minutes, far less than a day (and clocks of
 *     nodes and store differ by far less than that);
 *   - so while a commit is under way its objects are younger than the grace period, and once it
 *     has committed its rows claim them: neither kind is ever removed.
 * LastModified is read again (HeadObject) just before each removal, after the rows were asked, so
 * an upload that happened while the sweep was listing keeps its object. What is left is the gap
 * between that last read and the DeleteObject (milliseconds), which only matters for content that
 * lay unreferenced for a whole day and is uploaded again in that very gap; Ceph's RGW 16 has no
 * conditional delete that would close it. The price of the rule: a failed import's objects stay
 * until the first sweep a day later, instead of going at once as on disk.
 */
import { createReadStream } from 'node:fs';
import fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { Config } from '../config.ts';
import { StoredFileMissing, type ByteRange, type FileStore } from './file-store.ts';

export type ObjectStoreSettings = NonNullable<Config['cluster']['s3']>;

/** How old an unreferenced object must be before a sweep removes it: longer than any commit takes. */
export const ORPHAN_GRACE_MS = 24 * 60 * 60 * 1000;

const SHA256 = /^[0-9a-f]{64}$/;
/** Uploads of one adoption in flight at once: a case is thousands of files, each a round trip. */
const PARALLEL_UPLOADS = 8;

export class ObjectFileStore implements FileStore {
  readonly inlineMaxBytes: number;
  readonly location: string;
  readonly bucket: string;
  readonly graceMs: number;
  #s3: S3Client;

  /** `graceMs`: ORPHAN_GRACE_MS unless a test needs seconds. */
  constructor(settings: ObjectStoreSettings, options: { inlineMaxBytes: number; graceMs?: number }) {
    this.inlineMaxBytes = options.inlineMaxBytes;
    this.graceMs = options.graceMs ?? ORPHAN_GRACE_MS;
    this.bucket = settings.bucket;
    this.location = `bucket ${settings.bucket} at ${settings.endpoint}`;
    this.#s3 = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // Only the checksums S3 has always had: on-premises stores (Ceph RGW 16) refuse the newer
      // flexible-checksum headers the SDK would otherwise add to every upload.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /**
   * Checks at start that the bucket answers to these keys, and creates it when it does not exist
   * yet (the first node of a new court), so a wrong address or key stops the start with its reason
   * instead of failing the first upload of a case.
   */
  async open(): Promise<void> {
    try {
      await this.#s3.send(new ListObjectsV2Command({ Bucket: this.bucket, MaxKeys: 1 }));
    } catch (error) {
      if (codeOf(error) !== 'NoSuchBucket') throw new Error(`the object store cannot be used (${this.location}): ${reasonOf(error)}`, { cause: error });
      await this.#s3.send(new CreateBucketCommand({ Bucket: this.bucket })).catch((created: unknown) => {
        // Another node starting at the same moment made it first.
        if (codeOf(created) !== 'BucketAlreadyOwnedByYou') throw new Error(`the object store cannot create ${this.location}: ${reasonOf(created)}`, { cause: created });
      });
    }
  }

  close(): void {
    this.#s3.destroy();
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.#lastModified(sha256)) !== null;
  }

  /**
   * Uploads each staged file under its hash; it is in the store when this resolves (S3 answers a
   * PutObject once the object is durable). Always uploads, even content already there: the fresh
   * LastModified is what keeps the object from a sweep until the caller's rows are committed.
   * The staged files stay where they are; the caller removes its staging folder.
   */
  async adoptAll(files: { stagedPath: string; sha256: string }[]): Promise<void> {
    const unique = [...new Map(files.map((file) => [keyOf(file.sha256), file])).values()];
    for (let i = 0; i < unique.length; i += PARALLEL_UPLOADS) {
      await Promise.all(unique.slice(i, i + PARALLEL_UPLOADS).map((file) => this.#upload(file)));
    }
  }

  async stream(sha256: string, range?: ByteRange): Promise<Readable> {
    try {
      const response = await this.#s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: keyOf(sha256), Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
      return response.Body as Readable;
    } catch (error) {
      if (codeOf(error) === 'NoSuchKey') throw new StoredFileMissing(sha256, this.location);
      throw new Error(`could not read ${sha256} from the object store (${this.location}): ${reasonOf(error)}`, { cause: error });
    }
  }

  /** `sweepOrphans` for a few known objects; those younger than the grace period stay (see the top of this file). */
  async removeUnreferenced(sha256s: string[], mayRemove: (sha256: string) => Promise<boolean>): Promise<number> {
    let removed = 0;
    for (const sha256 of new Set(sha256s)) if (await this.#removeIfOrphan(sha256, mayRemove)) removed++;
    return removed;
  }

  /** Removes every object older than the grace period that `mayRemove` lets go. Returns how many. */
  async sweepOrphans(mayRemove: (sha256: string) => Promise<boolean>): Promise<number> {
    let removed = 0;
    for await (const { sha256, lastModified } of this.list()) {
      // The listing's LastModified only picks candidates; #removeIfOrphan reads it again.
      if (this.#isOld(lastModified) && (await this.#removeIfOrphan(sha256, mayRemove))) removed++;
    }
    return removed;
  }

  /** Every object named by a hash, with its LastModified. */
  async *list(): AsyncGenerator<{ sha256: string; lastModified: Date }> {
    let token: string | undefined;
    do {
      const page = await this.#s3.send(new ListObjectsV2Command({ Bucket: this.bucket, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        if (object.Key && SHA256.test(object.Key) && object.LastModified) yield { sha256: object.Key, lastModified: object.LastModified };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async #upload(file: { stagedPath: string; sha256: string }): Promise<void> {
    const { size } = await fsp.stat(file.stagedPath);
    try {
      await this.#s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: keyOf(file.sha256), Body: createReadStream(file.stagedPath), ContentLength: size }));
    } catch (error) {
      throw new Error(`could not upload ${file.sha256} to the object store (${this.location}): ${reasonOf(error)}`, { cause: error });
    }
  }

  /** The order matters: age first, then the caller (the rows, an import under way), and only then the removal. */
  async #removeIfOrphan(sha256: string, mayRemove: (sha256: string) => Promise<boolean>): Promise<boolean> {
    const lastModified = await this.#lastModified(sha256);
    if (lastModified === null || !this.#isOld(lastModified)) return false;
    if (!(await mayRemove(sha256))) return false;
    await this.#s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: keyOf(sha256) }));
    return true;
  }

  async #lastModified(sha256: string): Promise<Date | null> {
    try {
      const head = await this.#s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: keyOf(sha256) }));
      return head.LastModified ?? new Date();
    } catch (error) {
      // HEAD answers carry no body, so a missing object is only its status.
      if (statusOf(error) === 404) return null;
      throw new Error(`could not look up ${sha256} in the object store (${this.location}): ${reasonOf(error)}`, { cause: error });
    }
  }

  #isOld(lastModified: Date): boolean {
    return Date.now() - lastModified.getTime() > this.graceMs;
  }
}

function keyOf(sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
  return sha256;
}

function codeOf(error: unknown): string | undefined {
  if (error instanceof S3ServiceException) return error.name;
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

/** What an operator should read: which setting is wrong, not the SDK's "UnknownError". */
function reasonOf(error: unknown): string {
  const code = codeOf(error);
  const status = statusOf(error);
  if (code === 'InvalidAccessKeyId' || code === 'SignatureDoesNotMatch' || code === 'AccessDenied' || status === 403) {
    return `it refused the keys (${code ?? status}): check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY`;
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') return `nothing answers there (${code}): check S3_ENDPOINT`;
  if (code === 'NoSuchBucket') return 'the bucket does not exist: check S3_BUCKET';
  return `${code ?? 'error'}${status ? ` (HTTP ${status})` : ''}: ${(error as Error).message}`;
}
