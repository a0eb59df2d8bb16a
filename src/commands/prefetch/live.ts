// What `regctl prefetch` reads: the image stream tag's layers (`oc get imagestreamtag/IS:TAG
// -o jsonpath='{ .image.dockerImageLayers[*].name }'`, seed 000) and where the registry is.
import type { Cluster, Platform } from '../../cluster/types.js';
import { OperationError } from '../../errors.js';
import { registryLocation, type RegistryLocation } from '../../registry/pods.js';
import type { KubeObject } from '../../objects.js';
import type { PrefetchOptions } from './options.js';

export interface Layer {
  digest: string;
  size?: number;
}

export interface PrefetchLive {
  project: string;
  layers: Layer[];
  /** For the registry's address when --registry-url is not given. */
  registry?: { loc: RegistryLocation; routes: KubeObject[]; service?: KubeObject; platform: Platform };
}

export async function readLive(o: PrefetchOptions, cluster: Cluster): Promise<PrefetchLive> {
  const info = await cluster.info();
  if (!info.groups.has('image.openshift.io')) {
    throw new OperationError(`the cluster at ${cluster.server} has no image streams: pullthrough into the registry is OpenShift's`);
  }
  const project = cluster.namespace;
  const loc = registryLocation(info, o.registryNamespace ?? 'default');
  const [istag, routes, service] = await Promise.all([
    cluster.get({ apiVersion: 'image.openshift.io/v1', kind: 'ImageStreamTag', name: `${o.stream}:${o.tag}`, namespace: project }),
    o.registryUrl ? [] : cluster.list('route.openshift.io/v1', 'Route', { namespace: loc.namespace }),
    o.registryUrl ? undefined : cluster.get({ apiVersion: 'v1', kind: 'Service', name: loc.name, namespace: loc.namespace }),
  ]);
  if (!istag) throw new OperationError(`imagestreamtag "${o.stream}:${o.tag}" not found in project ${project}`, `oc get imagestreamtags -n ${project}; give the project with -n`);
  const image = (istag as { image?: { dockerImageLayers?: { name: string; size?: number }[] } }).image;
  const layers = (image?.dockerImageLayers ?? []).map((l) => ({ digest: l.name, size: l.size }));
  if (layers.length === 0) throw new OperationError(`imagestreamtag "${o.stream}:${o.tag}" in ${project} lists no layers (image.dockerImageLayers)`, 'the image metadata is not imported yet: oc import-image');
  return { project, layers, registry: o.registryUrl ? undefined : { loc, routes, service, platform: info.platform } };
}
