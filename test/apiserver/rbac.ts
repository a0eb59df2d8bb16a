// The RBAC authorizer, as kube-apiserver's (plugin/pkg/auth/authorizer/rbac) evaluates a
// SubjectAccessReview: the ClusterRoleBindings, then the RoleBindings of the namespace, whose
// subjects match the user, its groups or its service account; a rule matches by verb, API
// group, resource (`resource/subresource`) and resource name. Only the stored objects count.
import type { KubeObject } from '../../src/plan/types.js';
import type { Store } from './store.js';

export interface Attributes {
  user: string;
  groups: string[];
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

interface Binding extends KubeObject {
  subjects?: { kind: string; name: string; namespace?: string }[];
  roleRef: { kind: string; name: string };
}

const has = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));

function ruleAllows(r: Rule, a: Attributes): boolean {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resourceOk = !!r.resources && (r.resources.includes('*') || r.resources.includes(resource) || (!!a.subresource && r.resources.includes(`*/${a.subresource}`)));
  const nameOk = !r.resourceNames?.length || (a.name !== undefined && r.resourceNames.includes(a.name));
  return has(r.verbs, a.verb) && has(r.apiGroups, a.group) && resourceOk && nameOk;
}

function subjectMatches(b: Binding, a: Attributes): string | undefined {
  for (const s of b.subjects ?? []) {
    if (s.kind === 'User' && s.name === a.user) return `User "${a.user}"`;
    if (s.kind === 'Group' && a.groups.includes(s.name)) return `Group "${s.name}"`;
    if (s.kind === 'ServiceAccount' && a.user === `system:serviceaccount:${s.namespace ?? b.metadata.namespace}:${s.name}`) return `ServiceAccount "${s.name}/${s.namespace ?? b.metadata.namespace}"`;
  }
  return undefined;
}

export function rbacAuthorize(store: Store, a: Attributes): { allowed: boolean; reason?: string } {
  const def = (kind: string) => store.defFor('rbac.authorization.k8s.io/v1', kind)!;
  const rulesOf = (ref: Binding['roleRef'], namespace?: string): Rule[] => {
    const role = ref.kind === 'ClusterRole' ? store.get(def('ClusterRole'), undefined, ref.name) : namespace ? store.get(def('Role'), namespace, ref.name) : undefined;
    return ((role as { rules?: Rule[] } | undefined)?.rules ?? []);
  };
  for (const b of store.list(def('ClusterRoleBinding')) as Binding[]) {
    const who = subjectMatches(b, a);
    if (who && rulesOf(b.roleRef).some((r) => ruleAllows(r, a))) return { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "${b.metadata.name}" of ClusterRole "${b.roleRef.name}" to ${who}` };
  }
  if (a.namespace) {
    for (const b of store.list(def('RoleBinding'), a.namespace) as Binding[]) {
      const who = subjectMatches(b, a);
      if (who && rulesOf(b.roleRef, a.namespace).some((r) => ruleAllows(r, a))) return { allowed: true, reason: `RBAC: allowed by RoleBinding "${b.metadata.name}/${a.namespace}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${who}` };
    }
  }
  return { allowed: false };
}
