// Files on the node regctl runs on that `secure --trust-local` reads and edits: whether a
// directory can be written, the docker sysconfig file, and the trust files already there.
import { accessSync, constants as fsConstants, readFileSync, realpathSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { nearestExisting, writeError } from './files.js';

/** --trust-local must be able to write there; found out before the cluster is touched. */
export function checkTrustDir(flag: string, dir: string): void {
  const found = nearestExisting(dir);
  const refuse = (e: NodeJS.ErrnoException) =>
    new UsageError(`${flag}: cannot write under "${found.dir}" (${e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.message})`, 'run as root (sudo), or leave out --trust-local and run the printed commands on each node');
  if ('error' in found) throw refuse(found.error);
  if (!found.stat.isDirectory()) throw new UsageError(`${flag}: cannot create "${dir}": "${found.dir}" is not a directory`);
  const denied = writeError(found.dir);
  if (denied) throw refuse(denied);
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
