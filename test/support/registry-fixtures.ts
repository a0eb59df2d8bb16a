// The registry objects `regctl deploy` makes by default, for the tests of the commands that
// change them: built from the templates, so no test depends on deploy's command module.
import type { KubeObject } from '../../src/objects.js';
import { registryObjects, type RegistryOptions } from '../../src/templates/registry.js';

/** What `regctl deploy` makes by default (oc adm registry's objects). */
export function registryOptions(o: { platform?: 'openshift3' | 'kubernetes'; workload?: RegistryOptions['workload']; namespace?: string; tls?: RegistryOptions['tls'] } = {}): RegistryOptions {
  const platform = o.platform ?? 'openshift3';
  return {
    platform,
    workload: o.workload ?? (platform === 'kubernetes' ? 'Deployment' : 'DeploymentConfig'),
    namespace: o.namespace ?? 'default',
    serviceAccount: 'registry',
    image: 'openshift/origin-docker-registry:v3.11',
    replicas: 1,
    ports: [{ containerPort: 5000 }],
    labels: { 'docker-registry': 'default' },
    volumePath: '/registry',
    storage: { type: 'emptyDir' },
    enforceQuota: false,
    httpSecret: 'c2VjcmV0',
    requests: { cpu: '100m', memory: '256Mi' },
    tls: o.tls,
  };
}

/** The registry as deployed, with the service's cluster IP and the namespace's default service account. */
export function deployedObjects(o: Parameters<typeof registryOptions>[0] = {}, clusterIP = '172.30.85.201'): KubeObject[] {
  const objs = registryObjects({ ...registryOptions(o), clusterIP });
  const ns = o.namespace ?? 'default';
  return [...objs, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns }, secrets: [{ name: 'default-token-abcde' }] } as KubeObject];
}
