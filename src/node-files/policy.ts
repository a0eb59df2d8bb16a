// MCO `updatePolicyJSON`: /etc/containers/policy.json from the allowed and blocked registries,
// as each release writes it (Go's json.Marshal: compact, map keys sorted). Pure.
import { UsageError } from '../errors.js';
import { isValidRegistriesConfScope, repositoryOf } from '../templates/image-config.js';
import type { ReleaseRules } from './release.js';

type Requirement = { type: 'reject' } | { type: 'insecureAcceptAnything' };
const ACCEPT: Requirement[] = [{ type: 'insecureAcceptAnything' }];
const REJECT: Requirement[] = [{ type: 'reject' }];

const sortedObject = <T>(entries: [string, T][]): Record<string, T> => Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The policy, or undefined when the base template stays (neither list set). */
export function policyJSON(rules: ReleaseRules, blocked: string[], allowed: string[], releaseImage?: string): string | undefined {
  if (allowed.length && blocked.length) {
    // 4.11+: the payload repository alone may sit beside a block list (see payload.ts).
    const payloadOnly = rules.payloadRule === 'repository' && releaseImage !== undefined && allowed.length === 1 && allowed[0] === repositoryOf(releaseImage);
    if (!payloadOnly) throw new UsageError('invalid images config: only one of AllowedRegistries or BlockedRegistries may be specified');
  }
  if (!allowed.length && !blocked.length) return undefined;
  if (rules.validatesScopes) {
    for (const s of blocked) if (!isValidRegistriesConfScope(s)) throw new UsageError(`invalid entry for blocked registries "${s}"`);
    for (const s of allowed) if (!isValidRegistriesConfScope(s)) throw new UsageError(`invalid entry for allowed registries "${s}"`);
  }
  let fallback: Requirement[] = ACCEPT;
  const scopes = new Map<string, Requirement[]>();
  if (allowed.length) {
    fallback = REJECT;
    for (const s of allowed) scopes.set(s, ACCEPT);
  }
  if (blocked.length) {
    fallback = ACCEPT;
    for (const s of blocked) scopes.set(s, REJECT);
  }
  // atomic cannot express scopes with three or more `/`; 4.14+ leaves them out there.
  const atomic = [...scopes].filter(([s]) => !rules.atomicSkipsDeepScopes || s.split('/').length - 1 < 3);
  const policy = {
    default: fallback,
    transports: { atomic: sortedObject(atomic), docker: sortedObject([...scopes]), 'docker-daemon': { '': ACCEPT } },
  };
  return JSON.stringify(policy);
}
