// Writing files the user named: atomically (temp file in the same directory, then rename),
// never clobbering without a backup.
import { copyFileSync, existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OperationError } from '../errors.js';

export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o644): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content, { mode, flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new OperationError(`cannot write "${path}": ${(e as Error).message}`);
  }
}

/** Copies an existing file to `<path>.<stamp>.bak` before it is replaced; returns the backup path. */
export function backupFile(path: string, stamp: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const backup = `${path}.${stamp}.bak`;
  try {
    copyFileSync(path, backup);
  } catch (e) {
    throw new OperationError(`cannot back up "${path}" to "${backup}": ${(e as Error).message}`);
  }
  return backup;
}
