// The one place that edits a file on this machine: read, transform, back up, write atomically.
// Nothing is lost: the backup is made before the write, the new content goes to a temp file in
// the same directory (fsync, then rename over the original, keeping mode and owner), and a
// failure after the backup leaves the original in place and says where the backup is.
import { constants, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { OperationError, UsageError } from '../errors.js';
import { copyToBackup } from './file-backup.js';

export interface EditOptions {
  /** Names the file in error messages, e.g. `--node-config`. */
  flag: string;
  /** Backups go here instead of next to the file. */
  backupDir?: string;
  /** For the backup's name. */
  now: Date;
  /** Compute the change only: no backup, no write. */
  dryRun?: boolean;
}

export interface EditResult {
  changed: boolean;
  before: string;
  after: string;
  /** Where the original was copied (absent when nothing changed or in a dry run). */
  backupPath?: string;
}

function reason(e: unknown): string {
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

/** Reads a file that must exist and be a regular file: else a usage error naming the flag. */
export async function readEditable(flag: string, path: string): Promise<string> {
  let st;
  try {
    st = await fs.stat(path);
  } catch (e) {
    throw new UsageError(`${flag}: cannot read "${path}": ${reason(e)}`);
  }
  if (st.isDirectory()) throw new UsageError(`${flag}: "${path}" is a directory, not a file`);
  if (!st.isFile()) throw new UsageError(`${flag}: "${path}" is not a regular file`);
  try {
    return await fs.readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag}: cannot read "${path}": ${reason(e)}`);
  }
}

async function makeBackup(path: string, opts: EditOptions): Promise<string> {
  if (opts.backupDir) await fs.mkdir(opts.backupDir, { recursive: true, mode: 0o700 });
  return copyToBackup(path, opts.now, opts.backupDir);
}

/** Writes `content` over `path` atomically, with the original's mode and owner. */
async function writeAtomic(path: string, content: string): Promise<void> {
  const st = await fs.stat(path);
  const tmp = join(dirname(path), `.${basename(path)}.regctl-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx', st.mode & 0o7777);
    await handle.writeFile(content, 'utf8');
    await handle.chmod(st.mode & 0o7777); // the umask may have narrowed the mode given to open
    if (st.uid !== process.getuid?.() || st.gid !== process.getgid?.()) await handle.chown(st.uid, st.gid).catch(() => undefined);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, path);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  // The rename is durable once the directory is synced; not every filesystem allows it.
  try {
    const dir = await fs.open(dirname(path), 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    /* best effort */
  }
}

/**
 * Reads `path`, applies `transform`, and when the text changed: backs it up, then writes it
 * atomically. Unchanged text means no write and no backup.
 */
export async function editFile(given: string, transform: (text: string) => string, opts: EditOptions): Promise<EditResult> {
  const before = await readEditable(opts.flag, given);
  // Edit the file a symlink points to: renaming over the link would replace it with a copy.
  const path = await fs.realpath(given);
  const after = transform(before);
  if (after === before || opts.dryRun) return { changed: after !== before, before, after };
  try {
    // rename() would replace a read-only file in a writable directory: honour the file's mode.
    await fs.access(path, constants.W_OK);
  } catch (e) {
    throw new OperationError(`cannot write "${path}": ${reason(e)}; nothing was changed`);
  }
  let backupPath: string;
  try {
    backupPath = await makeBackup(path, opts);
  } catch (e) {
    throw new OperationError(`cannot back up "${path}" before changing it: ${reason(e)}; nothing was changed`, opts.backupDir ? undefined : 'use --backup-dir to put the backup elsewhere');
  }
  try {
    await writeAtomic(path, after);
  } catch (e) {
    throw new OperationError(`cannot write "${path}": ${reason(e)}; the file was not changed (a copy of it is at ${backupPath})`);
  }
  return { changed: true, before, after, backupPath };
}
