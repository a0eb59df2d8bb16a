// The check every command's previews share: -o yaml, --dry-run and --dry-run=server send no
// write (the fake cluster is read-only; server dry runs are allowed) and leave HOME and the
// working directory as they were.
import assert from 'node:assert/strict';
import type { FakeCluster } from './fake-cluster.js';
import { snapshot } from './pki.js';
import { run, tempHome } from './world.js';

/** `argv(flags)` places the preview flags in the command line; `cluster()` makes a fresh seeded fake. */
export async function assertPreviewsWriteNothing(argv: (flags: string[]) => string[], cluster: () => FakeCluster): Promise<void> {
  const home = tempHome();
  const cwd = snapshot(process.cwd());
  for (const flags of [['-o', 'yaml'], ['--dry-run'], ['--dry-run=server']]) {
    const c = cluster();
    c.readOnly = true;
    const before = snapshot(home);
    const r = await run(argv(flags), { cluster: c, env: { HOME: home } });
    assert.equal(r.code, 0, `${flags.join(' ')}: ${r.stderr}`);
    assert.deepEqual(snapshot(home), before, `${flags.join(' ')} wrote under HOME`);
    assert.ok(c.writes().every((w) => w.endsWith('(dry run)')), c.writes().join());
  }
  assert.deepEqual(snapshot(process.cwd()), cwd);
}
