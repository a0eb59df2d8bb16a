// Which OpenShift release's machine-config operator regctl imitates, and what changed between
// releases in how it writes registries.conf, the search drop-in and policy.json. Facts from
// openshift/machine-config-operator release-4.4 … release-4.16 (pkg/controller/container-runtime-config)
// and the openshift/runtime-utils pkg/registries each release vendors. Pure.
import { UsageError } from '../errors.js';

/** The releases whose rules regctl has checked against the upstream code and tests. */
export const OLDEST_RELEASE = 4;
export const NEWEST_RELEASE = 16;
export const NEWEST_RELEASE_NAME = `4.${NEWEST_RELEASE}`;

export interface Release {
  /** The minor version: 4.13 → 13. */
  minor: number;
  /** "4.13", as shown to users. */
  name: string;
}

/** The rules of one release, as switches. */
export interface ReleaseRules {
  release: Release;
  /** 4.9+ (runtime-utils 2021-07): `*.domain` scopes go in `prefix`; blocked scopes get their entries before insecure ones are applied. */
  wildcards: boolean;
  /** 4.11+ (runtime-utils 2022-05): a scope nested in a mirrored source gets the source's mirrors, path adjusted. */
  nestedMirrors: boolean;
  /** 4.13+: ImageDigestMirrorSet and ImageTagMirrorSet, `pull-from-mirror` per mirror, `mirrorSourcePolicy`. */
  mirrorSets: boolean;
  /** 4.11+: a blocked scope covering the payload stays blocked when the payload has an unblocked mirror (else: dropped, as before). 4.4–4.10: only an entry equal to the payload's registry is dropped. */
  payloadRule: 'registry' | 'repository';
  /** 4.7+: containerRuntimeSearchRegistries become the search drop-in. */
  searchDropIn: boolean;
  /** 4.14+: policy.json's `atomic` transport leaves out scopes with three or more `/`. */
  atomicSkipsDeepScopes: boolean;
  /** 4.9+: the MCO checks scopes (wildcards only as `*.domain`, none in mirrors) before rendering. */
  validatesScopes: boolean;
  /** 4.16+: sources and mirrors must match the API's patterns (`invalid format for source "…"`). */
  validatesMirrorFormat: boolean;
}

export function rulesFor(release: Release): ReleaseRules {
  const m = release.minor;
  return {
    release,
    wildcards: m >= 9,
    nestedMirrors: m >= 11,
    mirrorSets: m >= 13,
    payloadRule: m >= 11 ? 'repository' : 'registry',
    searchDropIn: m >= 7,
    atomicSkipsDeepScopes: m >= 14,
    validatesScopes: m >= 9,
    validatesMirrorFormat: m >= 16,
  };
}

const release = (minor: number): Release => ({ minor, name: `4.${minor}` });

export const NEWEST: Release = release(NEWEST_RELEASE);

/** `--openshift-version X.Y` (a full 4.13.5 is accepted too). */
export function parseOpenShiftVersion(flag: string, value: string): Release {
  const m = /^4\.(\d+)(?:\.\d+.*)?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag}: "${value}" is not an OpenShift 4 release (expected 4.Y, e.g. ${NEWEST_RELEASE_NAME})`);
  const minor = Number(m[1]);
  if (minor < OLDEST_RELEASE || minor > NEWEST_RELEASE) {
    throw new UsageError(`${flag}: regctl knows the node files of OpenShift 4.${OLDEST_RELEASE} to ${NEWEST_RELEASE_NAME}, not 4.${minor}`, `give a release from 4.${OLDEST_RELEASE} to ${NEWEST_RELEASE_NAME}`);
  }
  return release(minor);
}

/**
 * The rules for the version a ClusterVersion reports (status.desired.version, else the latest
 * history entry). A release newer than regctl knows is rendered with the newest rules, an
 * older one with the oldest, and the note says so.
 */
export function releaseOfVersion(version: string | undefined): { release: Release; note?: string } {
  const m = /^4\.(\d+)\./.exec(version ?? '');
  if (!m) return { release: NEWEST, note: `the cluster reports no OpenShift 4 version${version ? ` ("${version}")` : ''}: rendering with the rules of ${NEWEST_RELEASE_NAME}, the newest release regctl knows` };
  const minor = Number(m[1]);
  if (minor > NEWEST_RELEASE) return { release: NEWEST, note: `OpenShift ${version} is newer than regctl knows: rendering with the rules of ${NEWEST_RELEASE_NAME}` };
  if (minor < OLDEST_RELEASE) return { release: release(OLDEST_RELEASE), note: `OpenShift ${version} is older than regctl knows: rendering with the rules of 4.${OLDEST_RELEASE}` };
  return { release: release(minor) };
}

export interface ClusterVersionLike {
  status?: { desired?: { version?: string; image?: string }; history?: { version?: string; state?: string }[] };
}

/** The version and release image a ClusterVersion reports. */
export function clusterVersionInfo(cv: ClusterVersionLike | undefined): { version?: string; releaseImage?: string } {
  const version = cv?.status?.desired?.version || cv?.status?.history?.[0]?.version || undefined;
  return { version, releaseImage: cv?.status?.desired?.image || undefined };
}
