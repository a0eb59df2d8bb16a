// Mirrors and the Image's allow and block lists (seed 004: "for disconnected clusters, mirror
// registries should also be added" to allowedRegistries). policy.json on every node rejects an
// image named outside allowedRegistries, or inside blockedRegistries, whichever name the pull uses.
import { scopeIsNestedInsideScope, type RegistrySources } from '../templates/image-config.js';
import type { MirrorRule } from './registries.js';

export interface AllowListProblem {
  scope: string;
  role: 'source' | 'mirror';
  /** The source a mirror belongs to. */
  of?: string;
  /** The blocked entry that covers it; absent: allowedRegistries leaves it out. */
  blockedBy?: string;
}

/** Sources and mirrors the lists would refuse, each once, in the order given. */
export function allowListProblems(sources: RegistrySources, rules: MirrorRule[]): AllowListProblem[] {
  const allowed = sources.allowedRegistries ?? [];
  const blocked = sources.blockedRegistries ?? [];
  const out: AllowListProblem[] = [];
  const check = (scope: string, role: AllowListProblem['role'], of?: string) => {
    if (out.some((p) => p.scope === scope)) return;
    const blockedBy = blocked.find((b) => scopeIsNestedInsideScope(scope, b));
    if (blockedBy) out.push({ scope, role, ...(of ? { of } : {}), blockedBy });
    else if (allowed.length && !allowed.some((a) => scopeIsNestedInsideScope(scope, a))) out.push({ scope, role, ...(of ? { of } : {}) });
  };
  for (const r of rules) {
    check(r.source, 'source');
    for (const m of r.mirrors) check(m, 'mirror', r.source);
  }
  return out;
}

/** The command that fixes the problems (one for the allow list, one for the block list). */
export function allowListFixes(problems: AllowListProblem[]): string[] {
  const allow = problems.filter((p) => !p.blockedBy).map((p) => p.scope);
  const unblock = [...new Set(problems.filter((p) => p.blockedBy).map((p) => p.blockedBy!))];
  return [
    ...(allow.length ? [`regctl whitelist --add ${allow.map((s) => `--allow ${s}`).join(' ')}`] : []),
    ...(unblock.length ? [`regctl whitelist --remove ${unblock.map((s) => `--block ${s}`).join(' ')}`] : []),
  ];
}

/** One warning line per problem. */
export function describeAllowListProblem(p: AllowListProblem): string {
  const what = p.role === 'mirror' ? `mirror ${p.scope} (of ${p.of})` : `source ${p.scope}`;
  return p.blockedBy
    ? `${what} is covered by blockedRegistries entry ${p.blockedBy}: every node's policy.json rejects images named there`
    : `${what} is not in allowedRegistries: every node's policy.json rejects images named there (disconnected clusters need the mirrors allowed too)`;
}

/** `whitelist`: what a new allow or block list would refuse among the configured mirror rules (and did not before). */
export function newlyRefusedMirrors(before: RegistrySources, after: RegistrySources, rules: MirrorRule[]): { warnings: string[]; fixes: string[] } {
  const known = new Set(allowListProblems(before, rules).map((p) => p.scope));
  const problems = allowListProblems(after, rules).filter((p) => !known.has(p.scope));
  return { warnings: problems.map((p) => `${describeAllowListProblem(p)}; it is configured as a mirror rule on this cluster`), fixes: allowListFixes(problems) };
}
