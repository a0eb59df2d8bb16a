// What `regctl mirror` must know, in one round trip: discovery, the release and every mirror
// object (ICSP; IDMS and ITMS where served), the Image (allow list, preview) and the pools
// (--wait). With --local: the -f files, else no objects and a default Image, and the release
// from --openshift-version.
import { loadAll } from 'js-yaml';
import type { Cluster } from '../../cluster/types.js';
import { UsageError } from '../../errors.js';
import { readInputFile } from '../../host/files.js';
import { clusterNodeContext, localNodeContext, type NodeContext } from '../../node-files/cluster.js';
import { IMAGE_REF, requireImage, requireOpenShift4 } from '../../node-files/image.js';
import { MIRROR_KINDS, type MirrorKind } from '../../node-files/objects.js';
import { POOL_API_VERSION, POOL_KIND } from '../../node-files/pools.js';
import type { KubeObject } from '../../plan/types.js';
import { defaultImage, IMAGE_KIND, type ImageObject } from '../../templates/image-config.js';
import type { PolicyObject } from '../../templates/mirror.js';
import type { MirrorOptions } from './options.js';
import { getIfServed } from '../../registry/find.js';

export interface MirrorLive {
  /** The release, its payload and every mirror object. */
  node: NodeContext;
  /** The Image (its allow list; the preview); the default Image offline. */
  image?: ImageObject;
  /** Absent with --local: nothing was read from a cluster. */
  connected: boolean;
  pools: KubeObject[];
}

const FOUR_X_ONLY = 'repository mirroring (ImageContentSourcePolicy) is an OpenShift 4.x feature';

/** Not served (3.x, Kubernetes) reads as absent: the platform check says why. */

export async function readLive(o: MirrorOptions, cluster: Cluster): Promise<MirrorLive> {
  // One round trip; kinds a 3.x or Kubernetes server does not serve read as absent, and the platform check says why.
  const [info, node, image, pools] = await Promise.all([
    cluster.info(),
    clusterNodeContext(cluster),
    o.show ? undefined : getIfServed<ImageObject>(cluster, IMAGE_REF),
    o.wait ? cluster.list(POOL_API_VERSION, POOL_KIND).catch(() => []) : [],
  ]);
  requireOpenShift4(cluster, info, {
    openshift3: [FOUR_X_ONLY, 'docker on 3.x nodes has no per-repository mirrors: pull from the mirror by name, or add it with regctl whitelist --node-config --allow'],
    other: [`is not an OpenShift 4.x cluster: ${FOUR_X_ONLY}`, "on Kubernetes, mirrors are set in each node's container runtime (containerd hosts.toml, CRI-O registries.conf)"],
  });
  return { node, image: o.show ? undefined : requireImage(image), connected: true, pools };
}

/** The mirror objects and the Image in the --local -f files. */
export function readLocal(o: MirrorOptions): MirrorLive {
  const objects: PolicyObject[] = [];
  let image: ImageObject | undefined;
  for (const path of o.filenames) {
    let docs: unknown[];
    try {
      docs = loadAll(readInputFile('--filename', path));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--filename: "${path}" is not YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    const found = docs.flatMap((d) => ((d as { kind?: string })?.kind === 'List' ? ((d as { items?: unknown[] }).items ?? []) : [d])).filter((d) => d != null);
    for (const obj of found as Partial<KubeObject>[]) {
      const kind = obj?.kind as MirrorKind | undefined;
      if (kind && MIRROR_KINDS[kind] && obj.apiVersion === MIRROR_KINDS[kind].apiVersion && obj.metadata?.name) objects.push(obj as PolicyObject);
      else if (obj?.kind === IMAGE_KIND && obj.apiVersion?.startsWith('config.openshift.io/')) image = { ...obj, metadata: { name: 'cluster', ...(obj.metadata ?? {}) } } as ImageObject;
      else throw new UsageError(`--filename: "${path}" holds a ${obj?.kind ?? 'document without kind'}; expected ImageContentSourcePolicy, ImageDigestMirrorSet, ImageTagMirrorSet or Image objects`);
    }
  }
  return { node: localNodeContext(o.release, objects), image: image ?? defaultImage(), connected: false, pools: [] };
}
