// What each kind of cluster serves: API groups, resources and the discovery documents
// (/api, /api/v1, /apis, /apis/<group>/<version>, /version) built from them.

export type Profile = 'kubernetes' | 'openshift3' | 'openshift4';

export interface ResourceDef {
  group: string;
  version: string;
  /** Plural, as in the URL. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Served from a CustomResourceDefinition: no strategic merge patch, DELETE returns the object. */
  custom?: boolean;
  /** Has a /status subresource: PUT and PATCH on the object keep the stored status. */
  statusSubresource?: boolean;
  /** metadata.generation is kept (set to 1 on create, bumped when spec changes). */
  generation?: boolean;
  /** DELETE answers with the deleted object rather than a Status (genericregistry ReturnDeletedObject). */
  returnsDeletedObject?: boolean;
  /** Only `create` (reviews). */
  createOnly?: boolean;
  /** Extra subresources served, e.g. `log`, `instantiate`. */
  subresources?: { name: string; kind: string; verbs: string[] }[];
  /** Name validation: DNS-1123 subdomain (default), DNS-1123 label, or DNS-1035 label. */
  nameRule?: 'subdomain' | 'label' | 'dns1035' | 'pathSegment';
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const CLUSTER_CRUD = CRUD;

function def(d: ResourceDef): ResourceDef {
  return d;
}

const core: ResourceDef[] = [
  def({ group: '', version: 'v1', resource: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] }),
  def({ group: '', version: 'v1', resource: 'endpoints', singular: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'] }),
  def({ group: '', version: 'v1', resource: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'] }),
  def({ group: '', version: 'v1', resource: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'], statusSubresource: true, returnsDeletedObject: true, nameRule: 'label' }),
  def({ group: '', version: 'v1', resource: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', kind: 'PersistentVolumeClaim', namespaced: true, shortNames: ['pvc'], statusSubresource: true }),
  def({
    group: '', version: 'v1', resource: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'], statusSubresource: true, returnsDeletedObject: true,
    subresources: [{ name: 'log', kind: 'Pod', verbs: ['get'] }],
  }),
  def({ group: '', version: 'v1', resource: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true }),
  def({ group: '', version: 'v1', resource: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] }),
  def({ group: '', version: 'v1', resource: 'services', singular: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'], statusSubresource: true, returnsDeletedObject: true, nameRule: 'dns1035' }),
];

const apps: ResourceDef[] = [
  def({ group: 'apps', version: 'v1', resource: 'daemonsets', singular: 'daemonset', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ['all'], statusSubresource: true, generation: true }),
  def({ group: 'apps', version: 'v1', resource: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], statusSubresource: true, generation: true }),
  def({ group: 'apps', version: 'v1', resource: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'], statusSubresource: true, generation: true }),
];

const rbac: ResourceDef[] = [
  def({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', singular: 'clusterrolebinding', kind: 'ClusterRoleBinding', namespaced: false, nameRule: 'pathSegment' }),
  def({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', singular: 'clusterrole', kind: 'ClusterRole', namespaced: false, nameRule: 'pathSegment' }),
  def({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', singular: 'rolebinding', kind: 'RoleBinding', namespaced: true, nameRule: 'pathSegment' }),
  def({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', singular: 'role', kind: 'Role', namespaced: true, nameRule: 'pathSegment' }),
];

const authorization: ResourceDef[] = [
  def({ group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', kind: 'SelfSubjectAccessReview', namespaced: false, createOnly: true }),
  def({ group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews', singular: 'subjectaccessreview', kind: 'SubjectAccessReview', namespaced: false, createOnly: true }),
];

const openshift: ResourceDef[] = [
  def({
    group: 'apps.openshift.io', version: 'v1', resource: 'deploymentconfigs', singular: 'deploymentconfig', kind: 'DeploymentConfig', namespaced: true, shortNames: ['dc'], categories: ['all'], statusSubresource: true, generation: true,
    subresources: [{ name: 'instantiate', kind: 'DeploymentRequest', verbs: ['create'] }],
  }),
  def({ group: 'route.openshift.io', version: 'v1', resource: 'routes', singular: 'route', kind: 'Route', namespaced: true, categories: ['all'], statusSubresource: true }),
  def({ group: 'security.openshift.io', version: 'v1', resource: 'securitycontextconstraints', singular: 'securitycontextconstraints', kind: 'SecurityContextConstraints', namespaced: false, shortNames: ['scc'] }),
  def({ group: 'image.openshift.io', version: 'v1', resource: 'imagestreams', singular: 'imagestream', kind: 'ImageStream', namespaced: true, shortNames: ['is'], categories: ['all'], statusSubresource: true, generation: true }),
  // Served from what tests seed (a real server derives it from the ImageStream and its Image).
  def({ group: 'image.openshift.io', version: 'v1', resource: 'imagestreamtags', singular: 'imagestreamtag', kind: 'ImageStreamTag', namespaced: true, shortNames: ['istag'] }),
  def({ group: 'oauth.openshift.io', version: 'v1', resource: 'oauthclients', singular: 'oauthclient', kind: 'OAuthClient', namespaced: false }),
  def({ group: 'authorization.openshift.io', version: 'v1', resource: 'rolebindings', singular: 'rolebinding', kind: 'RoleBinding', namespaced: true, nameRule: 'pathSegment' }),
  def({ group: 'template.openshift.io', version: 'v1', resource: 'templates', singular: 'template', kind: 'Template', namespaced: true }),
];

const openshift4: ResourceDef[] = [
  def({ group: 'config.openshift.io', version: 'v1', resource: 'clusteroperators', singular: 'clusteroperator', kind: 'ClusterOperator', namespaced: false, shortNames: ['co'], custom: true, statusSubresource: true, generation: true, returnsDeletedObject: true }),
  def({ group: 'config.openshift.io', version: 'v1', resource: 'clusterversions', singular: 'clusterversion', kind: 'ClusterVersion', namespaced: false, custom: true, statusSubresource: true, generation: true, returnsDeletedObject: true }),
  def({ group: 'config.openshift.io', version: 'v1', resource: 'images', singular: 'image', kind: 'Image', namespaced: false, custom: true, statusSubresource: true, generation: true, returnsDeletedObject: true }),
  def({ group: 'imageregistry.operator.openshift.io', version: 'v1', resource: 'configs', singular: 'config', kind: 'Config', namespaced: false, custom: true, statusSubresource: true, generation: true, returnsDeletedObject: true }),
  def({ group: 'machineconfiguration.openshift.io', version: 'v1', resource: 'machineconfigpools', singular: 'machineconfigpool', kind: 'MachineConfigPool', namespaced: false, shortNames: ['mcp'], custom: true, statusSubresource: true, generation: true, returnsDeletedObject: true }),
  def({ group: 'config.openshift.io', version: 'v1', resource: 'imagedigestmirrorsets', singular: 'imagedigestmirrorset', kind: 'ImageDigestMirrorSet', namespaced: false, shortNames: ['idms'], custom: true, statusSubresource: true, generation: true, returnsDeletedObject: true }),
  def({ group: 'config.openshift.io', version: 'v1', resource: 'imagetagmirrorsets', singular: 'imagetagmirrorset', kind: 'ImageTagMirrorSet', namespaced: false, shortNames: ['itms'], custom: true, statusSubresource: true, generation: true, returnsDeletedObject: true }),
  def({ group: 'operator.openshift.io', version: 'v1', resource: 'ingresscontrollers', singular: 'ingresscontroller', kind: 'IngressController', namespaced: true, custom: true, statusSubresource: true, generation: true, returnsDeletedObject: true }),
  def({ group: 'operator.openshift.io', version: 'v1alpha1', resource: 'imagecontentsourcepolicies', singular: 'imagecontentsourcepolicy', kind: 'ImageContentSourcePolicy', namespaced: false, custom: true, generation: true, returnsDeletedObject: true }),
];

/** networking.k8s.io/v1 Ingress: Kubernetes 1.19+ (OpenShift 3.x serves only extensions/v1beta1 there). */
const networking: ResourceDef[] = [
  def({ group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', singular: 'ingress', kind: 'Ingress', namespaced: true, shortNames: ['ing'], statusSubresource: true, generation: true }),
];

/** The mirror-set kinds (ImageDigestMirrorSet, ImageTagMirrorSet) arrived in 4.13. */
const MIRROR_SET_KINDS = new Set(['ImageDigestMirrorSet', 'ImageTagMirrorSet']);

/** The kinds a profile serves; on openshift4, `openshiftVersion` (default 4.18.5) decides whether the 4.13+ kinds are there. */
export function resourcesFor(profile: Profile, openshiftVersion = DEFAULT_OPENSHIFT4_VERSION): ResourceDef[] {
  const base = [...core, ...apps, ...rbac, ...authorization];
  if (profile === 'kubernetes') return [...base, ...networking];
  if (profile === 'openshift3') return [...base, ...openshift];
  const minor = Number(/^4\.(\d+)/.exec(openshiftVersion)?.[1] ?? 18);
  return [...base, ...openshift, ...openshift4.filter((d) => minor >= 13 || !MIRROR_SET_KINDS.has(d.kind))];
}

export const DEFAULT_OPENSHIFT4_VERSION = '4.18.5';

export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export function kubernetesVersion(profile: Profile): VersionInfo {
  const common = { gitTreeState: 'clean', compiler: 'gc', platform: 'linux/amd64' };
  switch (profile) {
    case 'openshift3':
      return { major: '1', minor: '11+', gitVersion: 'v1.11.0+d4cacc0', gitCommit: 'd4cacc0', buildDate: '2019-07-01T00:00:00Z', goVersion: 'go1.10.8', ...common };
    case 'openshift4':
      return { major: '1', minor: '31', gitVersion: 'v1.31.6', gitCommit: 'e8c2c0e0a3b5b8f7c6b5d4e3f2a1b0c9d8e7f6a5', buildDate: '2025-03-01T00:00:00Z', goVersion: 'go1.22.9', ...common };
    default:
      return { major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335', buildDate: '2025-04-22T16:03:51Z', goVersion: 'go1.23.8', ...common };
  }
}

/** /version/openshift, served by OpenShift 3.x only. */
export function openshiftVersion(): VersionInfo {
  return { major: '3', minor: '11+', gitVersion: 'v3.11.0', gitCommit: '0cbc58b', gitTreeState: 'clean', buildDate: '2019-07-01T00:00:00Z', goVersion: 'go1.10.8', compiler: 'gc', platform: 'linux/amd64' };
}

export function apiVersions(): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] };
}

/** Group names in the order the server lists them (core groups first, as kube-apiserver does). */
export function groupNames(defs: ResourceDef[]): string[] {
  const seen: string[] = [];
  for (const d of defs) if (d.group && !seen.includes(d.group)) seen.push(d.group);
  return seen;
}

/** One group as /apis lists it: its versions, the first (stable) one preferred. */
function groupEntry(defs: ResourceDef[], name: string): { name: string; versions: unknown[]; preferredVersion: unknown } {
  const versions = [...new Set(defs.filter((d) => d.group === name).map((d) => d.version))].map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(defs: ResourceDef[]): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupNames(defs).map((name) => groupEntry(defs, name)) };
}

export function apiGroup(defs: ResourceDef[], group: string): unknown | undefined {
  if (!defs.some((x) => x.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(defs, group) };
}

export function apiResourceList(defs: ResourceDef[], group: string, version: string): unknown | undefined {
  const mine = defs.filter((d) => d.group === group && d.version === version);
  if (mine.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const d of mine) {
    const verbs = d.createOnly ? ['create'] : d.namespaced ? CRUD : CLUSTER_CRUD;
    resources.push({
      name: d.resource,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs,
      ...(d.shortNames ? { shortNames: d.shortNames } : {}),
      ...(d.categories ? { categories: d.categories } : {}),
    });
    if (d.statusSubresource) resources.push({ name: `${d.resource}/status`, singularName: '', namespaced: d.namespaced, kind: d.kind, verbs: ['get', 'patch', 'update'] });
    for (const s of d.subresources ?? []) {
      const extra = s.kind === 'DeploymentRequest' ? { group: 'apps.openshift.io', version: 'v1' } : {};
      resources.push({ name: `${d.resource}/${s.name}`, singularName: '', namespaced: d.namespaced, ...extra, kind: s.kind, verbs: s.verbs });
    }
  }
  const body: Record<string, unknown> = { kind: 'APIResourceList' };
  if (group) body.apiVersion = 'v1';
  body.groupVersion = groupVersion({ group, version });
  body.resources = resources;
  return body;
}

/**
 * /openapi/v3: the root lists one document per group version. kubectl (1.27+) reads them to
 * learn that the server validates fields itself (`fieldValidation`), which it then asks for
 * instead of validating on the client; so each document names, per kind, a PATCH operation
 * with that query parameter. Schemas are not served.
 */
export function openApiV3Root(defs: ResourceDef[]): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const gvs = new Set(defs.map((d) => groupVersion(d)));
  for (const gv of gvs) {
    const p = gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hashOf(gv)}` };
  }
  return { paths };
}

function hashOf(s: string): string {
  let h = 0x811c9dc5;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).toUpperCase().padStart(8, '0');
}

export function openApiV3Document(defs: ResourceDef[], apiPath: string, profile: Profile): unknown | undefined {
  const mine = defs.filter((d) => (d.group ? `apis/${d.group}/${d.version}` : `api/${d.version}`) === apiPath);
  if (mine.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const d of mine) {
    if (d.createOnly) continue;
    const prefix = d.group ? `/apis/${d.group}/${d.version}` : `/api/${d.version}`;
    const p = d.namespaced ? `${prefix}/namespaces/{namespace}/${d.resource}/{name}` : `${prefix}/${d.resource}/{name}`;
    const gvk = { group: d.group, version: d.version, kind: d.kind };
    const param = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
    paths[p] = {
      patch: {
        operationId: `patch${d.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: [param('dryRun'), param('fieldManager'), param('fieldValidation'), { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }],
        responses: {},
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: kubernetesVersion(profile).gitVersion }, paths, components: { schemas: {} } };
}
