// `regctl logs`: the registry's log from every pod of whichever workload it runs as (seed 003
// "Viewing Logs": `oc logs dc/docker-registry`; seed 002 5.4: `oc logs deployments/image-registry`),
// each line prefixed with its pod, as `kubectl logs --prefix`. `--tls-check` answers step 10 of
// "Securing the Registry": does the registry log `listening on :5000, tls`?
import type { Command } from 'commander';
import type { Cluster } from '../../cluster/types.js';
import type { Context } from '../../context.js';
import { OperationError } from '../../errors.js';
import type { KubeObject } from '../../objects.js';
import { registryContainerName, workloadName } from '../../registry/pods.js';
import { action } from '../../runtime.js';
import { summary } from '../catalog.js';
import { LinePrefixer, prefixFor, tlsEvidence } from './format.js';
import { readLive, type LogsLive } from './live.js';
import { toOptions, type LogsFlags, type LogsOptions } from './options.js';

export function register(program: Command): void {
  program
    .command('logs')
    .description(summary('logs'))
    .option('-f, --follow', 'keep printing what the pods write, until they stop (Ctrl-C to leave)')
    .option('--since <duration>', 'only what was written in the last duration (e.g. 30s, 5m, 1h)')
    .option('--tail <lines>', 'only the last lines of each pod')
    .option('--tls-check', 'report, per pod, whether the registry listens with TLS (its "listening on :5000, tls" line); exit 1 if one does not')
    .addHelpText(
      'after',
      `
The registry runs as DeploymentConfig, Deployment or DaemonSet "docker-registry" (3.x,
Kubernetes; -n names the namespace) or as the operator's Deployment "image-registry" in
openshift-image-registry (4.x). Every pod's lines are shown, prefixed [pod/NAME/CONTAINER].

Examples:
  regctl logs --since 10m
  regctl logs -f
  regctl logs --tls-check`,
    )
    .action(action<LogsFlags>(runLogs));
}

export async function runLogs(flags: LogsFlags, ctx: Context): Promise<void> {
  const opts = toOptions(flags);
  const cluster = await ctx.cluster();
  const live = await readLive(cluster);
  if (opts.tlsCheck) return checkTls(opts, live, cluster, ctx);
  if (opts.follow) {
    await Promise.all(live.pods.map((p) => follow(opts, p, cluster, ctx)));
    return;
  }
  const logs = await readLogs(opts, live, cluster);
  live.pods.forEach((p, i) => {
    const prefixer = new LinePrefixer(prefixFor(p.metadata.name, registryContainerName(p)));
    ctx.io.out.write(prefixer.push(logs[i]!) + prefixer.flush());
  });
}

/** Each pod's log, in the order of live.pods. */
function readLogs(opts: LogsOptions, live: LogsLive, cluster: Cluster): Promise<string[]> {
  return Promise.all(live.pods.map((p) => cluster.logs(p.metadata.namespace!, p.metadata.name, logOptions(opts, p))));
}

function logOptions(opts: LogsOptions, pod: KubeObject) {
  return { container: registryContainerName(pod), sinceSeconds: opts.sinceSeconds, tailLines: opts.tailLines };
}

async function follow(opts: LogsOptions, pod: KubeObject, cluster: Cluster, ctx: Context): Promise<void> {
  if (!cluster.followLogs) throw new OperationError('this connection cannot follow logs');
  const prefixer = new LinePrefixer(prefixFor(pod.metadata.name, registryContainerName(pod)));
  await cluster.followLogs(pod.metadata.namespace!, pod.metadata.name, logOptions(opts, pod), (chunk) => ctx.io.out.write(prefixer.push(chunk)));
  ctx.io.out.write(prefixer.flush());
}

async function checkTls(opts: LogsOptions, live: LogsLive, cluster: Cluster, ctx: Context): Promise<void> {
  const logs = await readLogs(opts, live, cluster);
  let notTls = 0;
  live.pods.forEach((p, i) => {
    const e = tlsEvidence(logs[i]!);
    if (e.state !== 'tls') notTls++;
    const says = e.state === 'tls' ? `TLS (${e.line})` : e.state === 'plain' ? `no TLS (${e.line})` : 'unknown: no "listening on" line in the log read (restarted, or try without --since/--tail)';
    ctx.io.out.write(`pod/${p.metadata.name}: ${says}\n`);
  });
  if (notTls > 0) {
    throw new OperationError(`${notTls} of ${live.pods.length} pods of ${workloadName(live.workload)} do not show that they serve TLS`, 'regctl secure serves the registry over TLS');
  }
}
