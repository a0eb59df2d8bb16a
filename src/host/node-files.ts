// Files on the node regctl runs on that `secure --trust-local` reads and edits: whether a
// directory can be written, the docker sysconfig file, and the trust files already there.
import { accessSync, constants as fsConstants, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';

/** --trust-local must be able to write there; found out before the cluster is touched. */
export function checkWritableDir(flag: string, dir: string): void {
  let d = dir;
  for (;;) {
    try {
      const st = statSync(d);
      if (!st.isDirectory()) throw new UsageError(`${flag}: cannot create "${dir}": "${d}" is not a directory`);
      accessSync(d, fsConstants.W_OK);
      return;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(d) !== d) {
        d = dirname(d);
        continue;
      }
      throw new UsageError(`${flag}: cannot write under "${d}" (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message})`, 'run as root (sudo), or leave out --trust-local and run the printed commands on each node');
    }
  }
}

/** The sysconfig file as it is (symlinks resolved, so the edit lands in the real file), or undefined when absent. */
export function readNodeConfig(path: string): { path: string; text: string } | undefined {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`--node-config: cannot read "${path}": ${(e as Error).message}`);
  }
  try {
    if (!statSync(real).isFile()) throw new UsageError(`--node-config: "${path}" is not a regular file`);
    accessSync(real, fsConstants.W_OK);
    return { path: real, text: readFileSync(real, 'utf8') };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--node-config: cannot edit "${path}": ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message}`, 'run as root (sudo), or leave out --trust-local');
  }
}

/** Each file's text, or undefined when it cannot be read (absent, unreadable). */
export function readFilesIfPresent(paths: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const p of paths) {
    try {
      out[p] = readFileSync(p, 'utf8');
    } catch {
      out[p] = undefined;
    }
  }
  return out;
}
