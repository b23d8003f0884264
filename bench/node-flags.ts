/**
 * The Node/V8 flags an npm script starts Node with (`node --flag … file.ts`), so a benchmark runs
 * its child processes exactly as `npm start` or `npm run ecase:ingest` would, without a second
 * copy of the flags to keep in step.
 */
import fs from 'node:fs';
import path from 'node:path';

export function nodeFlagsOf(script: 'start' | 'ecase:ingest'): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = pkg.scripts[script].split(/\s+/);
  if (command !== 'node') throw new Error(`the "${script}" script does not start with node`);
  return args.filter((arg) => arg.startsWith('--'));
}
