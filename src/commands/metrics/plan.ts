// `metrics enable` as a plan (seed 002 5.5; seed 000 "OpenShift" metrics): the cluster role
// `prometheus-scraper` on registry/metrics, its binding to --user, and on 3.x the registry's
// REGISTRY_OPENSHIFT_METRICS_ENABLED/SECRET (what override-config --metrics sets). On 4.x the
// operator runs the registry with metrics on; access is the cluster role. Pure.
import { OperationError } from '../../errors.js';
import { emptyPlan, type KubeObject, type Plan } from '../../plan/types.js';
import { workloadName } from '../../registry/pods.js';
import { METRICS_ENABLED_ENV, METRICS_SECRET_ENV, SCRAPER_ROLE, SCRAPER_RULES, scraperBinding, scraperClusterRole } from '../../templates/metrics.js';
import { withEnv, workloadEnv } from '../../templates/registry-config-plan.js';
import type { EnableLive } from './live.js';
import type { EnableOptions } from './options.js';

type Obj = Record<string, any>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `generatedSecret` is used only when neither --secret nor the live workload has one. */
export function planEnable(o: EnableOptions, live: EnableLive, generatedSecret: string): Plan {
  const plan = emptyPlan('metrics', 'oc');
  const objects: KubeObject[] = [];
  const role = live.role ? { ...structuredClone(live.role), rules: structuredClone(SCRAPER_RULES) } : scraperClusterRole();
  if (!live.role) plan.steps.push({ kind: 'create', describe: `create clusterrole "${SCRAPER_ROLE}" (get registry/metrics)`, object: role });
  else if (!same(live.role.rules, SCRAPER_RULES)) {
    plan.steps.push({ kind: 'update', describe: `update clusterrole "${SCRAPER_ROLE}": rules = get registry/metrics in image.openshift.io`, object: role, live: live.role });
  }
  objects.push(role);

  if (o.users.length) {
    const roleRef = (live.binding?.roleRef ?? {}) as Obj;
    if (live.binding && (roleRef.kind !== 'ClusterRole' || roleRef.name !== SCRAPER_ROLE)) {
      throw new OperationError(`clusterrolebinding "${SCRAPER_ROLE}" exists and binds ${roleRef.kind ?? '?'} "${roleRef.name ?? '?'}", not the cluster role ${SCRAPER_ROLE}`, `oc adm policy add-cluster-role-to-user ${SCRAPER_ROLE} ${o.users.join(' ')} (makes a binding of another name)`);
    }
    const binding = scraperBinding(o.users, live.binding);
    if (!live.binding) plan.steps.push({ kind: 'create', describe: `create clusterrolebinding "${SCRAPER_ROLE}" for ${o.users.map((u) => `user ${u}`).join(', ')}`, object: binding });
    else if (!same(binding.subjects, live.binding.subjects)) {
      const added = o.users.filter((u) => !((live.binding!.subjects ?? []) as Obj[]).some((s) => s.kind === 'User' && s.name === u));
      plan.steps.push({ kind: 'update', describe: `update clusterrolebinding "${SCRAPER_ROLE}": add ${added.map((u) => `user ${u}`).join(', ')}`, object: binding, live: live.binding });
    }
    objects.push(binding);
  }

  if (live.workload) {
    const env = workloadEnv(live.workload);
    const secret = o.secret ?? env[METRICS_SECRET_ENV] ?? generatedSecret;
    const want = { [METRICS_ENABLED_ENV]: 'true', [METRICS_SECRET_ENV]: secret };
    const next = withEnv(live.workload, want);
    if (!same(workloadEnv(next), env)) {
      plan.steps.push({ kind: 'update', describe: `update ${workloadName(live.workload)} in ${live.loc.namespace}: ${METRICS_ENABLED_ENV}=true, ${METRICS_SECRET_ENV}=${env[METRICS_SECRET_ENV] === secret ? '(kept)' : '(new secret)'}; the pods are redeployed`, object: next, live: live.workload });
    }
    objects.push(next);
    plan.notes.push(`regctl metrics query                 # the imageregistry_* series, with the secret from the ${workloadName(live.workload)} environment`);
  } else {
    plan.warnings.push('OpenShift 4: the operator runs the registry with metrics enabled; they are read with a token of a user bound to prometheus-scraper (seed 002 5.5)');
    plan.notes.push('regctl metrics query --token "$(oc whoami -t)"   # as a user bound to prometheus-scraper');
  }
  plan.objects = objects;
  plan.nothing = `metrics are enabled already${o.users.length ? ` and ${o.users.join(', ')} may read them` : ''}: nothing to change`;
  plan.done = 'registry metrics enabled';
  return plan;
}
