// `regctl mirror` plans, pure: each ImageContentSourcePolicy created, merge-patched (conditional
// on the version read) or deleted; the nodes' files for --preview; the pools followed for --wait.
import { followNodeRollout } from '../../node-files/pools.js';
import { previewSteps, printable } from '../../node-files/image.js';
import { emptyPlan, type Plan, type Step } from '../../plan/types.js';
import { defaultImage, scopeIsNestedInsideScope, type ImageObject, type RegistrySources } from '../../templates/image-config.js';
import { allMirrorSets, describeSets, planMirror, setsOf, type MirrorPlan } from '../../templates/mirror.js';
import { nodeRegistryFiles, type NodeFile, type TomlWriter } from '../../templates/node-registries.js';
import type { MirrorLive } from './live.js';
import type { MirrorOptions } from './options.js';

const ICSP = 'imagecontentsourcepolicy.operator.openshift.io';

/** The policies' change; none when only previewing what is. */
export function mirrorChange(o: MirrorOptions, live: MirrorLive): MirrorPlan {
  return o.changes ? planMirror(live.policies, { mode: o.mode, name: o.name, groups: o.groups }) : { changes: [], policies: live.policies, warnings: [] };
}

/** From 4.13 on ImageDigestMirrorSet replaces ImageContentSourcePolicy; say so. */
function deprecation(version: string | undefined): string[] {
  const m = /^4\.(\d+)\./.exec(version ?? '');
  return m && Number(m[1]) >= 13 ? [`ImageContentSourcePolicy is deprecated on OpenShift ${version} (4.13 and later): it still works, and oc adm migrate icsp converts policies to ImageDigestMirrorSet`] : [];
}

export function planMirrorChange(o: MirrorOptions, live: MirrorLive): Plan {
  const plan = emptyPlan('mirror');
  const mp = mirrorChange(o, live);
  plan.warnings.push(...mp.warnings, ...deprecation(live.version));
  plan.steps.push(
    ...mp.changes.map((c): Step => {
      switch (c.action) {
        case 'create':
          return { kind: 'create', describe: `create ${ICSP}/${c.object.metadata.name}: ${describeSets(setsOf(c.object))}`, object: printable(c.object) };
        case 'update':
          return {
            kind: 'patch',
            describe: `merge-patch ${ICSP}/${c.before.metadata.name}: spec.repositoryDigestMirrors: ${describeSets(setsOf(c.before))} => ${describeSets(setsOf(c.object))}`,
            live: c.before,
            patchType: 'merge',
            patch: c.patch,
            after: printable(c.object),
          };
        case 'delete':
          return { kind: 'delete', describe: `delete ${ICSP}/${c.before.metadata.name} (was: ${describeSets(setsOf(c.before))})`, live: c.before };
      }
    }),
  );
  // Offline, -o renders what the files would become.
  if (!live.connected) plan.objects = mp.changes.flatMap((c) => (c.action === 'delete' ? [] : [printable(c.object)]));
  if (plan.steps.length === 0) {
    plan.nothing = 'the ImageContentSourcePolicies already say this: nothing to change';
    return plan;
  }
  followNodeRollout(plan, o.wait ? { pools: live.pools, timeoutSeconds: o.timeoutSeconds } : undefined);
  return plan;
}

/**
 * What the MCO renders from the Image: as on 4.10 (the ImageContentSourcePolicy era), a blocked
 * scope that covers the release payload is left out of every node's files.
 */
function nodeSources(image: ImageObject, payloadRepo: string | undefined): { sources: RegistrySources; dropped: string[] } {
  const sources = image.spec?.registrySources ?? {};
  const dropped = payloadRepo ? (sources.blockedRegistries ?? []).filter((b) => scopeIsNestedInsideScope(payloadRepo, b)) : [];
  return { sources: dropped.length ? { ...sources, blockedRegistries: (sources.blockedRegistries ?? []).filter((b) => !dropped.includes(b)) } : sources, dropped };
}

/** The files each node will receive: the Image's lists with every mirror rule, the change applied. */
export function previewFiles(o: MirrorOptions, live: MirrorLive, toml: TomlWriter): { files: NodeFile[]; warnings: string[] } {
  const mp = mirrorChange(o, live);
  const { sources, dropped } = nodeSources(live.image ?? defaultImage(), live.payloadRepo);
  const warnings = [...mp.warnings, ...deprecation(live.version)];
  if (dropped.length) warnings.push(`blocked registries ${dropped.join(', ')} cover the release payload: the machine-config operator leaves them out of the node files`);
  return { files: nodeRegistryFiles(sources, toml, [...allMirrorSets(mp.policies), ...live.digestMirrors]), warnings };
}

/** `--preview DIR`: the node files written there, nothing else. */
export function planPreview(dir: string, preview: { files: NodeFile[]; warnings: string[] }): Plan {
  const plan = emptyPlan('mirror');
  plan.warnings.push(...preview.warnings);
  plan.steps.push(...previewSteps(preview.files, dir));
  return plan;
}
