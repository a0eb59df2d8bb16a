// The one module that talks to an API server. Imported only with `await import()`, so commands
// that render offline never load it; @kubernetes/client-node is loaded only for exec plugins,
// auth providers and proxies (src/cluster/credentials.ts).
import type { GlobalOptions } from '../context.js';
import type { Cluster } from './types.js';
import { loadKubeconfig } from './kubeconfig.js';

export { ApiError } from './errors.js';

/** `log` receives request lines with --verbose (stderr in the real world). */
export async function connect(g: GlobalOptions, env: NodeJS.ProcessEnv, log: (line: string) => void = () => {}): Promise<Cluster> {
  const cfg = loadKubeconfig(g, env);
  // The transport (http2, https, tls) loads only once there is a kubeconfig to use: a render
  // with none falls back offline without paying for it.
  const [{ transport }, { RestCluster }] = await Promise.all([import('./http.js'), import('./client.js')]);
  const http = await transport(cfg, { verbose: g.verbose ? (line) => log(`I ${line}`) : undefined, requestTimeoutMs: g.requestTimeoutMs });
  return new RestCluster(cfg, http);
}
