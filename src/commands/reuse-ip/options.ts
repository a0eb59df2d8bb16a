// reuse-ip's flags are deploy's registry flags (src/registry/options.ts): the registry is
// re-created from them. Pure.
import type { Platform } from '../../cluster/types.js';
import type { DryRun } from '../../context.js';
import { UsageError } from '../../errors.js';
import { toOptions, type DeployFlags, type DeployOptions } from '../../registry/options.js';

export function reuseIpOptions(f: DeployFlags, platform: Platform, dryRun: DryRun): DeployOptions {
  if (dryRun === 'server') {
    throw new UsageError('--dry-run=server: reuse-ip deletes objects and creates them again, which a server dry run cannot judge (the creates would find the objects still there); use --dry-run');
  }
  return toOptions(f, platform);
}
