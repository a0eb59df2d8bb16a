// The program as a whole: help, version, completion, global flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { regctl, BIN } from '../support/run.js';

test('regctl --help lists the commands and the global flags', async () => {
  const r = await regctl(['--help']);
  assert.equal(r.code, 0);
  for (const s of ['deploy', 'version', 'completion', '--kubeconfig', '--context', '--namespace', '--output', '--dry-run', '--yes']) assert.ok(r.stdout.includes(s), s);
});

test('regctl deploy --help shows the documents\' examples', async () => {
  const r = await regctl(['deploy', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /regctl deploy --mount-host=\/data/);
  assert.match(r.stdout, /--tls-certificate <file>/);
});

test('regctl version prints the package version', async () => {
  const r = await regctl(['version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^regctl v\d+\.\d+\.\d+ \(node v\d+/);
});

test('regctl completion bash is a script bash accepts, completing commands and deploy flags', async () => {
  const r = await regctl(['completion', 'bash']);
  assert.equal(r.code, 0);
  const out = execFileSync('bash', ['-c', `${r.stdout}\nCOMP_WORDS=(regctl deploy --mount); COMP_CWORD=2; _regctl; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  assert.match(out, /--mount-host/);
  const top = execFileSync('bash', ['-c', `${r.stdout}\nCOMP_WORDS=(regctl de); COMP_CWORD=1; _regctl; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  assert.match(top, /deploy/);
});

test('regctl completion fish is refused with the shells it knows', async () => {
  const r = await regctl(['completion', 'fish']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unsupported shell "fish" \(bash or zsh\)/);
});

test('--dry-run takes client or server only', async () => {
  const r = await regctl(['deploy', '--dry-run=sever']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--dry-run: invalid value "sever", must be "none", "server" or "client"/);
});

test('the launcher runs from any directory', async () => {
  const out = execFileSync(process.execPath, [BIN, 'version'], { cwd: '/', encoding: 'utf8' });
  assert.match(out, /^regctl v/);
});

test('a reader that stops early (| head) is not an error', async () => {
  // `true` exits at once, so every write regctl makes meets a closed pipe (EPIPE).
  const out = execFileSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" deploy -o yaml 2>&1 | true; echo "exit $?"`], { encoding: 'utf8' });
  assert.equal(out, 'exit 0\n');
});

test('every command is listed in --help with its summary, and answers its own --help', async () => {
  const { COMMANDS } = await import('../../src/commands/index.js');
  const top = await regctl(['--help']);
  for (const c of COMMANDS) {
    assert.ok(top.stdout.replace(/\s+/g, ' ').includes(`${c.name} `), c.name);
    const r = await regctl([c.name, '--help']);
    assert.equal(r.code, 0, `${c.name}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: regctl ${c.name} `));
    assert.ok(r.stdout.replace(/\s+/g, ' ').includes(c.summary.replace(/\s+/g, ' ')), `${c.name} shows its summary`);
  }
});

test('only the command being run is loaded: global flags and their values are skipped to find it', async () => {
  const { invokedCommand } = await import('../../src/cli.js');
  assert.equal(invokedCommand(['-n', 'infra', '--kubeconfig', '/k', 'deploy', '-o', 'yaml']), 'deploy');
  assert.equal(invokedCommand(['--dry-run', 'server', 'secure']), 'secure');
  assert.equal(invokedCommand(['--dry-run=server', '--yes', 'reuse-ip']), 'reuse-ip');
  assert.equal(invokedCommand(['--verbose']), undefined);
});
