// Placeholder until the cluster module lands (issue 4).
import type { Context } from '../context.js';
import { OperationError } from '../errors.js';
import type { DeployFlags, DeployOptions } from './deploy.js';

export async function applyDeploy(_f: DeployFlags, _ctx: Context, _w: (ctx: Context, o: DeployOptions, ns: string) => void): Promise<void> {
  throw new OperationError('applying to a cluster is not built yet; use -o yaml and oc create -f -');
}
