// The release payload and the Image's blocked registries: the MCO never lets a block cut the
// cluster off its own release. 4.4–4.10 (`getValidBlockedRegistries`): a blocked entry equal to
// the payload's registry is dropped. 4.11+ (`getValidBlockedAndAllowedRegistries`): a blocked
// scope covering the payload repository is dropped unless the payload has an unblocked mirror;
// then it stays blocked in registries.conf and policy.json accepts the payload repository. Pure.
import { scopeIsNestedInsideScope, repositoryOf } from '../templates/image-config.js';
import { editRegistriesConfig, findRegistry, pullSources, type MirrorRules } from './registries.js';
import type { ReleaseRules } from './release.js';

export interface ValidLists {
  /** What registries.conf blocks. */
  registriesBlocked: string[];
  /** What policy.json rejects. */
  policyBlocked: string[];
  /** What policy.json accepts (the payload repository first, where 4.11+ keeps its registry blocked). */
  allowed: string[];
  /** Blocked entries left out because they would cut off the payload; the MCO logs this and goes on. */
  refused: string[];
  /** The MCO's log line for `refused`. */
  message?: string;
}

/** The registry part of a reference (`reference.Domain`). */
function domainOf(repository: string): string {
  const first = repository.split('/')[0]!;
  return repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

const goQuoted = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;

/** Whether a pull of the payload finds a mirror that no blocked scope covers. */
function payloadHasUnblockedMirror(rules: ReleaseRules, releaseImage: string, insecure: string[], blocked: string[], mirrors: MirrorRules): boolean {
  // The MCO renders a scratch registries.conf from the digest rules only (ICSPs as IDMS on 4.13+), then asks containers/image.
  const scratch = editRegistriesConfig(rules, insecure, blocked, { icsp: mirrors.icsp, idms: rules.mirrorSets ? mirrors.idms : [], itms: [] });
  const repository = repositoryOf(releaseImage);
  const entry = findRegistry(scratch, repository);
  if (!entry) return false;
  return pullSources(entry, repository, releaseImage.includes('@')).some((s) => !blocked.some((b) => scopeIsNestedInsideScope(s, b)));
}

export function validBlockedAndAllowed(rules: ReleaseRules, releaseImage: string | undefined, allowedRegistries: string[], insecure: string[], blocked: string[], mirrors: MirrorRules): ValidLists {
  if (!releaseImage) return { registriesBlocked: [...blocked], policyBlocked: [...blocked], allowed: [...allowedRegistries], refused: [] };
  const repository = repositoryOf(releaseImage);
  if (rules.payloadRule === 'registry') {
    const payloadRegistry = domainOf(repository);
    const i = blocked.indexOf(payloadRegistry);
    if (i < 0) return { registriesBlocked: [...blocked], policyBlocked: [...blocked], allowed: [...allowedRegistries], refused: [] };
    const kept = [...blocked.slice(0, i), ...blocked.slice(i + 1)];
    return { registriesBlocked: kept, policyBlocked: kept, allowed: [...allowedRegistries], refused: [payloadRegistry], message: `error adding "${payloadRegistry}" to blocked registries, cannot block the registry being used by the payload` };
  }
  const out: ValidLists = { registriesBlocked: [], policyBlocked: [], allowed: [], refused: [] };
  for (const reg of blocked) {
    if (!scopeIsNestedInsideScope(repository, reg)) {
      out.registriesBlocked.push(reg);
      out.policyBlocked.push(reg);
      continue;
    }
    if (!payloadHasUnblockedMirror(rules, releaseImage, insecure, blocked, mirrors)) {
      out.refused.push(reg);
      continue;
    }
    // Blocked on the nodes, but the payload repository itself stays acceptable so that its mirrors resolve.
    out.registriesBlocked.push(reg);
    if (reg !== repository) out.policyBlocked.push(reg);
    out.allowed.push(repository);
  }
  if (out.refused.length) out.message = `error adding ${goQuoted(out.refused)} to blocked registries, cannot block the repository being used by the payload`;
  out.allowed.push(...allowedRegistries);
  return out;
}
