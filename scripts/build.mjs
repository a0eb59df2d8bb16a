// Bundles src/cli.ts into dist/ with esbuild. One entry chunk holds what every command needs;
// modules reached only through `await import()` (the cluster client, prompts, certificates)
// become their own chunks, so `regctl deploy -o yaml` never parses @kubernetes/client-node.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

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

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minify: true,
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __regctlCreateRequire } from 'node:module'; const require = __regctlCreateRequire(import.meta.url);" },
  plugins: [lazyChildProcess],
  logLevel: 'warning',
});
