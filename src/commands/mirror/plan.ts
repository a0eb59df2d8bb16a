// `regctl mirror` plans, pure: each ImageDigestMirrorSet, ImageTagMirrorSet or
// ImageContentSourcePolicy created, merge-patched (conditional on the version read) or deleted,
// and with --update-allowlist the Image patched; the nodes' files for --preview; the pools
// followed for --wait. What to change is decided by node-files/mirror-plan.ts.
import { followNodeRollout } from '../../node-files/pools.js';
import { printable, type NodePreview } from '../../node-files/image.js';
import { planMirrorOutcome, type MirrorOutcome } from '../../node-files/mirror-plan.js';
import { MIRROR_KINDS, type MirrorKind } from '../../node-files/objects.js';
import { emptyPlan, type Plan, type Step } from '../../plan/types.js';
import { describeSets, objectName, setsOf } from '../../templates/mirror.js';
import type { TomlWriter } from '../../templates/node-registries.js';
import { defaultImage } from '../../templates/image-config.js';
import type { MirrorLive } from './live.js';
import type { MirrorOptions } from './options.js';

/** The whole decision: the objects' change, the allow list, the node files. */
export function mirrorOutcome(o: MirrorOptions, live: MirrorLive, toml: TomlWriter): MirrorOutcome {
  const request = o.changes ? { mode: o.mode, name: o.name, groups: o.groups, neverContactSource: o.neverContactSource, tags: o.tags, convert: o.convert } : undefined;
  const { rules, releaseImage, servesMirrorSets } = live.node;
  return planMirrorOutcome({ rules, releaseImage, objects: live.node.mirrorObjects, servesMirrorSets, image: live.image ?? defaultImage() }, request, o.updateAllowlist, toml);
}

/** Warnings first, then the fixing commands, as lines for stderr. */
function messages(out: MirrorOutcome): string[] {
  return [...out.warnings, ...out.infos, ...out.fixes.map((f) => `to let the nodes pull from them: ${f}`)];
}

export function planMirrorChange(o: MirrorOptions, live: MirrorLive, toml: TomlWriter): Plan {
  const plan = emptyPlan('mirror');
  const out = mirrorOutcome(o, live, toml);
  plan.warnings.push(...messages(out));
  if (out.filesUnchanged !== undefined) {
    plan.notes.push(out.filesUnchanged ? "the nodes' registries.conf and policy.json stay the same: the operator reads ImageContentSourcePolicy items as digest mirrors" : "the nodes' files change (see --preview)");
  }
  plan.steps.push(
    ...out.plan.changes.map((c): Step => {
      switch (c.action) {
        case 'create':
          return { kind: 'create', describe: `create ${objectName(c.object.kind as MirrorKind, c.object.metadata.name)}: ${describeSets(setsOf(c.object))}`, object: printable(c.object) };
        case 'update': {
          const kind = c.before.kind as MirrorKind;
          return {
            kind: 'patch',
            describe: `merge-patch ${objectName(kind, c.before.metadata.name)}: spec.${MIRROR_KINDS[kind].field}: ${describeSets(setsOf(c.before))} => ${describeSets(setsOf(c.object))}`,
            live: c.before,
            patchType: 'merge',
            patch: c.patch,
            after: printable(c.object),
          };
        }
        case 'delete':
          return { kind: 'delete', describe: `delete ${objectName(c.before.kind as MirrorKind, c.before.metadata.name)} (was: ${describeSets(setsOf(c.before))})`, live: c.before };
      }
    }),
  );
  const image = out.imageChange;
  if (image && live.image) {
    const was = live.image.spec?.registrySources?.allowedRegistries ?? [];
    const now = image.image.spec?.registrySources?.allowedRegistries ?? [];
    plan.steps.push({ kind: 'patch', describe: `merge-patch image.config.openshift.io/cluster: spec.registrySources.allowedRegistries: [${was.join(', ')}] -> [${now.join(', ')}]`, live: live.image, patchType: 'merge', patch: image.patch, after: printable(image.image) });
  }
  // Offline, -o renders what the files would become.
  if (!live.connected) plan.objects = [...out.plan.changes.flatMap((c) => (c.action === 'delete' ? [] : [printable(c.object)])), ...(image ? [printable(image.image)] : [])];
  if (plan.steps.length === 0) {
    plan.nothing = 'the mirror objects already say this: nothing to change';
    return plan;
  }
  followNodeRollout(plan, o.wait ? { pools: live.pools, timeoutSeconds: o.timeoutSeconds } : undefined);
  return plan;
}

/** The files each node will receive: the Image's lists with every mirror rule, the change applied, as the release writes them. */
export function previewFiles(o: MirrorOptions, live: MirrorLive, toml: TomlWriter): NodePreview {
  const out = mirrorOutcome(o, live, toml);
  return { files: out.files.files, warnings: [...messages(out), ...out.files.warnings], note: live.node.note };
}

