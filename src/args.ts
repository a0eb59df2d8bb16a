// Where the subcommand is in the arguments, before commander sees them: buildProgram() loads
// only that command's module, and the launcher (src/launcher.ts) runs only that command's bundle.
import { DRY_RUN_STRATEGIES } from './output/formats.js';

/** Global flags that take a value, so the word after them is not the subcommand. */
const VALUE_FLAGS = new Set(['--kubeconfig', '--config', '--context', '-n', '--namespace', '-o', '--output', '--backup-dir', '--request-timeout']);

/**
 * `--dry-run` takes a strategy only when one follows it: `regctl override-config --dry-run
 * config.yml` dry-runs the file (commander would take the file as the strategy).
 */
export function normalizeArgs(args: string[]): string[] {
  return args.map((a, i) => (a === '--dry-run' && !DRY_RUN_STRATEGIES.includes(args[i + 1]!) ? '--dry-run=client' : a));
}

/** The subcommand the arguments name, if any (the first word that is not a global flag or its value). */
export function invokedCommand(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return undefined;
    if (a.startsWith('-')) {
      if (VALUE_FLAGS.has(a)) i++;
      else if (a === '--dry-run' && DRY_RUN_STRATEGIES.includes(args[i + 1]!)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

/** The command whose module a run needs: the one invoked, or for `help <command>` that one. */
export function namedCommand(args: string[]): string | undefined {
  const invoked = invokedCommand(args);
  return invoked === 'help' ? args[args.indexOf('help') + 1] : invoked;
}
