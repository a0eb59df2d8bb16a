// `regctl deploy` against a cluster: discovery and the existence check (concurrently), then
// the objects created in order, as `oc adm registry` does.
import type { Context } from '../context.js';
import type { Cluster, ClusterInfo, Platform } from '../cluster/types.js';
import { OperationError, UsageError } from '../errors.js';
import { BackupDir, defaultBackupRoot } from '../host/backup.js';
import { commands, info, success } from '../output/messages.js';
import { describePlan, executePlan } from '../plan/legacy-execute.js';
import type { KubeObject } from '../plan/types.js';
import type { Plan, Step } from '../plan/legacy-execute.js';
import { REGISTRY_NAME, registryObjects } from '../templates/registry.js';
import { registryOptions, readTLS, toOptions, type DeployFlags, type DeployOptions } from './deploy.js';
import { deployOpenShift4, toOpenShift4Options } from './deploy-openshift4.js';
import { givesOpenShift4Flags } from './deploy-openshift4-flags.js';
import { resourceName } from '../output/printers.js';
import { waitForRollout } from '../cluster/rollout.js';

const SERVICE_REF = (namespace: string) => ({ apiVersion: 'v1', kind: 'Service', name: REGISTRY_NAME, namespace });
const PRIVILEGED_SCC = { apiVersion: 'security.openshift.io/v1', kind: 'SecurityContextConstraints', name: 'privileged' };

/** `v3.11.0+0cbc58b` → `v3.11.0`: the image tag of the cluster's release. */
export function imageVersion(openshiftVersion: string | undefined): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(openshiftVersion ?? '');
  return m ? `v${m[1]}.${m[2]}${m[3] !== undefined ? `.${m[3]}` : ''}` : undefined;
}

/** The SCC step --mount-host needs on OpenShift, or none when the service account is already a user. */
export function sccStep(scc: KubeObject | undefined, namespace: string, serviceAccount: string): Step | undefined {
  const user = `system:serviceaccount:${namespace}:${serviceAccount}`;
  if (!scc) return undefined;
  const users = (scc as { users?: string[] | null }).users;
  if (users?.includes(user)) return undefined;
  // A JSON patch appends atomically, without racing other edits of the list.
  const patch = users ? [{ op: 'add', path: '/users/-', value: user }] : [{ op: 'add', path: '/users', value: [user] }];
  return { kind: 'patch', describe: `add ${user} to the users of SCC "privileged"`, target: PRIVILEGED_SCC, patchType: 'json', patch };
}

export function planDeploy(objects: KubeObject[], scc?: Step): Plan {
  const steps: Step[] = objects.map((o) => ({ kind: 'create', describe: `create ${resourceName(o)}${o.metadata.namespace ? ` in ${o.metadata.namespace}` : ''}`, object: o }));
  if (scc) steps.splice(steps.findIndex((s) => s.kind === 'create' && s.object.kind !== 'Secret' && s.object.kind !== 'ServiceAccount') , 0, scc);
  return { command: 'deploy', steps };
}

export function choosePlatform(flags: DeployFlags, live: ClusterInfo, cluster: Cluster): Platform {
  const given = flags.platform as Platform | undefined;
  if (given && given !== live.platform) {
    throw new UsageError(`--platform ${given}: the cluster at ${cluster.server} is ${live.platform}; leave --platform out when connected (it is found by discovery)`);
  }
  return live.platform;
}

export async function grantPrivileged(ctx: Context, step: Step | undefined, user: string): Promise<Step | undefined> {
  if (!step) return undefined;
  const grant = `oc adm policy add-scc-to-user privileged ${user}`;
  if (ctx.globals.yes) return step;
  if (ctx.io.canPrompt && (await ctx.prompter.confirm(`--mount-host runs the registry privileged. Add ${user} to the privileged SCC?`, true))) return step;
  throw new UsageError(
    `--mount-host: the service account ${user} is not allowed to run privileged containers`,
    ctx.io.canPrompt ? `grant it yourself (${grant}) or answer yes` : `pass --yes to let regctl grant it, or run: ${grant}`,
  );
}

export async function applyDeploy(flags: DeployFlags, ctx: Context, printWarnings: (ctx: Context, o: DeployOptions, ns: string) => void): Promise<void> {
  // Everything that can be checked offline is checked before the first request: as OpenShift 4
  // when a 4.x flag is given, else as oc adm registry.
  if (givesOpenShift4Flags(flags)) toOpenShift4Options(flags);
  else toOptions(flags);
  const cluster = await ctx.cluster();
  const ns = cluster.namespace;
  const [live, existing] = await Promise.all([cluster.info(), cluster.get(SERVICE_REF(ns))]);
  const platform = choosePlatform(flags, live, cluster);
  if (platform === 'openshift4') return deployOpenShift4(flags, ctx);
  const o = toOptions(flags, platform);
  if (platform === 'openshift3' && o.workload === 'DeploymentConfig' && !live.groups.has('apps.openshift.io')) {
    o.workload = 'Deployment';
    info(ctx.io, 'this cluster serves no DeploymentConfigs (apps.openshift.io): creating an apps/v1 Deployment instead');
  }
  if (platform === 'kubernetes') {
    info(ctx.io, `${cluster.server} is plain Kubernetes: deploying the upstream registry${o.imagesGiven ? '' : ' (docker.io/library/registry:2)'} as a Deployment, without the system:registry binding (the OpenShift registry needs OpenShift's API)`);
  }

  if (existing) {
    ctx.io.out.write(`Docker registry "${REGISTRY_NAME}" service exists\n`);
    return;
  }
  const tls = readTLS(o);
  const version = imageVersion(live.openshiftVersion) ?? 'latest';
  const objects = registryObjects(registryOptions(o, { namespace: ns, version, httpSecret: Buffer.from(ctx.randomBytes(32)).toString('base64'), tls }));
  const saUser = `system:serviceaccount:${ns}:${o.serviceAccount}`;
  const scc = o.storage.type === 'hostPath' && platform === 'openshift3' && live.groups.has('security.openshift.io') ? sccStep(await cluster.get(PRIVILEGED_SCC), ns, o.serviceAccount) : undefined;

  if (ctx.globals.dryRun === 'client') {
    info(ctx.io, `would run, in namespace ${ns}:`);
    commands(ctx.io, describePlan(planDeploy(objects, scc)));
    throw new OperationError(`Docker registry "${REGISTRY_NAME}" service does not exist`);
  }
  printWarnings(ctx, o, ns);
  const plan = planDeploy(objects, await grantPrivileged(ctx, scc, saUser));
  const serverDryRun = ctx.globals.dryRun === 'server';
  await executePlan(plan, {
    cluster,
    io: ctx.io,
    serverDryRun,
    backups: new BackupDir(ctx.globals.backupDir ?? defaultBackupRoot(ctx.env), 'deploy', ctx.now()),
    cli: platform === 'kubernetes' ? 'kubectl' : 'oc',
    report: ctx.globals.output === 'name' ? 'name' : 'verbose',
  });
  if (serverDryRun) {
    success(ctx.io, 'the cluster accepted every object (server dry run): nothing was created');
    return;
  }
  const workload = objects.find((x) => ['DeploymentConfig', 'DaemonSet', 'Deployment'].includes(x.kind))!;
  if (o.wait) {
    await waitForRollout(cluster, { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.metadata.name, namespace: ns }, { timeoutSeconds: o.timeoutSeconds, io: ctx.io });
  }
  success(ctx.io, `registry "${REGISTRY_NAME}" deployed in namespace ${ns}`);
}
