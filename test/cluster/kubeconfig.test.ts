// regctl reads kubeconfigs itself (src/cluster/kubeconfig.ts, credentials.ts); client-node and
// kubectl stay the references. A corpus of kubeconfigs is loaded by regctl and by client-node
// and must give the same server, context, namespace and credentials; where client-node and
// kubectl part ways (merging names twice, token files), kubectl decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { dump } from 'js-yaml';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { connectionSettings } from '../../src/cluster/credentials.js';
import type { GlobalOptions } from '../../src/context.js';

const dir = mkdtempSync(join(tmpdir(), 'regctl-kubeconfig-'));
const globals = (g: Partial<GlobalOptions> = {}): GlobalOptions => ({ dryRun: 'none', yes: false, verbose: false, ...g });
const b64 = (s: string) => Buffer.from(s).toString('base64');

function write(rel: string, content: string | object): string {
  const p = join(dir, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, typeof content === 'string' ? content : dump(content));
  return p;
}

const config = (o: { clusters?: object[]; users?: object[]; contexts?: object[]; current?: string }) => ({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: o.clusters ?? [],
  users: o.users ?? [],
  contexts: o.contexts ?? [],
  ...(o.current ? { 'current-context': o.current } : {}),
});

interface Outcome {
  server: string;
  context: string;
  namespace: string;
  user: string;
  ca?: string;
  cert?: string;
  key?: string;
  authorization?: string;
  impersonate?: string;
  auth?: string;
  rejectUnauthorized?: boolean;
  servername?: string;
}

const text = (b: unknown) => (b === undefined || b === null ? undefined : Buffer.isBuffer(b) ? b.toString('utf8') : String(b));
const clean = (o: Outcome): Outcome => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Outcome;

async function byRegctl(files: string[], context?: string): Promise<Outcome> {
  const g = globals(files.length === 1 ? { kubeconfig: files[0], context } : { context });
  const cfg = loadKubeconfig(g, files.length === 1 ? {} : { KUBECONFIG: files.join(':') });
  const c = await connectionSettings(cfg);
  return clean({
    server: cfg.server,
    context: cfg.context,
    namespace: cfg.namespace,
    user: cfg.user,
    ca: text(c.ca),
    cert: text(c.cert),
    key: text(c.key),
    authorization: c.headers.Authorization as string | undefined,
    impersonate: c.headers['Impersonate-User'] as string | undefined,
    auth: c.auth,
    rejectUnauthorized: c.rejectUnauthorized,
    servername: c.servername,
  });
}

async function byClientNode(files: string[], context?: string): Promise<Outcome> {
  const kc = new KubeConfig();
  kc.loadFromFile(files[0]!);
  for (const f of files.slice(1)) {
    const more = new KubeConfig();
    more.loadFromFile(f);
    kc.mergeConfig(more, true);
  }
  if (context) kc.setCurrentContext(context);
  const opts: import('node:https').RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const ctx = kc.getContextObject(kc.getCurrentContext())!;
  const headers = (opts.headers ?? {}) as Record<string, string>;
  return clean({
    server: kc.getCurrentCluster()!.server,
    context: kc.getCurrentContext(),
    namespace: ctx.namespace ?? 'default',
    user: ctx.user,
    ca: text(opts.ca),
    cert: text(opts.cert),
    key: text(opts.key),
    authorization: headers.Authorization,
    impersonate: headers['Impersonate-User'],
    auth: opts.auth ?? undefined,
    rejectUnauthorized: opts.rejectUnauthorized,
    servername: opts.servername,
  });
}

const plugin = write('bin/token-plugin.sh', `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"from-exec"}}'\n`);
chmodSync(plugin, 0o755);
write('pki/ca.crt', 'CA from a file\n');
write('pki/client.crt', 'client certificate from a file\n');
write('pki/client.key', 'client key from a file\n');

const cluster = (name: string, c: object) => ({ name, cluster: c });
const user = (name: string, u: object) => ({ name, user: u });
const context = (name: string, c: object) => ({ name, context: c });

/** name → the files (KUBECONFIG order; one file means --kubeconfig) and the --context. */
const CORPUS: Record<string, { files: string[]; context?: string }> = {
  'token, CA data and a namespace': {
    files: [write('token.yaml', config({ clusters: [cluster('c', { server: 'https://api.one.example:6443', 'certificate-authority-data': b64('CA one\n') })], users: [user('u', { token: 'sha256~abc' })], contexts: [context('ctx', { cluster: 'c', user: 'u', namespace: 'infra' })], current: 'ctx' }))],
  },
  'client certificate and key data, no namespace': {
    files: [write('certdata.yaml', config({ clusters: [cluster('c', { server: 'https://10.0.0.1:8443', 'certificate-authority-data': b64('CA two\n') })], users: [user('system:admin/c', { 'client-certificate-data': b64('CERT\n'), 'client-key-data': b64('KEY\n') })], contexts: [context('default/c/system:admin', { cluster: 'c', user: 'system:admin/c' })], current: 'default/c/system:admin' }))],
  },
  'relative certificate, key and CA files resolve against the kubeconfig': {
    files: [write('sub/relative.yaml', config({ clusters: [cluster('c', { server: 'https://api.example:6443', 'certificate-authority': '../pki/ca.crt' })], users: [user('u', { 'client-certificate': '../pki/client.crt', 'client-key': join(dir, 'pki/client.key') })], contexts: [context('ctx', { cluster: 'c', user: 'u', namespace: 'default' })], current: 'ctx' }))],
  },
  'insecure-skip-tls-verify and tls-server-name': {
    files: [write('insecure.yaml', config({ clusters: [cluster('c', { server: 'https://127.0.0.1:6443/', 'insecure-skip-tls-verify': true, 'tls-server-name': 'api.internal' })], users: [user('u', { token: 't' })], contexts: [context('ctx', { cluster: 'c', user: 'u' })], current: 'ctx' }))],
  },
  'basic auth and impersonation': {
    files: [write('basic.yaml', config({ clusters: [cluster('c', { server: 'https://api.example' })], users: [user('u', { username: 'admin', password: 's3cret', as: 'system:serviceaccount:default:builder' })], contexts: [context('ctx', { cluster: 'c', user: 'u' })], current: 'ctx' }))],
  },
  'an exec plugin (handed to client-node), its token in the header': {
    files: [write('exec.yaml', config({ clusters: [cluster('c', { server: 'https://api.example', 'certificate-authority-data': b64('CA exec\n') })], users: [user('u', { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin, interactiveMode: 'Never' } })], contexts: [context('ctx', { cluster: 'c', user: 'u', namespace: 'ns' })], current: 'ctx' }))],
  },
  'KUBECONFIG: the first file sets the context; entries come from both': {
    files: [
      write('merge/a.yaml', config({ clusters: [cluster('a', { server: 'https://a.example' })], contexts: [context('both', { cluster: 'a', user: 'from-b', namespace: 'ns-a' })], current: 'both' })),
      write('merge/b/b.yaml', config({ users: [user('from-b', { 'client-certificate': 'tls.crt', 'client-key-data': b64('KEY B\n') })], current: 'other' })),
    ],
  },
  'KUBECONFIG: --context picks one from the second file, relative paths against that file': {
    files: [
      write('merge2/a.yaml', config({ clusters: [cluster('a', { server: 'https://a.example' })], users: [user('ua', { token: 'a' })], contexts: [context('ca', { cluster: 'a', user: 'ua' })], current: 'ca' })),
      write('merge2/other/b.yaml', config({ clusters: [cluster('b', { server: 'https://b.example:443', 'certificate-authority': 'ca.pem' })], users: [user('ub', { token: 'b' })], contexts: [context('cb', { cluster: 'b', user: 'ub', namespace: 'nb' })] })),
      write('merge2/c.yaml', config({ contexts: [context('cc', { cluster: 'a', user: 'ub' })] })),
    ],
    context: 'cb',
  },
};
write('merge/b/tls.crt', 'CERT B\n');
write('merge2/other/ca.pem', 'CA B\n');

for (const [name, c] of Object.entries(CORPUS)) {
  test(`the same as client-node: ${name}`, async () => {
    const [ours, theirs] = await Promise.all([byRegctl(c.files, c.context), byClientNode(c.files, c.context)]);
    assert.deepEqual(ours, theirs);
    // The corpus means something: every case resolves a server and some credential or trust.
    assert.match(ours.server, /^https:\/\//);
    assert.ok(ours.ca || ours.cert || ours.authorization || ours.auth || ours.rejectUnauthorized === false, JSON.stringify(ours));
  });
}

/** kubectl's merged, flattened view of the current context. */
function kubectlView(files: string[], contextName?: string): any {
  const out = execFileSync('kubectl', ['config', 'view', '--minify', '--flatten', '-o', 'json', ...(contextName ? ['--context', contextName] : [])], { env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: files.join(':') }, encoding: 'utf8' });
  return JSON.parse(out);
}

test('merging names given twice, as kubectl: the first file to name a cluster, user or context wins, and the first current-context set', async () => {
  const files = [
    write('dup/first.yaml', config({ clusters: [cluster('shared', { server: 'https://first.example', 'certificate-authority': 'ca.crt' })], users: [user('shared', { token: 'first' })], contexts: [context('one', { cluster: 'shared', user: 'shared', namespace: 'n1' })] })),
    write('dup/second/second.yaml', config({ clusters: [cluster('shared', { server: 'https://second.example' })], users: [user('shared', { token: 'second' })], contexts: [context('one', { cluster: 'shared', user: 'shared', namespace: 'n2' })], current: 'one' })),
    write('dup/third.yaml', config({ current: 'two', contexts: [context('two', { cluster: 'shared', user: 'shared' })] })),
  ];
  write('dup/ca.crt', 'CA of the first\n');
  const view = kubectlView(files);
  const ours = await byRegctl(files);
  assert.equal(ours.context, view['current-context']);
  assert.equal(ours.server, view.clusters[0].cluster.server);
  assert.equal(ours.ca, Buffer.from(view.clusters[0].cluster['certificate-authority-data'], 'base64').toString());
  assert.equal(ours.authorization, `Bearer ${view.users[0].user.token}`);
  assert.equal(ours.namespace, view.contexts[0].context.namespace);
  assert.deepEqual([ours.server, ours.authorization, ours.namespace, ours.ca], ['https://first.example', 'Bearer first', 'n1', 'CA of the first\n']);
  // client-node refuses the same files outright.
  await assert.rejects(byClientNode(files), /Duplicate cluster: shared/);
});

test('a token-file is read relative to its kubeconfig and trimmed; an inline token wins over it', async () => {
  write('tokens/token', 'sha256~from-file\n');
  const f = write('tokens/config', config({ clusters: [cluster('c', { server: 'https://api.example' })], users: [user('u', { 'token-file': 'token' }), user('both', { token: 'inline', 'token-file': 'token' })], contexts: [context('ctx', { cluster: 'c', user: 'u' }), context('both', { cluster: 'c', user: 'both' })], current: 'ctx' }));
  assert.equal((await byRegctl([f])).authorization, 'Bearer sha256~from-file');
  assert.equal((await byRegctl([f], 'both')).authorization, 'Bearer inline');
});

test('errors name the file and the line or the context and field', async () => {
  const bad = write('errors/bad-yaml', 'apiVersion: v1\nclusters:\n- name: c\n  cluster:\n    server: [https://x\n');
  assert.throws(() => loadKubeconfig(globals({ kubeconfig: bad }), {}), (e: any) => e.exitCode === 2 && e.message.includes(bad) && /not valid YAML at line \d+/.test(e.message) && !e.message.includes('\n'));
  const notUrl = write('errors/not-url', config({ clusters: [cluster('c', { server: 'not a url' })], contexts: [context('ctx', { cluster: 'c' })], current: 'ctx' }));
  assert.throws(() => loadKubeconfig(globals({ kubeconfig: notUrl }), {}), (e: any) => e.exitCode === 2 && e.message === `kubeconfig ${notUrl}: context "ctx": cluster "c": server: "not a url" is not a URL (expected https://host:port)`);
  const both = write('errors/both', config({ clusters: [cluster('c', { server: 'https://x', 'certificate-authority': '/ca', 'certificate-authority-data': b64('x') })], contexts: [context('ctx', { cluster: 'c' })], current: 'ctx' }));
  assert.throws(() => loadKubeconfig(globals({ kubeconfig: both }), {}), /kubeconfig .*both: context "ctx": cluster "c": certificate-authority-data and certificate-authority are both given/);
  const missing = write('errors/missing-cert', config({ clusters: [cluster('c', { server: 'https://x' })], users: [user('u', { 'client-certificate': 'nope.crt', 'client-key': 'nope.key' })], contexts: [context('ctx', { cluster: 'c', user: 'u' })], current: 'ctx' }));
  await assert.rejects(connectionSettings(loadKubeconfig(globals({ kubeconfig: missing }), {})), (e: any) => e.message === `kubeconfig ${missing}: user "u": client-certificate ${join(dir, 'errors/nope.crt')} cannot be read: no such file`);
  assert.throws(() => loadKubeconfig(globals({ kubeconfig: notUrl, context: 'nope' }), {}), /--context: no context "nope" in .*not-url \(it has: ctx\)/);
});

test('the built regctl reaches a server through an exec plugin (client-node from dist/vendor) and through a token file, which loads no client-node', async () => {
  const { startApiServer } = await import('../apiserver/index.js');
  const { regctl } = await import('../support/run.js');
  const api = await startApiServer({ profile: 'openshift3' });
  try {
    const exec = write('built/exec-plugin.sh', `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"${api.token}"}}'\n`);
    chmodSync(exec, 0o755);
    write('built/token', `${api.token}\n`);
    // Preloaded into the CLI: notes every module file it loads.
    const loads = join(dir, 'built/loads');
    const tracer = write('built/trace.cjs', `const fs = require('fs'); const M = require('module'); const load = M._load; M._load = function (r, ...rest) { fs.appendFileSync(${JSON.stringify(loads)}, r + '\\n'); return load.call(this, r, ...rest); };\n`);
    const ca = b64(api.caPem);
    const kc = (u: object) => config({ clusters: [cluster('c', { server: api.url, 'certificate-authority-data': ca })], users: [user('u', u)], contexts: [context('ctx', { cluster: 'c', user: 'u' })], current: 'ctx' });
    for (const [u, clientNode] of [[{ exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: './exec-plugin.sh', interactiveMode: 'Never' } }, true], [{ 'token-file': 'token' }, false]] as const) {
      api.clearRequests();
      write('built/loads', '');
      const r = await regctl(['deploy', '--dry-run'], { env: { KUBECONFIG: write('built/config', kc(u)), HOME: dir, NODE_OPTIONS: `--require ${tracer}` } });
      assert.equal(readFileSync(loads, 'utf8').includes('vendor/client-node.cjs'), clientNode, readFileSync(loads, 'utf8'));
      assert.match(r.stderr, /Docker registry "docker-registry" service does not exist/);
      assert.ok(api.requests.length > 0 && api.requests.every((q) => q.user === 'admin'), JSON.stringify(api.requests.map((q) => q.user)));
    }
  } finally {
    await api.close();
  }
});
