// What a command needs from the outside world, handed in by src/cli.ts and met lazily
// (gh's factory): `--help` and offline rendering never load the Kubernetes client.
import type { Cluster } from './cluster/types.js';
import type { IO } from './output/io.js';

export type OutputFormat = 'yaml' | 'json' | 'name';
export type DryRun = 'none' | 'client' | 'server';

/** The flags every command shares. */
export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  /** As given with -n; undefined means: the context's namespace when connected, else `default`. */
  namespace?: string;
  output?: OutputFormat;
  dryRun: DryRun;
  yes: boolean;
  verbose: boolean;
  backupDir?: string;
  /** --request-timeout in milliseconds; 0 = no limit. */
  requestTimeoutMs?: number;
}

export interface Prompter {
  /** Asks on a TTY; never called without one (commands check `io.canPrompt` first). */
  confirm(message: string, defaultAnswer?: boolean): Promise<boolean>;
}

export interface Context {
  globals: GlobalOptions;
  io: IO;
  /** Connects on first call (kubeconfig, context, namespace from the globals); cached after. */
  cluster(): Promise<Cluster>;
  prompter: Prompter;
  now(): Date;
  randomBytes(n: number): Uint8Array;
  env: NodeJS.ProcessEnv;
}

/** The namespace for offline rendering: as given, else `default` (as `oc adm registry`). */
export function offlineNamespace(g: GlobalOptions): string {
  return g.namespace ?? 'default';
}
