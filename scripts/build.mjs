// Bundles src/cli.ts into dist/ with esbuild. One entry chunk holds what every command needs;
// modules reached only through `await import()` (the cluster client, prompts, certificates)
// become their own chunks, so `regctl deploy -o yaml` never parses @kubernetes/client-node.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

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
  logLevel: 'warning',
});
