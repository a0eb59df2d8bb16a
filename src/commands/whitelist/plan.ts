// `regctl whitelist` plans, pure. On 4.x: a merge patch of image.config.openshift.io/cluster
// (conditional on the version read), then optionally following the machine config pools. On a
// 3.x node: /etc/sysconfig/docker rewritten (a writeFile step: backed up, undone on failure),
// then `systemctl restart docker` (an exec step). --preview DIR: the node files as writeFile steps.
import { followNodeRollout } from '../../node-files/pools.js';
import { printable, type NodePreview } from '../../node-files/image.js';
import { emptyPlan, type Plan } from '../../plan/types.js';
import { readRegistryLists, setRegistryWhitelist, type DockerRegistryLists } from '../../templates/docker-sysconfig.js';
import { planImageConfig, type ImageObject, type WhitelistResult } from '../../templates/image-config.js';
import type { TomlWriter } from '../../templates/node-registries.js';
import { newlyRefusedMirrors } from '../../node-files/allow-list.js';
import { mirrorRulesOf } from '../../node-files/objects.js';
import { renderNodeFiles } from '../../node-files/render.js';
import { UsageError } from '../../errors.js';
import type { ClusterLive, NodeConfigLive } from './live.js';
import type { ClusterOptions, NodeConfigOptions } from './options.js';

const RESTART = { command: 'systemctl', args: ['restart', 'docker'] };
const RESTART_LINE = [RESTART.command, ...RESTART.args].join(' ');

/** What changes, one line per list, for --dry-run. */
export function describeChange(before: ImageObject, r: WhitelistResult): string[] {
  const lines: string[] = [];
  const spec = r.patch.spec ?? {};
  const sources = (spec.registrySources ?? {}) as Record<string, string[] | null>;
  const was = before.spec?.registrySources ?? {};
  for (const [name, value] of Object.entries(sources)) {
    lines.push(`spec.registrySources.${name}: [${(was[name as keyof typeof was] ?? []).join(', ')}] -> [${(value ?? []).join(', ')}]`);
  }
  if ('allowedRegistriesForImport' in spec) {
    const fmt = (xs: { domainName: string; insecure?: boolean }[] | null | undefined) => (xs ?? []).map((l) => l.domainName + (l.insecure ? ' (insecure)' : '')).join(', ');
    lines.push(`spec.allowedRegistriesForImport: [${fmt(before.spec?.allowedRegistriesForImport)}] -> [${fmt(spec.allowedRegistriesForImport as never)}]`);
  }
  return lines;
}

/** The Image edit; what --preview and the plan are built from. */
export function imageChange(o: ClusterOptions, live: ClusterLive): WhitelistResult {
  return planImageConfig(live.image, { mode: o.mode, lists: o.lists, allowImport: o.allowImport, includeDefaults: o.includeDefaults, force: o.force, payloadRepo: live.payloadRepo });
}

/** The edit's warnings, and those about configured mirrors the new lists would refuse (with the fix). */
function changeWarnings(r: WhitelistResult, live: ClusterLive): string[] {
  const mirrors = newlyRefusedMirrors(live.image.spec?.registrySources ?? {}, r.sources, Object.values(mirrorRulesOf(live.node.mirrorObjects)).flat());
  return [
    ...r.warnings,
    ...(r.added.length ? [`--include-defaults: adding ${r.added.join(', ')} to the allowed registries`] : []),
    ...mirrors.warnings,
    ...mirrors.fixes.map((f) => `to keep pulling from them: ${f}`),
  ];
}

export function planClusterWhitelist(o: ClusterOptions, live: ClusterLive): Plan {
  const plan = emptyPlan('whitelist');
  const r = imageChange(o, live);
  plan.warnings.push(...changeWarnings(r, live));
  // Offline, -o renders the Image from the file as it would be, changed or not.
  if (!live.connected) plan.objects = [printable(r.image)];
  if (!r.changed) {
    plan.nothing = 'image.config.openshift.io/cluster already has these lists: nothing to change';
    return plan;
  }
  const before = live.image;
  plan.steps.push({ kind: 'patch', describe: `merge-patch image.config.openshift.io/cluster: ${describeChange(before, r).join('; ')}`, live: before, patchType: 'merge', patch: r.patch, after: printable(r.image) });
  const nodesChange = 'registrySources' in (r.patch.spec ?? {});
  if (!nodesChange) {
    plan.done = 'allowedRegistriesForImport applies to image stream imports at once: no node changes';
    return plan;
  }
  followNodeRollout(plan, o.wait ? { pools: live.pools, timeoutSeconds: o.timeoutSeconds } : undefined);
  return plan;
}

/** The files each node will receive, merged with the cluster's mirror rules, as its release writes them. */
export function previewFiles(o: ClusterOptions, live: ClusterLive, toml: TomlWriter): NodePreview {
  const r = imageChange(o, live);
  const { rules, releaseImage, mirrorObjects } = live.node;
  const rendered = renderNodeFiles({ rules, sources: r.sources, mirrors: mirrorRulesOf(mirrorObjects), releaseImage }, toml);
  return { files: rendered.files, warnings: [...changeWarnings(r, live), ...rendered.warnings], note: live.node.note };
}

/** The new allow list: as given, or the file's ADD_REGISTRY entries with --add/--remove applied. */
export function nextAllowList(o: NodeConfigOptions, current: DockerRegistryLists): string[] {
  if (o.mode === 'set') return o.registries;
  if (o.mode === 'add') return [...new Set([...current.add, ...o.registries])];
  return current.add.filter((r) => !o.registries.includes(r));
}

export function planNodeConfig(o: NodeConfigOptions, live: NodeConfigLive): Plan {
  const plan = emptyPlan('whitelist');
  const allow = nextAllowList(o, readRegistryLists(live.text));
  if (allow.length === 0) throw new UsageError(`--remove: no registry would be left in ${o.path}, and every registry would be blocked`);
  const text = setRegistryWhitelist(live.text, allow);
  const extra = readRegistryLists(text).add.filter((r) => !allow.includes(r));
  if (extra.length) plan.warnings.push(`OPTIONS in ${o.path} also adds ${extra.join(', ')} with --add-registry: those stay allowed`);
  if (text === live.text) {
    plan.nothing = `${o.path} already blocks every registry but ${allow.join(', ')}: nothing changed`;
    return plan;
  }
  const adds = allow.map((r) => '--add-registry=' + r).join(' ');
  plan.steps.push({ kind: 'writeFile', describe: `edit ${live.path}: BLOCK_REGISTRY='--block-registry=all' ADD_REGISTRY='${adds}'`, path: live.path, content: text });
  const everyNode = '# every node needs the same edit: run this command on each node, or push the file with your configuration management';
  plan.done = `${o.path}: every registry is blocked but ${allow.join(', ')}`;
  if (o.restart) {
    plan.steps.push({ kind: 'exec', describe: `run ${RESTART_LINE} (docker reads the file when it starts)`, ...RESTART });
    plan.done += '; docker restarted: pulls from other registries now fail with "not allowed"';
    plan.notes.push(everyNode);
  } else {
    plan.notes.push('# docker reads this file when it starts; restart it for the whitelist to apply (or rerun with --restart):', RESTART_LINE, everyNode);
  }
  return plan;
}
