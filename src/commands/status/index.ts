// `regctl status`: every documented way a registry goes wrong, checked at once — one line per
// check (passed, warning, failed, skipped), each problem with the command that fixes it; -o json
// or yaml gives the same as data; exit 1 when a check failed. Read-only: nothing is changed.
import type { Command } from 'commander';
import type { Context } from '../../context.js';
import { OperationError } from '../../errors.js';
import { toYaml } from '../../output/printers.js';
import { action } from '../../runtime.js';
import { summary } from '../catalog.js';
import type { Check, CheckState } from './check.js';
import { configurationChecks, consoleChecks, routeChecks, whitelistChecks } from './checks-openshift.js';
import { tlsChecks, type TlsInputs } from './checks-tls.js';
import { deployedChecks, resourceChecks, storageChecks } from './checks-workload.js';
import { probeRegistry, readLocalFiles } from './inputs.js';
import { readLive, type StatusLive } from './live.js';
import { toOptions, type StatusFlags } from './options.js';

export function register(program: Command): void {
  program
    .command('status')
    .description(summary('status'))
    .option('--registry-url <url>', 'probe TLS here instead of the route host or the service IP (e.g. https://127.0.0.1:5000 after oc port-forward)')
    .option('--ca <file>', 'check the served chain against this CA (default /etc/origin/master/ca.crt when present)')
    .option('--master-config <file>', '3.x: read the registry hostnames (imagePolicyConfig) the certificate must name (default /etc/origin/master/master-config.yaml when present)')
    .option('--node-config <file>', "3.x: a node's docker sysconfig, checked for a leftover --insecure-registry (default /etc/sysconfig/docker when present)")
    .addHelpText(
      'after',
      `
Checks: deployed (service, workload, pods ready and why not; 4.x operator state and
conditions), storage (emptyDir, host path or ReadWriteOnce claim with several pods, NFS without
sessionAffinity ClientIP, missing claim), resources (BestEffort), tls (served, names, expiry,
chain, probe schemes, node --insecure-registry), route, configuration (the mounted config.yml
and environment, as override-config --check), whitelist and mirrors (4.x), console (3.x).
Exit 1 when a check failed; warnings alone exit 0.

Examples:
  regctl status
  regctl status -o json | jq '.checks[] | select(.state != "passed")'
  oc port-forward -n default svc/docker-registry 5000 & regctl status --registry-url https://127.0.0.1:5000`,
    )
    .action(action<StatusFlags>(runStatus));
}

export function judge(live: StatusLive, tls: TlsInputs): Check[] {
  return [
    ...deployedChecks(live),
    ...storageChecks(live),
    ...resourceChecks(live),
    ...tlsChecks(live, tls),
    ...routeChecks(live),
    ...configurationChecks(live),
    ...whitelistChecks(live),
    ...consoleChecks(live, tls.now),
  ];
}

export async function runStatus(flags: StatusFlags, ctx: Context): Promise<void> {
  const opts = toOptions(flags, ctx.globals.output);
  const files = readLocalFiles(opts, ctx);
  const cluster = await ctx.cluster();
  const live = await readLive(cluster);
  const probe = await probeRegistry(opts, live);
  const checks = judge(live, { ...files, now: ctx.now(), probe });
  const count = (s: CheckState) => checks.filter((c) => c.state === s).length;
  const totals = { passed: count('passed'), warning: count('warning'), failed: count('failed'), skipped: count('skipped') };
  if (opts.output) {
    const data = { kind: 'RegistryStatus', platform: live.info.platform, namespace: live.loc.namespace, checks, summary: totals };
    ctx.io.out.write(opts.output === 'json' ? JSON.stringify(data, null, 2) + '\n' : toYaml(data));
  } else {
    for (const c of checks) ctx.io.out.write(formatCheck(ctx, c));
    ctx.io.err.write(`${totals.passed} passed, ${totals.warning} warning${totals.warning === 1 ? '' : 's'}, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  }
  if (totals.failed > 0) throw new OperationError(`${totals.failed} of ${checks.length} checks failed`, 'each failed line says the command that fixes it');
}

const LABEL: Record<CheckState, string> = { passed: 'ok', warning: 'WARN', failed: 'FAIL', skipped: 'skip' };

function formatCheck(ctx: Context, c: Check): string {
  const color = c.state === 'failed' ? ctx.io.color.red : c.state === 'warning' ? ctx.io.color.yellow : c.state === 'passed' ? ctx.io.color.green : ctx.io.color.dim;
  const head = `${color(LABEL[c.state].padEnd(4))}  ${c.check.padEnd(13)} ${c.message}\n`;
  return c.fix && (c.state === 'failed' || c.state === 'warning') ? `${head}      ${''.padEnd(13)} fix: ${c.fix}\n` : head;
}
