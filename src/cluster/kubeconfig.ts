// Which cluster, as whom, in which namespace: --kubeconfig/--config, else $KUBECONFIG (a
// colon list, merged), else ~/.kube/config; --context; --namespace, else the context's, else
// `default`. Loading and authentication (tokens, client certificates, exec plugins,
// insecure-skip-tls-verify) are @kubernetes/client-node's.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { GlobalOptions } from '../context.js';
import { NoKubeconfigError, OperationError, UsageError } from '../errors.js';

export interface LoadedConfig {
  kc: KubeConfig;
  /** What to name in messages: the file(s) the config came from. */
  source: string;
  context: string;
  server: string;
  namespace: string;
  user: string;
}

export function loadKubeconfig(g: GlobalOptions, env: NodeJS.ProcessEnv): LoadedConfig {
  const kc = new KubeConfig();
  let source: string;
  try {
    if (g.kubeconfig) {
      source = g.kubeconfig;
      if (!existsSync(source)) throw new UsageError(`--kubeconfig: "${source}" does not exist`);
      kc.loadFromFile(source);
    } else if (env.KUBECONFIG) {
      const files = env.KUBECONFIG.split(':').filter((f) => f && existsSync(f));
      source = `$KUBECONFIG (${env.KUBECONFIG})`;
      if (files.length === 0) throw new NoKubeconfigError(`no kubeconfig: none of the files in KUBECONFIG=${env.KUBECONFIG} exists`, 'log in with `oc login <server>`, or name a file with --kubeconfig');
      kc.loadFromFile(files[0]!);
      for (const f of files.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(f);
        kc.mergeConfig(more, true);
      }
    } else {
      source = join(env.HOME ?? homedir(), '.kube', 'config');
      if (!existsSync(source)) throw new NoKubeconfigError(`no kubeconfig: ${source} does not exist and KUBECONFIG is not set`, 'log in with `oc login <server>`, or name a file with --kubeconfig');
      kc.loadFromFile(source);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof OperationError) throw e;
    throw new UsageError(`kubeconfig ${g.kubeconfig ?? env.KUBECONFIG ?? '~/.kube/config'} cannot be read: ${(e as Error).message}`);
  }
  if (g.context) {
    if (!kc.getContextObject(g.context)) {
      throw new UsageError(`--context: no context "${g.context}" in ${source} (it has: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(g.context);
  }
  const context = kc.getCurrentContext();
  const ctxObj = context ? kc.getContextObject(context) : null;
  if (!ctxObj) throw new OperationError(`no current context in ${source}`, 'choose one with --context, or `oc config use-context <name>`');
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new OperationError(`context "${context}" in ${source} names cluster "${ctxObj.cluster}", which is not there`);
  return {
    kc,
    source,
    context,
    server: cluster.server.replace(/\/+$/, ''),
    namespace: g.namespace ?? ctxObj.namespace ?? 'default',
    user: ctxObj.user,
  };
}
