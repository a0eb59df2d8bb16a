// Deploying a config.yml to the cluster (phase 2).
import type { Context } from '../context.js';
import { OperationError } from '../errors.js';
import type { OverrideConfigOptions } from './override-config.js';

export async function applyOverrideConfig(_o: OverrideConfigOptions, _ctx: Context): Promise<void> {
  throw new OperationError('applying to a cluster is not built yet; use --check and --show offline');
}
