// access's plans: pure. grant adds the subject to a binding of each documented role (one named
// after the role, as `oc policy add-role-to-user` makes it), revoke takes it out of every
// binding of those roles (a binding left with no subject is deleted), check reports the
// server's SubjectAccessReview answers with the grant that fixes what is missing.
import { OperationError } from '../../errors.js';
import { emptyPlan, type Plan } from '../../plan/types.js';
import { RBAC, type AccessLive, type BindingObject } from './live.js';
import { describeSubject, subjectArg, type AccessOptions, type CheckSubject, type Subject } from './options.js';
import { CAPABILITIES, grantsFor, isOpenShift, revokesFor, type RoleGrant } from './roles.js';

type BindingSubject = NonNullable<BindingObject['subjects']>[number];

function toBindingSubject(s: Subject): BindingSubject {
  return s.kind === 'ServiceAccount' ? { kind: 'ServiceAccount', name: s.name, namespace: s.namespace } : { kind: s.kind, apiGroup: 'rbac.authorization.k8s.io', name: s.name };
}

function sameSubject(a: BindingSubject, s: Subject, bindingNamespace?: string): boolean {
  if (a.kind !== s.kind || a.name !== s.name) return false;
  return s.kind !== 'ServiceAccount' || (a.namespace ?? bindingNamespace) === s.namespace;
}

const bindsRole = (b: BindingObject, role: string) => b.roleRef?.kind === 'ClusterRole' && b.roleRef.name === role;
const kindOf = (g: RoleGrant) => (g.scope === 'cluster' ? 'ClusterRoleBinding' : 'RoleBinding');
const where = (g: RoleGrant, project: string) => (g.scope === 'cluster' ? 'cluster-wide' : `in ${project}`);

/** grant and revoke name someone; only check may mean the caller. */
function named(s: CheckSubject): Subject {
  if (s.kind === 'Self') throw new Error('internal: grant and revoke need a subject');
  return s;
}

function preconditions(o: AccessOptions, live: AccessLive): 'openshift3' | 'openshift4' {
  if (!isOpenShift(live.platform)) throw new OperationError('access needs OpenShift: the registry roles (registry-viewer, system:image-builder, ...) and image streams exist only there');
  if (!live.projectExists) throw new OperationError(`project ${live.project} not found`, 'name an existing project with -n');
  return live.platform;
}

export function planGrant(o: AccessOptions, live: AccessLive): Plan {
  const platform = preconditions(o, live);
  const plan = emptyPlan('access');
  const subject = named(o.subject);
  const who = describeSubject(subject);
  const have: string[] = [];
  for (const g of grantsFor(platform, o.levels)) {
    const bindings = g.scope === 'cluster' ? live.clusterRoleBindings : live.roleBindings;
    const ofRole = bindings.filter((b) => bindsRole(b, g.role));
    if (ofRole.some((b) => (b.subjects ?? []).some((s) => sameSubject(s, subject, b.metadata.namespace)))) {
      have.push(`${g.role} ${where(g, live.project)}`);
      continue;
    }
    // oc policy's way: the binding named after the role, else the first free name-N.
    const own = ofRole.find((b) => b.metadata.name === g.role);
    if (own) {
      plan.steps.push({ kind: 'update', describe: `add ${who} to ${kindOf(g).toLowerCase()}/${own.metadata.name} (${g.role} ${where(g, live.project)})`, object: { ...own, subjects: [...(own.subjects ?? []), toBindingSubject(subject)] }, live: own });
      continue;
    }
    const taken = new Set(bindings.map((b) => b.metadata.name));
    let name = g.role;
    for (let i = 0; taken.has(name); i++) name = `${g.role}-${i}`;
    const object: BindingObject = {
      apiVersion: RBAC,
      kind: kindOf(g),
      metadata: { name, ...(g.scope === 'project' ? { namespace: live.project } : {}) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: g.role },
      subjects: [toBindingSubject(subject)],
    };
    plan.steps.push({ kind: 'create', describe: `create ${kindOf(g).toLowerCase()}/${name}: ${g.role} ${where(g, live.project)} for ${who}`, object });
  }
  plan.nothing = `${who} already has ${have.join(', ')}`;
  plan.done = `${who} may now ${o.levels.join(', ')} in ${live.project}${platform === 'openshift3' && o.levels.some((l) => l !== 'admin') ? ' (system:registry is cluster-wide)' : ''}`;
  plan.notes.push(`regctl access check ${subjectArg(subject)} -n ${live.project}`);
  return plan;
}

export function planRevoke(o: AccessOptions, live: AccessLive): Plan {
  const platform = preconditions(o, live);
  const plan = emptyPlan('access');
  const subject = named(o.subject);
  const who = describeSubject(subject);
  for (const g of revokesFor(platform, o.levels)) {
    const bindings = (g.scope === 'cluster' ? live.clusterRoleBindings : live.roleBindings).filter((b) => bindsRole(b, g.role));
    for (const b of bindings) {
      const kept = (b.subjects ?? []).filter((s) => !sameSubject(s, subject, b.metadata.namespace));
      if (kept.length === (b.subjects ?? []).length) continue;
      const name = `${kindOf(g).toLowerCase()}/${b.metadata.name}`;
      if (kept.length === 0) plan.steps.push({ kind: 'delete', describe: `delete ${name} (${g.role} ${where(g, live.project)}): ${who} was its only subject`, live: b });
      else plan.steps.push({ kind: 'update', describe: `remove ${who} from ${name} (${g.role} ${where(g, live.project)})`, object: { ...b, subjects: kept }, live: b });
    }
  }
  if (platform === 'openshift3' && o.levels.includes('pull')) {
    const crb = live.clusterRoleBindings.find((b) => bindsRole(b, 'system:registry') && (b.subjects ?? []).some((s) => sameSubject(s, subject)));
    if (crb) {
      const arg = subject.kind === 'Group' ? `group system:registry ${subject.name}` : `user system:registry ${subjectArg(subject)}`;
      plan.warnings.push(`${who} keeps system:registry (cluster-wide, other projects may need it); to take it away too: oc adm policy remove-cluster-role-from-${arg}`);
    }
  }
  plan.nothing = `${who} has none of the roles that give ${o.levels.join(', ')} in ${live.project}`;
  plan.done = `${who} may no longer ${o.levels.join(', ')} in ${live.project} through these roles`;
  return plan;
}

/** check: one line per capability, on stdout; the reviews themselves for -o. */
export function planCheck(o: AccessOptions, live: AccessLive): Plan {
  preconditions(o, live);
  const plan = emptyPlan('access');
  const rows: string[] = [];
  let i = 0;
  for (const c of CAPABILITIES) {
    const answers = live.reviews.slice(i, i + c.asks.length);
    i += c.asks.length;
    const denied = answers.findIndex((r) => !r.status?.allowed);
    if (denied < 0) {
      rows.push(`${c.level.padEnd(5)}  yes  ${answers[0]?.status?.reason || 'allowed'}`);
    } else {
      const a = c.asks[denied]!;
      const what = `${a.verb} ${a.subresource ? `${a.resource}/${a.subresource}` : a.resource}`;
      const fix = o.subject.kind === 'Self' ? `ask an administrator for: regctl access grant USER --${c.level} -n ${live.project}` : `fix: regctl access grant ${subjectArg(o.subject)} --${c.level} -n ${live.project}`;
      rows.push(`${c.level.padEnd(5)}  no   (may not ${what})  ${fix}`);
    }
  }
  plan.objects = live.reviews;
  plan.nothing = `${describeSubject(o.subject)} in project ${live.project}:\n${rows.join('\n')}`;
  return plan;
}
