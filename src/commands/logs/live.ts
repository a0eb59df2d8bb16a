// What `regctl logs` reads: the registry's workload, whichever kind it runs as, and its pods.
import type { Cluster } from '../../cluster/types.js';
import { OperationError } from '../../errors.js';
import type { KubeObject } from '../../objects.js';
import { registryLocation, registryPods, workloadName } from '../../registry/pods.js';
import { findRegistryWorkload } from '../../registry/workload.js';
import { noWorkload } from '../../registry/find.js';

export interface LogsLive {
  workload: KubeObject;
  pods: KubeObject[];
}

export async function readLive(cluster: Cluster): Promise<LogsLive> {
  const info = await cluster.info();
  const loc = registryLocation(info, cluster.namespace);
  const workload = await findRegistryWorkload(cluster, info.platform, loc.namespace);
  if (!workload) {
    throw new OperationError(
      noWorkload(loc.kinds, loc.name, loc.namespace),
      info.platform === 'openshift4' ? 'regctl status shows what the Image Registry Operator reports' : 'give the registry\'s namespace with -n, or run regctl deploy',
    );
  }
  const pods = await registryPods(cluster, workload);
  if (pods.length === 0) throw new OperationError(`${workloadName(workload)} in ${loc.namespace} has no pods`, 'regctl status says why');
  return { workload, pods };
}
