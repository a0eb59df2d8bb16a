// The few controllers whose work a client sees right after its own writes: every namespace
// gets its service accounts, and on OpenShift every service account gets its pull secret
// (and on 3.x its token secret). A client that patches `serviceaccount/default` or merges
// into a service account's `secrets` meets them as on a real cluster.
import type { KubeObject } from '../../src/plan/types.js';
import type { Profile } from './discovery.js';
import { randomSuffix as suffix, type Store } from './store.js';

export interface ControllerContext {
  store: Store;
  profile: Profile;
}

function write(ctx: ControllerContext, obj: KubeObject): KubeObject {
  const def = ctx.store.defFor(obj.apiVersion, obj.kind)!;
  const existing = ctx.store.get(def, obj.metadata.namespace, obj.metadata.name);
  if (existing) {
    obj.metadata = { ...existing.metadata, ...obj.metadata, resourceVersion: ctx.store.nextResourceVersion() };
  } else {
    ctx.store.stampNew(def, obj);
  }
  ctx.store.put(def, obj);
  return obj;
}

function serviceAccountNames(profile: Profile): string[] {
  return profile === 'kubernetes' ? ['default'] : ['builder', 'default', 'deployer'];
}

/** Runs after an object was created (through the API, or a namespace by a seed). */
export function afterCreate(ctx: ControllerContext, obj: KubeObject): void {
  if (obj.apiVersion !== 'v1') return;
  if (obj.kind === 'Namespace') {
    const saDef = ctx.store.defFor('v1', 'ServiceAccount')!;
    for (const name of serviceAccountNames(ctx.profile)) {
      if (ctx.store.get(saDef, obj.metadata.name, name)) continue;
      const sa = write(ctx, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: obj.metadata.name } });
      afterCreate(ctx, sa);
    }
  }
  if (obj.kind === 'ServiceAccount' && ctx.profile !== 'kubernetes') addServiceAccountSecrets(ctx, obj);
}

/** OpenShift's token and dockercfg controllers: secrets for the account, listed on it. */
function addServiceAccountSecrets(ctx: ControllerContext, sa: KubeObject): void {
  const ns = sa.metadata.namespace!;
  const saName = sa.metadata.name;
  const owner = { 'kubernetes.io/service-account.name': saName, 'kubernetes.io/service-account.uid': String(sa.metadata.uid) };
  const secrets: { name: string }[] = [];
  if (ctx.profile === 'openshift3') {
    const token = write(ctx, {
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
      metadata: { name: `${saName}-token-${suffix()}`, namespace: ns, annotations: owner },
      data: { token: Buffer.from(`token-for-${saName}`).toString('base64'), 'ca.crt': '', namespace: Buffer.from(ns).toString('base64') },
    });
    secrets.push({ name: token.metadata.name });
  }
  const pull = write(ctx, {
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/dockercfg',
    metadata: { name: `${saName}-dockercfg-${suffix()}`, namespace: ns, annotations: { ...owner, 'openshift.io/token-secret.name': secrets[0]?.name ?? '' } },
    data: { '.dockercfg': Buffer.from('{}').toString('base64') },
  });
  secrets.push({ name: pull.metadata.name });
  const live = ctx.store.get(ctx.store.defFor('v1', 'ServiceAccount')!, ns, saName);
  if (!live) return;
  const have = (list: unknown) => (Array.isArray(list) ? (list as { name: string }[]) : []);
  live.secrets = [...have(live.secrets), ...secrets.filter((s) => !have(live.secrets).some((x) => x.name === s.name))];
  live.imagePullSecrets = [...have(live.imagePullSecrets), { name: pull.metadata.name }];
  write(ctx, live);
}

/** Runs after an object was deleted: the token controller removes a deleted account's secrets. */
export function afterDelete(ctx: ControllerContext, obj: KubeObject): void {
  if (obj.apiVersion !== 'v1' || obj.kind !== 'ServiceAccount') return;
  const secretDef = ctx.store.defFor('v1', 'Secret')!;
  for (const s of ctx.store.list(secretDef, obj.metadata.namespace)) {
    if (s.metadata.annotations?.['kubernetes.io/service-account.uid'] === obj.metadata.uid) ctx.store.remove(secretDef, s.metadata.namespace, s.metadata.name);
  }
}
