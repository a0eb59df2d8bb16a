#!/usr/bin/env node
// Start-up of the main offline job, `regctl deploy -o yaml`, against bare `node -e 0`:
// interleaved runs (so machine noise hits both alike), medians, their ratio, and peak memory.
// Usage: npm run build && node bench/startup.mjs [runs]   (default 21)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 21);
const bin = fileURLToPath(new URL('../bin/regctl.js', import.meta.url));
const cases = {
  'node -e 0': ['-e', '0'],
  'regctl deploy -o yaml': [bin, 'deploy', '-o', 'yaml'],
};
const env = { ...process.env, NO_COLOR: '1', KUBECONFIG: '/nonexistent' };

function once(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'ignore'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Peak resident memory (KiB) from GNU time, when the machine has it. */
function peakKiB(args) {
  if (!existsSync('/usr/bin/time')) return undefined;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const m = /(\d+)\s*$/.exec(r.stderr ?? '');
  return m ? Number(m[1]) : undefined;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const k of Object.keys(cases)) once(cases[k]); // warm the file cache
for (let i = 0; i < runs; i++) for (const [k, args] of Object.entries(cases)) times[k].push(once(args));

const base = median(times['node -e 0']);
for (const [k, args] of Object.entries(cases)) {
  const m = median(times[k]);
  const peak = peakKiB(args);
  console.log(`${k.padEnd(24)} median ${m.toFixed(1).padStart(6)} ms  ${(m / base).toFixed(2)}x  peak ${peak ? (peak / 1024).toFixed(1) + ' MiB' : 'n/a (no /usr/bin/time)'}`);
}
const ratio = median(times['regctl deploy -o yaml']) / base;
console.log(`ratio ${ratio.toFixed(2)} (target <= 1.50), ${runs} interleaved runs each`);
