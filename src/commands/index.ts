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
  deploy: () => import('./deploy.js'),
  access: () => import('./access/index.js'),
  login: () => import('./login/index.js'),
  secure: () => import('./secure/index.js'),
  expose: () => import('./expose/index.js'),
  'reuse-ip': () => import('./reuse-ip.js'),
  whitelist: () => import('./whitelist.js'),
  'trust-ca': () => import('./trust-ca/index.js'),
  mirror: () => import('./mirror.js'),
  'override-config': () => import('./override-config.js'),
  console: () => import('./console/index.js'),
  ca: () => import('./ca.js'),
};

/** What follows a name in `regctl --help` where it is not `[options]`, known without loading the module. */
const ARGS: Partial<Record<CommandName, string>> = { 'override-config': '[options] [file]', ca: '', access: '' };

export const COMMANDS: readonly CommandEntry[] = (Object.keys(SUMMARIES) as CommandName[]).map((name) => ({ name, summary: SUMMARIES[name], args: ARGS[name], load: LOADERS[name] }));
