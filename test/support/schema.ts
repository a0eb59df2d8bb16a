// Validates rendered objects against the upstream Kubernetes OpenAPI schema (kubernetes-models'
// generated ajv validators), and OpenShift kinds against their documented fields, with their
// embedded Kubernetes parts (pod templates) checked by the upstream schema too.
import type { KubeObject } from '../../src/plan/types.js';

type Model = { new (data: unknown): { validate(): void } };

async function upstreamModel(apiVersion: string, kind: string): Promise<Model | undefined> {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  try {
    const mod = (await import(path)) as Record<string, Model>;
    return mod[kind] ?? (mod as unknown as { default: Model }).default;
  } catch {
    return undefined;
  }
}

/** OpenShift types' documented top-level spec fields (openshift/api), per apiVersion/kind. */
const OPENSHIFT_SPEC_FIELDS: Record<string, { spec: string[]; top?: string[]; podTemplate?: string }> = {
  'apps.openshift.io/v1/DeploymentConfig': {
    spec: ['strategy', 'minReadySeconds', 'triggers', 'replicas', 'revisionHistoryLimit', 'test', 'paused', 'selector', 'template'],
    podTemplate: 'template',
  },
  'operator.openshift.io/v1alpha1/ImageContentSourcePolicy': { spec: ['repositoryDigestMirrors'] },
};

async function validatePodTemplate(template: unknown): Promise<void> {
  const model = await upstreamModel('v1', 'PodTemplateSpec');
  if (!model) throw new Error('kubernetes-models has no v1 PodTemplateSpec');
  new model(template).validate();
}

/** Throws with the schema's own message when the object is invalid. */
export async function validateObject(obj: KubeObject): Promise<void> {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const openshift = OPENSHIFT_SPEC_FIELDS[key];
  if (openshift) {
    const spec = (obj.spec ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(spec)) if (!openshift.spec.includes(k)) throw new Error(`${key}: spec.${k} is not a documented field`);
    const allowedTop = ['apiVersion', 'kind', 'metadata', 'spec', 'status', ...(openshift.top ?? [])];
    for (const k of Object.keys(obj)) if (!allowedTop.includes(k)) throw new Error(`${key}: ${k} is not a documented field`);
    if (openshift.podTemplate) await validatePodTemplate(spec[openshift.podTemplate]);
    return;
  }
  const model = await upstreamModel(obj.apiVersion, obj.kind);
  if (!model) throw new Error(`no schema known for ${key}`);
  new model(obj).validate();
}
