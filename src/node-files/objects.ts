// The cluster objects that carry mirror rules, and what the renderer reads from them. Pure.
import type { KubeObject } from '../plan/types.js';
import type { MirrorRule, MirrorRules, MirrorSourcePolicy } from './registries.js';

export const ICSP_API_VERSION = 'operator.openshift.io/v1alpha1';
export const ICSP_KIND = 'ImageContentSourcePolicy';
export const MIRROR_SET_API_VERSION = 'config.openshift.io/v1';
export const IDMS_KIND = 'ImageDigestMirrorSet';
export const ITMS_KIND = 'ImageTagMirrorSet';

export type MirrorKind = typeof ICSP_KIND | typeof IDMS_KIND | typeof ITMS_KIND;

interface KindInfo {
  apiVersion: string;
  /** The spec list that holds the rules. */
  field: 'repositoryDigestMirrors' | 'imageDigestMirrors' | 'imageTagMirrors';
  /** As oc names it in messages: imagecontentsourcepolicy.operator.openshift.io. */
  resource: string;
  /** Whether items may carry mirrorSourcePolicy. */
  sourcePolicy: boolean;
}

export const MIRROR_KINDS: Record<MirrorKind, KindInfo> = {
  ImageContentSourcePolicy: { apiVersion: ICSP_API_VERSION, field: 'repositoryDigestMirrors', resource: 'imagecontentsourcepolicy.operator.openshift.io', sourcePolicy: false },
  ImageDigestMirrorSet: { apiVersion: MIRROR_SET_API_VERSION, field: 'imageDigestMirrors', resource: 'imagedigestmirrorset.config.openshift.io', sourcePolicy: true },
  ImageTagMirrorSet: { apiVersion: MIRROR_SET_API_VERSION, field: 'imageTagMirrors', resource: 'imagetagmirrorset.config.openshift.io', sourcePolicy: true },
};

export interface MirrorObject extends KubeObject {
  spec?: { [field: string]: unknown };
}

/** The rules one object lists, in its order. */
export function rulesOf(obj: MirrorObject): MirrorRule[] {
  const info = MIRROR_KINDS[obj.kind as MirrorKind];
  if (!info) return [];
  const items = (obj.spec?.[info.field] ?? []) as { source: string; mirrors?: string[]; mirrorSourcePolicy?: MirrorSourcePolicy }[];
  return items.map((i) => ({ source: i.source, mirrors: [...(i.mirrors ?? [])], ...(info.sourcePolicy && i.mirrorSourcePolicy ? { mirrorSourcePolicy: i.mirrorSourcePolicy } : {}) }));
}

/** Every rule of the objects, by kind, objects in name order (the result does not depend on it). */
export function mirrorRulesOf(objects: MirrorObject[]): MirrorRules {
  const sorted = [...objects].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  const of = (kind: MirrorKind) => sorted.filter((o) => o.kind === kind).flatMap(rulesOf);
  return { icsp: of(ICSP_KIND), idms: of(IDMS_KIND), itms: of(ITMS_KIND) };
}
