// A copy of a user's file beside it before regctl replaces it: nothing is lost. Named as
// src/host/edit.ts names its backups, and never over an earlier backup.
import { constants, copyFileSync, existsSync } from 'node:fs';
import { OperationError } from '../errors.js';
import { backupStamp } from './edit.js';

/** Copies an existing file to `<path>.regctl-<stamp>[-n].bak`; returns the backup path (undefined: no file). */
export function backupFile(path: string, now: Date): string | undefined {
  if (!existsSync(path)) return undefined;
  for (let n = 0; ; n++) {
    const backup = `${path}.regctl-${backupStamp(now)}${n ? '-' + n : ''}.bak`;
    try {
      copyFileSync(path, backup, constants.COPYFILE_EXCL);
      return backup;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && n < 100) continue;
      throw new OperationError(`cannot back up "${path}" to "${backup}": ${(e as Error).message}`);
    }
  }
}
