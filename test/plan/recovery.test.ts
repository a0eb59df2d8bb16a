// When undoing fails too (the API server went away right after the fault), the executor prints
// commands. Here they are run as printed, with the real kubectl, against a test API server that
// has come back: they must restore everything, for core kinds and custom resources alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { startApiServer } from '../apiserver/index.js';
import { connect } from '../../src/cluster/index.js';
import type { KubeObject } from '../../src/objects.js';
import { finish } from '../../src/plan/run.js';
import { emptyPlan, type Plan } from '../../src/plan/types.js';
import { createContext, toGlobals } from '../../src/runtime.js';
import { testWorld } from '../support/world.js';

const strip = (o: KubeObject | undefined) => {
  const { resourceVersion: _r, managedFields: _m, generation: _g, ...metadata } = (o?.metadata ?? {}) as Record<string, unknown>;
  return { ...o, metadata };
};

test('printed recovery commands, run as printed with kubectl, restore an updated ConfigMap, a patched custom resource and delete a created object', async () => {
  const api = await startApiServer({ profile: 'openshift4' });
  try {
    api.putObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { mode: 'old' } });
    const cluster = await connect(toGlobals({ kubeconfig: api.kubeconfigPath }), {});
    const cmLive = (await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', namespace: 'default' }))!;
    const imageLive = (await cluster.get({ apiVersion: 'config.openshift.io/v1', kind: 'Image', name: 'cluster' }))!;
    const before = { cm: strip(api.getObject('v1', 'ConfigMap', 'settings', 'default')), image: strip(api.getObject('config.openshift.io/v1', 'Image', 'cluster')) };
    const plan: Plan = {
      ...emptyPlan('test', 'kubectl'),
      steps: [
        { kind: 'update', describe: 'update configmap settings', live: cmLive, object: { ...cmLive, data: { mode: 'new', extra: 'x' } } },
        { kind: 'patch', describe: 'patch image.config.openshift.io/cluster', live: imageLive, patchType: 'merge', patch: { spec: { registrySources: { insecureRegistries: ['reg.example.com'] } } } },
        { kind: 'create', describe: 'create serviceaccount extra', object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'extra', namespace: 'default' } } },
        { kind: 'create', describe: 'create service broken', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'broken', namespace: 'default' }, spec: { ports: [{ port: 80 }] } } },
      ],
    };
    // The fourth write fails, and then every read and delete fails too (the executor does not
    // read while it writes, so only undoing meets them).
    api.inject({ method: 'POST', path: /\/services$/, status: 500 });
    api.inject({ method: 'GET', status: 500, message: 'etcdserver: request timed out', times: 1000 });
    api.inject({ method: 'DELETE', status: 500, message: 'etcdserver: request timed out', times: 1000 });
    const t = testWorld({ cluster });
    const ctx = createContext(t.world, { backupDir: join(t.world.env.HOME!, 'backups') });
    await assert.rejects(finish(plan, ctx));
    const err = t.io.stderr();
    const commands = err.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('kubectl '));
    assert.equal(commands.length, 3, err);
    assert.match(err, /# create serviceaccount extra: not undone/);

    api.clearFailures();
    assert.notDeepEqual(strip(api.getObject('v1', 'ConfigMap', 'settings', 'default')), before.cm, 'the update happened');
    // Asynchronously: the API server answers from this very process.
    for (const c of commands) await promisify(execFile)('bash', ['-c', c], { env: { ...process.env, KUBECONFIG: api.kubeconfigPath } });
    assert.deepEqual(strip(api.getObject('v1', 'ConfigMap', 'settings', 'default')), before.cm);
    assert.deepEqual(strip(api.getObject('config.openshift.io/v1', 'Image', 'cluster')), before.image);
    assert.equal(api.getObject('v1', 'ServiceAccount', 'extra', 'default'), undefined);
  } finally {
    await api.close();
  }
});
