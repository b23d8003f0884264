/**
 * SPEC sections 1 and 5.1: unsafe names, links, duplicates, the court's limits and zip bombs, and
 * broken archives, which are one problem each and never a crash.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { EcaseBuilder, makeTestPki, patchZipNames, type TestPki } from '../../../../tests/helpers/ecase-builder.ts';
import { patchCentralDirectory, problemsOf, tempDir, validateFile } from './spec-helpers.ts';
import { DEFAULT_LIMITS } from './validate-package.ts';

let pki: TestPki;
let roots: string[];

before(async () => {
  pki = await makeTestPki();
  roots = [pki.root.pem];
});

async function zipOf(builder: EcaseBuilder, options: Parameters<EcaseBuilder['writeZip']>[1] = {}): Promise<string> {
  return builder.writeZip(path.join(tempDir(), 'package.zip'), options);
}

test('traversal, absolute paths, backslashes, symlinks and duplicate names are each reported, and none is read', async () => {
  const builder = await EcaseBuilder.create(pki);
  const evil = Buffer.from('not for the court');
  const file = await zipOf(builder, {
    extra: [
      ['zz/evil.txt', evil], // becomes ../evil.txt
      ['Zetc/passwd', evil], // becomes /etc/passwd
      ['documents_evil.pdf', evil], // becomes documents\evil.pdf
      ['media/link.webm', Buffer.from('../../../etc/passwd')],
      ['Documents/V1-001.PDF', evil],
      ['documents/v1-002.pdf', evil],
      ['media/fifo.webm', evil],
      ['media/d/x.webm', evil], // becomes media/./x.webm
      ['media/latin1-X.webm', evil], // becomes a name that is not UTF-8
    ],
    modes: { 'media/link.webm': 0o120777, 'media/fifo.webm': 0o010644 },
  });
  patchZipNames(file, {
    'zz/evil.txt': '../evil.txt',
    'Zetc/passwd': '/etc/passwd',
    'documents_evil.pdf': 'documents\\evil.pdf',
    'media/d/x.webm': 'media/./x.webm',
    'media/latin1-X.webm': Buffer.from('media/latin1-\xff.webm', 'latin1'),
  });
  const result = await validateFile(file, roots);
  assert.deepEqual(problemsOf(result), [
    ['archive_absolute_path', '/etc/passwd'],
    ['archive_backslash', 'documents\\evil.pdf'],
    ['archive_duplicate_name', 'Documents/V1-001.PDF'],
    ['archive_duplicate_name', 'documents/v1-002.pdf'],
    ['archive_name_encoding', 'media/latin1-\u00ff.webm'],
    ['archive_name_invalid', 'media/./x.webm'],
    ['archive_path_traversal', '../evil.txt'],
    ['archive_special_file', 'media/fifo.webm'],
    ['archive_symlink', 'media/link.webm'],
  ]);
  // Staged files are named by the validator, never by the archive.
  assert.equal(fs.existsSync(path.join(result.stagingDir, '..', 'evil.txt')), false);
  assert.ok(fs.readdirSync(result.stagingDir).every((name) => /^\d{6}(\.\w+)?$/.test(name)));
});

test('folder entries in the zip are allowed', async () => {
  const file = await zipOf(await EcaseBuilder.create(pki), { directories: ['documents', 'media', 'signatures'] });
  assert.equal(problemsOf(await validateFile(file, roots)), 'ok');
});

test('a zip bomb is refused from its declared sizes, before anything is inflated', async () => {
  const builder = await EcaseBuilder.create(pki);
  const file = await zipOf(builder, { extra: [['media/bomb.webm', Buffer.alloc(64 * 1024 * 1024)]] });
  const rssBefore = process.memoryUsage().rss;
  const result = await validateFile(file, roots);
  assert.deepEqual(problemsOf(result), [['archive_compression_ratio', 'media/bomb.webm']]);
  assert.deepEqual(fs.readdirSync(result.stagingDir), [], 'nothing, not even the manifest, was extracted');
  assert.ok(process.memoryUsage().rss - rssBefore < 32 * 1024 * 1024);
});

test('small entries that compress well are not taken for bombs', async () => {
  const builder = await EcaseBuilder.create(pki);
  builder.files.set('media/interrogation-1.webm', Buffer.alloc(512 * 1024)); // ratio ~500, but only 512 KiB
  builder.rehash();
  const file = await zipOf(builder);
  assert.equal(problemsOf(await validateFile(file, roots)), 'ok');
  // Limits from the configuration carry no floor of their own: the default floor applies.
  const { ratioCheckMinBytes: _, ...configured } = DEFAULT_LIMITS;
  assert.equal(problemsOf(await validateFile(file, roots, { limits: configured })), 'ok');
  assert.deepEqual(problemsOf(await validateFile(file, roots, { limits: { ...configured, ratioCheckMinBytes: 0 } })), [['archive_compression_ratio', 'media/interrogation-1.webm']]);
});

test('the court limits on entries, entry size, total size and archive size are enforced from the listing', async () => {
  const builder = await EcaseBuilder.create(pki);
  const file = await zipOf(builder);
  const entries = 2 + builder.files.size;
  const check = async (limits: Partial<typeof DEFAULT_LIMITS>) => problemsOf(await validateFile(file, roots, { limits: { ...DEFAULT_LIMITS, ...limits } }));
  assert.equal(await check({ maxEntries: entries }), 'ok');
  assert.deepEqual(await check({ maxEntries: entries - 1 }), [['archive_too_many_entries', '']]);
  const sizes = new Map([['manifest.json', builder.manifestBytes().length], ...[...builder.files].map(([name, bytes]) => [name, (bytes as Buffer).length] as const)]);
  const large = [...sizes].filter(([, size]) => size > 2000).map(([name]): [string, string] => ['archive_entry_too_large', name]);
  assert.ok(large.length > 0 && large.length < sizes.size);
  assert.deepEqual(
    await check({ maxEntryBytes: 2000 }),
    large.sort((a, b) => a[1].localeCompare(b[1])),
  );
  assert.deepEqual(await check({ maxTotalBytes: 1000 }), [['archive_total_too_large', '']]);
  assert.deepEqual(await check({ maxArchiveBytes: fs.statSync(file).size - 1 }), [['archive_too_large', '']]);
});

test('an entry that inflates past its declared size is cut off at that size', async () => {
  const builder = await EcaseBuilder.create(pki);
  builder.files.set('media/interrogation-1.webm', Buffer.alloc(4 * 1024 * 1024, 'webm'));
  builder.rehash();
  const file = await zipOf(builder);
  patchCentralDirectory(file, 'media/interrogation-1.webm', (header) => header.writeUInt32LE(100, 24)); // declares 100 bytes
  const result = await validateFile(file, roots);
  assert.deepEqual(problemsOf(result), [['archive_entry_corrupt', 'media/interrogation-1.webm']]);
  const staged = fs.readdirSync(result.stagingDir).filter((name) => name.endsWith('.webm'));
  assert.ok(staged.every((name) => fs.statSync(path.join(result.stagingDir, name)).size <= 100));
});

test('an entry stored with a false size is caught by its CRC-32', async () => {
  const builder = await EcaseBuilder.create(pki);
  const file = await zipOf(builder, { compress: false });
  patchCentralDirectory(file, 'media/interrogation-1.webm', (header) => {
    header.writeUInt32LE(100, 20); // compressed size
    header.writeUInt32LE(100, 24); // uncompressed size
  });
  assert.deepEqual(problemsOf(await validateFile(file, roots)), [['archive_entry_corrupt', 'media/interrogation-1.webm']]);
});

test('a corrupted entry is caught by its CRC-32 even when stored uncompressed', async () => {
  const builder = await EcaseBuilder.create(pki);
  const file = await zipOf(builder, { compress: false });
  const bytes = fs.readFileSync(file);
  const at = bytes.indexOf(Buffer.from(' test webm '));
  bytes[at] ^= 0xff;
  fs.writeFileSync(file, bytes);
  assert.deepEqual(problemsOf(await validateFile(file, roots)), [['archive_entry_corrupt', 'media/interrogation-1.webm']]);
});

test('an entry with a compression method other than stored or deflated is refused', async () => {
  const builder = await EcaseBuilder.create(pki);
  const file = await zipOf(builder);
  patchCentralDirectory(file, 'media/interrogation-1.webm', (header) => header.writeUInt16LE(12, 10)); // bzip2
  assert.deepEqual(problemsOf(await validateFile(file, roots)), [['archive_unsupported_entry', 'media/interrogation-1.webm']]);
});

test('a file that is not a zip, and a truncated zip, are one problem each', async () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'garbage.zip'), Buffer.from('%PDF-1.7 this is not a zip archive at all'));
  assert.deepEqual(problemsOf(await validateFile(path.join(dir, 'garbage.zip'), roots)), [['archive_unreadable', '']]);

  const file = await zipOf(await EcaseBuilder.create(pki));
  fs.truncateSync(file, fs.statSync(file).size - 10);
  assert.deepEqual(problemsOf(await validateFile(file, roots)), [['archive_unreadable', '']]);
});

test('a deflate stream damaged in the middle is reported on its entry', async () => {
  const builder = await EcaseBuilder.create(pki);
  const file = await zipOf(builder);
  const bytes = fs.readFileSync(file);
  const name = Buffer.from('documents/v1-001.pdf');
  const local = bytes.indexOf(name); // the local header's name; the data follows it
  for (let i = 0; i < 64; i++) bytes[local + name.length + 200 + i] = 0xff;
  fs.writeFileSync(file, bytes);
  const problems = problemsOf(await validateFile(file, roots));
  assert.deepEqual(problems, [['archive_entry_corrupt', 'documents/v1-001.pdf']]);
});

test('a package with a symlink in a directory layout is refused without following it', async () => {
  const builder = await EcaseBuilder.create(pki);
  const dir = await builder.writeDirectory(path.join(tempDir(), 'package'));
  assert.equal(problemsOf(await validateFile(dir, roots)), 'ok');
  fs.symlinkSync('/etc/passwd', path.join(dir, 'media', 'passwd.webm'));
  assert.deepEqual(problemsOf(await validateFile(dir, roots)), [['archive_symlink', 'media/passwd.webm']]);
});
