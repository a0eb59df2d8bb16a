// What bin/regctl.js runs, built into dist/launch.cjs. It picks the bundle a run needs: the
// invoked command's own, dist/regctl-<command>.cjs (that command and what it uses, 40% of the
// whole); for help, version, completion scripts and an unknown command, the program without its
// commands, dist/regctl-base.cjs; for completion's candidates, the whole program, dist/regctl.cjs.
// It runs it from a V8 code cache kept in $XDG_CACHE_HOME/regctl (else ~/.cache/regctl), one file
// per build, Node version, command and kind of run (help, -o, --dry-run, apply), written after
// the first run of each: compiling regctl's code is most of its start-up. The cache is an
// optimisation only: missing, stale, corrupt or unwritable, the run goes on and compiles from
// source. V8 refuses cached data made for another source length, V8 version or flags; the build
// id (dist/build-id, a hash of the bundles) covers the same length with other content. --verbose
// runs the whole program through require(), for stack traces through its source map.
// This file runs uncached at every start: it imports next to nothing (a command has a bundle
// when dist/ holds one, rather than a list of commands); the bundle gets this file's require().
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { invokedCommand, namedCommand, normalizeArgs } from './args.js';

/**
 * The bundle (a file in dist/) that runs these arguments, and the kind of run its code cache is
 * for. `hasBundle` says whether a command has one of its own.
 */
export function bundleFor(args: string[], hasBundle: (command: string) => boolean): { bundle: string; kind: string } {
  const normalized = normalizeArgs(args);
  const named = namedCommand(normalized);
  const command = named !== undefined && /^[a-z][a-z-]*$/.test(named) && hasBundle(named) ? named : undefined;
  const has = (...flags: string[]) => args.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
  const mode = has('-h', '--help') || invokedCommand(normalized) === 'help' ? 'help' : has('-o', '--output') ? 'output' : has('--dry-run') ? 'dry-run' : 'run';
  // Completion's candidates need every command's flags; nothing else needs more than one.
  const bundle = command ? `regctl-${command}.cjs` : named === '__complete' ? 'regctl.cjs' : 'regctl-base.cjs';
  // A cache per bundle and word: version, completion scripts and candidates; anything else shares one.
  const word = command ?? (named === 'version' || named === 'completion' ? named : named === '__complete' ? 'candidates' : 'none');
  return { bundle, kind: `${word}.${mode}` };
}

export function launch(dist: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const verbose = args.includes('--verbose') || args.includes('-v');
  const { bundle, kind } = bundleFor(args, (command) => existsSync(join(dist, `regctl-${command}.cjs`)));
  if (verbose || env.REGCTL_CODE_CACHE === 'off') {
    if (verbose) process.setSourceMapsEnabled(true);
    require(join(dist, verbose ? 'regctl.cjs' : bundle));
    return;
  }
  runCached(dist, join(dist, bundle), cacheFile(dist, kind, env));
}

interface CacheFile {
  dir: string;
  build: string;
  name: string;
}

function cacheFile(dist: string, kind: string, env: NodeJS.ProcessEnv): CacheFile | undefined {
  try {
    const build = readFileSync(join(dist, 'build-id'), 'utf8').trim();
    const dir = join(env.XDG_CACHE_HOME || join(env.HOME || (require('node:os') as typeof import('node:os')).homedir(), '.cache'), 'regctl');
    return { dir, build, name: `${build}-node${process.version}-${process.arch}-${kind}.v8` };
  } catch {
    return undefined;
  }
}

function runCached(dist: string, bundle: string, cache: CacheFile | undefined): void {
  // esbuild writes ASCII only (non-ASCII escaped): latin1 is the cheapest exact decoding.
  const source = readFileSync(bundle, 'latin1');
  let cachedData: Buffer | undefined;
  if (cache) {
    try {
      cachedData = readFileSync(join(cache.dir, cache.name));
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  if (cache && (!cachedData || script.cachedDataRejected)) process.once('exit', () => writeCache(script, cache));
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  // Every bundle sits in dist/ and requires only Node's modules and dist/vendor/ by absolute path.
  script.runInThisContext().call(module.exports, module.exports, require, module, bundle, dist);
}

/** After the run, so the cache holds what it compiled. Atomic (rename); every failure ignored. */
function writeCache(script: Script, cache: CacheFile): void {
  try {
    const data = script.createCachedData();
    mkdirSync(cache.dir, { recursive: true, mode: 0o700 }); // only this user may plant code here
    const tmp = join(cache.dir, `.${cache.name}.${process.pid}.tmp`);
    writeFileSync(tmp, data);
    renameSync(tmp, join(cache.dir, cache.name));
    // Caches of other builds are dead weight.
    for (const f of readdirSync(cache.dir)) if (f.endsWith('.v8') && !f.startsWith(`${cache.build}-`)) rmSync(join(cache.dir, f), { force: true });
  } catch {
    // A cache we cannot write costs the next run its speed, nothing else.
  }
}
