// The mirror rules on a 4.x cluster that the machine-config operator writes into every node's
// registries.conf: ImageContentSourcePolicies and (4.13+) ImageDigestMirrorSets. Shared by the
// previews of mirror and whitelist, so that each shows the whole file the nodes get.
import type { Cluster } from '../cluster/types.js';
import type { KubeObject } from '../plan/types.js';
import { allMirrorSets, ICSP_API_VERSION, ICSP_KIND, type MirrorSet, type PolicyObject } from '../templates/mirror.js';

const IDMS_API_VERSION = 'config.openshift.io/v1';
const IDMS_KIND = 'ImageDigestMirrorSet';

type Idms = KubeObject & { spec?: { imageDigestMirrors?: { source: string; mirrors?: string[] }[] } };

/** The digest mirrors of the cluster's ImageDigestMirrorSets; none where the kind is not served. */
export async function digestMirrorSets(cluster: Cluster): Promise<MirrorSet[]> {
  const sets = await cluster.list<Idms>(IDMS_API_VERSION, IDMS_KIND).catch(() => [] as Idms[]);
  return [...sets].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).flatMap((s) => (s.spec?.imageDigestMirrors ?? []).map((m) => ({ source: m.source, mirrors: m.mirrors ?? [] })));
}

/** Every mirror rule on the cluster, policies first; none where the kinds are not served. */
export async function clusterMirrorSets(cluster: Cluster): Promise<MirrorSet[]> {
  const policies = await cluster.list<PolicyObject>(ICSP_API_VERSION, ICSP_KIND).catch(() => [] as PolicyObject[]);
  return [...allMirrorSets(policies), ...(await digestMirrorSets(cluster))];
}
