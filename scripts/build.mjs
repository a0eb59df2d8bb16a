// Bundles regctl into CommonJS files that dist/launch.cjs (src/launcher.ts, what bin/regctl.js
// runs) runs through a V8 code cache (Node 20 has no compile cache for ES modules): one bundle per
// command, dist/regctl-<command>.cjs, that command and what it uses, so a run reads and
// deserializes only what it needs; the program without its commands, dist/regctl-base.cjs (help,
// version, completion scripts); and the whole program, dist/regctl.cjs (completion's candidates,
// --verbose, with its source map). Dependencies that only some runs need (client-node for exec
// plugins, forge for certificates, execa, the prompts) are bundles of their own in dist/vendor/,
// required on first use. dist/build-id names this build's content: the code cache is keyed by it.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = new URL('../dist/', import.meta.url);

/** Package (as src/ imports it) → its bundle in dist/vendor/. */
const VENDOR = {
  '@kubernetes/client-node/dist/config.js': 'client-node',
  'node-forge': 'node-forge',
  execa: 'execa',
  '@inquirer/prompts': 'inquirer-prompts',
};

const common = { absWorkingDir: root, charset: 'ascii', bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: true, logLevel: 'warning' };

// Modules that only some runs use load on first touch: Node's built-ins for certificates
// (crypto), commands on the host (child_process), a cluster (net, tls, http2, https for a server
// without HTTP/2), a terminal (tty), and js-yaml (most runs read the kubeconfig and write YAML
// without it; loading it costs 1 ms). Commander loads child_process at start only for git-style
// subcommands, which regctl has none of. Each is a stand-in with a getter per export that
// requires the real module when a run first touches one. For src/, which imports a handful of
// names by name, the stand-in has just those (an ES module in front of it re-exports them):
// copying every export's getter into every importer cost 200 KB and half a millisecond.
const LAZY = /^(?:node:)?(?:crypto|child_process|net|fs\/promises|tty|tls|http|https|http2)$|^js-yaml$/;
const specOf = (path) => (path === 'js-yaml' || path.startsWith('node:') ? path : `node:${path}`);

/** Per module, the names src/ imports from it, or 'all' where it imports the module whole (a default or namespace import). */
function namesSrcImports() {
  const found = new Map();
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  for (const file of walk(fileURLToPath(new URL('../src/', import.meta.url)))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/^import\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gms)) {
      if (m[1] || !LAZY.test(m[3])) continue;
      const spec = specOf(m[3]);
      const braces = /\{([^}]*)\}/.exec(m[2]);
      const whole = m[2].replace(/\{[^}]*\}/, '').replace(/,/g, '').trim() !== '';
      const names = (braces?.[1] ?? '').split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type ')).map((n) => n.split(/\s+as\s+/)[0]);
      const had = found.get(spec) ?? new Set();
      found.set(spec, whole || had === 'all' ? 'all' : new Set([...had, ...names]));
    }
  }
  return found;
}
const SRC_IMPORTS = namesSrcImports();

const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    b.onResolve({ filter: LAZY }, (args) => {
      const spec = specOf(args.path);
      // The stand-in's own require(): the real module (js-yaml is bundled, a built-in is Node's).
      if (args.namespace === 'lazy-stub' || args.namespace === 'lazy-stub-all') return spec.startsWith('node:') ? { path: spec, external: true } : undefined;
      if (args.namespace === 'lazy') return { path: spec, namespace: 'lazy-stub' };
      // Dependencies (commander, chalk) get a stand-in with every export; src/ the one in front.
      return { path: spec, namespace: args.importer.startsWith(join(root, 'src')) ? 'lazy' : 'lazy-stub-all' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      contents: `export * from ${JSON.stringify(args.path)}; export { default } from ${JSON.stringify(args.path)};`,
      loader: 'js',
      resolveDir: root,
    }));
    const stub = async (args) => {
      const wanted = args.namespace === 'lazy-stub' ? SRC_IMPORTS.get(args.path) : 'all';
      const names = wanted && wanted !== 'all' ? [...wanted] : Object.keys(await import(args.path)).filter((n) => n !== 'default');
      return {
        contents: `let real; const load = () => (real ??= require(${JSON.stringify(args.path)}));\nfor (const k of ${JSON.stringify(names)}) Object.defineProperty(exports, k, { get: () => load()[k], enumerable: true });`,
        loader: 'js',
        resolveDir: root,
      };
    };
    b.onLoad({ filter: /.*/, namespace: 'lazy-stub' }, stub);
    b.onLoad({ filter: /.*/, namespace: 'lazy-stub-all' }, stub);
  },
};

// src/ imports a vendored package (statically or with import()) through a one-line shim that
// require()s its bundle: esbuild keeps an external import() as import(), which a script run
// from the code cache cannot do, while a bundled module's import() becomes a require().
const vendorShims = {
  name: 'vendor-shims',
  setup(b) {
    const specs = Object.keys(VENDOR).map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
    b.onResolve({ filter: new RegExp(`^(${specs.join('|')})$`) }, (args) => ({ path: VENDOR[args.path], namespace: 'vendor-shim' }));
    // By absolute path: the bundle gets the launcher's require(), which resolves from dist/launch.cjs.
    b.onLoad({ filter: /.*/, namespace: 'vendor-shim' }, (args) => ({ contents: `module.exports = require(__dirname + '/vendor/${args.path}.cjs');`, loader: 'js' }));
  },
};

/** The commands: one folder each under src/commands/. */
const COMMANDS = readdirSync(new URL('../src/commands/', import.meta.url), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

// A command's bundle holds no other command: src/commands/index.ts's loaders for the others get a
// stand-in (and in dist/regctl-base.cjs, for help, version and unknown commands, every loader).
// The launcher runs a command's bundle only for that command (src/launcher.ts), so the stand-in
// is never called; were it called, it would say so rather than run something else.
const onlyCommand = (name) => ({
  name: 'only-command',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z-]+\/index\.js$/ }, (args) => {
      const other = args.path.split('/')[1];
      if (!args.importer.endsWith(join('src', 'commands', 'index.ts')) || other === name) return undefined;
      return { path: other, namespace: 'other-command' };
    });
    b.onLoad({ filter: /.*/, namespace: 'other-command' }, (args) => ({
      contents: `export function register() { throw new Error('dist/regctl-${name ?? 'base'}.cjs cannot run ${args.path}'); }`,
      loader: 'js',
    }));
  },
});

rmSync(dist, { recursive: true, force: true });
const programs = ['regctl.cjs', 'regctl-base.cjs', ...COMMANDS.map((c) => `regctl-${c}.cjs`)];
await Promise.all([
  ...Object.entries(VENDOR).map(([spec, name]) =>
    build({ ...common, stdin: { contents: `module.exports = require(${JSON.stringify(spec)});`, resolveDir: root, loader: 'js' }, outfile: `dist/vendor/${name}.cjs` }),
  ),
  build({ ...common, entryPoints: ['src/launcher.ts'], outfile: 'dist/launch.cjs' }),
  build({ ...common, entryPoints: ['src/main.ts'], outfile: 'dist/regctl.cjs', sourcemap: 'linked', plugins: [lazyModules, vendorShims] }),
  ...[undefined, ...COMMANDS].map((c) => build({ ...common, entryPoints: ['src/main.ts'], outfile: `dist/regctl-${c ?? 'base'}.cjs`, plugins: [onlyCommand(c), lazyModules, vendorShims] })),
]);
const id = createHash('sha256');
for (const name of programs) {
  const bundle = readFileSync(new URL(name, dist));
  if (bundle.some((byte) => byte > 0x7f)) throw new Error(`dist/${name} is not ASCII: the launcher reads it as latin1`);
  if (bundle.includes('import(')) throw new Error(`dist/${name} still calls import(): the code cache runs it as a script, where import() has no loader`);
  id.update(bundle);
}
writeFileSync(new URL('build-id', dist), id.digest('hex').slice(0, 16) + '\n');
