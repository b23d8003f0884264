import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { PROBLEM_CODES } from '../shared/problem-codes.ts';

// The list lives in shared/ for the web app; the intake that uses it is here.
test('every problem code the intake sources use is in the published list, and each is documented', () => {
  const dirs = [import.meta.dirname, path.join(import.meta.dirname, 'package')];
  const used = new Set<string>();
  for (const dir of dirs) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const match of source.matchAll(/(?:problem\(|code: )'([a-z_]+)'/g)) used.add(match[1]);
    }
  }
  assert.ok(used.size > 30, `found ${used.size} codes in the sources`);
  assert.deepEqual(
    [...used].filter((code) => !(PROBLEM_CODES as readonly string[]).includes(code)),
    [],
  );

  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', '..', 'docs', 'ecase-intake.md'), 'utf8');
  assert.deepEqual(
    PROBLEM_CODES.filter((code) => !doc.includes(`\`${code}\``)),
    [],
    'docs/ecase-intake.md explains every code',
  );
});
