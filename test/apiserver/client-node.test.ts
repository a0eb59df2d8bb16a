// regctl's cluster module stands on @kubernetes/client-node: its KubernetesObjectApi, loaded
// from the server's kubeconfig file, must read, create, replace, patch and delete here.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiException, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { startApiServer, type TestApiServer } from './index.js';

type Obj = KubernetesObject & Record<string, any>;

async function apiError(p: Promise<unknown>): Promise<{ code: number; body: any }> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ApiException, `expected an ApiException, got ${String(e)}`);
    return { code: e.code, body: typeof e.body === 'string' ? JSON.parse(e.body) : e.body };
  }
  assert.fail('the call succeeded');
}

for (const profile of ['openshift3', 'openshift4', 'kubernetes'] as const) {
  describe(`@kubernetes/client-node against the ${profile} test API server`, () => {
    let api: TestApiServer;
    let client: KubernetesObjectApi;
    before(async () => {
      api = await startApiServer({ profile });
      const kc = new KubeConfig();
      kc.loadFromFile(api.kubeconfigPath);
      client = KubernetesObjectApi.makeApiClient(kc);
    });
    after(() => api.close());

    const svc = (name: string): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ name: '5000-tcp', port: 5000 }], selector: { app: name } } });

    test('create, read, replace and delete a Service, with 404 after', async () => {
      const created = (await client.create(svc('docker-registry'))) as Obj;
      assert.equal(created.metadata?.name, 'docker-registry');
      assert.match(created.spec.clusterIP, profile === 'kubernetes' ? /^10\.(9[6-9]|10\d|11[01])\./ : /^172\.30\./);
      const read = (await client.read({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'docker-registry', namespace: 'default' } })) as Obj;
      assert.equal(read.spec.clusterIP, created.spec.clusterIP);
      const replaced = (await client.replace({ ...read, metadata: { ...read.metadata, labels: { docker: 'registry' } } })) as Obj;
      assert.deepEqual(replaced.metadata?.labels, { docker: 'registry' });
      await client.delete({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'docker-registry', namespace: 'default' } });
      const gone = await apiError(client.read({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'docker-registry', namespace: 'default' } }));
      assert.equal(gone.code, 404);
      assert.equal(gone.body.reason, 'NotFound');
      assert.equal(gone.body.message, 'services "docker-registry" not found');
    });

    test('a second create is 409 AlreadyExists and a stale replace is 409 Conflict', async () => {
      const created = (await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { a: '1' } } as Obj)) as Obj;
      const again = await apiError(client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' } }));
      assert.equal(again.code, 409);
      assert.equal(again.body.reason, 'AlreadyExists');
      await client.replace({ ...created, data: { a: '2' } } as Obj);
      const stale = await apiError(client.replace({ ...created, data: { a: '3' } } as Obj));
      assert.equal(stale.code, 409);
      assert.equal(stale.body.reason, 'Conflict');
    });

    test('patch with MergePatch and StrategicMergePatch', async () => {
      const deployment: Obj = {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'registry', namespace: 'default' },
        spec: { selector: { matchLabels: { app: 'r' } }, template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'registry', image: 'registry:2', env: [{ name: 'A', value: '1' }] }] } } },
      };
      await client.create(deployment);
      const merged = (await client.patch(
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'registry', namespace: 'default', labels: { merged: 'yes' } } },
        undefined, undefined, undefined, undefined, PatchStrategy.MergePatch,
      )) as Obj;
      assert.equal(merged.metadata?.labels?.merged, 'yes');
      const strategic = (await client.patch(
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'registry', namespace: 'default' }, spec: { template: { spec: { containers: [{ name: 'registry', env: [{ name: 'B', value: '2' }] }] } } } } as Obj,
        undefined, undefined, undefined, undefined, PatchStrategy.StrategicMergePatch,
      )) as Obj;
      // client-node returns typed class instances (V1EnvVar ...); compare their data.
      assert.deepEqual(JSON.parse(JSON.stringify(strategic.spec.template.spec.containers[0].env)), [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
      assert.equal(strategic.spec.template.spec.containers[0].image, 'registry:2');
    });

    test('a kubeconfig with a client certificate authenticates', async () => {
      const kc = new KubeConfig();
      kc.loadFromFile(api.writeKubeconfig({ clientCertificate: await api.issueClientCertificate('admin', ['system:masters']) }));
      const certClient = KubernetesObjectApi.makeApiClient(kc);
      const svc = (await certClient.read({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' } })) as Obj;
      assert.equal(svc.metadata?.name, 'kubernetes');
      assert.equal(api.requests.at(-1)?.user, 'admin');
    });

    test('dryRun=All through the client stores nothing', async () => {
      await client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'registry', namespace: 'default' } }, undefined, 'All');
      assert.equal(api.getObject('v1', 'ServiceAccount', 'registry', 'default'), undefined);
    });

    test('list with a label selector', async () => {
      await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'l1', namespace: 'default', labels: { app: 'registry' } } });
      await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'l2', namespace: 'default', labels: { app: 'router' } } });
      const list = await client.list('v1', 'ConfigMap', 'default', undefined, undefined, undefined, undefined, 'app=registry');
      assert.deepEqual(list.items.map((i) => i.metadata?.name), ['l1']);
    });

    if (profile === 'openshift4') {
      test('the registry operator config takes a MergePatch and refuses a StrategicMergePatch with 415', async () => {
        const ref = { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' } };
        const patched = (await client.patch({ ...ref, spec: { managementState: 'Managed' } } as Obj, undefined, undefined, undefined, undefined, PatchStrategy.MergePatch)) as Obj;
        assert.equal(patched.spec.managementState, 'Managed');
        const refused = await apiError(client.patch({ ...ref, spec: { replicas: 2 } } as Obj, undefined, undefined, undefined, undefined, PatchStrategy.StrategicMergePatch));
        assert.equal(refused.code, 415);
        assert.equal(refused.body.reason, 'UnsupportedMediaType');
      });
    }

    if (profile !== 'kubernetes') {
      test('DeploymentConfigs are served (apps.openshift.io)', async () => {
        const dc = (await client.create({
          apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name: 'docker-registry', namespace: 'default' },
          spec: { replicas: 1, template: { spec: { containers: [{ name: 'registry', image: 'r' }] } } },
        } as Obj)) as Obj;
        assert.equal(dc.metadata?.generation, 1);
      });
    } else {
      test('an OpenShift kind is refused because its API group is not served', async () => {
        await assert.rejects(client.create({ apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name: 'x', namespace: 'default' } }));
      });
    }
  });
}
