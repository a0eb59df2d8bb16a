// `regctl override-config` plans, pure. Deploying a file, --set/--metrics and --rollback: the
// change computed by src/templates/registry-config-plan.ts, each of its steps made a runner step
// against the live object it was computed from (conditional writes). --init: the config file as
// a writeFile step (backed up when --force replaces one, removed again on failure).
import { waitForRollout } from '../../cluster/rollout.js';
import { OperationError, UsageError } from '../../errors.js';
import { info } from '../../output/messages.js';
import { recreatable } from '../../plan/execute.js';
import { emptyPlan, type KubeObject, type Plan, type Step } from '../../plan/types.js';
import { METRICS_ENABLED_ENV, METRICS_SECRET_ENV } from '../../templates/metrics.js';
import { CONFIG_MAP_NAME, CONFIG_MOUNT_DIR, initialConfig } from '../../templates/registry-config.js';
import { checkRegistryConfig, checkRegistryEnvironment, type Finding } from '../../registry-config/check.js';
import { configCredentials } from '../../registry-config/credentials.js';
import {
  hasConfigChangeTrigger,
  planConfigChange,
  planRollback,
  PREVIOUS_CONFIG_MAP,
  storeFor,
  workloadEnv,
  workloadMountPaths,
  type ConfigPlan,
  type Step as ConfigStep,
} from '../../templates/registry-config-plan.js';
import type { OverrideLive } from './live.js';
import { metricsQuery, type OverrideConfigOptions } from './options.js';


/** What a run takes from outside: the file's text, a fresh metrics secret, the time (for the backup's annotation), the CloudFront key. */
export interface Inputs {
  text?: string;
  newMetricsSecret: string;
  now: Date;
  /** `--cloudfront-key`: the PEM, and the path the config's privatekey names. */
  cloudfrontKey?: { file: string; pem: string };
}

/** The environment --set and --metrics give; --metrics keeps the workload's secret when it has one (a re-run changes nothing). */
export function settingsEnv(o: OverrideConfigOptions, live: OverrideLive, newSecret: string): Record<string, string> {
  const env: Record<string, string> = Object.fromEntries(o.settings.map((x) => [x.env, x.value]));
  if (o.metrics) Object.assign(env, { [METRICS_ENABLED_ENV]: 'true', [METRICS_SECRET_ENV]: workloadEnv(live.workload)[METRICS_SECRET_ENV] || newSecret });
  return env;
}

/**
 * What the registry and the documents' rules say of the change: the file with the environment
 * (and the mounts, for key files), or what the registry says of the environment alone.
 * Connected to OpenShift 3.x (readLive refuses the rest), the registry is 3.11's.
 */
export function checkChange(o: OverrideConfigOptions, live: OverrideLive, inputs: Inputs): { findings: Finding[]; errors: number } {
  if (o.mode === 'rollback') return { findings: [], errors: 0 };
  const env = { ...workloadEnv(live.workload), ...settingsEnv(o, live, inputs.newMetricsSecret) };
  const release = o.registryVersion ?? '3.11';
  // Key files must be mounted by something other than the config's own volume.
  const mounts = [...workloadMountPaths(live.workload).filter((m) => m.replace(/\/$/, '') !== CONFIG_MOUNT_DIR.replace(/\/$/, '')), ...(inputs.cloudfrontKey ? [inputs.cloudfrontKey.file] : [])];
  const findings = inputs.text !== undefined ? checkRegistryConfig(inputs.text, { env, release, mounts }).findings : checkRegistryEnvironment(env, { text: live.current?.text, release });
  return { findings, errors: findings.filter((f) => f.severity === 'error').length };
}

/** The runner step for one of the change's steps, against the live object it replaces. */
function runnerStep(s: ConfigStep, live: OverrideLive): Step {
  const find = (kind: string, name: string) => live.objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (s.kind === 'delete') {
    const target = find(s.target.kind, s.target.name);
    if (!target) throw new Error(`internal: delete of ${s.target.kind}/${s.target.name}, which was not read`);
    return { kind: 'delete', describe: s.describe, live: target };
  }
  const current = find(s.object.kind, s.object.metadata.name);
  // What is sent (and printed) carries no server-set fields: the write is conditional on the live version anyway.
  return current ? { kind: 'update', describe: s.describe, object: recreatable(s.object), live: current } : { kind: 'create', describe: s.describe, object: s.object };
}

function rolloutHint(w: KubeObject, ns: string): string {
  return `oc rollout status ${w.kind === 'DeploymentConfig' ? 'dc' : w.kind.toLowerCase()}/${w.metadata.name} -n ${ns}`;
}

function metricsHowTo(w: KubeObject, ns: string): string[] {
  const kind = w.kind === 'DeploymentConfig' ? 'dc' : w.kind.toLowerCase();
  const secret = `$(oc get ${kind}/${w.metadata.name} -n ${ns} -o jsonpath='{.spec.template.spec.containers[?(@.name=="registry")].env[?(@.name=="${METRICS_SECRET_ENV}")].value}')`;
  return ['# metrics are served at /extensions/v2/metrics; the secret is the password (any user name):', metricsQuery(`docker-registry.${ns}.svc`, secret)];
}

/** Deploy a file, --set/--metrics, or --rollback. */
export function planOverrideConfig(o: OverrideConfigOptions, live: OverrideLive, inputs: Inputs): Plan {
  const plan = emptyPlan('override-config');
  plan.warnings.push(...live.warnings);
  const ns = live.namespace;
  const wl = live.workload;
  let cp: ConfigPlan;
  if (o.mode === 'rollback') {
    if (!live.previous) throw new OperationError(`nothing to roll back: there is no ${PREVIOUS_CONFIG_MAP} (configmap or secret) in ${ns} (it is written by regctl override-config FILE)`);
    cp = planRollback({ ...live, previous: live.previous }, inputs.now.toISOString());
  } else {
    const store = inputs.text !== undefined ? storeFor(inputs.text, live, o.configMap) : undefined;
    cp = planConfigChange(live, { text: inputs.text, env: settingsEnv(o, live, inputs.newMetricsSecret), store, cloudfrontKey: inputs.cloudfrontKey, savedAt: inputs.now.toISOString() });
  }
  plan.steps.push(...cp.plan.steps.map((s) => runnerStep(s, live)));
  if (plan.steps.length === 0) {
    plan.nothing = 'nothing to change: the registry already runs this configuration';
    return plan;
  }
  const changesWorkload = cp.plan.steps.some((s) => s.kind === 'replace');
  const rollsItself = hasConfigChangeTrigger(wl);
  const ref = { apiVersion: wl.apiVersion, kind: wl.kind, name: wl.metadata.name, namespace: ns };
  if (changesWorkload && !rollsItself) plan.warnings.push(`deploymentconfig/${wl.metadata.name} has no ConfigChange trigger: after the change regctl starts a new rollout (as oc rollout latest)`);
  const rollout = changesWorkload && !rollsItself;
  const wait = o.wait && changesWorkload;
  if (rollout || wait) {
    plan.after = async (w) => {
      const cluster = w.cluster!;
      if (rollout) {
        // `oc rollout latest`: the DeploymentConfig does not roll by itself.
        await cluster.createSubresource(ref, 'instantiate', { kind: 'DeploymentRequest', apiVersion: 'apps.openshift.io/v1', name: wl.metadata.name, latest: true, force: true });
        info(w.io, `started a new rollout of deploymentconfig/${wl.metadata.name}`);
      }
      if (wait) await waitForRollout(cluster, ref, { timeoutSeconds: o.timeoutSeconds, io: w.io, env: w.env, sleep: w.sleep });
    };
  }
  if (o.mode === 'rollback') plan.done = `restored the previous registry configuration (the replaced one is kept in ${PREVIOUS_CONFIG_MAP}; --rollback again to undo)`;
  else if (inputs.text !== undefined) {
    const held = configCredentials(inputs.text).length ? ' (it holds credentials)' : '';
    plan.done = `registry configuration ${o.file} deployed as ${cp.configMap!.kind.toLowerCase()}/${CONFIG_MAP_NAME}${held} (the previous one is kept in ${PREVIOUS_CONFIG_MAP}; undo with --rollback)`;
  }
  else plan.done = `registry environment updated: ${Object.keys(settingsEnv(o, live, inputs.newMetricsSecret)).join(', ')}`;
  if (o.metrics) plan.notes.push(...metricsHowTo(wl, ns));
  if (changesWorkload && !o.wait) plan.notes.push(`# the registry is rolling out; follow it with:`, rolloutHint(wl, ns));
  return plan;
}

/** `--init FILE`: the documented config.yml written (mode 0600: it will hold credentials once filled in). */
export function planInit(o: OverrideConfigOptions, exists: boolean, metricsSecret: string | undefined, ns: string): Plan {
  const file = o.file!;
  if (exists && !o.force) throw new UsageError(`"${file}" already exists; give another FILE, or --force to overwrite it (the old one is saved in the backup directory)`);
  const plan = emptyPlan('override-config');
  plan.steps.push({ kind: 'writeFile', describe: `write the documented config.yml${o.storage !== 'filesystem' ? ` (storage: ${o.storage})` : ''} to ${file} (mode 0600)`, path: file, content: initialConfig({ storage: o.storage, metricsSecret }), mode: 0o600 });
  plan.notes.push(...initNotes(o, file, metricsSecret, ns));
  return plan;
}

/** What to do with the file once written (or printed, for FILE "-"). */
export function initNotes(o: OverrideConfigOptions, file: string, metricsSecret: string | undefined, ns: string): string[] {
  const name = file === '-' ? 'config.yml' : file;
  const notes = [o.storage !== 'filesystem' ? `# fill in the <...> values of the ${o.storage} section, then check the file:` : '# edit it, then check and deploy it:', `regctl override-config --check ${name}`, `regctl override-config ${name} --wait`];
  if (metricsSecret) {
    notes.push('# metrics are enabled with a generated secret; once deployed, query them with:');
    notes.push(metricsQuery(`docker-registry.${ns}.svc`, file === '-' ? '<the secret in openshift.metrics.secret>' : `$(sed -n 's/^ *secret: //p' ${name})`));
  }
  return notes;
}
