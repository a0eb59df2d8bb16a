// Reading and writing files on this machine. Errors name the flag or path and what is wrong.
import { accessSync, closeSync, constants, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
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

/** Writes a file atomically: a temp file beside it, synced, then renamed over (never a half-written file). */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode?: number): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.regctl-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  const wanted = mode ?? existingMode(path) ?? 0o644;
  try {
    const fd = openSync(tmp, 'wx', wanted);
    try {
      writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
      fchmodSync(fd, wanted); // the umask may have narrowed the mode given to open
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** The file's permission bits, or undefined when it does not exist. */
export function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** The file's content, or undefined when it does not exist. */
export function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
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
 * Checks, before a run changes anything, that a directory it will write into is (or can be
 * made) a writable directory: the nearest existing ancestor decides. `parentOf` checks the
 * directory that will hold the file `path`. `what` names the flag or file in the error.
 */
export function checkWritableDir(what: string, path: string, opts: { parentOf?: boolean } = {}): void {
  let dir = opts.parentOf ? dirname(path) : path;
  const root = parse(dir).root;
  for (;;) {
    let st;
    try {
      st = statSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dir !== root) {
        dir = dirname(dir);
        continue;
      }
      throw new UsageError(`${what}: cannot use "${dir}": ${(e as Error).message}`);
    }
    if (!st.isDirectory()) throw new UsageError(`${what}: "${dir}" is not a directory`);
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      throw new UsageError(`${what}: "${dir}" is not writable`);
    }
    return;
  }
}
