// Reading and writing files on this machine. Errors name the flag or path and what is wrong.
import { accessSync, closeSync, constants, type Stats, fchmodSync, fchownSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, parse } from 'node:path';
import { OperationError, UsageError } from '../errors.js';

/** Reads a file the user named with a flag; a missing or unreadable file is a usage error (exit 2). */
export function readInputFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new UsageError(`${flag}: cannot read "${path}": ${why}`);
  }
}

/** Why a file could not be read or written, in words (the errno code as a user meets it). */
export function fileErrorReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (run as root, e.g. with sudo)';
    case 'EROFS':
      return 'read-only file system';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EFBIG':
      return 'file too large';
    default:
      return err.message ?? String(e);
  }
}

/** Temp files this process has made (their names). */
let tempFiles = 0;

/**
 * Writes a file atomically: a temp file beside it, synced, then renamed over (never a
 * half-written file). An existing file keeps its owner (and its mode unless one is given); a
 * symlink is followed, so the link stays a link; a read-only file is refused, not replaced
 * behind its back. Errors name the file.
 */
export function writeFileAtomic(given: string, content: string | Uint8Array, mode?: number): void {
  let path = given;
  let st: import('node:fs').Stats | undefined;
  try {
    path = realpathSync(given);
    st = statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new OperationError(`cannot write "${given}": ${fileErrorReason(e)}`);
  }
  if (st?.isDirectory()) throw new OperationError(`cannot write "${given}": is a directory`);
  const dir = dirname(path);
  // Unique within this process by the counter, across processes by the pid; 'wx' below refuses any clash.
  const tmp = join(dir, `.${basename(path)}.regctl-${process.pid}-${(tempFiles++).toString(36)}${Date.now().toString(36)}.tmp`);
  const wanted = mode ?? (st ? st.mode & 0o7777 : 0o644);
  try {
    // rename() would replace a read-only file in a writable directory.
    if (st) accessSync(path, constants.W_OK);
    mkdirSync(dir, { recursive: true });
    const fd = openSync(tmp, 'wx', wanted);
    try {
      // A short write (a file size limit) is retried until it fails with the reason: never a truncated file.
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
      fchmodSync(fd, wanted); // the umask may have narrowed the mode given to open
      if (st && (st.uid !== process.getuid?.() || st.gid !== process.getgid?.())) {
        try {
          fchownSync(fd, st.uid, st.gid);
        } catch {
          /* only root may give a file away: the file then belongs to whoever ran regctl */
        }
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new OperationError(`cannot write "${given}": ${fileErrorReason(e)}`);
  }
}

/** The file's content, or undefined when it does not exist; any other failure names the file. */
export function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OperationError(`cannot read "${path}": ${fileErrorReason(e)}`);
  }
}

/** Whether something is at `path`; any error but ENOENT is an operation error. */
export function pathExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new OperationError(`cannot check "${path}": ${(e as Error).message}`);
  }
}

/** Removes a file; one that is already gone is fine. */
export function removeFile(path: string): void {
  rmSync(path, { force: true });
}

/**
 * Where a directory that is to be written into stands: the nearest part of `dir` that exists
 * (itself or an ancestor), with its stat, or the error that stopped the walk up.
 */
export function nearestExisting(dir: string): { dir: string; stat: Stats } | { dir: string; error: NodeJS.ErrnoException } {
  const root = parse(dir).root;
  for (;;) {
    try {
      return { dir, stat: statSync(dir) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dir !== root) dir = dirname(dir);
      else return { dir, error: e as NodeJS.ErrnoException };
    }
  }
}

/** Why this process may not write into `dir` (an existing directory), or undefined when it may. */
export function writeError(dir: string): NodeJS.ErrnoException | undefined {
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
}

/**
 * Checks, before a run changes anything, that a directory it will write into is (or can be
 * made) a writable directory: the nearest existing ancestor decides. `parentOf` checks the
 * directory that will hold the file `path`. `what` names the flag or file in the error.
 */
export function checkWritableDir(what: string, path: string, opts: { parentOf?: boolean } = {}): void {
  const found = nearestExisting(opts.parentOf ? dirname(path) : path);
  if ('error' in found) throw new UsageError(`${what}: cannot use "${found.dir}": ${found.error.message}`);
  if (!found.stat.isDirectory()) throw new UsageError(`${what}: "${found.dir}" is not a directory`);
  if (writeError(found.dir)) throw new UsageError(`${what}: "${found.dir}" is not writable`);
}
