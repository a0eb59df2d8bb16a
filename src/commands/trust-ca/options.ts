// trust-ca flags → options: pure, every error a UsageError naming the flag.
import { UsageError } from '../../errors.js';
import { parseObjectName } from '../../validate.js';
import { DEFAULT_TRUSTED_CA_NAME, parseRegistryAddress } from '../../registry/trusted-cas.js';

export interface TrustCaFlags {
  registry?: string[];
  ca?: string[];
  fromDir?: string;
  name?: string;
  remove?: string[];
  list?: boolean;
  pullthrough?: boolean;
  systemBundle?: string;
}

export interface TrustCaOptions {
  /** `--registry`/`--ca` pairs, in the order given. */
  pairs: { registry: string; caFile: string }[];
  fromDir?: string;
  /** The ConfigMap; `nameGiven` tells a chosen name from the default (4.x merges into the one already named). */
  name: string;
  nameGiven: boolean;
  remove: string[];
  list: boolean;
  pullthrough: boolean;
  systemBundle?: string;
  /** -n as given: the 3.x registry's namespace (default `default`, not the context's). */
  namespace?: string;
}

export function toOptions(f: TrustCaFlags, namespace?: string): TrustCaOptions {
  const registries = (f.registry ?? []).map((r) => parseRegistryAddress('--registry', r));
  const cas = f.ca ?? [];
  if (registries.length !== cas.length) {
    throw new UsageError(`--registry and --ca come in pairs (--registry HOST[:PORT] --ca FILE): got ${registries.length} --registry and ${cas.length} --ca`);
  }
  const remove = (f.remove ?? []).map((r) => parseRegistryAddress('--remove', r));
  const list = f.list === true;
  const adds = registries.length > 0 || f.fromDir !== undefined;
  if (list && (adds || remove.length)) throw new UsageError('--list shows what is trusted; give it without --registry, --from-dir or --remove');
  if (!list && !adds && remove.length === 0) throw new UsageError('nothing to do: give --registry HOST[:PORT] --ca FILE, --from-dir DIR, --remove HOST[:PORT] or --list');
  const both = remove.find((r) => registries.includes(r));
  if (both) throw new UsageError(`--remove ${both}: the same registry is also given with --registry`);
  const dup = registries.find((r, i) => registries.indexOf(r) !== i);
  if (dup) throw new UsageError(`--registry ${dup} is given twice`);
  if (f.fromDir === '') throw new UsageError('--from-dir: the directory name is empty');
  if (f.systemBundle !== undefined && !f.pullthrough) throw new UsageError('--system-bundle is used only with --pullthrough (OpenShift 3.x)');
  return {
    pairs: registries.map((registry, i) => ({ registry, caFile: cas[i]! })),
    fromDir: f.fromDir,
    name: f.name === undefined ? DEFAULT_TRUSTED_CA_NAME : parseObjectName('--name', f.name),
    nameGiven: f.name !== undefined,
    remove,
    list,
    pullthrough: f.pullthrough === true,
    systemBundle: f.systemBundle,
    namespace,
  };
}
