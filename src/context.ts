// What a command needs from the outside world (gh's factory). The real world is built once in
// src/main.ts; tests hand in fakes: buffer streams, a fake or test-server cluster, a stub
// prompter, a fixed clock. It is lazy, so `--help` and offline rendering never load the
// Kubernetes client.
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
  /** kubectl's --request-timeout in milliseconds; 0 means no limit. */
  requestTimeoutMs?: number;
}

export interface Prompter {
  /** Asks on a TTY; never called without one (src/output/prompt.ts checks first). Throws InterruptedError on Ctrl-C. */
  confirm(message: string, defaultAnswer?: boolean): Promise<boolean>;
}

/** The machine regctl runs on: the only door to local side effects a plan may take. */
export interface Host {
  writeFile(path: string, content: string | Uint8Array, mode?: number): void;
  readFile(path: string): Buffer | undefined;
  removeFile(path: string): void;
  /** `stdin`: written to the command's standard input (a password, never an argument). */
  exec(command: string, args: string[], stdin?: string): Promise<string>;
}

/** Everything that touches the world, handed to buildProgram(). */
export interface World {
  io: IO;
  env: NodeJS.ProcessEnv;
  /** Connects to the cluster the global flags name (kubeconfig, context, namespace). */
  connect(globals: GlobalOptions, env: NodeJS.ProcessEnv): Promise<Cluster>;
  prompter: Prompter;
  host: Host;
  now(): Date;
  randomBytes(n: number): Uint8Array;
  sleep(ms: number): Promise<void>;
}

/** One run of one command: the world plus the parsed global flags. */
export interface Context extends Omit<World, 'connect'> {
  globals: GlobalOptions;
  /** Connects on first call; cached after. */
  cluster(): Promise<Cluster>;
}

/** The namespace for offline rendering: as given, else `default` (as `oc adm registry`). */
export function offlineNamespace(g: GlobalOptions): string {
  return g.namespace ?? 'default';
}
