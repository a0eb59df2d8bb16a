// Placeholder until the cluster module lands (issue 4).
import type { GlobalOptions } from '../context.js';
import { OperationError } from '../errors.js';
import type { Cluster } from './types.js';

export async function connect(_g: GlobalOptions, _env: NodeJS.ProcessEnv): Promise<Cluster> {
  throw new OperationError('connecting to a cluster is not built yet');
}
