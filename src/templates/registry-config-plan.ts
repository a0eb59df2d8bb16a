// Deploying a config.yml (seed 000 steps 3-5): Secret `registry-config` when the config holds
// credentials (or ConfigMap `registry-config` when it holds none), mounted at
// /etc/docker/registry/, selected with REGISTRY_CONFIGURATION_PATH, rolled out; a CloudFront key
// in its own Secret, mounted where the config names it. The edits of the live workload and the
// plan are pure: live objects in, objects and steps out.
import { createHash } from 'node:crypto';
import type { KubeObject, ObjectRef } from '../plan/types.js';
import { configCredentials } from '../registry-config/credentials.js';
import { CONFIG_KEY, CONFIG_MAP_NAME, CONFIG_MOUNT_DIR, CONFIG_PATH, CONFIG_PATH_ENV } from './registry-config.js';

/** Holds the config that the last change replaced, for `--rollback` (kept in the cluster; a Secret when it holds credentials). */
export const PREVIOUS_CONFIG_MAP = 'registry-config-previous';
/** Secret and volume of the CloudFront private key (`--cloudfront-key`). */
export const CLOUDFRONT_KEY_SECRET = 'registry-cloudfront-key';
export const CLOUDFRONT_KEY_ITEM = 'cloudfront.pem';

/** Where config.yml is kept: a Secret by default for credentials, a ConfigMap for the rest. */
export type ConfigStore = 'ConfigMap' | 'Secret';
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

/** The volume that mounts config.yml from its store. */
function configVolume(store: ConfigStore): Obj {
  return store === 'Secret' ? { name: CONFIG_VOLUME, secret: { secretName: CONFIG_MAP_NAME } } : { name: CONFIG_VOLUME, configMap: { name: CONFIG_MAP_NAME } };
}

function sameSource(v: Obj, store: ConfigStore): boolean {
  return store === 'Secret' ? (v.secret as Obj | undefined)?.secretName === CONFIG_MAP_NAME : (v.configMap as Obj | undefined)?.name === CONFIG_MAP_NAME;
}

/** A file mounted from a Secret item with subPath, so the rest of its directory stays as the image has it. */
export interface KeyFileMount {
  file: string;
  secret: string;
  item: string;
}

/**
 * The workload with the config mounted: volume `registry-config` from the store (replacing
 * any other volume mounted at /etc/docker/registry/, such as the older secret), the mount, the
 * path variable, the `--set` variables, the key files, and the config's hash on the pod template.
 */
export function withConfigMounted(w: KubeObject, o: { configHash?: string; store?: ConfigStore; env?: Record<string, string>; keyFiles?: KeyFileMount[] }): KubeObject {
  const next = structuredClone(w) as KubeObject & Obj;
  const tmpl = next.spec.template as Obj;
  const spec = tmpl.spec as Obj;
  const c = registryContainer(spec)!;
  if (o.configHash !== undefined) {
    const store = o.store ?? 'ConfigMap';
    const old = ((c.volumeMounts ?? []) as Obj[]).filter((m) => MOUNT_PATHS.has(m.mountPath) || m.name === CONFIG_VOLUME).map((m) => m.name as string);
    c.volumeMounts = [...((c.volumeMounts ?? []) as Obj[]).filter((m) => !old.includes(m.name)), { name: CONFIG_VOLUME, mountPath: CONFIG_MOUNT_DIR }];
    const stillUsed = (name: string) => ((spec.containers ?? []) as Obj[]).some((x) => ((x.volumeMounts ?? []) as Obj[]).some((m) => m.name === name));
    // A live volume already on the store is kept as the server defaulted it (defaultMode: 420), so a re-run changes nothing.
    const live = ((spec.volumes ?? []) as Obj[]).find((v) => v.name === CONFIG_VOLUME && sameSource(v, store));
    spec.volumes = [...((spec.volumes ?? []) as Obj[]).filter((v) => !(old.includes(v.name) && !stillUsed(v.name)) && v.name !== CONFIG_VOLUME), live ?? configVolume(store)];
    setEnv(c, { [CONFIG_PATH_ENV]: CONFIG_PATH });
    tmpl.metadata = { ...(tmpl.metadata ?? {}), annotations: { ...(tmpl.metadata?.annotations ?? {}), [CONFIG_HASH_ANNOTATION]: o.configHash } };
  }
  for (const k of o.keyFiles ?? []) {
    c.volumeMounts = [...((c.volumeMounts ?? []) as Obj[]).filter((m) => m.mountPath !== k.file), { name: k.secret, mountPath: k.file, subPath: k.item, readOnly: true }];
    const live = ((spec.volumes ?? []) as Obj[]).find((v) => v.name === k.secret && (v.secret as Obj | undefined)?.secretName === k.secret);
    spec.volumes = [...((spec.volumes ?? []) as Obj[]).filter((v) => v.name !== k.secret), live ?? { name: k.secret, secret: { secretName: k.secret } }];
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

/** The container's mount paths: what a key file the config names must be under. */
export function workloadMountPaths(w: KubeObject): string[] {
  return (((registryContainer(podSpecOf(w))?.volumeMounts ?? []) as Obj[]).map((m) => m.mountPath as string));
}

/** Does a DeploymentConfig roll out by itself when its template changes? */
export function hasConfigChangeTrigger(w: KubeObject): boolean {
  if (w.kind !== 'DeploymentConfig') return true;
  return (((w.spec as Obj | undefined)?.triggers ?? []) as Obj[]).some((t) => t.type === 'ConfigChange');
}

interface StoreObject {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  text?: string;
}

function metadataOf(o: StoreObject) {
  return {
    name: o.name,
    namespace: o.namespace,
    ...(o.labels && Object.keys(o.labels).length ? { labels: { ...o.labels } } : {}),
    ...(o.annotations ? { annotations: { ...o.annotations } } : {}),
  };
}

export function configMap(o: StoreObject): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadataOf(o), data: o.text === undefined ? {} : { [CONFIG_KEY]: o.text } };
}

/** A Secret holding config.yml (or any files: `items`), base64 as the API wants it. */
export function configSecret(o: StoreObject & { items?: Record<string, string> }): KubeObject {
  const items = o.items ?? (o.text === undefined ? {} : { [CONFIG_KEY]: o.text });
  return { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: metadataOf(o), data: Object.fromEntries(Object.entries(items).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])) } as KubeObject;
}

function storeObject(kind: ConfigStore, o: StoreObject): KubeObject {
  return kind === 'Secret' ? configSecret(o) : configMap(o);
}

/** The live object with new data (keeping its metadata), or a new one. */
function desiredObject(live: KubeObject | undefined, fresh: KubeObject): KubeObject {
  if (!live || live.kind !== fresh.kind) return fresh;
  return { ...structuredClone(live), data: fresh.data, metadata: { ...structuredClone(live.metadata), annotations: { ...(live.metadata.annotations ?? {}), ...(fresh.metadata.annotations ?? {}) } } };
}

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));

export interface LiveConfigState {
  namespace: string;
  workload: KubeObject;
  /** ConfigMap registry-config, if it exists. */
  configMap?: KubeObject;
  /** Secret registry-config, if it exists. */
  secret?: KubeObject;
  /** The config in effect (what the workload mounts), and where it comes from. */
  current?: { text: string; source: string };
  /** registry-config-previous: a ConfigMap, or a Secret when what it saved holds credentials. */
  previous?: KubeObject;
  /** Secret registry-cloudfront-key, if it exists. */
  cloudfrontKey?: KubeObject;
}

export interface ConfigChange {
  /** The config.yml to deploy; absent for an environment-only change. */
  text?: string;
  env?: Record<string, string>;
  /** Where to keep it; default: storeFor(text, live). */
  store?: ConfigStore;
  /** `--cloudfront-key`: the PEM, mounted at the path the config's privatekey names. */
  cloudfrontKey?: { file: string; pem: string };
  /** When the backup is taken, for its annotation. */
  savedAt: string;
}

/**
 * Where config.yml goes: a Secret when it holds credentials (never a ConfigMap), else where it
 * is kept now (a Secret stays a Secret), else a ConfigMap; `--configmap` asks for the ConfigMap.
 */
export function storeFor(text: string, s: Pick<LiveConfigState, 'secret' | 'configMap'>, askedConfigMap = false): ConfigStore {
  if (configCredentials(text).length) return 'Secret';
  if (askedConfigMap) return 'ConfigMap';
  return s.secret && !s.configMap ? 'Secret' : 'ConfigMap';
}

function ref(o: KubeObject) {
  return `${o.kind.toLowerCase()}/${o.metadata.name}`;
}

function workloadStep(live: KubeObject, next: KubeObject, why: string): Step[] {
  if (canonical((next.spec as Obj).template) === canonical((live.spec as Obj).template)) return [];
  return [{ kind: 'replace', describe: `update ${ref(live)}: ${why}`, object: next }];
}

function deleteStep(o: KubeObject, why: string): Step {
  return { kind: 'delete', describe: `delete ${ref(o)} (${why})`, target: { apiVersion: 'v1', kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace } };
}

/** Saves what is in effect to registry-config-previous: a Secret when it holds credentials. */
function backupSteps(s: LiveConfigState, savedAt: string, labels: Record<string, string>): Step[] {
  const kind: ConfigStore = s.current && configCredentials(s.current.text).length ? 'Secret' : 'ConfigMap';
  const fresh = storeObject(kind, {
    namespace: s.namespace,
    name: PREVIOUS_CONFIG_MAP,
    labels,
    annotations: { [PREVIOUS_SOURCE_ANNOTATION]: s.current?.source ?? 'none', [SAVED_AT_ANNOTATION]: savedAt },
    text: s.current?.text,
  });
  const what = s.current ? `the config in effect (${s.current.source})` : "the note that the image's built-in config is in effect";
  const steps: Step[] = [];
  // The old backup of the other kind goes first: a Secret backup replaces a ConfigMap one.
  if (s.previous && s.previous.kind !== kind) steps.push(deleteStep(s.previous, `replaced by ${kind.toLowerCase()}/${PREVIOUS_CONFIG_MAP}`));
  steps.push({ kind: 'apply', describe: `save ${what} to ${kind.toLowerCase()}/${PREVIOUS_CONFIG_MAP} (for --rollback)`, object: desiredObject(s.previous, fresh) });
  return steps;
}

function labelsOf(w: KubeObject): Record<string, string> {
  return { ...(w.metadata.labels ?? {}) };
}

/** A plan, and the store object and workload as they will be (what `-o yaml` prints). */
export interface ConfigPlan {
  plan: Plan;
  /** The ConfigMap or Secret that holds config.yml. */
  configMap?: KubeObject;
  /** Other objects the plan writes (the CloudFront key Secret). */
  extra: KubeObject[];
  workload: KubeObject;
}

/** The steps that put `text` in `store`, mount it, and remove the other store's object. */
function deploySteps(s: LiveConfigState, text: string, store: ConfigStore, labels: Record<string, string>, describe: (o: KubeObject, live: boolean) => string): { steps: Step[]; object: KubeObject; after: Step[] } {
  const live = store === 'Secret' ? s.secret : s.configMap;
  const other = store === 'Secret' ? s.configMap : s.secret;
  const object = desiredObject(live, storeObject(store, { namespace: s.namespace, name: CONFIG_MAP_NAME, labels, text }));
  const steps: Step[] = configText(live) !== text ? [{ kind: 'apply', describe: describe(object, live !== undefined), object }] : [];
  // The other store's object goes once nothing mounts it: after the workload update.
  const after = other ? [deleteStep(other, `config.yml is now kept in ${store.toLowerCase()}/${CONFIG_MAP_NAME}`)] : [];
  return { steps, object, after };
}

/** `override-config FILE` and `--set`: no steps when the cluster already has it all. */
export function planConfigChange(s: LiveConfigState, c: ConfigChange): ConfigPlan {
  const steps: Step[] = [];
  const labels = labelsOf(s.workload);
  let next = s.workload;
  let cm: KubeObject | undefined;
  const extra: KubeObject[] = [];
  let after: Step[] = [];
  const why: string[] = [];
  if (c.text !== undefined) {
    const hash = sha256(c.text);
    const store = c.store ?? storeFor(c.text, s);
    const effectChanges = s.current?.text !== c.text || !s.current.source.startsWith(`${store.toLowerCase()}/${CONFIG_MAP_NAME}`);
    const d = deploySteps(s, c.text, store, labels, (o, live) => `${live ? 'replace' : 'create'} ${ref(o)} with ${CONFIG_KEY} (sha256 ${hash.slice(0, 12)})`);
    cm = d.object;
    if (effectChanges) steps.push(...backupSteps(s, c.savedAt, labels));
    steps.push(...d.steps);
    after = d.after;
    next = withConfigMounted(next, { configHash: hash, store });
    why.push(`mount ${ref(d.object)} at ${CONFIG_MOUNT_DIR}, set ${CONFIG_PATH_ENV}=${CONFIG_PATH}`);
  }
  if (c.cloudfrontKey) {
    const key = desiredObject(s.cloudfrontKey, configSecret({ namespace: s.namespace, name: CLOUDFRONT_KEY_SECRET, labels, items: { [CLOUDFRONT_KEY_ITEM]: c.cloudfrontKey.pem } }));
    extra.push(key);
    if (canonical(s.cloudfrontKey?.data) !== canonical(key.data)) steps.push({ kind: 'apply', describe: `${s.cloudfrontKey ? 'replace' : 'create'} secret/${CLOUDFRONT_KEY_SECRET} with the CloudFront private key`, object: key });
    next = withConfigMounted(next, { keyFiles: [{ file: c.cloudfrontKey.file, secret: CLOUDFRONT_KEY_SECRET, item: CLOUDFRONT_KEY_ITEM }] });
    why.push(`mount secret/${CLOUDFRONT_KEY_SECRET} at ${c.cloudfrontKey.file}`);
  }
  if (c.env && Object.keys(c.env).length) {
    next = withConfigMounted(next, { env: c.env });
    why.push(`set ${Object.keys(c.env).join(', ')}`);
  }
  steps.push(...workloadStep(s.workload, next, why.join('; ')), ...after);
  return { plan: { command: 'override-config', steps }, configMap: cm, extra, workload: next };
}

/** `--rollback`: the saved config back in effect, in the store it came from (a Secret if it holds credentials); what was in effect becomes the saved one. */
export function planRollback(s: LiveConfigState & { previous: KubeObject }, now: string): ConfigPlan {
  const steps: Step[] = [];
  const labels = labelsOf(s.workload);
  const source = s.previous.metadata.annotations?.[PREVIOUS_SOURCE_ANNOTATION] ?? 'none';
  const text = configText(s.previous);
  const savedAt = s.previous.metadata.annotations?.[SAVED_AT_ANNOTATION] ?? '';
  steps.push(...backupSteps(s, now, labels));
  if (source === 'none' || text === undefined) {
    const next = withConfigUnmounted(s.workload);
    steps.push(...workloadStep(s.workload, next, `unmount the config, remove ${CONFIG_PATH_ENV} (back to the image's built-in config)`));
    for (const o of [s.configMap, s.secret]) if (o) steps.push(deleteStep(o, `its content is kept in ${PREVIOUS_CONFIG_MAP}`));
    return { plan: { command: 'override-config', steps }, extra: [], workload: next };
  }
  const store: ConfigStore = configCredentials(text).length || source.startsWith('secret/') ? 'Secret' : 'ConfigMap';
  const d = deploySteps(s, text, store, labels, (o) => `restore ${ref(o)} to the config saved ${savedAt ? `at ${savedAt} ` : ''}(from ${source})`);
  steps.push(...d.steps);
  const next = withConfigMounted(s.workload, { configHash: sha256(text), store });
  steps.push(...workloadStep(s.workload, next, `mount ${ref(d.object)} at ${CONFIG_MOUNT_DIR}`), ...d.after);
  return { plan: { command: 'override-config', steps }, configMap: d.object, extra: [], workload: next };
}
