// What `regctl whitelist` must know before it plans. On 4.x, in one round trip: discovery, the
// Image, and (as needed) the release and the mirror rules (what the node files are rendered from,
// and what a new allow list must not refuse) and the pools for --wait.
// On a 3.x node: the sysconfig file. With --local: the -f file or a default Image.
import { realpath } from 'node:fs/promises';
import { load } from 'js-yaml';
import type { Cluster } from '../../cluster/types.js';
import { UsageError } from '../../errors.js';
import { readEditable } from '../../host/edit.js';
import { readInputFile } from '../../host/files.js';
import { clusterNodeContext, localNodeContext, type NodeContext } from '../../node-files/cluster.js';
import { IMAGE_REF, requireImage, requireOpenShift4 } from '../../node-files/image.js';
import { POOL_API_VERSION, POOL_KIND } from '../../node-files/pools.js';
import type { KubeObject } from '../../plan/types.js';
import { defaultImage, IMAGE_API_VERSION, IMAGE_KIND, IMAGE_NAME, repositoryOf, type ImageObject } from '../../templates/image-config.js';
import type { ClusterOptions, NodeConfigOptions } from './options.js';
import { getIfServed } from '../../registry/find.js';

export interface ClusterLive {
  image: ImageObject;
  /** Absent with --local: nothing was read from a cluster. */
  connected: boolean;
  payloadRepo?: string;
  /** The release and the cluster's mirror rules (the nodes' registries.conf holds them too). */
  node: NodeContext;
  /** The pools as they were (for --wait: which rendered config each started from). */
  pools: KubeObject[];
}

export interface NodeConfigLive {
  /** The file itself (a symlink followed: the link stays a link). */
  path: string;
  text: string;
}

/** The Image given with --local -f, checked to be one. */
export function readImageFile(path: string): ImageObject {
  const text = readInputFile('--filename', path);
  let doc: unknown;
  try {
    doc = load(text);
  } catch (e) {
    throw new UsageError(`--filename: "${path}" is not YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const obj = doc as Partial<ImageObject> | undefined;
  if (!obj || typeof obj !== 'object' || obj.kind !== IMAGE_KIND || !obj.apiVersion?.startsWith('config.openshift.io/')) {
    throw new UsageError(`--filename: "${path}" is not an image.config.openshift.io object (kind: Image, apiVersion: ${IMAGE_API_VERSION})`);
  }
  return { ...obj, metadata: { ...(obj.metadata ?? {}), name: obj.metadata?.name ?? IMAGE_NAME } } as ImageObject;
}

export function readLocal(o: ClusterOptions): ClusterLive {
  return { image: o.filename ? readImageFile(o.filename) : defaultImage(), connected: false, node: localNodeContext(o.release, []), pools: [] };
}

export async function readLive(o: ClusterOptions, cluster: Cluster): Promise<ClusterLive> {
  const changes = !o.show && (o.changes || o.preview !== undefined);
  const [info, image, node, pools] = await Promise.all([
    cluster.info(),
    // Not served (3.x, Kubernetes) reads as absent: the platform check below says why.
    getIfServed<ImageObject>(cluster, IMAGE_REF),
    changes ? clusterNodeContext(cluster) : localNodeContext(undefined, []),
    o.wait ? cluster.list(POOL_API_VERSION, POOL_KIND).catch(() => []) : [],
  ]);
  requireOpenShift4(cluster, info, {
    openshift3: [
      'its nodes take the whitelist from /etc/sysconfig/docker, not from image.config.openshift.io',
      'run on each node: regctl whitelist --node-config --allow <registry> [--allow <registry>...] --restart',
    ],
    other: ['is not an OpenShift 4.x cluster (no image.config.openshift.io): there is no registry whitelist to set', 'for OpenShift 3.x nodes use --node-config'],
  });
  return { image: requireImage(image), connected: true, payloadRepo: node.releaseImage ? repositoryOf(node.releaseImage) : undefined, node, pools };
}

export async function readNodeConfig(o: NodeConfigOptions): Promise<NodeConfigLive> {
  const text = await readEditable('--node-config', o.path);
  return { path: await realpath(o.path), text };
}
