#!/usr/bin/env node
// Start-up of regctl against bare `node -e 0`, side by side in one run: the offline commands,
// and the cluster commands against loopback test API servers. Runs are interleaved (machine
// noise hits every case alike); each figure is a median, as wall time and as CPU time, and its
// ratio to bare Node. Under each cluster command, bare Node sending the same GETs over one HTTP/2
// connection (bench/h2-client.cjs): the floor any Node client stands on. Then, with 50 ms before
// every answer, how many requests each cluster command sends, how many round trips it waits for
// and how many TLS connections it opens.
// --before <bin/regctl.js of another build> measures that build too, in the same interleaved
// runs, in columns beside this one.
// Usage: npm run build && node --import tsx bench/startup.mjs [runs] [--before dir/bin/regctl.js] [-v]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiServer, waves } from '../test/apiserver/index.ts';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 15);
const builds = { after: fileURLToPath(new URL('../bin/regctl.js', import.meta.url)) };
if (args.includes('--before')) builds.before = args[args.indexOf('--before') + 1];
const work = mkdtempSync(join(tmpdir(), 'regctl-bench-'));
const DELAY = 50;
const TARGETS = { offline: 1.25, cluster: 1.6 };

// 3.x with the registry deployed (so secure has something to secure); 4.x for whitelist --show.
const [os3, os4] = await Promise.all([startApiServer({ profile: 'openshift3' }), startApiServer({ profile: 'openshift4' })]);
// The caller's environment, as the issue's figures were taken (NODE_EXTRA_CA_CERTS, when set,
// costs bare Node and regctl alike, and so lowers every ratio: the header says so).
const cpuFile = join(work, 'cpu-time');
const env = { ...process.env, HOME: work, NO_COLOR: '1', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${fileURLToPath(new URL('cpu-time.cjs', import.meta.url))}`, REGCTL_BENCH_CPU_FILE: cpuFile };

// Cluster commands end with exit 1 when the registry is not there yet (as `oc adm registry --dry-run`).
const COMMANDS = [
  { name: 'deploy -o yaml', args: ['deploy', '-o', 'yaml'], kind: 'offline' },
  { name: '--help', args: ['--help'], kind: 'offline' },
  { name: 'version', args: ['version'], kind: 'offline' },
  { name: 'override-config --init', args: ['override-config', '--init', join(work, 'config.yml')], kind: 'offline', after: () => rmSync(join(work, 'config.yml'), { force: true }) },
  { name: 'whitelist --local --preview', args: ['whitelist', '--local', '--preview'], kind: 'offline' },
  { name: 'deploy --dry-run', args: ['deploy', '--dry-run'], kind: 'cluster', exits: [0, 1] },
  { name: 'whitelist --show', args: ['whitelist', '--show'], kind: 'cluster', exits: [0, 1], api: os4 },
  { name: 'secure --dry-run', args: ['secure', '--dry-run'], kind: 'cluster', exits: [0, 1] },
];
const cases = [{ name: 'node -e 0', build: 'node', args: ['-e', '0'] }];
for (const c of COMMANDS) for (const [build, bin] of Object.entries(builds)) cases.push({ ...c, build, args: [bin, ...c.args] });
const FLOOR = fileURLToPath(new URL('h2-client.cjs', import.meta.url));

/** Wall and CPU time of one run (ms). spawn, not spawnSync: the API servers answer from this process. */
function once(c) {
  return new Promise((resolve, reject) => {
    rmSync(cpuFile, { force: true });
    const t = process.hrtime.bigint();
    // Offline commands run without a kubeconfig (with one, -o renders for that cluster).
    const kubeconfig = c.kind === 'offline' ? join(work, 'no-kubeconfig') : (c.api ?? os3).kubeconfigPath;
    // Each build its own code cache: a run of one build removes the caches of others (src/launcher.ts).
    const child = spawn(process.execPath, c.args, { env: { ...env, KUBECONFIG: kubeconfig, XDG_CACHE_HOME: join(work, 'cache', c.build ?? 'after') }, cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      c.after?.();
      if (!(c.exits ?? [0]).includes(code)) reject(new Error(`${c.build}: ${c.name} exited ${code}: ${stderr}`));
      else resolve({ wall: ms, cpu: Number(readFileSync(cpuFile, 'utf8').trim().split('\n').pop()) });
    });
  });
}

await once({ name: 'deploy', args: [builds.after, 'deploy'] });
// Beside each cluster command, bare Node sending the GETs it sends (bench/h2-client.cjs): the
// part of its start-up that is Node's own TLS and HTTP/2, whatever the client.
for (const c of COMMANDS.filter((x) => x.kind === 'cluster')) {
  const api = c.api ?? os3;
  api.clearRequests();
  await once({ ...c, build: 'after', args: [builds.after, ...c.args] });
  const gets = api.requests.filter((r) => r.method === 'GET').map((r) => r.path + (Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ''));
  const file = join(work, `${c.name.replace(/\W+/g, '-')}.paths`);
  writeFileSync(file, gets.join('\n') + '\n');
  c.floor = { name: `  bare Node, same ${gets.length} GETs`, build: 'node', args: [FLOOR, file], kind: 'floor', api };
  cases.push(c.floor);
}
const key = (c) => `${c.build}\0${c.name}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = new Map(cases.map((c) => [key(c), { wall: [], cpu: [] }]));
for (const c of cases) await once(c); // warm the file cache (and regctl's code cache)
for (let i = 0; i < runs; i++) {
  for (const c of cases) {
    const r = await once(c);
    times.get(key(c)).wall.push(r.wall);
    times.get(key(c)).cpu.push(r.cpu);
  }
}

const base = { wall: median(times.get('node\0node -e 0').wall), cpu: median(times.get('node\0node -e 0').cpu) };
console.log(`start-up, medians of ${runs} interleaved runs, as ratios to node -e 0 (${base.wall.toFixed(1)} ms wall, ${base.cpu.toFixed(1)} ms CPU${env.NODE_EXTRA_CA_CERTS ? '; NODE_EXTRA_CA_CERTS is set' : ''})`);
const names = Object.keys(builds);
console.log(`  ${''.padEnd(28)} ${names.map((b) => `${b} wall`.padStart(13) + `${b} CPU`.padStart(12)).join('')}   target`);
for (const c of COMMANDS) {
  const cols = names.map((b) => {
    const t = times.get(`${b}\0${c.name}`);
    return `${(median(t.wall) / base.wall).toFixed(2)}x`.padStart(13) + `${(median(t.cpu) / base.cpu).toFixed(2)}x`.padStart(12);
  });
  const over = median(times.get(`after\0${c.name}`).wall) / base.wall > TARGETS[c.kind];
  console.log(`  ${c.name.padEnd(28)} ${cols.join('')}   <= ${TARGETS[c.kind].toFixed(2)}x${over ? ' (wall over)' : ''}`);
  if (c.floor) {
    const t = times.get(key(c.floor));
    console.log(`  ${c.floor.name.padEnd(28)} ${`${(median(t.wall) / base.wall).toFixed(2)}x`.padStart(13)}${`${(median(t.cpu) / base.cpu).toFixed(2)}x`.padStart(12)}`);
  }
}

os3.delayMs = os4.delayMs = DELAY;
console.log(`\nrequests, round trips and TLS connections with ${DELAY} ms before every answer`);
for (const c of cases.filter((x) => x.kind === 'cluster')) {
  const api = c.api ?? os3;
  api.clearRequests();
  const ms = (await once(c)).wall;
  const trips = waves(api.requests).length;
  console.log(`  ${`${c.name} (${c.build})`.padEnd(36)} ${String(api.requests.length).padStart(3)} requests  ${trips} round trip${trips === 1 ? '' : 's'}  ${api.connections} connection${api.connections === 1 ? '' : 's'}  ${ms.toFixed(0)} ms`);
  if (args.includes('-v')) waves(api.requests).forEach((w, i) => w.forEach((r) => console.log(`      ${i + 1} ${r.method} ${r.path}`)));
}
await Promise.all([os3.close(), os4.close()]);
rmSync(work, { recursive: true, force: true });
