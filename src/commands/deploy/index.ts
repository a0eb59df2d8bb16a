// `regctl deploy`: what `oc adm registry` does (seeds 001, 003; shared/OC-ADM-REGISTRY.md), and on
// OpenShift 4 what the Image Registry Operator is told (seed 002).
// flags → options → live → plan → finish.
import type { Command } from 'commander';
import { load } from 'js-yaml';
import type { Platform } from '../../cluster/types.js';
import type { Context } from '../../context.js';
import { offlineNamespace } from '../../context.js';
import { UsageError } from '../../errors.js';
import { readInputFile } from '../../host/files.js';
import { sleptClock } from '../../output/poll.js';
import { finish } from '../../plan/run.js';
import type { Plan } from '../../plan/types.js';
import { readTLS } from '../../registry/inputs.js';
import { addRegistryFlags } from '../../registry/options.js';
import { rendering, resolveTarget } from '../../registry/target.js';
import { action } from '../../runtime.js';
import { CONFIG_REF, OPERATOR_NAMESPACE } from '../../templates/operator.js';
import { summary } from '../catalog.js';
import { readOpenShift4Live, readRegistryLive } from './live.js';
import { addOpenShift4Flags, givesOpenShift4Flags } from './openshift4-flags.js';
import { parseAffinity } from './openshift4-fields.js';
import { parseCredentialsFile, planOpenShift4, runnablePlan, type CredentialEntry, type OpenShift4Inputs, type OpenShift4Options } from './openshift4.js';
import { deployOptions, toOpenShift4Options, type DeployCommandFlags } from './options.js';
import { createsWorkload, planDeploy } from './plan.js';

const OFFLINE_HINT = 'to render without a cluster, name the platform: --platform openshift3, openshift4 or kubernetes';

export function register(program: Command): void {
  const cmd = addRegistryFlags(program.command('deploy').description(summary('deploy')))
    .addHelpText(
      'after',
      `
Examples:
  # Print the registry objects, to review or to pipe into oc create -f -
  # (connected: what this cluster would get; --platform: offline, for that kind of cluster)
  regctl deploy -o yaml > registry.yaml

  # Store images on each node's /data directory (the Origin 3 Deploying a Registry on Existing Clusters document)
  regctl deploy --mount-host=/data --service-account=registry

  # Run on the infra nodes with two replicas on shared storage
  regctl deploy --selector=region=infra --replicas=2 --pvc=registry-storage

  # Use the Red Hat images (OpenShift Container Platform)
  regctl deploy --images='registry.redhat.io/openshift3/ose-\${component}:\${version}'

  # Report whether the registry exists (exit 1 if it does not), and what deploy would create
  regctl deploy --dry-run

  # A registry that runs already: the flags given that differ change just those fields
  # (shown as a diff with --dry-run; asks first; a missing claim is created with --claim-size)
  regctl deploy --pvc=registry-storage --claim-size=100Gi --requests=cpu=200m,memory=512Mi`,
    )
    .action(action<DeployCommandFlags>(runDeploy));
  addOpenShift4Flags(cmd);
}

export async function runDeploy(flags: DeployCommandFlags, ctx: Context): Promise<void> {
  const given = flags.platform as Platform | undefined;
  // Every flag that can be checked offline is checked before the first request: as OpenShift 4
  // when an operator flag (or --platform openshift4) says so, else as oc adm registry.
  const asOperator = given === 'openshift4' || (given === undefined && givesOpenShift4Flags(flags));
  if (asOperator) toOpenShift4Options(flags);
  const provisional = asOperator ? undefined : deployOptions(flags, given ?? 'openshift3');
  // Connected, the registry's objects are read beside discovery (one round trip): the reads are
  // the same whichever platform discovery finds, and harmless if it turns out to be 4.x.
  const speculative = provisional && !(rendering(ctx) && given) ? ctx.cluster().then((c) => readRegistryLive(c, provisional), () => undefined) : undefined;
  speculative?.catch(() => {}); // awaited below when used; its failure must not go unhandled before
  const target = await resolveTarget(ctx, given, OFFLINE_HINT);
  if (target.platform === 'openshift4') return finish(await openShift4(flags, ctx, target.cluster), ctx);

  const o = deployOptions(flags, target.platform, target.cluster?.server);
  const tls = readTLS(o);
  const live = target.cluster ? ((await speculative) ?? (await readRegistryLive(target.cluster, o))) : undefined;
  const plan = planDeploy(o, live, {
    httpSecret: Buffer.from(ctx.randomBytes(32)).toString('base64'),
    tls,
    offlineNamespace: offlineNamespace(ctx.globals),
    given: new Set(flags.givenFlags ?? []),
  });
  const workload = plan.steps.find(createsWorkload)?.object ?? live?.workloads[0];
  if (o.wait && workload) {
    const ref = { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.metadata.name, namespace: workload.metadata.namespace ?? live!.namespace };
    plan.after = async (w) => {
      const { waitForRollout } = await import('../../cluster/rollout.js');
      await waitForRollout(w.cluster!, ref, { timeoutSeconds: o.timeoutSeconds, io: w.io, env: w.env, ...sleptClock(w.sleep) });
    };
  }
  await finish(plan, ctx);
}

function readCredentials(o: OpenShift4Options): CredentialEntry[] {
  if (o.credentialsFile === undefined) return [];
  return parseCredentialsFile(o.credentialsFile, readInputFile('--credentials-file', o.credentialsFile));
}

/** OpenShift 4: offline (`cluster` undefined) the fields regctl sets; connected, the live Config changed. */
async function openShift4(flags: DeployCommandFlags, ctx: Context, cluster: import('../../cluster/types.js').Cluster | undefined): Promise<Plan> {
  const o = toOpenShift4Options(flags);
  const fileCredentials = readCredentials(o);
  const inputs: OpenShift4Inputs = {};
  if (o.rotateHttpSecret) inputs.httpSecret = Buffer.from(ctx.randomBytes(64)).toString('hex');
  if (o.affinityFile !== undefined) {
      const text = readInputFile('--affinity-file', o.affinityFile);
    let doc: unknown = null;
    try {
      if (text.trim() !== '') doc = load(text);
    } catch (e) {
      throw new UsageError(`--affinity-file: "${o.affinityFile}" is not YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    inputs.affinity = parseAffinity(o.affinityFile, doc);
  }
  const live = cluster ? await readOpenShift4Live(cluster, o, o.credentials.length + fileCredentials.length > 0) : undefined;
  const plan = runnablePlan(o, planOpenShift4(o, live, fileCredentials, inputs), live);
  if (cluster && ctx.globals.namespace !== undefined && ctx.globals.namespace !== OPERATOR_NAMESPACE) {
    plan.warnings.unshift(`-n ${ctx.globals.namespace} is ignored: the operator's registry lives in ${OPERATOR_NAMESPACE}`);
  }
  if (rendering(ctx) && plan.objects?.some((obj) => obj.kind === 'Secret') && !o.showCredentials) {
    plan.warnings.push('credential values are redacted in the output; pass --show-credentials to print them');
  }
  if (o.wait) {
    plan.after = async (w) => {
      const { waitForRegistry } = await import('./openshift4-wait.js');
      // Wait until the operator has observed the Config as this run left it.
      const generation = (await w.cluster!.get(CONFIG_REF))?.metadata.generation;
      await waitForRegistry(w.cluster!, ctx, { managementState: o.operator.managementState, timeoutSeconds: o.timeoutSeconds, generation: typeof generation === 'number' ? generation : undefined, ...sleptClock(w.sleep) });
    };
  }
  return plan;
}
