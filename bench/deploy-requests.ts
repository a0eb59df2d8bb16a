// API requests and wall time of `regctl deploy` against the test API server with a fixed
// 50 ms per-request delay. The floor is the unavoidable round trips: discovery with the
// existence check beside it (one trip), then one create per object (sequential, in order).
// Usage: npm run build && node --import tsx bench/deploy-requests.ts [runs]

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiServer } from '../test/apiserver/index.js';

const DELAY = 50;
const runs = Number(process.argv[2] ?? 5);
const bin = fileURLToPath(new URL('../bin/regctl.js', import.meta.url));
const times: number[] = [];
let counts: Record<string, number> = {};
for (let i = 0; i < runs; i++) {
  const api = await startApiServer({ profile: 'openshift3', delayMs: DELAY });
  const t = process.hrtime.bigint();
  const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
    // spawnSync would block this process's event loop, and with it the API server.
    import('node:child_process').then(({ spawn }) => {
      const c = spawn(process.execPath, [bin, '--kubeconfig', api.kubeconfigPath, 'deploy'], { env: { ...process.env, HOME: mkdtempSync(join(tmpdir(), 'bench-')) }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      c.stderr.on('data', (d) => (stderr += d));
      c.on('close', (status) => resolve({ status, stderr }));
    });
  });
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
  if (r.status !== 0) throw new Error(`deploy failed: ${r.stderr}`);
  counts = {};
  for (const q of api.requests) counts[`${q.method} ${q.path}`] = (counts[`${q.method} ${q.path}`] ?? 0) + 1;
  await api.close();
}

const creates = Object.entries(counts).filter(([k]) => k.startsWith('POST')).reduce((n, [, v]) => n + v, 0);
const total = Object.values(counts).reduce((a, b) => a + b, 0);
const floorTrips = 1 + creates;
const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
console.log('requests of one run:');
for (const [k, v] of Object.entries(counts)) console.log(`  ${String(v).padStart(2)} ${k}`);
console.log(`total ${total} requests; ${creates} creates; floor ${floorTrips} round trips x ${DELAY} ms = ${floorTrips * DELAY} ms`);
console.log(`wall time (median of ${runs}, includes node start-up): ${median.toFixed(0)} ms; above the floor: ${(median - floorTrips * DELAY).toFixed(0)} ms`);
