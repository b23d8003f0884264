/**
 * The boundary between the browser and the server: the web app may import the server only through
 * server/src/shared (pure modules: the shared contract, docs/architecture.md). Anything else of
 * server/, db/ or media/ would pull Node code, the database schema or the media workers into the
 * browser bundle, or quietly make the web app depend on the server's internals. Every .ts and
 * .svelte file of apps/web/src is read, and every import, re-export and dynamic import is checked,
 * through the `$server`, `$db` and `$media` aliases (svelte.config.js) and through relative paths.
 * And what the browser reaches through server/src/shared must be pure: no Node built-ins, no
 * server-side package.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const WEB_SOURCES = path.join(ROOT, 'apps', 'web', 'src');
const ALLOWED = path.join(ROOT, 'server', 'src', 'shared');
const GUARDED = ['server', 'db', 'media'].map((folder) => path.join(ROOT, folder));
const ALIASES: Record<string, string> = { $server: 'server/src', $db: 'db', $media: 'media/src' };
/** The packages shared code may use: they run in a browser (mediasoup-client and socket.io-client for their types). */
const BROWSER_PACKAGES = new Set(['typebox', 'typebox/compile', 'mediasoup-client', 'socket.io-client']);

/**
 * Modules still imported from outside shared/ because their move into it is under way; each one
 * leaves this list when it arrives in server/src/shared.
 */

/** `from '…'`, `import '…'` and `import('…')`: the specifiers of a file, with their line numbers. */
function specifiersOf(source: string): { specifier: string; line: number }[] {
  const found: { specifier: string; line: number }[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"\n]+)\1/g;
  for (const match of source.matchAll(pattern)) {
    found.push({ specifier: match[2], line: source.slice(0, match.index).split('\n').length });
  }
  return found;
}

/** The file a specifier names, or null for a package (`svelte`, `socket.io-client`, `$lib/…`). */
function resolveSpecifier(fromFile: string, specifier: string): string | null {
  for (const [alias, target] of Object.entries(ALIASES)) {
    if (specifier === alias || specifier.startsWith(`${alias}/`)) return path.join(ROOT, target, specifier.slice(alias.length));
  }
  if (specifier.startsWith('.')) return path.resolve(path.dirname(fromFile), specifier);
  return null;
}

/** Whether the web app may import this file: anything outside server/, db/ and media/, or server/src/shared. */
function allowed(target: string): boolean {
  const inside = (folder: string) => target === folder || target.startsWith(folder + path.sep);
  if (inside(ALLOWED)) return true;
  return !GUARDED.some(inside);
}

function sourcesUnder(dir: string, pattern: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(full, pattern);
    return pattern.test(entry.name) ? [full] : [];
  });
}

test('the boundary check sees every form of import and every way of naming the server', () => {
  const from = path.join(WEB_SOURCES, 'lib', 'state', 'example.ts');
  const source = [
    "import type { A } from '$server/shared/api/cases.ts';",
    "import { B } from '$server/http/errors.ts';",
    "export { C } from '../../../../../db/schema.ts';",
    "const d = await import('$media/media-rooms.ts');",
    "import '../../../../../server/src/shared/domain.ts';",
    "import { io } from 'socket.io-client';",
  ].join('\n');
  const verdicts = specifiersOf(source).map(({ specifier, line }) => {
    const target = resolveSpecifier(from, specifier);
    return { line, ok: target === null || allowed(target) };
  });
  assert.deepEqual(verdicts, [
    { line: 1, ok: true },
    { line: 2, ok: false },
    { line: 3, ok: false },
    { line: 4, ok: false },
    { line: 5, ok: true },
    { line: 6, ok: true },
  ]);
});

test('the web app imports nothing of the server, the database or the media but server/src/shared', () => {
  const files = sourcesUnder(WEB_SOURCES, /\.(ts|svelte)$/);
  assert.ok(files.length > 50, `found ${files.length} source files under apps/web/src`);
  const crossings: string[] = [];
  for (const file of files) {
    for (const { specifier, line } of specifiersOf(fs.readFileSync(file, 'utf8'))) {
      const target = resolveSpecifier(file, specifier);
      if (target !== null && !allowed(target)) crossings.push(`${path.relative(ROOT, file)}:${line} imports ${specifier}`);
    }
  }
  assert.deepEqual(crossings, [], 'move what the browser needs into server/src/shared (docs/architecture.md, "The shared contract")');
});

test('what the browser reaches through server/src/shared uses no Node built-in and no server package', () => {
  const start = sourcesUnder(ALLOWED, /\.ts$/).filter((file) => !file.endsWith('.spec.ts'));
  const seen = new Set<string>(start);
  const queue = [...start];
  const impure: string[] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const { specifier, line } of specifiersOf(fs.readFileSync(file, 'utf8'))) {
      const target = resolveSpecifier(file, specifier);
      if (target === null) {
        if (!BROWSER_PACKAGES.has(specifier)) impure.push(`${path.relative(ROOT, file)}:${line} imports ${specifier}`);
      } else if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  assert.ok(start.length > 10, `found ${start.length} modules in server/src/shared`);
  assert.deepEqual(impure, [], 'server/src/shared is imported by the browser: keep it (and what it imports) pure');
});
