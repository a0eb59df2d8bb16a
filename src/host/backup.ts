// Backups of what a command overwrites or deletes: one directory per run,
// ~/.regctl/backups/<time>-<command>/ (or --backup-dir), created on first use.
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultBackupRoot(env: NodeJS.ProcessEnv): string {
  return join(env.HOME ?? homedir(), '.regctl', 'backups');
}

export class BackupDir {
  private dir?: string;
  private n = 0;

  constructor(
    readonly root: string,
    private readonly command: string,
    private readonly now: Date,
  ) {}

  /** Saves `content` as the next numbered file and returns its path. */
  save(name: string, content: string | Uint8Array): string {
    if (!this.dir) {
      const stamp = this.now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
      mkdirSync(this.root, { recursive: true, mode: 0o700 });
      // Two runs in the same second each get their own directory: never overwrite a backup.
      for (let n = 1; !this.dir; n++) {
        const candidate = join(this.root, `${stamp}-${this.command}${n > 1 ? `-${n}` : ''}`);
        try {
          mkdirSync(candidate, { mode: 0o700 });
          this.dir = candidate;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 1000) throw e;
        }
      }
    }
    const file = join(this.dir, `${String(++this.n).padStart(2, '0')}-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}`);
    // Backups may hold secrets: readable by the owner only; 'wx' never overwrites.
    writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
    return file;
  }

  get path(): string | undefined {
    return this.dir;
  }
}
