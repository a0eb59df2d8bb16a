// Everything `regctl mirror` decides, pure, once the cluster (or the -f files) has been read:
// the mirror objects to create, patch or delete (templates/mirror.ts), the allow-list problems
// and the Image patch of --update-allowlist, and the files every node will receive. The command
// only reads, prints and runs the steps.
import { planImageConfig, type ImageObject, type WhitelistResult } from '../templates/image-config.js';
import type { TomlWriter } from '../templates/node-registries.js';
import { planMirrorRequest, setsOf, type KindPlan, type MirrorRequest, type PolicyObject } from '../templates/mirror.js';
import { allowListFixes, allowListProblems, describeAllowListProblem } from './allow-list.js';
import { ICSP_KIND, IDMS_KIND, ITMS_KIND, mirrorRulesOf, type MirrorKind } from './objects.js';
import { renderNodeFiles, type NodeFilesResult } from './render.js';
import type { ReleaseRules } from './release.js';

export interface MirrorWorld {
  rules: ReleaseRules;
  releaseImage?: string;
  /** Every ICSP, IDMS and ITMS as read. */
  objects: PolicyObject[];
  servesMirrorSets: boolean;
  image: ImageObject;
}

export interface MirrorOutcome {
  plan: KindPlan;
  /** Every mirror object as it will be. */
  after: PolicyObject[];
  /** `--update-allowlist`: the Image patch (when something is missing). */
  imageChange?: WhitelistResult;
  warnings: string[];
  infos: string[];
  /** Commands that would fix what the warnings say. */
  fixes: string[];
  /** The node files with the change (and the Image patch) applied. */
  files: NodeFilesResult;
  /** `--convert`: whether the nodes' files stay as they are. */
  filesUnchanged?: boolean;
}

const byKind = (objects: PolicyObject[], kind: MirrorKind) => objects.filter((o) => o.kind === kind);

function render(w: MirrorWorld, image: ImageObject, objects: PolicyObject[], toml: TomlWriter): NodeFilesResult {
  return renderNodeFiles({ rules: w.rules, sources: image.spec?.registrySources ?? {}, mirrors: mirrorRulesOf(objects), releaseImage: w.releaseImage }, toml);
}

/** `request` undefined: nothing to change, only the files as they are. */
export function planMirrorOutcome(w: MirrorWorld, request: Omit<MirrorRequest, 'servesMirrorSets'> | undefined, updateAllowlist: boolean, toml: TomlWriter): MirrorOutcome {
  const live = { icsp: byKind(w.objects, ICSP_KIND), idms: byKind(w.objects, IDMS_KIND), itms: byKind(w.objects, ITMS_KIND) };
  const plan: KindPlan = request ? planMirrorRequest(live, { ...request, servesMirrorSets: w.servesMirrorSets }) : { changes: [], policies: w.objects, warnings: [], kinds: [] };
  const warnings = [...plan.warnings];
  const infos: string[] = [];
  if (w.rules.mirrorSets && plan.changes.some((c) => c.action !== 'delete' && c.object.kind === ICSP_KIND)) {
    warnings.push(`ImageContentSourcePolicy is deprecated on OpenShift ${w.rules.release.name} (4.13 and later): it still works, and regctl mirror --convert turns the policies into one ImageDigestMirrorSet`);
  }
  const after = [...w.objects.filter((p) => !plan.kinds.includes(p.kind as MirrorKind)), ...plan.policies];

  // The allow list: sources and mirrors the nodes' policy.json would refuse.
  const added = request?.mode === 'remove' ? [] : plan.changes.flatMap((c) => (c.action === 'delete' ? [] : setsOf(c.object)));
  const problems = allowListProblems(w.image.spec?.registrySources ?? {}, added);
  const toAllow = updateAllowlist ? problems.filter((p) => !p.blockedBy).map((p) => p.scope) : [];
  let imageChange: WhitelistResult | undefined;
  if (toAllow.length) {
    imageChange = planImageConfig(w.image, { mode: 'add', lists: { allowedRegistries: toAllow }, includeDefaults: false, force: true });
    infos.push(`--update-allowlist: adding ${toAllow.join(', ')} to allowedRegistries`);
  }
  const unresolved = problems.filter((p) => !toAllow.includes(p.scope));
  warnings.push(...unresolved.map(describeAllowListProblem));

  const files = render(w, imageChange?.image ?? w.image, after, toml);
  const filesUnchanged = request?.convert ? JSON.stringify(render(w, w.image, w.objects, toml).files) === JSON.stringify(files.files) : undefined;
  return { plan, after, imageChange, warnings, infos, fixes: allowListFixes(unresolved), files, filesUnchanged };
}
