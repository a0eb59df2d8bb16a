// Bundles src/main.ts into one CommonJS file, dist/regctl.cjs, which bin/regctl.js runs through
// a V8 code cache (Node 20 has no compile cache for ES modules). Dependencies that only some
// runs need (client-node for exec plugins, forge for certificates, execa, the prompts) are
// bundles of their own in dist/vendor/, required on first use, so the file every run reads and
// compiles stays small. dist/build-id names this build's content: the code cache is keyed by it.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);

/** Package (as src/ imports it) → its bundle in dist/vendor/. */
const VENDOR = {
  '@kubernetes/client-node/dist/config.js': 'client-node',
  'node-forge': 'node-forge',
  execa: 'execa',
  '@inquirer/prompts': 'inquirer-prompts',
};

const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: true, logLevel: 'warning' };

// commander loads child_process at start only to run `git-style` executable subcommands,
// which regctl has none of: give it a stand-in that loads the real module on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_t, k) => (real ??= require('node:child_process'))[k] });",
      loader: 'js',
    }));
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
    b.onLoad({ filter: /.*/, namespace: 'vendor-shim' }, (args) => ({ contents: `module.exports = require('./vendor/${args.path}.cjs');`, loader: 'js' }));
    b.onResolve({ filter: /^\.\/vendor\//, namespace: 'vendor-shim' }, (args) => ({ path: args.path, external: true }));
  },
};

rmSync(dist, { recursive: true, force: true });
await Promise.all([
  ...Object.entries(VENDOR).map(([spec, name]) =>
    build({ ...common, stdin: { contents: `module.exports = require(${JSON.stringify(spec)});`, resolveDir: process.cwd(), loader: 'js' }, outfile: `dist/vendor/${name}.cjs` }),
  ),
  build({ ...common, entryPoints: ['src/main.ts'], outfile: 'dist/regctl.cjs', sourcemap: 'linked', plugins: [lazyChildProcess, vendorShims] }),
]);
const bundle = readFileSync(new URL('regctl.cjs', dist));
if (bundle.includes('import(')) throw new Error('dist/regctl.cjs still calls import(): the code cache runs it as a script, where import() has no loader');
writeFileSync(new URL('build-id', dist), createHash('sha256').update(bundle).digest('hex').slice(0, 16) + '\n');
