// The --dry-run diff: jsdiff on what differs, with the lines both texts share at either end left
// out, must still be a diff that turns the live text into the planned one, with the same hunks as
// jsdiff on the whole texts wherever the change is unambiguous.
import test from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, structuredPatch } from 'diff';
import { lineDiff } from '../../src/output/diff.js';

function whole(before: string, after: string): string {
  const p = structuredPatch('live', 'after', before, after, '', '', { context: 3 });
  return ['--- live', '+++ after', ...p.hunks.flatMap((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines.filter((l) => !l.startsWith('\\'))])].join('\n') + '\n';
}

test('lineDiff: 3000 random edits of texts with repeated lines apply back; with distinct lines, the same hunks as jsdiff on the whole', () => {
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 3000; i++) {
    const distinct = i % 2 === 0;
    const n = 1 + Math.floor(next() * 60);
    const base = Array.from({ length: n }, (_, j) => (distinct ? `line ${j}` : `  - ${'abc'[Math.floor(next() * 3)]}`));
    const edited = [...base];
    for (let e = Math.floor(next() * 4); e >= 0; e--) {
      const at = Math.floor(next() * (edited.length + 1));
      const r = next();
      if (r < 0.4) edited.splice(at, 0, distinct ? `new ${i}.${e}` : '  - b');
      else if (r < 0.7) edited.splice(at, 1);
      else edited.splice(at, 1, distinct ? `changed ${i}.${e}` : '  - c');
    }
    // YAML ends with a line feed (the diff leaves out jsdiff's "no newline at end of file").
    const before = base.join('\n') + '\n';
    const after = edited.join('\n') + '\n';
    const d = lineDiff(before, after);
    if (before === after) {
      assert.equal(d, '');
      continue;
    }
    assert.equal(applyPatch(before, d), after, JSON.stringify({ before, after, d }));
    if (distinct) assert.equal(d, whole(before, after));
  }
});
