// The built `regctl deploy` spawned as a user runs it on a fresh machine (no kubeconfig): the
// README's first command. Everything else about deploy runs in-process (test/deploy/*.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from 'js-yaml';
import { regctl } from '../support/run.js';

test('spawned: deploy -o yaml without a kubeconfig prints one OpenShift 3 List; each run makes a new 32-byte REGISTRY_HTTP_SECRET', async () => {
  const secret = async () => {
    const r = await regctl(['deploy', '--mount-host=/data', '-o', 'yaml']);
    assert.equal(r.code, 0, r.stderr);
    const list = load(r.stdout) as any;
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.items.map((i: any) => i.kind), ['ServiceAccount', 'ClusterRoleBinding', 'DeploymentConfig', 'Service']);
    assert.match(r.stderr, /oc adm policy add-scc-to-user privileged system:serviceaccount:default:registry/);
    assert.doesNotMatch(r.stdout, /warning|oc adm policy/);
    return list.items[2].spec.template.spec.containers[0].env.find((e: any) => e.name === 'REGISTRY_HTTP_SECRET').value as string;
  };
  const [a, b] = [await secret(), await secret()];
  assert.notEqual(a, b);
  assert.equal(Buffer.from(a, 'base64').length, 32);
});
