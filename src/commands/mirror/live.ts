// What `regctl mirror` must know, in one round trip: discovery, the ImageContentSourcePolicies,
// the release (its version for the deprecation note, its payload for the preview), and as
// needed the Image and ImageDigestMirrorSets (--preview) and the pools (--wait). With --local:
// the -f files, else no policies and a default Image.
import { loadAll } from 'js-yaml';
import type { Cluster } from '../../cluster/types.js';
import { UsageError } from '../../errors.js';
import { readInputFile } from '../../host/files.js';
import { digestMirrorSets } from '../../node-files/cluster.js';
import { CLUSTER_VERSION_REF, IMAGE_REF, payloadRepositoryOf, requireImage, requireOpenShift4, type ClusterVersion } from '../../node-files/image.js';
import { POOL_API_VERSION, POOL_KIND } from '../../node-files/pools.js';
import type { KubeObject } from '../../plan/types.js';
import { defaultImage, IMAGE_KIND, type ImageObject } from '../../templates/image-config.js';
import { ICSP_API_VERSION, ICSP_KIND, type MirrorSet, type PolicyObject } from '../../templates/mirror.js';
import type { MirrorOptions } from './options.js';

export interface MirrorLive {
  policies: PolicyObject[];
  /** Read for --preview (or from -f); the default Image offline. */
  image?: ImageObject;
  /** Absent with --local: nothing was read from a cluster. */
  connected: boolean;
  version?: string;
  payloadRepo?: string;
  /** The digest mirrors of the ImageDigestMirrorSets (4.13+), for --preview. */
  digestMirrors: MirrorSet[];
  pools: KubeObject[];
}

const FOUR_X_ONLY = 'repository mirroring (ImageContentSourcePolicy) is an OpenShift 4.x feature';

/** Not served (3.x, Kubernetes) reads as absent: the platform check says why. */
function absentIfNotServed(e: unknown): undefined {
  if ((e as { status?: number })?.status === 404) return undefined;
  throw e;
}

export async function readLive(o: MirrorOptions, cluster: Cluster): Promise<MirrorLive> {
  const preview = o.preview !== undefined;
  const [info, policies, cv, image, digestMirrors, pools] = await Promise.all([
    cluster.info(),
    cluster.list<PolicyObject>(ICSP_API_VERSION, ICSP_KIND).catch(absentIfNotServed),
    o.show ? undefined : cluster.get<ClusterVersion>(CLUSTER_VERSION_REF).catch(() => undefined),
    preview ? cluster.get<ImageObject>(IMAGE_REF).catch(absentIfNotServed) : undefined,
    preview ? digestMirrorSets(cluster) : [],
    o.wait ? cluster.list(POOL_API_VERSION, POOL_KIND).catch(() => []) : [],
  ]);
  requireOpenShift4(cluster, info, {
    openshift3: [FOUR_X_ONLY, 'docker on 3.x nodes has no per-repository mirrors: pull from the mirror by name, or add it with regctl whitelist --node-config --allow'],
    other: [`is not an OpenShift 4.x cluster: ${FOUR_X_ONLY}`, "on Kubernetes, mirrors are set in each node's container runtime (containerd hosts.toml, CRI-O registries.conf)"],
  });
  return {
    policies: policies ?? [],
    image: preview ? requireImage(image) : undefined,
    connected: true,
    version: cv?.status?.desired?.version,
    payloadRepo: payloadRepositoryOf(cv),
    digestMirrors,
    pools,
  };
}

/** The ImageContentSourcePolicy and Image objects in the --local -f files. */
export function readLocal(o: MirrorOptions): MirrorLive {
  const policies: PolicyObject[] = [];
  let image: ImageObject | undefined;
  for (const path of o.filenames) {
    let docs: unknown[];
    try {
      docs = loadAll(readInputFile('--filename', path));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--filename: "${path}" is not YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    const objects = docs.flatMap((d) => ((d as { kind?: string })?.kind === 'List' ? ((d as { items?: unknown[] }).items ?? []) : [d])).filter((d) => d != null);
    for (const obj of objects as Partial<KubeObject>[]) {
      if (obj?.kind === ICSP_KIND && obj.apiVersion?.startsWith('operator.openshift.io/') && obj.metadata?.name) policies.push(obj as PolicyObject);
      else if (obj?.kind === IMAGE_KIND && obj.apiVersion?.startsWith('config.openshift.io/')) image = { ...obj, metadata: { name: 'cluster', ...(obj.metadata ?? {}) } } as ImageObject;
      else throw new UsageError(`--filename: "${path}" holds a ${obj?.kind ?? 'document without kind'}; expected ImageContentSourcePolicy (${ICSP_API_VERSION}) or Image (config.openshift.io/v1) objects`);
    }
  }
  return { policies, image: image ?? defaultImage(), connected: false, digestMirrors: [], pools: [] };
}
