#!/usr/bin/env node
// Launcher (CommonJS: bin/package.json). Runs dist/regctl.cjs from a V8 code cache kept in
// $XDG_CACHE_HOME/regctl (else ~/.cache/regctl), one file per build, Node version, command and
// kind of run (help, -o, --dry-run, apply), written after the first run of each: compiling regctl's code is most of its start-up. The
// cache is an optimisation only: missing, stale, corrupt or unwritable, the run goes on and
// compiles from source. V8 refuses cached data made for another source length, V8 version or
// flags; the build id (dist/build-id, a hash of the bundle) covers the same length with other
// content. --verbose runs the bundle through require() instead, for stack traces through its
// source map.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const bundle = path.join(__dirname, '..', 'dist', 'regctl.cjs');
const args = process.argv.slice(2);

if (args.includes('--verbose') || args.includes('-v') || process.env.REGCTL_CODE_CACHE === 'off') {
  if (args.includes('--verbose') || args.includes('-v')) process.setSourceMapsEnabled(true);
  require(bundle);
} else {
  runCached();
}

function cacheFile() {
  try {
    const build = fs.readFileSync(path.join(__dirname, '..', 'dist', 'build-id'), 'utf8').trim();
    const dir = process.env.XDG_CACHE_HOME || path.join(process.env.HOME || require('node:os').homedir(), '.cache');
    return { dir: path.join(dir, 'regctl'), build, name: `${build}-node${process.version}-${process.arch}-${runKind()}.v8` };
  } catch {
    return undefined;
  }
}

/**
 * One cache per command and way of running it (help, rendering, dry run, applying): each holds
 * the functions such runs compile. A wrong guess costs speed, never correctness.
 */
function runKind() {
  const command = args.find((a) => /^[a-z][a-z0-9-]{0,30}$/.test(a)) || 'none';
  const has = (...flags) => args.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
  const mode = has('-h', '--help') ? 'help' : has('-o', '--output') ? 'output' : has('--dry-run') ? 'dry-run' : 'run';
  return `${command}.${mode}`;
}

function runCached() {
  const vm = require('node:vm');
  // esbuild writes ASCII only (non-ASCII escaped): latin1 is the cheapest exact decoding.
  const source = fs.readFileSync(bundle, 'latin1');
  const cache = cacheFile();
  let cachedData;
  if (cache) {
    try {
      cachedData = fs.readFileSync(path.join(cache.dir, cache.name));
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  if (cache && (!cachedData || script.cachedDataRejected)) process.once('exit', () => writeCache(script, cache));
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  // This file's require(): the bundle requires only Node's modules and dist/vendor/ by absolute path.
  script.runInThisContext().call(module.exports, module.exports, require, module, bundle, path.dirname(bundle));
}

/** After the run, so the cache holds what it compiled. Atomic (rename); every failure ignored. */
function writeCache(script, cache) {
  try {
    const data = script.createCachedData();
    fs.mkdirSync(cache.dir, { recursive: true, mode: 0o700 }); // only this user may plant code here
    const tmp = path.join(cache.dir, `.${cache.name}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, path.join(cache.dir, cache.name));
    // Caches of other builds are dead weight.
    for (const f of fs.readdirSync(cache.dir)) if (f.endsWith('.v8') && !f.startsWith(`${cache.build}-`)) fs.rmSync(path.join(cache.dir, f), { force: true });
  } catch {
    // A cache we cannot write costs the next run its speed, nothing else.
  }
}
