// `regctl secure`: "Securing the Registry" (seed 003; SPEC.md "secure") in one command.
// flags → options → live objects (one wave) → the certificate (decided, and issued unless this
// is a preview) → planSecure (pure) → finish().
import type { Command } from 'commander';
import type { Cluster } from '../../cluster/types.js';
import type { Context } from '../../context.js';
import { OperationError } from '../../errors.js';
import { checkTrustDir, readFilesIfPresent, readNodeConfig } from '../../host/node-files.js';
import { info, warn } from '../../output/messages.js';
import { poll, pollInterval, sleptClock } from '../../output/poll.js';
import { finish } from '../../plan/run.js';
import type { AfterWorld } from '../../plan/types.js';
import { podSelector } from '../../registry/pods.js';
import { rendering } from '../../registry/target.js';
import { action } from '../../runtime.js';
import { certsDirs } from '../../templates/secure.js';
import { collect } from '../../validate.js';
import { summary } from '../catalog.js';
import { waitForRollout } from '../../cluster/rollout.js';
import { decideCertificate, serviceEndpoint } from './certificate.js';
import { readLive, type SecureLive } from './live.js';
import { DEFAULT_CERTS_D, DEFAULT_NODE_CONFIG, toOptions, type SecureFlags, type SecureOptions } from './options.js';
import { planSecure, type SecureLocal } from './plan.js';

export function register(program: Command): void {
  program
    .command('secure')
    .description(summary('secure'))
    .option('--signer-cert <file>', 'sign with this CA certificate (else a CA regctl creates once in --cert-dir)')
    .option('--signer-key <file>', 'the key of --signer-cert')
    .option('--signer-serial <file>', "the CA's serial file, read and advanced (without it: a random serial)")
    .option('--cert <file>', 'use this certificate (it must cover the names) instead of issuing one')
    .option('--key <file>', 'the key of --cert')
    .option('--cert-dir <dir>', "where regctl keeps its CA for this cluster (default ~/.regctl/pki/<API server host>)")
    .option('--hostnames <names>', 'more names for the certificate, e.g. the route host (comma separated, repeatable)', collect)
    .option('--replace-hostnames', "issue for the service's names and --hostnames only (else a new certificate keeps the current one's names and the passthrough route hosts)")
    .option('--expire-days <days>', 'validity of the registry certificate in days', '730')
    .option('--signer-expire-days <days>', 'validity of a CA regctl creates, in days', '1825')
    .option('--key-size <bits>', 'RSA key size: 2048, 3072, 4096', '2048')
    .option('--renew', 'issue a new certificate even if the current one is fine')
    .option('--daemonset', 'secure the DaemonSet docker-registry')
    .option('--deployment', 'secure the apps/v1 Deployment docker-registry')
    .option('--wait', 'wait for the rollout and for "listening on :5000, tls" in the registry log')
    .option('--timeout <seconds>', 'how long --wait waits', '300')
    .option('--trust-local', 'install the CA for docker on this machine (<certs.d>/<ip>:<port>/ca.crt and the service name)')
    .option('--trust-script <file>', 'write the commands that make a node trust the CA to this file (else they are printed)')
    .option('--certs-d <dir>', "docker's certificates directory", DEFAULT_CERTS_D)
    .option('--node-config <file>', "with --trust-local: this node's docker sysconfig, from which the registry's --insecure-registry entry is removed (backed up)", DEFAULT_NODE_CONFIG)
    .option('--restart', 'with --trust-local: restart docker after editing --node-config (systemctl daemon-reload, restart docker)')
    .addHelpText(
      'after',
      `
A new certificate (the first, or --renew) keeps the names of the current one and the hosts of
passthrough routes to the registry, and adds --hostnames; --replace-hostnames drops the rest.
-o and --dry-run issue nothing: the certificate and key are shown as placeholders.

Examples:
  # Everything, with a CA regctl keeps in ~/.regctl/pki/<cluster>, and wait for TLS
  regctl secure --wait

  # Sign with the master's CA, as the document does, and add the route host
  regctl secure --signer-cert=/etc/origin/master/ca.crt --signer-key=/etc/origin/master/ca.key \\
      --signer-serial=/etc/origin/master/ca.serial.txt --hostnames=docker-registry.apps.example.com

  # A new certificate that also names another host (the current names are kept)
  regctl secure --renew --hostnames=registry.example.com

  # Review the Secret, the service accounts and the DeploymentConfig first
  regctl secure -o yaml`,
    )
    .action(action<SecureFlags>(runSecure));
}

/** The files on this machine the plan may write, as they are now. */
function readLocal(o: SecureOptions, live: SecureLive, ctx: Context): SecureLocal {
  const text = (p: string) => ctx.host.readFile(p)?.toString('utf8');
  if (o.trustLocal) {
    const { clusterIP, port } = serviceEndpoint(live.service);
    const nodeConfig = readNodeConfig(o.nodeConfig);
    if (!nodeConfig) info(ctx.io, `no ${o.nodeConfig} on this machine: no --insecure-registry entry to remove`);
    return { trustFiles: readFilesIfPresent(certsDirs({ certsD: o.certsD, clusterIP, port, namespace: live.namespace }).map((d) => `${d}/ca.crt`)), nodeConfig };
  }
  if (o.trustScript) return { trustScript: text(o.trustScript) };
  return {};
}

export async function runSecure(flags: SecureFlags, ctx: Context): Promise<void> {
  const o = toOptions(flags);
  if (o.trustLocal) checkTrustDir('--certs-d', o.certsD);
  const cluster = await ctx.cluster();
  const live = await readLive(o, cluster);
  const g = ctx.globals;
  const preview = rendering(ctx) || g.dryRun !== 'none';
  const cert = await decideCertificate(o, live, { now: ctx.now(), env: ctx.env, randomBytes: ctx.randomBytes, preview });
  // What was decided about the certificate, and what is wrong with it, before the plan runs.
  for (const line of cert.warnings) warn(ctx.io, line);
  for (const line of cert.infos) info(ctx.io, line);
  const plan = planSecure(o, live, cert, readLocal(o, live, ctx));
  if (o.wait) plan.after = (w) => waitForTLS(w, live, o.timeoutSeconds);
  await finish(plan, ctx);
}

/** --wait: the rollout, then a registry pod that logs it listens with TLS. */
async function waitForTLS(w: AfterWorld, live: SecureLive, timeoutSeconds: number): Promise<void> {
  const cluster = w.cluster as Cluster;
  const clock = sleptClock(w.sleep);
  const wl = live.workload;
  await waitForRollout(cluster, { apiVersion: wl.apiVersion, kind: wl.kind, name: wl.metadata.name, namespace: live.namespace }, { timeoutSeconds, io: w.io, env: w.env, ...clock });
  const labelSelector = podSelector(wl);
  await poll({
    what: 'a registry pod serving TLS',
    io: w.io,
    timeoutMs: timeoutSeconds * 1000,
    intervalMs: pollInterval(w.env, 1000),
    ...clock,
    async check() {
      const pods = (await cluster.list('v1', 'Pod', { namespace: live.namespace, labelSelector })) as (SecureLive['workload'] & { status?: { phase?: string } })[];
      const running = pods.filter((p) => p.status?.phase === 'Running').sort((a, b) => String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')));
      for (const p of running) {
        const log = await cluster.logs(live.namespace, p.metadata.name, { tailLines: 500 }).catch(() => '');
        const line = log.split('\n').find((l) => /listening on [^ ]*, tls/.test(l));
        if (line) return { done: true, value: undefined, text: `pod ${p.metadata.name} is serving TLS: ${/msg="([^"]*)"/.exec(line)?.[1] ?? line.trim()}` };
      }
      return { done: false, text: running.length ? `${running.length} running pod(s), none logged "listening on :5000, tls" yet` : 'no running registry pod yet' };
    },
    timeout: () =>
      new OperationError('no registry pod logged "listening on :5000, tls" in time', `look at the log: ${live.info.platform === 'kubernetes' ? 'kubectl' : 'oc'} logs ${wl.kind.toLowerCase()}/${wl.metadata.name} -n ${live.namespace} | grep tls`),
  });
}
