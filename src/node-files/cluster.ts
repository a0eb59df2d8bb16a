// What the machine-config operator renders from on a 4.x cluster, read once: the release
// (clusterversions/version), its payload image, and every mirror rule (ImageContentSourcePolicy;
// ImageDigestMirrorSet and ImageTagMirrorSet where discovery finds them, 4.13+). Offline, the
// release comes from --openshift-version. Shared by the previews of mirror and whitelist.
import type { Cluster } from '../cluster/types.js';
import { ApiError } from '../cluster/errors.js';
import type { KubeObject } from '../plan/types.js';
import { CLUSTER_VERSION_REF } from './image.js';
import { ICSP_API_VERSION, ICSP_KIND, IDMS_KIND, ITMS_KIND, MIRROR_SET_API_VERSION, type MirrorObject } from './objects.js';
import { clusterVersionInfo, NEWEST, NEWEST_RELEASE_NAME, releaseOfVersion, rulesFor, type ClusterVersionLike, type Release, type ReleaseRules } from './release.js';

export interface NodeContext {
  rules: ReleaseRules;
  releaseImage?: string;
  /** Every ICSP, IDMS and ITMS on the cluster. */
  mirrorObjects: MirrorObject[];
  /** Whether the server serves ImageDigestMirrorSet (4.13+). */
  servesMirrorSets: boolean;
  /** Which release the files follow, and why, for an info line. */
  note: string;
}

const notServed = (e: unknown) => e instanceof ApiError && e.status === 404;

/** The kind's objects, or undefined where the server does not serve it. */
async function listIfServed(cluster: Cluster, apiVersion: string, kind: string): Promise<MirrorObject[] | undefined> {
  try {
    return await cluster.list<MirrorObject>(apiVersion, kind);
  } catch (e) {
    if (notServed(e)) return undefined;
    throw e;
  }
}

export async function clusterNodeContext(cluster: Cluster): Promise<NodeContext> {
  const [cv, icsp, idms, itms] = await Promise.all([
    cluster.get<KubeObject & ClusterVersionLike>(CLUSTER_VERSION_REF).catch(() => undefined),
    listIfServed(cluster, ICSP_API_VERSION, ICSP_KIND),
    listIfServed(cluster, MIRROR_SET_API_VERSION, IDMS_KIND),
    listIfServed(cluster, MIRROR_SET_API_VERSION, ITMS_KIND),
  ]);
  const { version, releaseImage } = clusterVersionInfo(cv);
  const { release, note } = releaseOfVersion(version);
  return {
    rules: rulesFor(release),
    releaseImage,
    mirrorObjects: [...(icsp ?? []), ...(idms ?? []), ...(itms ?? [])],
    servesMirrorSets: idms !== undefined,
    note: note ?? `node files as the machine-config operator of OpenShift ${version} writes them`,
  };
}

/** Offline: the release given, else the newest regctl knows (and the note says which). */
export function localNodeContext(release: Release | undefined, mirrorObjects: MirrorObject[]): NodeContext {
  const r = release ?? NEWEST;
  const note = release ? `node files as the machine-config operator of OpenShift ${r.name} writes them` : `node files as OpenShift ${NEWEST_RELEASE_NAME} writes them (the newest release regctl knows; --openshift-version X.Y for another)`;
  return { rules: rulesFor(r), mirrorObjects, servesMirrorSets: r.minor >= 13, note };
}
