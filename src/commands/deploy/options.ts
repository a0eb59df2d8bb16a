// deploy's flags → options, pure: the registry flags (shared with reuse-ip, src/registry/options.ts)
// for 3.x and Kubernetes, the operator's flags for 4.x (./openshift4.ts). Every error names the flag.
import type { Platform } from '../../cluster/types.js';
import { UsageError } from '../../errors.js';
import { compareQuantities } from '../../templates/quantity.js';
import { isQuantity } from '../../validate.js';
import { toOptions, type DeployFlags, type DeployOptions } from '../../registry/options.js';
import { rejectOpenShift4Flags, type OpenShift4Flags } from './openshift4-flags.js';

export type DeployCommandFlags = DeployFlags & OpenShift4Flags;

/** 3.x / Kubernetes: the registry's options; the operator's flags are refused here. */
export function deployOptions(f: DeployCommandFlags, platform: Platform, server?: string): DeployOptions {
  rejectOpenShift4Flags(f, platform, server);
  const o = toOptions(f, platform);
  if (f.claimSize !== undefined) {
    if (o.storage.type !== 'pvc') throw new UsageError('--claim-size needs --pvc=NAME: it sizes the claim regctl creates when it does not exist');
    if (!isQuantity(f.claimSize) || f.claimSize.startsWith('-') || compareQuantities(f.claimSize, '0') <= 0) {
      throw new UsageError(`--claim-size: "${f.claimSize}" is not a valid size (e.g. 100Gi)`);
    }
    o.claimSize = f.claimSize;
  }
  return o;
}

export { toOpenShift4Options } from './openshift4.js';
