// The subcommands and how to load each. A module is imported only when its command runs (or
// for help and completion), so start-up parses one command, not all of them.
import type { Command } from 'commander';
import { SUMMARIES, type CommandName } from './catalog.js';

export interface CommandModule {
  register(program: Command): void;
}

export interface CommandEntry {
  name: CommandName;
  /** One line for `regctl --help`; the module's own command uses it too. */
  summary: string;
  /** What follows the name in `regctl --help` (default `[options]`), without loading the module. */
  args?: string;
  load(): Promise<CommandModule>;
}

const LOADERS: Record<CommandName, () => Promise<CommandModule>> = {
  deploy: () => import('./deploy/index.js'),
  access: () => import('./access/index.js'),
  login: () => import('./login/index.js'),
  secure: () => import('./secure/index.js'),
  expose: () => import('./expose/index.js'),
  'reuse-ip': () => import('./reuse-ip/index.js'),
  whitelist: () => import('./whitelist/index.js'),
  'trust-ca': () => import('./trust-ca/index.js'),
  mirror: () => import('./mirror/index.js'),
  'override-config': () => import('./override-config/index.js'),
  console: () => import('./console/index.js'),
  status: () => import('./status/index.js'),
  logs: () => import('./logs/index.js'),
  metrics: () => import('./metrics/index.js'),
  prefetch: () => import('./prefetch/index.js'),
  ca: () => import('./ca/index.js'),
};

/** What follows a name in `regctl --help` where it is not `[options]`, known without loading the module. */
const ARGS: Partial<Record<CommandName, string>> = { 'override-config': '[options] [file]', ca: '', access: '', metrics: '', prefetch: '[options] <imagestream:tag>' };

export const COMMANDS: readonly CommandEntry[] = (Object.keys(SUMMARIES) as CommandName[]).map((name) => ({ name, summary: SUMMARIES[name], args: ARGS[name], load: LOADERS[name] }));
