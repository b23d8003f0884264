import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalMotion, stableJson } from './motion-canonical.ts';

test('keys are sorted at every level, arrays keep their order, no whitespace', () => {
  assert.equal(stableJson({ b: 1, a: [{ z: 1, y: 'ә' }, 2], c: null }), '{"a":[{"y":"ә","z":1},2],"b":1,"c":null}');
});

test('the canonical motion names its format and every field the filer signs', () => {
  const text = canonicalMotion({
    caseId: 'c1',
    hearingId: null,
    kind: 'motion',
    subtype: 'remote_participation',
    text: 'Прошу',
    refs: [{ documentId: 'd1', sheet: 3 }],
    attachments: [{ fileName: 'a.pdf', sha256: 'ab', size: 10 }],
    filer: { userId: 'u1', participantId: 'p1', iin: '820919300341' },
  });
  assert.equal(
    text,
    '{"attachments":[{"fileName":"a.pdf","sha256":"ab","size":10}],"caseId":"c1","filer":{"iin":"820919300341","participantId":"p1","userId":"u1"},"format":"ezal-motion/1","hearingId":null,"kind":"motion","refs":[{"documentId":"d1","sheet":3}],"subtype":"remote_participation","text":"Прошу"}',
  );
});
