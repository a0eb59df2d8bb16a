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
  const context = opts.context ?? 3;
  // The lines both texts begin and end with need no diffing, bar the context shown around a
  // change: jsdiff gets the rest (an update changes a few lines of an object's hundred).
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const from = Math.max(0, head - context);
  const cut = Math.max(0, tail - context);
  const middle = (lines: string[]) => lines.slice(from, lines.length - cut).join('\n');
  const p = structuredPatch(opts.fromLabel ?? 'live', opts.toLabel ?? 'after', middle(a), middle(b), '', '', { context });
  if (p.hunks.length === 0) return '';
  const lines = [`--- ${p.oldFileName}`, `+++ ${p.newFileName}`];
  for (const h of p.hunks) {
    lines.push(`@@ -${h.oldStart + from},${h.oldLines} +${h.newStart + from},${h.newLines} @@`);
    lines.push(...h.lines.filter((l) => !l.startsWith('\\')));
  }
  return lines.join('\n') + '\n';
}
