// What access must know: the platform, the project, the role bindings that may already grant
// the roles; for `check`, the server's own answer (SubjectAccessReviews) for each capability.
import type { Cluster, Platform } from '../../cluster/types.js';
import type { KubeObject } from '../../objects.js';
import type { AccessOptions, CheckSubject } from './options.js';
import { CAPABILITIES } from './roles.js';

export const RBAC = 'rbac.authorization.k8s.io/v1';

export interface BindingObject extends KubeObject {
  subjects?: { kind: string; name: string; namespace?: string; apiGroup?: string }[];
  roleRef: { apiGroup: string; kind: string; name: string };
}

export interface ReviewObject extends KubeObject {
  spec: Record<string, unknown>;
  status?: { allowed: boolean; reason?: string; denied?: boolean; evaluationError?: string };
}

export interface AccessLive {
  platform: Platform;
  project: string;
  projectExists: boolean;
  roleBindings: BindingObject[];
  clusterRoleBindings: BindingObject[];
  /** check: the reviews as the server answered them, in CAPABILITIES order. */
  reviews: ReviewObject[];
}

/** The (Self)SubjectAccessReview asking whether `s` may do one thing in the project. */
export function review(s: CheckSubject, attrs: { verb: string; group: string; resource: string; subresource?: string }, project: string): ReviewObject {
  const resourceAttributes = { namespace: project, ...attrs };
  if (s.kind === 'Self') return { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: { name: '' }, spec: { resourceAttributes } };
  const who = s.kind === 'Group' ? { groups: [s.name] } : { user: s.kind === 'ServiceAccount' ? `system:serviceaccount:${s.namespace}:${s.name}` : s.name };
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: { name: '' }, spec: { ...who, resourceAttributes } };
}

export async function readLive(o: AccessOptions, cluster: Cluster): Promise<AccessLive> {
  const project = o.namespace ?? cluster.namespace;
  const [info, ns, roleBindings, clusterRoleBindings] = await Promise.all([
    cluster.info(),
    // A user asking about itself may not read namespaces; its reviews answer for the project.
    o.subject.kind === 'Self' ? Promise.resolve({}) : cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: project }),
    o.action === 'check' ? Promise.resolve([]) : cluster.list<BindingObject>(RBAC, 'RoleBinding', { namespace: project }),
    o.action === 'check' ? Promise.resolve([]) : cluster.list<BindingObject>(RBAC, 'ClusterRoleBinding'),
  ]);
  let reviews: ReviewObject[] = [];
  if (o.action === 'check' && ns && info.platform !== 'kubernetes') {
    const asks = CAPABILITIES.flatMap((c) => c.asks.map((a) => review(o.subject, a, project)));
    reviews = await Promise.all(asks.map((r) => cluster.create<ReviewObject>(r)));
  }
  return { platform: info.platform, project, projectExists: ns !== undefined, roleBindings, clusterRoleBindings, reviews };
}
