#!/usr/bin/env node
// Start-up of regctl against bare `node -e 0`, side by side in one run: the offline commands,
// and the cluster commands against a loopback test API server. Runs are interleaved (machine
// noise hits every case alike); each figure is a median and its ratio to bare Node. Then, with
// 50 ms before every answer, how many requests each cluster command sends and how many round
// trips it waits for. Usage: npm run build && node --import tsx bench/startup.mjs [runs] [--bin other/bin/regctl.js] [-v]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { roundTrips, startApiServer } from '../test/apiserver/index.ts';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 15);
// --bin: another build (a checkout of main) to compare with, measured the same way.
const bin = args.includes('--bin') ? args[args.indexOf('--bin') + 1] : fileURLToPath(new URL('../bin/regctl.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'regctl-bench-'));
const DELAY = 50;
const OFFLINE_TARGET = 1.25;
const CLUSTER_TARGET = 1.6;

// 3.x with the registry deployed (so secure has something to secure); 4.x for whitelist --show.
const [os3, os4] = await Promise.all([startApiServer({ profile: 'openshift3' }), startApiServer({ profile: 'openshift4' })]);
// The caller's environment, as the issue's figures were taken (NODE_EXTRA_CA_CERTS, when set,
// costs bare Node and regctl alike, and so lowers every ratio: the header says so).
const cpuFile = join(work, 'cpu-time');
const env = { ...process.env, HOME: work, NO_COLOR: '1', KUBECONFIG: os3.kubeconfigPath, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${fileURLToPath(new URL('cpu-time.cjs', import.meta.url))}`, REGCTL_BENCH_CPU_FILE: cpuFile };

// Cluster commands end with exit 1 when the registry is not there yet (as `oc adm registry --dry-run`).
const cases = [
  { name: 'node -e 0', args: ['-e', '0'], kind: 'base' },
  { name: 'deploy -o yaml', args: [bin, 'deploy', '-o', 'yaml'], kind: 'offline' },
  { name: '--help', args: [bin, '--help'], kind: 'offline' },
  { name: 'version', args: [bin, 'version'], kind: 'offline' },
  { name: 'override-config --init', args: [bin, 'override-config', '--init', join(work, 'config.yml')], kind: 'offline', after: () => rmSync(join(work, 'config.yml'), { force: true }) },
  { name: 'whitelist --local --preview', args: [bin, 'whitelist', '--local', '--preview'], kind: 'offline' },
  { name: 'deploy --dry-run', args: [bin, 'deploy', '--dry-run'], kind: 'cluster', exits: [0, 1] },
  { name: 'whitelist --show', args: [bin, 'whitelist', '--show'], kind: 'cluster', exits: [0, 1], api: os4 },
  { name: 'secure --dry-run', args: [bin, 'secure', '--dry-run'], kind: 'cluster', exits: [0, 1] },
];

/** Wall and CPU time of one run (ms). spawn, not spawnSync: the API server answers from this process. */
function once(c) {
  return new Promise((resolve, reject) => {
    rmSync(cpuFile, { force: true });
    const t = process.hrtime.bigint();
    const child = spawn(process.execPath, c.args, { env: { ...env, KUBECONFIG: (c.api ?? os3).kubeconfigPath }, cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      c.after?.();
      if (!(c.exits ?? [0]).includes(code)) reject(new Error(`${c.name} exited ${code}: ${stderr}`));
      else resolve({ wall: ms, cpu: Number(readFileSync(cpuFile, 'utf8').trim().split('\n').pop()) });
    });
  });
}

await once({ name: 'deploy', args: [bin, 'deploy'] });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = new Map(cases.map((c) => [c.name, { wall: [], cpu: [] }]));
for (const c of cases) await once(c); // warm the file cache (and regctl's code cache)
for (let i = 0; i < runs; i++) {
  for (const c of cases) {
    const r = await once(c);
    times.get(c.name).wall.push(r.wall);
    times.get(c.name).cpu.push(r.cpu);
  }
}

const base = median(times.get('node -e 0').wall);
const baseCpu = median(times.get('node -e 0').cpu);
console.log(`start-up, median of ${runs} interleaved runs; ratio to node -e 0 (${base.toFixed(1)} ms wall, ${baseCpu.toFixed(1)} ms CPU${env.NODE_EXTRA_CA_CERTS ? '; NODE_EXTRA_CA_CERTS is set' : ''})`);
console.log(`  ${''.padEnd(28)} ${'wall'.padStart(10)} ${'ratio'.padStart(6)}  ${'CPU'.padStart(9)} ${'ratio'.padStart(6)}  target`);
for (const c of cases) {
  const wall = median(times.get(c.name).wall);
  const cpu = median(times.get(c.name).cpu);
  const target = c.kind === 'offline' ? OFFLINE_TARGET : c.kind === 'cluster' ? CLUSTER_TARGET : undefined;
  const ratio = wall / base;
  console.log(`  ${c.name.padEnd(28)} ${wall.toFixed(1).padStart(7)} ms ${ratio.toFixed(2).padStart(5)}x  ${cpu.toFixed(1).padStart(6)} ms ${(cpu / baseCpu).toFixed(2).padStart(5)}x  ${target ? `<= ${target.toFixed(2)}x${ratio > target ? ' (wall over)' : ''}` : ''}`);
}

os3.delayMs = os4.delayMs = DELAY;
console.log(`\nrequests and round trips with ${DELAY} ms before every answer`);
for (const c of cases.filter((x) => x.kind === 'cluster')) {
  const api = c.api ?? os3;
  api.clearRequests();
  const ms = (await once(c)).wall;
  const trips = roundTrips(api.requests);
  console.log(`  ${c.name.padEnd(28)} ${String(api.requests.length).padStart(3)} requests  ${trips} round trip${trips === 1 ? '' : 's'}  ${api.connections} TLS connection${api.connections === 1 ? '' : 's'}  ${ms.toFixed(0)} ms`);
  if (args.includes('-v')) for (const r of api.requests) console.log(`      ${r.method} ${r.path}`);
}
await Promise.all([os3.close(), os4.close()]);
rmSync(work, { recursive: true, force: true });
