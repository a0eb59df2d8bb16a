// The documented roles per release, and what the registry checks for each capability.
// 3.x (seed 003, "Accessing the Registry Directly"): system:registry (cluster-wide) and admin in
// the project for any direct access, system:image-builder in the project to push.
// 4.x (seed 002, 5.1 and 5.2): registry-viewer to pull, registry-editor to push, plus
// system:image-builder in the project.
import type { Platform } from '../../cluster/types.js';
import type { Level } from './options.js';

export interface RoleGrant {
  role: string;
  /** cluster: a ClusterRoleBinding; project: a RoleBinding in the project. */
  scope: 'cluster' | 'project';
}

const CLUSTER_REGISTRY: RoleGrant = { role: 'system:registry', scope: 'cluster' };
const ADMIN: RoleGrant = { role: 'admin', scope: 'project' };
const BUILDER: RoleGrant = { role: 'system:image-builder', scope: 'project' };
const VIEWER: RoleGrant = { role: 'registry-viewer', scope: 'project' };
const EDITOR: RoleGrant = { role: 'registry-editor', scope: 'project' };

type Release = 'openshift3' | 'openshift4';

const GRANTS: Record<Release, Record<Level, RoleGrant[]>> = {
  openshift3: { pull: [CLUSTER_REGISTRY, ADMIN], push: [CLUSTER_REGISTRY, ADMIN, BUILDER], admin: [ADMIN] },
  openshift4: { pull: [VIEWER], push: [EDITOR, BUILDER], admin: [ADMIN] },
};

/**
 * What revoke takes away: every project role that gives the capability. The 3.x cluster-wide
 * system:registry stays (other projects may rely on it); the notes say how to remove it.
 */
const REVOKES: Record<Release, Record<Level, RoleGrant[]>> = {
  openshift3: { pull: [ADMIN, BUILDER], push: [BUILDER], admin: [ADMIN] },
  openshift4: { pull: [VIEWER, EDITOR, BUILDER], push: [EDITOR, BUILDER], admin: [ADMIN] },
};

function uniq(gs: RoleGrant[]): RoleGrant[] {
  return gs.filter((g, i) => gs.findIndex((x) => x.role === g.role && x.scope === g.scope) === i);
}

export function grantsFor(platform: Release, levels: Level[]): RoleGrant[] {
  return uniq(levels.flatMap((l) => GRANTS[platform][l]));
}

export function revokesFor(platform: Release, levels: Level[]): RoleGrant[] {
  return uniq(levels.flatMap((l) => REVOKES[platform][l]));
}

export function isOpenShift(p: Platform): p is Release {
  return p === 'openshift3' || p === 'openshift4';
}

export interface ResourceAsk {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
}

/** What the registry (and `oc`) ask the API server for each capability. */
export const CAPABILITIES: { level: Level; asks: ResourceAsk[] }[] = [
  { level: 'pull', asks: [{ verb: 'get', group: 'image.openshift.io', resource: 'imagestreams', subresource: 'layers' }] },
  {
    level: 'push',
    asks: [
      { verb: 'update', group: 'image.openshift.io', resource: 'imagestreams', subresource: 'layers' },
      // A push to a new name creates its image stream.
      { verb: 'create', group: 'image.openshift.io', resource: 'imagestreams' },
    ],
  },
  // Managing who may pull and push in the project.
  { level: 'admin', asks: [{ verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' }] },
];
