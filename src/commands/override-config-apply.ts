// `regctl override-config` against the cluster: read the registry workload and the config it
// mounts, check, plan (pure, src/templates/registry-config-plan.ts), then print, describe or
// apply; roll out and wait. Also `--show` of the live configuration and `--rollback`.
import type { Context } from '../context.js';
import type { Cluster } from '../cluster/types.js';
import { OperationError, UsageError } from '../errors.js';
import { BackupDir, defaultBackupRoot } from '../host/backup.js';
import { readInputFile } from '../host/files.js';
import { commands, info, success, warn } from '../output/messages.js';
import { formatObjects } from '../output/printers.js';
import { describePlan, executePlan, recreatable } from '../plan/legacy-execute.js';
import type { KubeObject } from '../plan/types.js';
import { REGISTRY_NAME } from '../templates/registry.js';
import { CONFIG_MAP_NAME, IMAGE_DEFAULT_CONFIG } from '../templates/registry-config.js';
import { checkEnvironment, checkRegistryConfig, storageDriver, type Finding } from '../templates/registry-config-check.js';
import {
  configText,
  hasConfigChangeTrigger,
  mountedConfigSource,
  planConfigChange,
  planRollback,
  PREVIOUS_CONFIG_MAP,
  workloadEnv,
  type ConfigPlan,
  type LiveConfigState,
} from '../templates/registry-config-plan.js';
import { parseYamlSource } from '../templates/yaml-source.js';
import { metricsQuery, type OverrideConfigOptions } from './override-config.js';
import { formatFinding, loadConfigValue, metricsSecret, printEffective } from './override-config-run.js';
import { waitForRollout } from '../cluster/rollout.js';

const METRICS_SECRET_ENV = 'REGISTRY_OPENSHIFT_METRICS_SECRET';
const METRICS_ENABLED_ENV = 'REGISTRY_OPENSHIFT_METRICS_ENABLED';

/** The registry workload: a DeploymentConfig (oc adm registry), else a Deployment or DaemonSet (regctl deploy). */
async function findWorkload(cluster: Cluster, ns: string, groups: ReadonlySet<string>): Promise<KubeObject> {
  const candidates = [
    ...(groups.has('apps.openshift.io') ? [{ apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig' }] : []),
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  ];
  const found = await Promise.all(candidates.map((c) => cluster.get({ ...c, name: REGISTRY_NAME, namespace: ns })));
  const w = found.find((x) => x !== undefined);
  if (!w) throw new OperationError(`no registry in namespace ${ns}: no DeploymentConfig, Deployment or DaemonSet "${REGISTRY_NAME}"`, 'deploy it first: regctl deploy (or give the namespace with -n)');
  return w;
}

async function readLive(cluster: Cluster, ctx: Context): Promise<LiveConfigState & { cluster: Cluster }> {
  const ns = cluster.namespace;
  const live = await cluster.info();
  if (live.platform === 'openshift4') {
    throw new OperationError(`the cluster at ${cluster.server} is OpenShift 4: the Image Registry Operator owns the registry's configuration (configs.imageregistry.operator.openshift.io/cluster); a mounted config.yml would be overwritten`);
  }
  if (live.platform === 'kubernetes') {
    throw new OperationError(`the cluster at ${cluster.server} is plain Kubernetes: its registry is the upstream one, which has no OpenShift middleware, so these rules and overrides do not apply`);
  }
  const cmRef = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: ns });
  const [workload, configMap, previous] = await Promise.all([findWorkload(cluster, ns, live.groups), cluster.get(cmRef(CONFIG_MAP_NAME)), cluster.get(cmRef(PREVIOUS_CONFIG_MAP))]);
  const source = mountedConfigSource(workload);
  let current: LiveConfigState['current'];
  if (source) {
    const obj = source.kind === 'ConfigMap' && source.name === CONFIG_MAP_NAME ? configMap : await cluster.get({ apiVersion: 'v1', kind: source.kind, name: source.name, namespace: ns });
    const text = configText(obj);
    if (text !== undefined) current = { text, source: `${source.kind.toLowerCase()}/${source.name}` };
    else warn(ctx.io, `${workload.kind.toLowerCase()}/${REGISTRY_NAME} mounts ${source.kind.toLowerCase()}/${source.name} at /etc/docker/registry/, but it has no config.yml`);
  }
  return { cluster, namespace: ns, workload, configMap, previous, current };
}

function printFindings(ctx: Context, file: string, findings: Finding[]): void {
  for (const f of findings) ctx.io.err.write(formatFinding(file, f));
}

/** --metrics: enabled, with the workload's secret when it has one (so a re-run changes nothing). */
function metricsEnv(o: OverrideConfigOptions, env: Record<string, string>, ctx: Context): Record<string, string> {
  if (!o.metrics) return {};
  const secret = env[METRICS_SECRET_ENV] || metricsSecret(ctx);
  return { [METRICS_ENABLED_ENV]: 'true', [METRICS_SECRET_ENV]: secret };
}

function printMetricsHowTo(ctx: Context, w: KubeObject, ns: string): void {
  const kind = w.kind === 'DeploymentConfig' ? 'dc' : w.kind.toLowerCase();
  const secret = `$(oc get ${kind}/${w.metadata.name} -n ${ns} -o jsonpath='{.spec.template.spec.containers[?(@.name=="registry")].env[?(@.name=="${METRICS_SECRET_ENV}")].value}')`;
  info(ctx.io, 'metrics are served at /extensions/v2/metrics; the secret is the password (any user name):');
  commands(ctx.io, [metricsQuery(`docker-registry.${ns}.svc`, secret)]);
}

export async function applyOverrideConfig(o: OverrideConfigOptions, ctx: Context): Promise<void> {
  // Bad input stops before the first request.
  const text = o.mode === 'apply' && o.file ? readInputFile('FILE', o.file) : undefined;
  if (text !== undefined) {
    try {
      parseYamlSource(text);
    } catch {
      loadConfigValue(o.file!, text); // throws the UsageError with the line
    }
  }
  const cluster = await ctx.cluster();
  const s = await readLive(cluster, ctx);
  const ns = s.namespace;
  const liveEnv = workloadEnv(s.workload);
  const setEnv: Record<string, string> = { ...Object.fromEntries(o.settings.map((x) => [x.env, x.value])), ...metricsEnv(o, liveEnv, ctx) };

  if (o.mode === 'show') {
    const source = s.current ? `${s.current.source} (mounted at /etc/docker/registry/)` : "the image's built-in config.yml (nothing mounted; 3.11 default)";
    printEffective(ctx, source, loadConfigValue(s.current?.source ?? 'built-in config', s.current?.text ?? IMAGE_DEFAULT_CONFIG), { ...liveEnv, ...setEnv });
    return;
  }

  let cp: ConfigPlan;
  if (o.mode === 'rollback') {
    if (!s.previous) throw new OperationError(`nothing to roll back: there is no configmap/${PREVIOUS_CONFIG_MAP} in ${ns} (it is written by regctl override-config FILE)`);
    cp = planRollback({ ...s, previous: s.previous }, ctx.now().toISOString());
  } else {
    const env = { ...liveEnv, ...setEnv };
    const findings = text !== undefined ? checkRegistryConfig(text, env).findings : checkEnvironment(env, storageDriver(parseYamlSource(s.current?.text ?? IMAGE_DEFAULT_CONFIG)));
    printFindings(ctx, o.file ?? `${s.workload.kind.toLowerCase()}/${REGISTRY_NAME}`, findings);
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (errors && !o.force) {
      throw new UsageError(`${o.file ?? 'the registry environment'}: ${errors} error${errors === 1 ? '' : 's'} (above); fix ${errors === 1 ? 'it' : 'them'}, or deploy anyway with --force`);
    }
    if (errors) warn(ctx.io, `deploying despite ${errors} error(s) (--force)`);
    cp = planConfigChange(s, { text, env: setEnv, savedAt: ctx.now().toISOString() });
  }

  const out = ctx.globals.output;
  if (out) {
    const objects = [cp.configMap, cp.workload].filter((x): x is KubeObject => x !== undefined).map(recreatable);
    ctx.io.out.write(formatObjects(objects, out));
    return;
  }
  const wl = s.workload;
  const rollsItself = hasConfigChangeTrigger(wl);
  const changesWorkload = cp.plan.steps.some((st) => st.kind === 'replace');
  if (ctx.globals.dryRun === 'client') {
    if (cp.plan.steps.length === 0) info(ctx.io, 'nothing to change: the registry already runs this configuration');
    else {
      info(ctx.io, `would run, in namespace ${ns}:`);
      const lines = describePlan(cp.plan);
      if (changesWorkload && !rollsItself) lines.push(`${lines.length + 1}. start a new rollout of deploymentconfig/${wl.metadata.name} (it has no ConfigChange trigger)`);
      commands(ctx.io, lines);
    }
    return;
  }
  if (cp.plan.steps.length === 0) {
    info(ctx.io, 'nothing to change: the registry already runs this configuration');
    if (o.metrics) printMetricsHowTo(ctx, wl, ns);
    return;
  }
  const serverDryRun = ctx.globals.dryRun === 'server';
  await executePlan(cp.plan, {
    cluster,
    io: ctx.io,
    serverDryRun,
    backups: new BackupDir(ctx.globals.backupDir ?? defaultBackupRoot(ctx.env), 'override-config', ctx.now()),
    cli: 'oc',
  });
  if (serverDryRun) {
    success(ctx.io, 'the cluster accepted every change (server dry run): nothing was changed');
    return;
  }
  if (changesWorkload && !rollsItself) {
    // `oc rollout latest`: the DeploymentConfig does not roll by itself.
    await cluster.createSubresource({ apiVersion: wl.apiVersion, kind: wl.kind, name: wl.metadata.name, namespace: ns }, 'instantiate', {
      kind: 'DeploymentRequest',
      apiVersion: 'apps.openshift.io/v1',
      name: wl.metadata.name,
      latest: true,
      force: true,
    });
    info(ctx.io, `started a new rollout of deploymentconfig/${wl.metadata.name}`);
  }
  if (o.mode === 'rollback') success(ctx.io, `restored the previous registry configuration (the replaced one is kept in configmap/${PREVIOUS_CONFIG_MAP}; --rollback again to undo)`);
  else if (text !== undefined) success(ctx.io, `registry configuration ${o.file} deployed as configmap/${CONFIG_MAP_NAME} (the previous one is kept in configmap/${PREVIOUS_CONFIG_MAP}; undo with --rollback)`);
  else success(ctx.io, `registry environment updated: ${Object.keys(setEnv).join(', ')}`);
  if (o.metrics) printMetricsHowTo(ctx, wl, ns);
  if (o.wait && changesWorkload) {
    await waitForRollout(cluster, { apiVersion: wl.apiVersion, kind: wl.kind, name: wl.metadata.name, namespace: ns }, { timeoutSeconds: o.timeoutSeconds, io: ctx.io });
  } else if (changesWorkload) {
    info(ctx.io, `the registry is rolling out; follow it with: oc rollout status ${wl.kind === 'DeploymentConfig' ? 'dc' : wl.kind.toLowerCase()}/${wl.metadata.name} -n ${ns}`);
  }
}
