// Backups never overwrite one another, and hold secrets for the owner only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupDir } from '../../src/host/backup.js';
import { writeFileAtomic } from '../../src/host/files.js';

test('two runs in the same second get two backup directories', () => {
  const root = mkdtempSync(join(tmpdir(), 'regctl-backups-'));
  const now = new Date('2026-11-22T23:00:00Z');
  const a = new BackupDir(root, 'deploy', now);
  const b = new BackupDir(root, 'deploy', now);
  const fa = a.save('service-x.yaml', 'first');
  const fb = b.save('service-x.yaml', 'second');
  assert.notEqual(a.path, b.path);
  assert.equal(readFileSync(fa, 'utf8'), 'first');
  assert.equal(readFileSync(fb, 'utf8'), 'second');
  assert.equal(statSync(fa).mode & 0o777, 0o600);
  assert.equal(statSync(a.path!).mode & 0o777, 0o700);
});

test('writeFileAtomic keeps an existing file\'s mode and leaves no temp file behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-write-'));
  const f = join(dir, 'ca.key');
  writeFileAtomic(f, 'one', 0o600);
  writeFileAtomic(f, 'two');
  assert.equal(readFileSync(f, 'utf8'), 'two');
  assert.equal(statSync(f).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), ['ca.key']);
});
