// Start-up: `--help` and `version` load no command module, a command runs from its own bundle,
// and the V8 code cache the launcher (src/launcher.ts) keeps is an optimisation only: written
// once per build, Node version and command, and a corrupt, stale or unwritable cache never
// changes what a run does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { COMMANDS } from '../../src/commands/index.js';
import { buildProgram } from '../../src/cli.js';
import { regctl } from '../support/run.js';
import { testWorld } from '../support/world.js';

const BUILD = readFileSync(new URL('../../dist/build-id', import.meta.url), 'utf8').trim();
const fresh = () => mkdtempSync(join(tmpdir(), 'regctl-cache-'));
const cacheDir = (xdg: string) => join(xdg, 'regctl');
const cacheName = (kind: string) => `${BUILD}-node${process.version}-${process.arch}-${kind}.v8`;
const version = (xdg: string) => regctl(['version'], { env: { XDG_CACHE_HOME: xdg } });

test('--help and version load no command module; a command loads only itself, help <command> that one', async () => {
  const loaded: string[] = [];
  const real = COMMANDS.map((c) => c.load);
  COMMANDS.forEach((c, i) => ((c as { load: typeof c.load }).load = () => (loaded.push(c.name), real[i]!())));
  try {
    const { world } = testWorld();
    for (const args of [['--help'], ['version'], [], ['--kubeconfig', '/k', '--help']]) await buildProgram(world, args);
    assert.deepEqual(loaded, []);
    await buildProgram(world, ['-n', 'infra', 'deploy', '-o', 'yaml']);
    await buildProgram(world, ['help', 'secure']);
    assert.deepEqual(loaded, ['deploy', 'secure']);
  } finally {
    COMMANDS.forEach((c, i) => ((c as { load: typeof c.load }).load = real[i]!));
  }
});

test('--help shows each command as its module would (name, [options], arguments) without loading it', async () => {
  const { world } = testWorld();
  const [stubs, full] = await Promise.all([buildProgram(world, ['--help']), buildProgram(world, ['__complete'])]);
  const terms = (p: Awaited<ReturnType<typeof buildProgram>>) => p.commands.map((c) => p.createHelp().subcommandTerm(c));
  assert.deepEqual(terms(stubs), terms(full));
  assert.ok(terms(full).includes('deploy [options]'));
});

test('the first run of a command writes its code cache; the next run uses it and leaves it alone', async () => {
  const xdg = fresh();
  const first = await version(xdg);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(readdirSync(cacheDir(xdg)), [cacheName('version.run')]);
  const file = join(cacheDir(xdg), cacheName('version.run'));
  const written = readFileSync(file);
  assert.ok(written.length > 10_000, `${written.length} bytes`);
  const mtime = statSync(file).mtimeMs;
  const second = await version(xdg);
  assert.deepEqual(second, first);
  assert.equal(statSync(file).mtimeMs, mtime);
  // Another command, or another way of running one (rendering, dry run, help), gets its own.
  const help = await regctl(['--help'], { env: { XDG_CACHE_HOME: xdg } });
  assert.equal(help.code, 0);
  const render = await regctl(['deploy', '-o', 'yaml'], { env: { XDG_CACHE_HOME: xdg } });
  assert.equal(render.code, 0, render.stderr);
  assert.deepEqual(readdirSync(cacheDir(xdg)).sort(), [cacheName('deploy.output'), cacheName('none.help'), cacheName('version.run')].sort());
});

test('a corrupt, truncated or stale cache changes nothing but is written anew; caches of other builds are removed', async () => {
  const xdg = fresh();
  const expected = await version(xdg);
  const file = join(cacheDir(xdg), cacheName('version.run'));
  const good = readFileSync(file);
  // Made by V8 for other source: V8 refuses it (another source length), as it refuses other flags or versions.
  const stale = new Script('(function(){ return 42 })').createCachedData();
  for (const bad of [Buffer.from('not a code cache at all'), good.subarray(0, good.length >> 1), stale, Buffer.alloc(0)]) {
    writeFileSync(file, bad);
    writeFileSync(join(cacheDir(xdg), '0000000000000000-nodev20.0.0-x64-version.run.v8'), 'old build');
    const r = await version(xdg);
    assert.deepEqual(r, expected);
    assert.ok(!readFileSync(file).equals(bad), 'rewritten');
    assert.deepEqual(readdirSync(cacheDir(xdg)), [cacheName('version.run')]);
  }
});

test('an unwritable cache location changes nothing: no message, same output, same exit code', async () => {
  const xdg = fresh();
  const expected = await version(xdg);
  // XDG_CACHE_HOME names a file: nothing can be created under it (whoever runs the test).
  const notADir = join(fresh(), 'file');
  writeFileSync(notADir, '');
  assert.deepEqual(await version(notADir), expected);
  const usage = await regctl(['deploy', '--replicas', 'x', '-o', 'yaml'], { env: { XDG_CACHE_HOME: notADir } });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^error: --replicas/);
});

test('--verbose and REGCTL_CODE_CACHE=off run without the cache: stack traces point into src/ through the source map', async () => {
  const xdg = fresh();
  const off = await regctl(['version'], { env: { XDG_CACHE_HOME: xdg, REGCTL_CODE_CACHE: 'off' } });
  assert.equal(off.code, 0);
  const verbose = await regctl(['-v', 'deploy', '--dry-run'], { env: { XDG_CACHE_HOME: xdg, KUBECONFIG: '/nonexistent' } });
  assert.equal(verbose.code, 1);
  assert.match(verbose.stderr, /at \S+ \(.*src\/cluster\/kubeconfig\.ts:\d+:\d+\)/);
  assert.throws(() => readdirSync(cacheDir(xdg)), /ENOENT/);
});

/** The Node modules a run of the built CLI loaded, as process.moduleLoadList names them. */
async function nodeModulesLoaded(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; modules: Set<string> }> {
  const dir = fresh();
  const list = join(dir, 'modules');
  const hook = join(dir, 'hook.cjs');
  writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));`);
  const r = await regctl(args, { env: { NODE_OPTIONS: `--require ${hook}`, ...env } });
  return { code: r.code, modules: new Set(readFileSync(list, 'utf8').split('\n').map((m) => m.replace(/^NativeModule /, ''))) };
}

test('an offline render loads none of Node\'s network, stream, terminal or crypto modules', async () => {
  const { code, modules } = await nodeModulesLoaded(['deploy', '-o', 'yaml']);
  assert.equal(code, 0);
  for (const m of ['net', 'tls', 'stream', 'tty', 'crypto', 'http', 'https', 'http2', 'child_process']) assert.ok(!modules.has(m), `${m} loaded`);
});

test('a run over HTTP/2 loads node:http2 but not node:https', async () => {
  const { startApiServer } = await import('../apiserver/index.js');
  const api = await startApiServer({ profile: 'openshift3' });
  try {
    // Exit 1: the dry run says what deploying would create (as `oc adm registry --dry-run`).
    const { code, modules } = await nodeModulesLoaded(['deploy', '--dry-run'], { KUBECONFIG: api.kubeconfigPath });
    assert.equal(code, 1);
    assert.ok(api.requests.length > 0);
    assert.ok(modules.has('http2') && !modules.has('https'), [...modules].filter((m) => /http/.test(m)).join(' '));
    assert.equal(api.connections, 1);
  } finally {
    await api.close();
  }
});

test('the launcher runs a command from its own bundle, help and version from the program without commands, completion from the whole', async () => {
  const { bundleFor: choose } = await import('../../src/launcher.js');
  const { existsSync } = await import('node:fs');
  // As the launcher asks dist/: is there a bundle of this name.
  const bundleFor = (args: string[]) => choose(args, (c) => existsSync(new URL(`../../dist/regctl-${c}.cjs`, import.meta.url)));
  assert.deepEqual(bundleFor(['deploy', '-o', 'yaml']), { bundle: 'regctl-deploy.cjs', kind: 'deploy.output' });
  assert.deepEqual(bundleFor(['-n', 'infra', '--kubeconfig', '/k', 'secure', '--dry-run']), { bundle: 'regctl-secure.cjs', kind: 'secure.dry-run' });
  assert.deepEqual(bundleFor(['--dry-run', 'override-config', 'config.yml']), { bundle: 'regctl-override-config.cjs', kind: 'override-config.dry-run' });
  assert.deepEqual(bundleFor(['help', 'secure']), { bundle: 'regctl-secure.cjs', kind: 'secure.help' });
  assert.deepEqual(bundleFor(['reuse-ip', '--help']), { bundle: 'regctl-reuse-ip.cjs', kind: 'reuse-ip.help' });
  for (const args of [['--help'], [], ['version'], ['completion', 'bash'], ['deploi'], ['-n', 'deploy']]) {
    assert.equal(bundleFor(args).bundle, 'regctl-base.cjs', args.join(' '));
  }
  assert.deepEqual(bundleFor(['__complete', 'deploy', '--']), { bundle: 'regctl.cjs', kind: 'candidates.run' });
  // Each cache is for one bundle: the same kind of run never names two.
  const kinds = new Map<string, string>();
  for (const args of [['--help'], ['deploi'], ['version'], ['completion', 'bash'], ['__complete', ''], ['deploy'], ['help', 'deploy'], ['status', '-o', 'json']]) {
    const { bundle, kind } = bundleFor(args);
    assert.equal(kinds.get(kind) ?? bundle, bundle, kind);
    kinds.set(kind, bundle);
  }
  // Every command has its bundle, and runs from it (the test above runs each one's --help); a
  // word that names no command never reaches for a file outside dist/.
  for (const c of COMMANDS) assert.equal(bundleFor([c.name]).bundle, `regctl-${c.name}.cjs`);
  assert.equal(choose(['../../etc/passwd'], () => true).bundle, 'regctl-base.cjs');
});
