/**
 * Shared by the *.spec.ts files of this folder: write a built package, validate it, and reduce the
 * result to what the tests compare (problem codes with their paths).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before } from 'node:test';
import yauzl from 'yauzl';
import { EcaseBuilder, makeTestPki, type BuildOptions, type TestPki } from '../../../../tests/helpers/ecase-builder.ts';
import { validatePackage } from './validate-package.ts';
import type { PackageLimits, ValidationResult } from './types.ts';

const made: string[] = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'ecase-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export async function validateFile(
  source: string,
  trustRoots: string[],
  options: { limits?: PackageLimits; now?: Date; inlineMaxBytes?: number } = {},
): Promise<ValidationResult & { stagingDir: string }> {
  const stagingDir = tempDir('ecase-staging-');
  const result = await validatePackage({ source, trustRoots, stagingDir, ...options });
  return { ...result, stagingDir };
}

export async function validateBuilt(builder: EcaseBuilder, trustRoots: string[], options: { limits?: PackageLimits; now?: Date; as?: 'zip' | 'directory' } = {}) {
  const dir = tempDir();
  const source = options.as === 'directory' ? await builder.writeDirectory(path.join(dir, 'package')) : await builder.writeZip(path.join(dir, 'package.zip'));
  return validateFile(source, trustRoots, options);
}

/** [code, path] pairs, sorted, or "ok" for an accepted package. */
export function problemsOf(result: ValidationResult): [string, string][] | 'ok' {
  if (result.ok) return 'ok';
  return result.problems.map((p): [string, string] => [p.code, p.path]).sort((a, b) => (a[0] + a[1]).localeCompare(b[0] + b[1]));
}

/** Unpacks a trusted zip (the samples) into `dir`, to test the directory layout. */
export async function extractZip(file: string, dir: string): Promise<string> {
  const zip = await yauzl.openPromise(file);
  for await (const entry of zip.eachEntry()) {
    const target = path.join(dir, entry.fileName);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (!entry.fileName.endsWith('/')) await pipeline(await zip.openReadStreamPromise(entry), fs.createWriteStream(target));
  }
  return dir;
}

/**
 * Edits the central directory header of one entry in a finished zip: `edit` gets the header's
 * bytes (offsets as in APPNOTE 4.3.12: method at 10, CRC at 16, sizes at 20 and 24).
 */
export function patchCentralDirectory(file: string, entryName: string, edit: (header: Buffer) => void): void {
  const bytes = fs.readFileSync(file);
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = bytes.readUInt32LE(eocd + 16);
  for (let i = 0; i < bytes.readUInt16LE(eocd + 10); i++) {
    const nameLength = bytes.readUInt16LE(at + 28);
    const size = 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    if (bytes.toString('utf8', at + 46, at + 46 + nameLength) === entryName) {
      edit(bytes.subarray(at, at + size));
      fs.writeFileSync(file, bytes);
      return;
    }
    at += size;
  }
  throw new Error(`no entry ${entryName}`);
}

/**
 * A test PKI made once for the test file (in `before`), and `problemsAfter(mutate)`: a fresh valid
 * package built with `options`, broken by `mutate`, validated against the PKI's root.
 */
export function brokenPackages(options: BuildOptions = {}) {
  const state = {} as { pki: TestPki; roots: string[] };
  before(async () => {
    state.pki = await makeTestPki();
    state.roots = [state.pki.root.pem];
  });
  return {
    state,
    async problemsAfter(mutate: (b: EcaseBuilder) => void | Promise<void>) {
      const builder = await EcaseBuilder.create(state.pki, options);
      await mutate(builder);
      return problemsOf(await validateBuilt(builder, state.roots));
    },
  };
}
