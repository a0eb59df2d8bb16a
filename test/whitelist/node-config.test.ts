// `regctl whitelist --node-config` on real files, in-process (and through the built CLI where
// the test needs another user or a file size limit): the edit, its backup in the run's backup
// directory, `systemctl restart docker` as a step (never run here), and every way it can fail
// without losing the original.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, type RunResult } from '../support/run.js';
import { run } from '../support/world.js';
import { STOCK } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'regctl-nodecfg-'));
chmodSync(root, 0o755);
after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh directory holding a sysconfig file with `content`. */
function nodeDir(content = STOCK): { dir: string; file: string } {
  const dir = join(root, `node${n++}`);
  mkdirSync(dir, { mode: 0o755 });
  const file = join(dir, 'docker');
  writeFileSync(file, content, { mode: 0o644 });
  return { dir, file };
}

const backups = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.bak'));
const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

/** Every file saved under a backup directory (one folder per run). */
function saved(backupDir: string): string[] {
  if (!existsSync(backupDir)) return [];
  return readdirSync(backupDir).flatMap((run) => readdirSync(join(backupDir, run)).map((f) => join(backupDir, run, f)));
}

let bn = 0;
/** regctl in-process with its own backup directory; `exec` stands in for systemctl. */
async function regctl(args: string[], exec?: (command: string, args: string[]) => Promise<string>): Promise<RunResult & { backupDir: string; ran: string[][] }> {
  const backupDir = join(root, `backups-${bn++}`);
  const r = await run([...args, ...(args.includes('--backup-dir') ? [] : ['--backup-dir', backupDir])], { exec });
  return { ...r, backupDir };
}

/** Runs the built CLI through a wrapper command (setpriv, sh -c with ulimit). */
function regctlVia(wrapper: string[], args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(wrapper[0]!, [...wrapper.slice(1), process.execPath, BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: '/tmp', NO_COLOR: '1', KUBECONFIG: '/nonexistent/kubeconfig' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const isRoot = process.getuid?.() === 0;
/** A backup directory any user may write (the wrapped runs may be another user). */
function openBackupDir(): string {
  const d = join(root, `open-backups-${bn++}`);
  mkdirSync(d);
  chmodSync(d, 0o777);
  return d;
}
/** Run as an unprivileged user when the tests run as root (root ignores file modes). */
const asUnprivileged = isRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] : ['env'];

describe('whitelist --node-config: editing /etc/sysconfig/docker', () => {
  test('blocks every registry but the allowed ones, keeps the rest of the file, and backs up the original in the backup directory', async () => {
    const { dir, file } = nodeDir();
    chmodSync(file, 0o640);
    const r = await regctl(['whitelist', '--node-config', file, '--allow', 'registry.access.redhat.com', '--allow', '172.30.1.1:5000']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^BLOCK_REGISTRY='--block-registry=all'$/m);
    assert.match(text, /^ADD_REGISTRY='--add-registry=registry\.access\.redhat\.com --add-registry=172\.30\.1\.1:5000'$/m);
    assert.equal(text.replace(/^(BLOCK|ADD)_REGISTRY=.*$/gm, ''), STOCK.replace(/^(# )?(BLOCK|ADD)_REGISTRY=.*$/gm, ''));
    assert.equal(statSync(file).mode & 0o777, 0o640, 'mode kept');
    const [bak] = saved(r.backupDir);
    assert.equal(readFileSync(bak!, 'utf8'), STOCK);
    assert.match(r.stderr, new RegExp(`wrote ${file} \\(backup: ${bak}\\)`));
    assert.deepEqual(backups(dir), [], 'nothing beside the file');
    assert.deepEqual(leftovers(dir), []);
    assert.match(r.stderr, /^ +systemctl restart docker$/m);
    assert.deepEqual(r.ran, [], 'docker is not restarted without --restart');
  });

  test('a symlinked file is edited where it points, and the link stays a link', async () => {
    const { dir, file } = nodeDir();
    const link = join(dir, 'docker-link');
    symlinkSync(file, link);
    const r = await regctl(['whitelist', '--node-config', link, '--allow', 'r1.io']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.match(readFileSync(file, 'utf8'), /^ADD_REGISTRY='--add-registry=r1\.io'$/m);
    assert.equal(saved(r.backupDir).length, 1);
  });

  test('the owner of the file is kept', async () => {
    const { file } = nodeDir();
    if (isRoot) chownSync(file, 65534, 65534);
    const before = statSync(file);
    assert.equal((await regctl(['whitelist', '--node-config', file, '--allow', 'r1.io'])).code, 0);
    assert.deepEqual([statSync(file).uid, statSync(file).gid], [before.uid, before.gid]);
  });

  test('running it again changes nothing and makes no second backup', async () => {
    const { file } = nodeDir();
    const args = ['whitelist', '--node-config', file, '--allow', 'r1.io,r2.io'];
    assert.equal((await regctl(args)).code, 0);
    const again = await regctl(args);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /nothing changed/);
    assert.deepEqual(saved(again.backupDir), []);
  });

  test('--backup-dir puts the backup there instead of next to the file', async () => {
    const { dir, file } = nodeDir();
    const backupDir = join(root, `backups${n++}`);
    const r = await regctl(['whitelist', '--node-config', file, '--allow', 'r1.io', '--backup-dir', backupDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(backups(dir), []);
    assert.equal(readFileSync(saved(backupDir)[0]!, 'utf8'), STOCK);
  });

  test('--dry-run describes the edit and the restart, and writes and runs nothing', async () => {
    const { file } = nodeDir();
    const r = await regctl(['whitelist', '--node-config', file, '--allow', 'r1.io', '--restart', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `1. edit ${file}: BLOCK_REGISTRY='--block-registry=all' ADD_REGISTRY='--add-registry=r1.io'\n2. run systemctl restart docker (docker reads the file when it starts)\n`);
    assert.equal(readFileSync(file, 'utf8'), STOCK);
    assert.deepEqual(saved(r.backupDir), []);
    assert.deepEqual(r.ran, []);
  });

  test('--restart is a step after the edit: systemctl restart docker runs once the file is written', async () => {
    const { file } = nodeDir();
    const r = await regctl(['whitelist', '--node-config', file, '--allow', 'r1.io', '--restart'], async () => '');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.ran, [['systemctl', 'restart', 'docker']]);
    assert.match(r.stderr, /ran systemctl restart docker/);
    assert.match(r.stderr, /docker restarted/);
  });

  test('--add appends to the current ADD_REGISTRY list and --remove takes entries out', async () => {
    const { file } = nodeDir();
    assert.equal((await regctl(['whitelist', '--node-config', file, '--add', '--allow', 'r1.io'])).code, 0);
    assert.match(readFileSync(file, 'utf8'), /^ADD_REGISTRY='--add-registry=registry\.access\.redhat\.com --add-registry=r1\.io'$/m);
    assert.equal((await regctl(['whitelist', '--node-config', file, '--remove', '--allow', 'registry.access.redhat.com'])).code, 0);
    assert.match(readFileSync(file, 'utf8'), /^ADD_REGISTRY='--add-registry=r1\.io'$/m);
  });

  test('--show prints the lists docker gets, read in both flag styles, and changes nothing', async () => {
    const { dir, file } = nodeDir("ADD_REGISTRY='--add-registry a.io --add-registry=b.io'\nBLOCK_REGISTRY='--block-registry all'\n");
    const r = await regctl(['whitelist', '--node-config', file, '--show', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { addRegistry: ['a.io', 'b.io'], blockRegistry: ['all'], insecureRegistry: [] });
    const text = await regctl(['whitelist', '--node-config', file, '--show']);
    assert.match(text.stdout, /^ADD_REGISTRY .*: a\.io b\.io$/m);
    assert.deepEqual(backups(dir), []);
  });
});

describe('whitelist --node-config: failures lose nothing', () => {
  test('a missing file is a usage error naming the flag and the path', async () => {
    const r = await regctl(['whitelist', '--node-config', join(root, 'nope', 'docker'), '--allow', 'r1.io']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --node-config: cannot read ".*\/nope\/docker": no such file or directory$/m);
  });

  test('a directory is refused', async () => {
    const { dir } = nodeDir();
    const r = await regctl(['whitelist', '--node-config', dir, '--allow', 'r1.io']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is a directory, not a file/);
  });

  test('a file in a directory the user may not write (root-owned, run unprivileged) is refused before any backup', async () => {
    const { dir, file } = nodeDir();
    if (!isRoot) chmodSync(dir, 0o555);
    if (!isRoot) chmodSync(file, 0o444);
    const r = await regctlVia(asUnprivileged, ['whitelist', '--node-config', file, '--allow', 'r1.io', '--backup-dir', openBackupDir()]);
    if (!isRoot) chmodSync(dir, 0o755);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: .*docker: ".*" is not writable$/m);
    assert.equal(readFileSync(file, 'utf8'), STOCK);
    assert.deepEqual(backups(dir), []);
  });

  test('a read-only file in a writable directory is not replaced behind its back', async () => {
    const { dir, file } = nodeDir();
    chmodSync(file, 0o444);
    if (isRoot) {
      chownSync(dir, 65534, 65534);
      chownSync(file, 65534, 65534);
    }
    const r = await regctlVia(asUnprivileged, ['whitelist', '--node-config', file, '--allow', 'r1.io', '--backup-dir', openBackupDir()]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: cannot write ".*": permission denied/m);
    assert.equal(readFileSync(file, 'utf8'), STOCK);
    assert.equal(statSync(file).mode & 0o777, 0o444);
    assert.deepEqual(backups(dir), []);
  });

  test('a write that fails after the backup (file size limit) leaves the original', async () => {
    const small = "OPTIONS='--selinux-enabled'\n# BLOCK_REGISTRY='--block-registry'\n";
    const { dir, file } = nodeDir(small);
    // ulimit -f 1: no file may grow past 512 bytes, root included; the backup is smaller.
    const many = Array.from({ length: 30 }, (_, i) => `registry-${i}.example.com`).join(',');
    const backupDir = openBackupDir();
    const r = await regctlVia(['sh', '-c', `trap '' XFSZ; ulimit -f 1; exec "$@"`, 'sh'], ['whitelist', '--node-config', file, '--allow', many, '--backup-dir', backupDir]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: cannot write ".*docker": file too large$/m);
    assert.equal(readFileSync(file, 'utf8'), small);
    assert.equal(readFileSync(saved(backupDir)[0]!, 'utf8'), small, 'a backup was made before the write');
    assert.deepEqual(leftovers(dir), [], 'the partial temp file is removed');
  });

  test('a failed systemctl restart docker undoes the edit, and says so', async () => {
    const { file } = nodeDir();
    const r = await regctl(['whitelist', '--node-config', file, '--allow', 'r1.io', '--restart'], async () => {
      throw new Error('systemctl restart docker failed: exit status 1');
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: systemctl restart docker failed: /m);
    assert.match(r.stderr, new RegExp(`undone: ${file} restored`));
    assert.match(r.stderr, /the cluster and the files are as they were before this run/);
    assert.equal(readFileSync(file, 'utf8'), STOCK);
  });
});

describe('whitelist --node-config: flags', () => {
  for (const [args, message] of [
    [['--allow', 'r1.io', '--block', 'x.io'], /^error: --block is for OpenShift 4\.x clusters/m],
    [['--allow', '*.example.com'], /^error: --allow: "\*\.example\.com" is not a registry host or host:port/m],
    [['--allow', 'reg.io/ns'], /is not a registry host or host:port/],
    [[], /^error: --node-config: give the registries to allow with --allow/m],
    [['--show', '--allow', 'r1.io'], /^error: --show prints the current lists/m],
    [['--allow', 'r1.io', '-o', 'yaml'], /^error: --output: --node-config edits a file/m],
  ] as const) {
    test(`refuses ${args.join(' ') || 'no --allow'} with exit 2`, async () => {
      const { file } = nodeDir();
      const r = await regctl(['whitelist', '--node-config', file, ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(readFileSync(file, 'utf8'), STOCK);
    });
  }
});
