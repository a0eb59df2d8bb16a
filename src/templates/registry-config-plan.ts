// Deploying a config.yml (seed 000 steps 3-5): ConfigMap `registry-config`, mounted at
// /etc/docker/registry/, selected with REGISTRY_CONFIGURATION_PATH, rolled out. The edits of the
// live workload and the plan are pure: live objects in, objects and steps out.
import { createHash } from 'node:crypto';
import type { KubeObject, ObjectRef } from '../plan/types.js';
import { CONFIG_KEY, CONFIG_MAP_NAME, CONFIG_MOUNT_DIR, CONFIG_PATH, CONFIG_PATH_ENV } from './registry-config.js';

/** Holds the config that the last change replaced, for `--rollback` (kept in the cluster). */
export const PREVIOUS_CONFIG_MAP = 'registry-config-previous';
export const CONFIG_VOLUME = 'registry-config';
/** On the pod template: a content-only change still changes the template, so it rolls out. */
export const CONFIG_HASH_ANNOTATION = 'regctl.io/registry-config-sha256';
export const PREVIOUS_SOURCE_ANNOTATION = 'regctl.io/previous-source';
export const SAVED_AT_ANNOTATION = 'regctl.io/saved-at';

type Obj = Record<string, any>;

/** What the change asks for; override-config turns each into a runner step against the live object it read. */
export type Step = { kind: 'apply' | 'replace'; describe: string; object: KubeObject } | { kind: 'delete'; describe: string; target: ObjectRef };
export interface Plan {
  command: string;
  steps: Step[];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const MOUNT_PATHS = new Set([CONFIG_MOUNT_DIR, CONFIG_MOUNT_DIR.replace(/\/$/, '')]);

/** The registry container: named `registry` (as deploy and oc adm registry name it), else the first. */
export function registryContainer(podSpec: Obj): Obj | undefined {
  const cs = (podSpec.containers ?? []) as Obj[];
  return cs.find((c) => c.name === 'registry') ?? cs[0];
}

export function podSpecOf(w: KubeObject): Obj {
  return ((w.spec as Obj | undefined)?.template?.spec ?? {}) as Obj;
}

/** Where the workload's mounted config comes from: the volume at /etc/docker/registry/, if any. */
export function mountedConfigSource(w: KubeObject): { kind: 'ConfigMap' | 'Secret'; name: string } | undefined {
  const spec = podSpecOf(w);
  const c = registryContainer(spec);
  const mount = ((c?.volumeMounts ?? []) as Obj[]).find((m) => MOUNT_PATHS.has(m.mountPath));
  if (!mount) return undefined;
  const vol = ((spec.volumes ?? []) as Obj[]).find((v) => v.name === mount.name);
  if (vol?.configMap?.name) return { kind: 'ConfigMap', name: vol.configMap.name };
  if (vol?.secret?.secretName) return { kind: 'Secret', name: vol.secret.secretName };
  return undefined;
}

/** config.yml out of a ConfigMap or a Secret (base64). */
export function configText(obj: KubeObject | undefined): string | undefined {
  if (!obj) return undefined;
  if (obj.kind === 'Secret') {
    const b64 = (obj.data as Record<string, string> | undefined)?.[CONFIG_KEY];
    return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
  }
  return (obj.data as Record<string, string> | undefined)?.[CONFIG_KEY];
}

export function workloadEnv(w: KubeObject): Record<string, string> {
  const c = registryContainer(podSpecOf(w));
  const env: Record<string, string> = {};
  for (const e of (c?.env ?? []) as Obj[]) if (typeof e.value === 'string') env[e.name] = e.value;
  return env;
}

function setEnv(c: Obj, values: Record<string, string>): void {
  const env = ((c.env ?? []) as Obj[]).map((e) => ({ ...e }));
  for (const [name, value] of Object.entries(values)) {
    const i = env.findIndex((e) => e.name === name);
    if (i >= 0) env[i] = { name, value };
    else env.push({ name, value });
  }
  c.env = env;
}

/** The workload with the registry container's variables set (replaced in place, else added). */
export function withEnv(w: KubeObject, values: Record<string, string>): KubeObject {
  const next = structuredClone(w);
  const c = registryContainer(podSpecOf(next));
  if (c) setEnv(c, values);
  return next;
}

/**
 * The workload with the config mounted: volume `registry-config` from the ConfigMap (replacing
 * any other volume mounted at /etc/docker/registry/, such as the older secret), the mount, the
 * path variable, the `--set` variables, and the config's hash on the pod template.
 */
export function withConfigMounted(w: KubeObject, o: { configHash?: string; env?: Record<string, string> }): KubeObject {
  const next = structuredClone(w) as KubeObject & Obj;
  const tmpl = next.spec.template as Obj;
  const spec = tmpl.spec as Obj;
  const c = registryContainer(spec)!;
  if (o.configHash !== undefined) {
    const old = ((c.volumeMounts ?? []) as Obj[]).filter((m) => MOUNT_PATHS.has(m.mountPath) || m.name === CONFIG_VOLUME).map((m) => m.name as string);
    c.volumeMounts = [...((c.volumeMounts ?? []) as Obj[]).filter((m) => !old.includes(m.name)), { name: CONFIG_VOLUME, mountPath: CONFIG_MOUNT_DIR }];
    const stillUsed = (name: string) => ((spec.containers ?? []) as Obj[]).some((x) => ((x.volumeMounts ?? []) as Obj[]).some((m) => m.name === name));
    // A live volume already on the ConfigMap is kept as the server defaulted it (defaultMode: 420), so a re-run changes nothing.
    const live = ((spec.volumes ?? []) as Obj[]).find((v) => v.name === CONFIG_VOLUME && (v.configMap as Obj | undefined)?.name === CONFIG_MAP_NAME);
    spec.volumes = [
      ...((spec.volumes ?? []) as Obj[]).filter((v) => !(old.includes(v.name) && !stillUsed(v.name)) && v.name !== CONFIG_VOLUME),
      live ?? { name: CONFIG_VOLUME, configMap: { name: CONFIG_MAP_NAME } },
    ];
    setEnv(c, { [CONFIG_PATH_ENV]: CONFIG_PATH });
    tmpl.metadata = { ...(tmpl.metadata ?? {}), annotations: { ...(tmpl.metadata?.annotations ?? {}), [CONFIG_HASH_ANNOTATION]: o.configHash } };
  }
  if (o.env && Object.keys(o.env).length) setEnv(c, o.env);
  return next;
}

/** The workload back on the image's built-in config: no config volume, mount, path or hash. */
export function withConfigUnmounted(w: KubeObject): KubeObject {
  const next = structuredClone(w) as KubeObject & Obj;
  const tmpl = next.spec.template as Obj;
  const spec = tmpl.spec as Obj;
  const c = registryContainer(spec)!;
  const old = ((c.volumeMounts ?? []) as Obj[]).filter((m) => MOUNT_PATHS.has(m.mountPath)).map((m) => m.name as string);
  c.volumeMounts = ((c.volumeMounts ?? []) as Obj[]).filter((m) => !old.includes(m.name));
  if (c.volumeMounts.length === 0) delete c.volumeMounts;
  spec.volumes = ((spec.volumes ?? []) as Obj[]).filter((v) => !old.includes(v.name));
  c.env = ((c.env ?? []) as Obj[]).filter((e) => e.name !== CONFIG_PATH_ENV);
  const ann = { ...(tmpl.metadata?.annotations ?? {}) };
  delete ann[CONFIG_HASH_ANNOTATION];
  if (tmpl.metadata) {
    if (Object.keys(ann).length) tmpl.metadata.annotations = ann;
    else delete tmpl.metadata.annotations;
  }
  return next;
}

/** Does a DeploymentConfig roll out by itself when its template changes? */
export function hasConfigChangeTrigger(w: KubeObject): boolean {
  if (w.kind !== 'DeploymentConfig') return true;
  return (((w.spec as Obj | undefined)?.triggers ?? []) as Obj[]).some((t) => t.type === 'ConfigChange');
}

export function configMap(o: { namespace: string; name: string; labels?: Record<string, string>; annotations?: Record<string, string>; text?: string }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      ...(o.labels && Object.keys(o.labels).length ? { labels: { ...o.labels } } : {}),
      ...(o.annotations ? { annotations: { ...o.annotations } } : {}),
    },
    data: o.text === undefined ? {} : { [CONFIG_KEY]: o.text },
  };
}

/** The live ConfigMap with new data (keeping its metadata), or a new one. */
function desiredConfigMap(live: KubeObject | undefined, fresh: KubeObject): KubeObject {
  if (!live) return fresh;
  return { ...structuredClone(live), data: fresh.data, metadata: { ...structuredClone(live.metadata), annotations: { ...(live.metadata.annotations ?? {}), ...(fresh.metadata.annotations ?? {}) } } };
}

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));

export interface LiveConfigState {
  namespace: string;
  workload: KubeObject;
  /** ConfigMap registry-config, if it exists. */
  configMap?: KubeObject;
  /** The config in effect (what the workload mounts), and where it comes from. */
  current?: { text: string; source: string };
  previous?: KubeObject;
}

export interface ConfigChange {
  /** The config.yml to deploy; absent for an environment-only change. */
  text?: string;
  env?: Record<string, string>;
  /** When the backup is taken, for its annotation. */
  savedAt: string;
}

function ref(o: KubeObject) {
  return `${o.kind.toLowerCase()}/${o.metadata.name}`;
}

function workloadStep(live: KubeObject, next: KubeObject, why: string): Step[] {
  if (canonical((next.spec as Obj).template) === canonical((live.spec as Obj).template)) return [];
  return [{ kind: 'replace', describe: `update ${ref(live)}: ${why}`, object: next }];
}

function backupStep(s: LiveConfigState, savedAt: string, labels: Record<string, string>): Step {
  const cm = configMap({
    namespace: s.namespace,
    name: PREVIOUS_CONFIG_MAP,
    labels,
    annotations: { [PREVIOUS_SOURCE_ANNOTATION]: s.current?.source ?? 'none', [SAVED_AT_ANNOTATION]: savedAt },
    text: s.current?.text,
  });
  const what = s.current ? `the config in effect (${s.current.source})` : "the note that the image's built-in config is in effect";
  return { kind: 'apply', describe: `save ${what} to configmap/${PREVIOUS_CONFIG_MAP} (for --rollback)`, object: desiredConfigMap(s.previous, cm) };
}

function labelsOf(w: KubeObject): Record<string, string> {
  return { ...(w.metadata.labels ?? {}) };
}

/** A plan, and the ConfigMap and workload as they will be (what `-o yaml` prints). */
export interface ConfigPlan {
  plan: Plan;
  configMap?: KubeObject;
  workload: KubeObject;
}

/** `override-config FILE` and `--set`: no steps when the cluster already has it all. */
export function planConfigChange(s: LiveConfigState, c: ConfigChange): ConfigPlan {
  const steps: Step[] = [];
  const labels = labelsOf(s.workload);
  let next = s.workload;
  let cm: KubeObject | undefined;
  if (c.text !== undefined) {
    const hash = sha256(c.text);
    const cmChanges = configText(s.configMap) !== c.text;
    const effectChanges = s.current?.text !== c.text;
    cm = desiredConfigMap(s.configMap, configMap({ namespace: s.namespace, name: CONFIG_MAP_NAME, labels, text: c.text }));
    if (effectChanges) steps.push(backupStep(s, c.savedAt, labels));
    if (cmChanges) {
      steps.push({ kind: 'apply', describe: `${s.configMap ? 'replace' : 'create'} configmap/${CONFIG_MAP_NAME} with ${CONFIG_KEY} (sha256 ${hash.slice(0, 12)})`, object: cm });
    }
    next = withConfigMounted(next, { configHash: hash });
  }
  if (c.env && Object.keys(c.env).length) next = withConfigMounted(next, { env: c.env });
  const why = [
    c.text !== undefined ? `mount configmap/${CONFIG_MAP_NAME} at ${CONFIG_MOUNT_DIR}, set ${CONFIG_PATH_ENV}=${CONFIG_PATH}` : undefined,
    c.env && Object.keys(c.env).length ? `set ${Object.keys(c.env).join(', ')}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  steps.push(...workloadStep(s.workload, next, why));
  return { plan: { command: 'override-config', steps }, configMap: cm, workload: next };
}

/** `--rollback`: the saved config back in effect; what was in effect becomes the saved one. */
export function planRollback(s: LiveConfigState & { previous: KubeObject }, now: string): ConfigPlan {
  const steps: Step[] = [];
  const labels = labelsOf(s.workload);
  const source = s.previous.metadata.annotations?.[PREVIOUS_SOURCE_ANNOTATION] ?? 'none';
  const text = configText(s.previous);
  const savedAt = s.previous.metadata.annotations?.[SAVED_AT_ANNOTATION] ?? '';
  steps.push(backupStep(s, now, labels));
  if (source === 'none' || text === undefined) {
    const next = withConfigUnmounted(s.workload);
    steps.push(...workloadStep(s.workload, next, `unmount the config, remove ${CONFIG_PATH_ENV} (back to the image's built-in config)`));
    if (s.configMap) {
      steps.push({ kind: 'delete', describe: `delete configmap/${CONFIG_MAP_NAME} (its content is kept in configmap/${PREVIOUS_CONFIG_MAP})`, target: { apiVersion: 'v1', kind: 'ConfigMap', name: CONFIG_MAP_NAME, namespace: s.namespace } });
    }
    return { plan: { command: 'override-config', steps }, workload: next };
  }
  const cm = desiredConfigMap(s.configMap, configMap({ namespace: s.namespace, name: CONFIG_MAP_NAME, labels, text }));
  if (configText(s.configMap) !== text) {
    steps.push({ kind: 'apply', describe: `restore configmap/${CONFIG_MAP_NAME} to the config saved ${savedAt ? `at ${savedAt} ` : ''}(from ${source})`, object: cm });
  }
  const next = withConfigMounted(s.workload, { configHash: sha256(text) });
  steps.push(...workloadStep(s.workload, next, `mount configmap/${CONFIG_MAP_NAME} at ${CONFIG_MOUNT_DIR}`));
  return { plan: { command: 'override-config', steps }, configMap: cm, workload: next };
}
