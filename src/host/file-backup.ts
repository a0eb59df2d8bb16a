// A copy of a user's file before regctl replaces or edits it: nothing is lost. The copy is named
// `<file>.regctl-<stamp>[-n].bak`, beside the file or in a given directory, and never overwrites
// an earlier backup.
import { constants, copyFileSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OperationError } from '../errors.js';

/** `20261122T225500Z`: sortable, no colons (safe on every filesystem). */
export function backupStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Copies `path` (mode included) to its backup name in `dir`; returns the backup path. fs errors are thrown as they come. */
export function copyToBackup(path: string, now: Date, dir = dirname(path)): string {
  const stem = join(dir, `${basename(path)}.regctl-${backupStamp(now)}`);
  for (let n = 0; ; n++) {
    const backup = `${stem}${n ? '-' + n : ''}.bak`;
    try {
      // COPYFILE_EXCL: never overwrite an earlier backup.
      copyFileSync(path, backup, constants.COPYFILE_EXCL);
      return backup;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw e;
    }
  }
}

/** Backs up an existing file beside it; returns the backup path (undefined: no file). */
export function backupFile(path: string, now: Date): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return copyToBackup(path, now);
  } catch (e) {
    throw new OperationError(`cannot back up "${path}": ${(e as Error).message}`);
  }
}
