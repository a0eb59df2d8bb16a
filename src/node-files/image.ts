// What whitelist and mirror read on an OpenShift 4.x cluster besides the mirror rules: the
// platform check, image.config.openshift.io/cluster and the release payload's repository; and
// the --preview files as writeFile steps. Shared, since commands never import each other.
import { join } from 'node:path';
import type { Cluster, ClusterInfo } from '../cluster/types.js';
import { OperationError, UsageError } from '../errors.js';
import { emptyPlan, type KubeObject, type ObjectRef, type Plan, type Step } from '../plan/types.js';
import type { ImageObject } from '../templates/image-config.js';
import type { NodeFile } from '../templates/node-registries.js';

export { IMAGE_REF } from '../templates/image-config.js';
export const CLUSTER_VERSION_REF: ObjectRef = { apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', name: 'version' };


/** Refuses a cluster that is not OpenShift 4.x, with what to do there instead. */
export function requireOpenShift4(cluster: Cluster, info: ClusterInfo, what: { openshift3: [string, string]; other: [string, string] }): void {
  if (info.platform === 'openshift3') throw new UsageError(`${cluster.server} is an OpenShift 3.x cluster: ${what.openshift3[0]}`, what.openshift3[1]);
  if (info.platform !== 'openshift4') throw new UsageError(`${cluster.server} ${what.other[0]}`, what.other[1]);
}

/** The Image read, which the cluster-config operator creates at install time. */
export function requireImage(image: ImageObject | undefined): ImageObject {
  if (!image) throw new OperationError('image.config.openshift.io/cluster not found: the cluster-config operator creates it at install time; is this cluster healthy?');
  return image;
}


/** An object as printed: without managedFields. */
export function printable<T extends KubeObject>(obj: T): T {
  const { managedFields: _drop, ...metadata } = obj.metadata;
  return { ...obj, metadata } as T;
}

/** What `--preview` shows: the files every node receives, the warnings about them, and a note on the release. */
export interface NodePreview {
  files: NodeFile[];
  warnings: string[];
  note: string;
}

/** `--preview DIR`: each node file written under DIR at its node path, nothing else. */
export function planPreview(command: string, dir: string, preview: NodePreview): Plan {
  const plan = emptyPlan(command);
  plan.warnings.push(...preview.warnings);
  plan.notes.push(preview.note);
  plan.steps.push(...preview.files.map((f): Step => ({ kind: 'writeFile', describe: `write ${join(dir, f.path)} (what nodes get in ${f.path})`, path: join(dir, f.path), content: f.content, mode: f.mode })));
  return plan;
}
