// access flags → options: pure, every error a UsageError naming the flag or argument.
import { UsageError } from '../../errors.js';

export type Level = 'pull' | 'push' | 'admin';
export const LEVELS: readonly Level[] = ['pull', 'push', 'admin'];

/** Who: a user, a group, or a service account (`system:serviceaccount:NS:NAME`, as oc policy takes it). */
export type Subject = { kind: 'User' | 'Group'; name: string } | { kind: 'ServiceAccount'; name: string; namespace: string };

/** check without USER: the kubeconfig's own user, asked with SelfSubjectAccessReviews (any user may). */
export type CheckSubject = Subject | { kind: 'Self' };

export interface AccessFlags {
  group?: string;
  pull?: boolean;
  push?: boolean;
  admin?: boolean;
}

export interface AccessOptions {
  action: 'grant' | 'revoke' | 'check';
  subject: CheckSubject;
  levels: Level[];
  /** -n as given; else the context's namespace (as `oc policy`). */
  namespace?: string;
}

const SA = /^system:serviceaccount:([a-z0-9]([-a-z0-9]*[a-z0-9])?):([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/;

export function parseSubject(user: string | undefined, group: string | undefined): Subject {
  if (user !== undefined && group !== undefined) throw new UsageError('give a USER or --group GROUP, not both');
  if (group !== undefined) {
    if (!group.trim() || /[/%]/.test(group)) throw new UsageError(`--group: "${group}" is not a valid group name`);
    return { kind: 'Group', name: group };
  }
  if (user === undefined || !user.trim()) throw new UsageError('name the USER (or --group GROUP)');
  if (user.startsWith('system:serviceaccount:')) {
    const m = SA.exec(user);
    if (!m) throw new UsageError(`USER: "${user}" is not system:serviceaccount:NAMESPACE:NAME`);
    return { kind: 'ServiceAccount', namespace: m[1]!, name: m[3]! };
  }
  // OpenShift user names cannot hold these (they would name another path).
  if (/[/%]/.test(user) || user === '.' || user === '..') throw new UsageError(`USER: "${user}" is not a valid user name`);
  return { kind: 'User', name: user };
}

export function toOptions(action: AccessOptions['action'], user: string | undefined, f: AccessFlags, namespace?: string): AccessOptions {
  const subject: CheckSubject = action === 'check' && user === undefined && f.group === undefined ? { kind: 'Self' } : parseSubject(user, f.group);
  const levels = LEVELS.filter((l) => f[l] === true);
  if (action !== 'check' && levels.length === 0) throw new UsageError(`${action} needs what: --pull, --push or --admin`);
  return { action, subject, levels, namespace };
}

/** The subject as the other commands take it: `bob`, `--group devs`, `system:serviceaccount:ns:sa`. */
export function subjectArg(s: CheckSubject): string {
  if (s.kind === 'Self') return 'USER';
  if (s.kind === 'Group') return `--group ${s.name}`;
  if (s.kind === 'ServiceAccount') return `system:serviceaccount:${s.namespace}:${s.name}`;
  return s.name;
}

export function describeSubject(s: CheckSubject): string {
  if (s.kind === 'Self') return 'you (the kubeconfig\'s user)';
  if (s.kind === 'ServiceAccount') return `service account ${s.namespace}/${s.name}`;
  return `${s.kind === 'User' ? 'user' : 'group'} ${s.name}`;
}
