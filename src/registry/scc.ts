// The privileged SCC grant a registry on a host path needs on OpenShift 3.x (seed 001:
// `oc adm policy add-scc-to-user privileged system:serviceaccount:<ns>:registry`).
import type { KubeObject, ObjectRef, Step } from '../plan/types.js';
import { serviceAccountUser } from './options.js';

export const PRIVILEGED_SCC: ObjectRef = { apiVersion: 'security.openshift.io/v1', kind: 'SecurityContextConstraints', name: 'privileged' };

/** The patch that adds the service account to the SCC's users, or none when it is one already. */
export function sccGrantStep(scc: KubeObject | undefined, namespace: string, serviceAccount: string): Extract<Step, { kind: 'patch' }> | undefined {
  if (!scc) return undefined;
  const user = serviceAccountUser(namespace, serviceAccount);
  const users = (scc as { users?: string[] | null }).users;
  if (users?.includes(user)) return undefined;
  // A JSON patch appends atomically, without racing other edits of the list.
  const patch = users ? [{ op: 'add', path: '/users/-', value: user }] : [{ op: 'add', path: '/users', value: [user] }];
  const after = { ...scc, users: [...(users ?? []), user] } as KubeObject;
  return { kind: 'patch', describe: `add ${user} to the users of SCC "privileged"`, live: scc, patchType: 'json', patch, after };
}

/** The question a plan with a grant asks (`--yes` answers it). */
export function sccGrantQuestion(namespace: string, serviceAccount: string): string {
  return `--mount-host runs the registry privileged. Add ${serviceAccountUser(namespace, serviceAccount)} to the privileged SCC?`;
}
