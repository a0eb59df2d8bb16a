// The program as a whole: help, version, completion, global flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regctl, BIN } from '../support/run.js';
import { run } from '../support/world.js';

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

test('completion: bash, zsh and fish scripts ask regctl itself, so flags complete after global flags and values where known', async () => {
  // regctl on the PATH, as a user has it after npm link.
  const bin = mkdtempSync(join(tmpdir(), 'regctl-bin-'));
  symlinkSync(BIN, join(bin, 'regctl'));
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const script = (await regctl(['completion', 'bash'])).stdout;
  const bash = (words: string) => execFileSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _regctl; echo "\${COMPREPLY[@]}"`], { encoding: 'utf8', env }).trim();
  assert.equal(bash('regctl -n default secure --ren'), '--renew');
  assert.equal(bash('regctl --kubeconfig k deploy --pv'), '--pvc');
  assert.equal(bash('regctl ca create-server-cert --signer-s'), '--signer-serial');
  assert.equal(bash('regctl -o ya'), 'yaml');
  assert.match(bash('regctl de'), /^deploy$/);
  for (const shell of ['zsh', 'fish']) {
    const r = await regctl(['completion', shell]);
    assert.equal(r.code, 0, shell);
    assert.match(r.stdout, /regctl __complete/);
  }
});

test('completion offers the kubeconfig\'s contexts after --context', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'regctl-kc-'));
  const kc = join(dir, 'config');
  writeFileSync(kc, 'apiVersion: v1\nkind: Config\ncontexts:\n- name: prod\n  context: {cluster: c, user: u}\n- name: lab\n  context: {cluster: c, user: u}\n');
  const r = await run(['__complete', '--kubeconfig', kc, 'deploy', '--context', '']);
  assert.equal(r.stdout, 'prod\nlab\n');
});

test('regctl completion of an unknown shell is refused with the shells it knows', async () => {
  const r = await run(['completion', 'tcsh']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unsupported shell "tcsh" \(bash, zsh or fish\)/);
});

test('bare regctl prints its help on stdout and exits 0; -o=yaml is -o yaml', async () => {
  const r = await run([]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: regctl /);
  const eq = await run(['deploy', '-o=yaml']);
  assert.equal(eq.code, 0, eq.stderr);
  assert.match(eq.stdout, /^apiVersion: v1\nitems:/);
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
  const { invokedCommand } = await import('../../src/args.js');
  assert.equal(invokedCommand(['-n', 'infra', '--kubeconfig', '/k', 'deploy', '-o', 'yaml']), 'deploy');
  assert.equal(invokedCommand(['--dry-run', 'server', 'secure']), 'secure');
  assert.equal(invokedCommand(['--dry-run=server', '--yes', 'reuse-ip']), 'reuse-ip');
  assert.equal(invokedCommand(['--verbose']), undefined);
});

test('--dry-run takes a strategy only when one follows it: a file after it stays an argument', async () => {
  const { normalizeArgs, invokedCommand } = await import('../../src/args.js');
  assert.deepEqual(normalizeArgs(['override-config', '--dry-run', 'config.yml']), ['override-config', '--dry-run=client', 'config.yml']);
  assert.deepEqual(normalizeArgs(['--dry-run', 'server', 'deploy']), ['--dry-run', 'server', 'deploy']);
  assert.equal(invokedCommand(normalizeArgs(['--dry-run', 'deploy'])), 'deploy');
  assert.equal(invokedCommand(['--dry-run', 'server', 'secure']), 'secure');
});

test('help and messages name the OpenShift documents, not the repository\'s seed files', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  // Comments may cite the seed files; no string a user can see does.
  const visible = walk('src')
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => readFileSync(f, 'utf8').split('\n').map((l, i) => ({ where: `${f}:${i + 1}`, l })))
    .filter(({ l }) => !/^\s*(\/\/|\*|\/\*)/.test(l) && /seeds? \d{3}/.test(l));
  assert.deepEqual(visible.map((v) => v.where), []);
});
