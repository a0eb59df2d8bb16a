// `regctl override-config --init`, `--check`, `--set` and `--show`, offline, through the built CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { regctl } from '../support/run.js';
import { run as inProcess } from '../support/world.js';
import { haveDockerRegistry, serveRegistry } from '../support/registry-config-server.js';
import { upstreamConfig } from '../support/upstream-config.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/registry-config/', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'regctl-oc-'));

test('--init writes the documented default config.yml (0600) that --check finds valid', async () => {
  const dir = tmp();
  const file = join(dir, 'config.yml');
  const r = await regctl(['override-config', '--init', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /wrote .*config\.yml/);
  assert.match(r.stderr, /regctl override-config --check /);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const text = readFileSync(file, 'utf8');
  for (const line of ['version: 0.1', '  filesystem:', '    rootdirectory: /registry', '    enabled: true', '    realm: openshift', '    - name: openshift', '  version: 1.0']) {
    assert.ok(text.split('\n').some((l) => l.startsWith(line)), `has "${line}"`);
  }
  const check = await regctl(['override-config', '--check', file]);
  assert.equal(check.code, 0, check.stdout);
  assert.equal(check.stdout, '');
  assert.match(check.stderr, /valid/);
});

test('--init without FILE writes ./config.yml, and refuses to overwrite it without --force', async () => {
  const dir = tmp();
  assert.equal((await regctl(['override-config', '--init'], { cwd: dir })).code, 0);
  assert.ok(existsSync(join(dir, 'config.yml')));
  writeFileSync(join(dir, 'config.yml'), 'my edits\n');
  const again = await regctl(['override-config', '--init'], { cwd: dir });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /error: "config\.yml" already exists; .*--force/);
  assert.equal(readFileSync(join(dir, 'config.yml'), 'utf8'), 'my edits\n');
});

test('--init --force overwrites, saving the old file in the backup directory first', async () => {
  const dir = tmp();
  const file = join(dir, 'config.yml');
  writeFileSync(file, 'my edits\n');
  const backupDir = join(dir, 'backups');
  const r = await inProcess(['override-config', '--init', '--force', file, '--backup-dir', backupDir]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(dir).sort(), ['backups', 'config.yml']);
  const [run] = readdirSync(backupDir);
  const [saved] = readdirSync(join(backupDir, run!));
  assert.equal(readFileSync(join(backupDir, run!, saved!), 'utf8'), 'my edits\n');
  assert.match(r.stderr, new RegExp(`wrote ${file} \\(backup: `));
  assert.match(readFileSync(file, 'utf8'), /^version: 0\.1$/m);
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('--init --dry-run says what it would write and writes nothing', async () => {
  const dir = tmp();
  const file = join(dir, 'config.yml');
  const r = await inProcess(['override-config', '--init', file, '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `1. write the documented config.yml to ${file} (mode 0600)\n`);
  assert.deepEqual(readdirSync(dir), []);
});

test('--init - prints the config on stdout and writes nothing', async () => {
  const dir = tmp();
  const r = await regctl(['override-config', '--init', '-'], { cwd: dir });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^version: 0\.1$/m);
  assert.deepEqual(readdirSync(dir), []);
});

for (const storage of ['s3', 'gcs', 'azure', 'swift'] as const) {
  test(`--init --storage ${storage} writes one ${storage} driver, and --check only asks to fill in the <...> placeholders`, async () => {
    const r = await regctl(['override-config', '--init', '--storage', storage, '-']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^  ${storage}:`, 'm'));
    assert.doesNotMatch(r.stdout, /^  filesystem:/m);
    assert.match(r.stderr, /fill in the <\.\.\.> values/);
    const dir = tmp();
    writeFileSync(join(dir, 'c.yml'), r.stdout);
    const check = await regctl(['override-config', '--check', join(dir, 'c.yml'), '-o', 'json']);
    assert.equal(check.code, 0, check.stdout);
    const data = JSON.parse(check.stdout) as { errors: number; findings: { severity: string; message: string; path: string }[] };
    assert.equal(data.errors, 0);
    assert.ok(data.findings.length > 0);
    // The GCS key file is a path the registry reads: nothing mounts it yet.
    for (const f of data.findings) assert.match(f.message, f.path === 'storage.gcs.keyfile' ? /nothing regctl knows of mounts it/ : /placeholder/, f.path);
  });
}

test('--init --storage is refused without --init, and an unknown driver is refused', async () => {
  const a = await regctl(['override-config', '--check', 'x.yml', '--storage', 's3']);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /--storage is only for --init/);
  const b = await regctl(['override-config', '--init', '--storage', 'ceph', '-']);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /--storage.*ceph/);
});

test('--init --metrics enables metrics with a generated 64-hex-digit secret and prints how to query /extensions/v2/metrics', async () => {
  const dir = tmp();
  const file = join(dir, 'config.yml');
  const r = await regctl(['override-config', '--init', '--metrics', file]);
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(file, 'utf8');
  assert.match(text, /^    enabled: true/m);
  const secret = /^    secret: ([0-9a-f]{64})$/m.exec(text)?.[1];
  assert.ok(secret, text);
  assert.match(r.stderr, /curl --insecure -s -u metrics:.* https:\/\/docker-registry\.default\.svc:5000\/extensions\/v2\/metrics/);
  assert.ok(!r.stderr.includes(secret!), 'the secret is not printed');
  const again = await regctl(['override-config', '--init', '--metrics', '-']);
  assert.notEqual(/secret: ([0-9a-f]{64})/.exec(again.stdout)?.[1], secret, 'a new secret each time');
  assert.equal((await regctl(['override-config', '--check', file])).code, 0);
});

test('the default written by --init is served by the real registry (upstream part)', { skip: haveDockerRegistry ? false : 'needs docker-registry' }, async () => {
  const r = await regctl(['override-config', '--init', '-']);
  const served = await serveRegistry((port, root) => upstreamConfig(r.stdout, port, root));
  assert.equal(served.status, 200, served.output);
});

test('--check of a missing file is a usage error naming it (exit 2)', async () => {
  const r = await regctl(['override-config', '--check', '/nonexistent/config.yml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /error: FILE: cannot read "\/nonexistent\/config\.yml": no such file/);
});

test('--check prints each finding as FILE:LINE: severity: path: message, with its fix', async () => {
  const file = join(FIXTURES, 'delete-false.yml');
  const r = await regctl(['override-config', '--check', file]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /delete-false\.yml:14: error: storage\.delete\.enabled: .*operation unsupported/);
  assert.match(r.stdout, /\n    fix: set storage\.delete\.enabled: true/);
  assert.match(r.stderr, /1 error, 0 warnings/);
});

test('--check --env-from judges the container environment too: ignored middleware variables, bad values, a second storage driver', async () => {
  const dir = tmp();
  const env = join(dir, 'registry.env');
  writeFileSync(
    env,
    [
      '# deploymentconfigs/docker-registry, container registry',
      'REGISTRY_HTTP_ADDR=:5000',
      'REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_ENFORCEQUOTA=true',
      'REGISTRY_MIDDLEWARE_STORAGE_OPENSHIFT_DISABLED=true',
      'REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PROJECTCACHETTL=5 minutes',
      'REGISTRY_OPENSHIFT_VERSION=2.0',
    ].join('\n') + '\n',
  );
  const r = await regctl(['override-config', '--check', join(FIXTURES, 'default.yml'), '--env-from', env, '-o', 'json']);
  assert.equal(r.code, 1, r.stderr);
  const data = JSON.parse(r.stdout) as { findings: { severity: string; path: string; message: string; line?: number }[] };
  const byPath = Object.fromEntries(data.findings.map((f) => [f.path, f]));
  assert.equal(byPath['env.REGISTRY_MIDDLEWARE_STORAGE_OPENSHIFT_DISABLED']?.severity, 'warning');
  assert.match(byPath['env.REGISTRY_MIDDLEWARE_STORAGE_OPENSHIFT_DISABLED']!.message, /cannot be overridden/);
  assert.equal(byPath['env.REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PROJECTCACHETTL']?.severity, 'error');
  assert.match(byPath['env.REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PROJECTCACHETTL']!.message, /^configuration error in openshift\.quota\.cachettl: invalid value of environment variable REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PROJECTCACHETTL: parse duration error: time: unknown unit " minutes" in duration "5 minutes"$/);
  assert.equal(byPath['env.REGISTRY_OPENSHIFT_VERSION']?.severity, 'warning');
  assert.equal(byPath['env.REGISTRY_HTTP_ADDR'], undefined, 'a recognised variable is fine');
  assert.equal(byPath['env.REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_ENFORCEQUOTA'], undefined, 'one of the six documented exceptions');
  for (const f of data.findings) assert.equal(f.line, undefined);

  // A driver's variable on a file with another driver: the registry panics before anything else.
  writeFileSync(env, 'REGISTRY_STORAGE_S3_BUCKET=images\n');
  const second = await regctl(['override-config', '--check', join(FIXTURES, 'default.yml'), '--env-from', env, '--registry-version', '3.11', '-o', 'json']);
  assert.equal(second.code, 1, second.stderr);
  const panic = (JSON.parse(second.stdout) as { findings: { path: string; message: string; registry?: string }[] }).findings.find((f) => f.path === 'env.REGISTRY_STORAGE_S3_BUCKET');
  assert.equal(panic?.registry, 'panic: multiple storage drivers specified in configuration or environment: filesystem, s3');
});

test('--set takes only the documented keys, typed: booleans, Go durations, whole numbers, host:port (exit 2 otherwise)', async () => {
  const file = join(FIXTURES, 'default.yml');
  const bad: [string, RegExp][] = [
    ['pullthrough=maybe', /--set: pullthrough: "maybe" is not a boolean/],
    ['projectcachettl=5x', /--set: projectcachettl: time: unknown unit "x" in duration "5x"/],
    ['requests.read.maxrunning=-1', /--set: requests\.read\.maxrunning: "-1" is not a whole number >= 0/],
    ['server.addr=registry', /--set: server\.addr: "registry" is not host:port/],
    ['storage.delete.enabled=true', /--set: unknown key "storage\.delete\.enabled"; the documents allow acceptschema2, pullthrough/],
    ['pullthrough', /--set: "pullthrough" is not KEY=VALUE/],
  ];
  for (const [set, re] of bad) {
    const r = await regctl(['override-config', '--show', file, '--set', set]);
    assert.equal(r.code, 2, set);
    assert.match(r.stderr, re, set);
  }
});

test('--show FILE --set prints the effective config with each overridden value marked by its variable', async () => {
  const file = join(FIXTURES, 'reference.yml');
  const r = await regctl(['override-config', '--show', file, '--set', 'pullthrough=FALSE', '--set', 'openshift.requests.read.maxrunning=20', '--set', 'projectcachettl=5m']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const line = (prefix: string) => lines.find((l) => l.trimStart().startsWith(prefix)) ?? '';
  assert.match(line('pullthrough: false'), /# ← REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PULLTHROUGH$/);
  assert.match(line('maxrunning: 20'), /# ← REGISTRY_OPENSHIFT_REQUESTS_READ_MAXRUNNING$/);
  // The legacy variable also wins over the openshift section's quota.cachettl.
  assert.equal(lines.filter((l) => l.includes('5m') && l.includes('REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_PROJECTCACHETTL')).length, 2);
  assert.match(line('version: 1.0'), /^  version: 1\.0$/);
  assert.match(line('addr: docker-registry'), /^    addr: docker-registry\.default\.svc:5000$/);
});

test('--show FILE --env-from reads `oc set env --list` output; -o json gives the config and the overrides as data', async () => {
  const dir = tmp();
  const env = join(dir, 'registry.env');
  writeFileSync(env, '# deploymentconfigs/docker-registry, container registry\nREGISTRY_LOG_LEVEL=info\nREGISTRY_MIDDLEWARE_REGISTRY_OPENSHIFT_DISABLED=true\nREGISTRY_HTTP_SECRET=abc\n');
  const r = await regctl(['override-config', '--show', join(FIXTURES, 'default.yml'), '--env-from', env, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const data = JSON.parse(r.stdout) as { config: { log: { level: string }; http: Record<string, unknown> }; overrides: { path: string; env: string }[]; ignored: string[] };
  assert.equal(data.config.log.level, 'info');
  assert.equal(data.config.http.secret, 'abc');
  assert.deepEqual(data.overrides.map((o) => o.path).sort(), ['http.secret', 'log.level']);
  assert.deepEqual(data.ignored, ['REGISTRY_MIDDLEWARE_REGISTRY_OPENSHIFT_DISABLED']);
  assert.match(r.stderr, /REGISTRY_MIDDLEWARE_REGISTRY_OPENSHIFT_DISABLED is set but ignored/);
});

test('--show of a file that is not YAML names the file and line (exit 2)', async () => {
  const r = await regctl(['override-config', '--show', join(FIXTURES, 'bad-yaml.yml')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /error: .*bad-yaml\.yml:6: not valid YAML/);
});

test('flag combinations that make no sense are usage errors', async () => {
  const cases: [string[], RegExp][] = [
    [['override-config', '--init', '--check', 'a.yml'], /--init and --check cannot be used together/],
    [['override-config', '--check'], /--check needs the FILE/],
    [['override-config', '--rollback', 'a.yml'], /--rollback takes no FILE/],
    [['override-config'], /nothing to do/],
    [['override-config', '--check', 'a.yml', '-o', 'name'], /-o name does not apply/],
    [['override-config', '--metrics', '--set', 'metrics.enabled=true'], /--metrics and --set metrics\.\* cannot be used together/],
    [['override-config', 'a.yml', '--env-from', 'e.env'], /--env-from is for --check and --show FILE/],
  ];
  for (const [args, re] of cases) {
    const r = await regctl(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
  }
});

test('--registry-version, --configmap and --cloudfront-key are refused where they mean nothing (exit 2)', async () => {
  const file = join(FIXTURES, 'default.yml');
  const cases: [string[], RegExp][] = [
    [['override-config', '--check', file, '--registry-version', '3.10'], /--registry-version/],
    [['override-config', '--show', file, '--registry-version', '3.11'], /--registry-version is for --check and deploying, not --show/],
    [['override-config', '--check', file, '--configmap'], /--configmap is for deploying a FILE, not --check/],
    [['override-config', '--set', 'pullthrough=true', '--cloudfront-key', file], /--cloudfront-key goes with the FILE to deploy/],
  ];
  for (const [args, message] of cases) {
    const r = await regctl(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  // The same file judged by each release: both accept the documents' default.
  for (const release of ['3.11', '4.x']) assert.equal((await regctl(['override-config', '--check', file, '--registry-version', release])).code, 0, release);
});

test('--show FILE says when the registry would not start with the effective configuration', async () => {
  const dir = tmp();
  const env = join(dir, 'registry.env');
  writeFileSync(env, 'REGISTRY_LOGLEVEL=derp\n');
  const bad = await regctl(['override-config', '--show', join(FIXTURES, 'default.yml'), '--env-from', env]);
  assert.equal(bad.code, 0, bad.stderr);
  assert.match(bad.stdout, /^loglevel: derp {4}# ← REGISTRY_LOGLEVEL$/m);
  assert.match(bad.stderr, /the 4\.x registry would not start with this: Invalid loglevel derp Must be one of \[error, warn, info, debug\]/);
  writeFileSync(env, 'REGISTRY_LOGLEVEL=info\n');
  const good = await regctl(['override-config', '--show', join(FIXTURES, 'default.yml'), '--env-from', env]);
  assert.doesNotMatch(good.stderr, /would not start/);
});
