// The shape ARCHITECTURE.md promises, checked on the source: no import cycles anywhere in src/
// (static, type-only and dynamic imports alike), and no command importing another command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const SRC = 'src';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** file → the src files it imports (relative specifiers only). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.[^'"]+)['"]/g)].map((m) => m[1]!);
    graph.set(file, specs.map((s) => normalize(join(dirname(file), s.replace(/\.js$/, '.ts')))).filter((p) => p.startsWith(SRC)));
  }
  return graph;
}

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

test('src/ has no import cycle', () => {
  const cycle = findCycle(importGraph());
  assert.equal(cycle, undefined, `import cycle: ${cycle?.join(' -> ')}`);
});

test('no command imports another command (shared code lives outside src/commands/)', () => {
  const commandOf = (file: string) => {
    const parts = relative(join(SRC, 'commands'), file).split('/');
    return parts.length > 1 && !parts[0]!.startsWith('..') ? parts[0] : undefined;
  };
  const offending: string[] = [];
  for (const [file, deps] of importGraph()) {
    const mine = commandOf(file);
    if (!mine) continue;
    for (const d of deps) {
      const theirs = commandOf(d);
      if (theirs && theirs !== mine) offending.push(`${file} -> ${d}`);
      if (!theirs && d.startsWith(join(SRC, 'commands')) && !d.endsWith('catalog.ts')) offending.push(`${file} -> ${d}`);
    }
  }
  assert.deepEqual(offending, []);
});
