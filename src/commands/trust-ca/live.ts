// What trust-ca must know: the platform, and per platform the ConfigMap it edits plus what
// points at it (4.x: image.config.openshift.io/cluster; 3.x: the registry workload).
import type { Cluster, Platform } from '../../cluster/types.js';
import type { KubeObject } from '../../objects.js';
import { IMAGE_REF, type ImageObject } from '../../templates/image-config.js';
import { TRUSTED_CA_NAMESPACE } from '../../registry/trusted-cas.js';
import { findRegistryWorkload, registryNamespace } from '../../registry/workload.js';
import type { TrustCaOptions } from './options.js';

export interface ConfigMapObject extends KubeObject {
  data?: Record<string, string>;
}

export interface TrustCaLive {
  platform: Platform;
  namespace: string;
  /** 4.x. */
  image?: ImageObject;
  /** The name image.config's spec.additionalTrustedCA already gives (4.x). */
  referenced?: string;
  /** The ConfigMap to edit (the referenced one on 4.x when there is one), if it exists. */
  configMap?: ConfigMapObject;
  configMapName: string;
  /** 3.x: the registry's DeploymentConfig (or Deployment / DaemonSet). */
  workload?: KubeObject;
}

const cmRef = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace });

export async function readLive(o: TrustCaOptions, cluster: Cluster): Promise<TrustCaLive> {
  const { platform } = await cluster.info();
  if (platform === 'openshift4') {
    const [image, named] = await Promise.all([
      cluster.get<ImageObject>(IMAGE_REF),
      cluster.get<ConfigMapObject>(cmRef(o.name, TRUSTED_CA_NAMESPACE)),
    ]);
    const referenced = (image?.spec?.additionalTrustedCA as { name?: string } | undefined)?.name || undefined;
    // The name image.config already uses wins (merged into, never replaced silently).
    const configMapName = referenced ?? o.name;
    const configMap = configMapName === o.name ? named : await cluster.get<ConfigMapObject>(cmRef(configMapName, TRUSTED_CA_NAMESPACE));
    return { platform, namespace: TRUSTED_CA_NAMESPACE, image, referenced, configMap, configMapName };
  }
  const namespace = registryNamespace(platform, o.namespace);
  if (platform !== 'openshift3') return { platform, namespace, configMapName: o.name };
  const [configMap, workload] = await Promise.all([cluster.get<ConfigMapObject>(cmRef(o.name, namespace)), findRegistryWorkload(cluster, platform, namespace)]);
  return { platform, namespace, configMap, configMapName: o.name, workload };
}
