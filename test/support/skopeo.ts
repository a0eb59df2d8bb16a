// skopeo (Debian's /usr/bin/skopeo) as a peer, asynchronously (the registries it talks to may answer
// from this process): its exit code and output, never a throw. Its own policy.json decides.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SKOPEO } from './registry.js';

const run = promisify(execFile);

export async function skopeo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(SKOPEO, args, { timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e) };
  }
}
