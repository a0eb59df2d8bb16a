// A small line diff (longest common subsequence) for `--dry-run`: the change a patch makes to a
// live object, as `-`/`+` lines with a little context. The objects are small; O(n·m) is fine.

export interface DiffOptions {
  /** Unchanged lines shown around each change. */
  context?: number;
  fromLabel?: string;
  toLabel?: string;
}

export function lineDiff(before: string, after: string, opts: DiffOptions = {}): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const context = opts.context ?? 3;
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const ops: { tag: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ tag: ' ', line: a[i]! });
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ tag: '-', line: a[i]! });
      i++;
    } else {
      ops.push({ tag: '+', line: b[j]! });
      j++;
    }
  }
  if (!ops.some((o) => o.tag !== ' ')) return '';
  // Keep changed lines and `context` lines either side; `...` marks what is skipped.
  const keep = ops.map(() => false);
  ops.forEach((o, k) => {
    if (o.tag === ' ') return;
    for (let d = Math.max(0, k - context); d <= Math.min(ops.length - 1, k + context); d++) keep[d] = true;
  });
  const lines: string[] = [`--- ${opts.fromLabel ?? 'live'}`, `+++ ${opts.toLabel ?? 'after'}`];
  let skipped = false;
  ops.forEach((o, k) => {
    if (!keep[k]) {
      if (!skipped) lines.push('  ...');
      skipped = true;
      return;
    }
    skipped = false;
    lines.push(`${o.tag} ${o.line}`);
  });
  return lines.join('\n') + '\n';
}

function splitLines(s: string): string[] {
  if (s === '') return [];
  const lines = s.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
