// Preloaded into every process bench/startup.mjs measures (NODE_OPTIONS=--require): appends the
// process's CPU time (user + system, ms) at exit, a figure a busy machine disturbs less than
// wall time.
'use strict';
process.on('exit', () => {
  const u = process.resourceUsage();
  require('node:fs').appendFileSync(process.env.REGCTL_BENCH_CPU_FILE, `${(u.userCPUTime + u.systemCPUTime) / 1000}\n`);
});
