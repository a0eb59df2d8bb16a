// Writing certificate, key and serial files: each atomically (a temp file in the same directory,
// then rename), with its exact mode (keys 0600), and a backup of any file it replaces.
import { chmodSync, closeSync, fsyncSync, linkSync, copyFileSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { OperationError } from '../errors.js';
import { backupStamp } from './edit.js';

export interface PlannedFile {
  path: string;
  content: string;
  /** The mode of a new file; an existing file keeps its own mode when `keepMode` is set. */
  mode: number;
  keepMode?: boolean;
  /** Keep the replaced file as `<path>.<stamp>.bak` (certificates and keys; not the serial counter). */
  backup?: boolean;
  /** What it is, for messages: "server certificate", "CA key". */
  what: string;
}

export interface WriteResult {
  written: string[];
  backups: string[];
}

export function pathExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new OperationError(`cannot check "${path}": ${(e as Error).message}`);
  }
}

function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return undefined;
  }
}

function writeOne(f: PlannedFile, stamp: string, result: WriteResult): void {
  const dir = dirname(f.path);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const oldMode = existingMode(f.path);
  const mode = f.keepMode && oldMode !== undefined ? oldMode : f.mode;
  if (oldMode !== undefined && f.backup) {
    const bak = `${f.path}.${stamp}.bak`;
    // A hard link keeps the old contents and mode with no window where the file is missing.
    try {
      linkSync(f.path, bak);
    } catch {
      copyFileSync(f.path, bak);
      chmodSync(bak, oldMode);
    }
    result.backups.push(bak);
  }
  const tmp = join(dir, `.${basename(f.path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, f.content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(tmp, mode);
    renameSync(tmp, f.path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
  result.written.push(f.path);
}

/** Writes the files in order. A failure names the file; files already written stay written. */
export function writeFiles(files: readonly PlannedFile[], now: Date): WriteResult {
  const result: WriteResult = { written: [], backups: [] };
  const stamp = backupStamp(now);
  for (const f of files) {
    try {
      writeOne(f, stamp, result);
    } catch (e) {
      const done = result.written.length ? ` (already written: ${result.written.join(', ')})` : '';
      throw new OperationError(`cannot write the ${f.what} "${f.path}": ${(e as Error).message}${done}`);
    }
  }
  return result;
}
