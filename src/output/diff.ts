// Line diffs for `--dry-run`: the change an update makes to a live object, as unified-diff
// hunks. The diffing itself is jsdiff's (the `diff` package); this module only frames it.
import { structuredPatch } from 'diff';

export interface DiffOptions {
  /** Unchanged lines shown around each change. */
  context?: number;
  fromLabel?: string;
  toLabel?: string;
}

/** A unified diff of two texts ('' when they are equal). */
export function lineDiff(before: string, after: string, opts: DiffOptions = {}): string {
  if (before === after) return '';
  const p = structuredPatch(opts.fromLabel ?? 'live', opts.toLabel ?? 'after', before, after, '', '', { context: opts.context ?? 3 });
  if (p.hunks.length === 0) return '';
  const lines = [`--- ${p.oldFileName}`, `+++ ${p.newFileName}`];
  for (const h of p.hunks) {
    lines.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    lines.push(...h.lines.filter((l) => !l.startsWith('\\')));
  }
  return lines.join('\n') + '\n';
}
