// Comparing states in tests: a directory's paths (previews must leave HOME and cwd as they were),
// and an object without what the server sets (so a rendered object compares with a stored one).

import { readdirSync } from 'node:fs';

/** Every path under `dir`, sorted. */
export function listing(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

/** The object without server bookkeeping (uid, resourceVersion, timestamps, annotations) and status. */
export function withoutServerFields(o: any): any {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, generation: _g, managedFields: _m, annotations: _a, ...metadata } = o.metadata;
  const { status: _s, ...rest } = o;
  return { ...rest, metadata };
}
