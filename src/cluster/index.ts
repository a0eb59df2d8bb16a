// The one module that talks to an API server. Imported only with `await import()`, so commands
// that render offline never load it; @kubernetes/client-node is loaded only for exec plugins,
// auth providers and proxies (src/cluster/credentials.ts).
import type { GlobalOptions } from '../context.js';
import type { Cluster } from './types.js';
import { loadKubeconfig } from './kubeconfig.js';
import { transport } from './http.js';
import { RestCluster } from './client.js';

export { ApiError } from './errors.js';

/** `log` receives request lines with --verbose (stderr in the real world). */
export async function connect(g: GlobalOptions, env: NodeJS.ProcessEnv, log: (line: string) => void = () => {}): Promise<Cluster> {
  const cfg = loadKubeconfig(g, env);
  const http = await transport(cfg, { verbose: g.verbose ? (line) => log(`I ${line}`) : undefined, requestTimeoutMs: g.requestTimeoutMs });
  return new RestCluster(cfg, http);
}
