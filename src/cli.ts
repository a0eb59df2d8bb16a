// The regctl program: global flags, the subcommands, and the one error boundary that turns
// every failure into an `error:` line and an exit code (0 ok, 1 failed, 2 bad usage).
import { Command, CommanderError, Option } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { RegctlError } from './errors.js';
import { completionScript } from './commands/completion.js';
import { COMMANDS } from './commands/index.js';

/** Global flags that take a value, so the word after them is not the subcommand. */
const VALUE_FLAGS = new Set(['--kubeconfig', '--config', '--context', '-n', '--namespace', '-o', '--output', '--backup-dir', '--request-timeout']);

/** The subcommand the arguments name, if any (the first word that is not a global flag or its value). */
export function invokedCommand(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return undefined;
    if (a.startsWith('-')) {
      if (VALUE_FLAGS.has(a)) i++;
      // --dry-run takes an optional value: commander consumes the next word unless it is a flag.
      else if (a === '--dry-run' && args[i + 1] && !args[i + 1]!.startsWith('-') && !COMMANDS.some((c) => c.name === args[i + 1])) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

/**
 * The program. Only the command being run is imported and registered in full; the others
 * stand as one-line entries for `--help` and suggestions. Completion loads them all.
 */
export async function buildProgram(args: string[] = []): Promise<Command> {
  const program = new Command('regctl')
    .description("Deploy, secure, expose and re-configure a cluster's integrated container registry.\nOpenShift 3.x, OpenShift 4 (Image Registry Operator) and plain Kubernetes.")
    .option('--kubeconfig <path>', 'path to the kubeconfig file (else $KUBECONFIG, else ~/.kube/config)')
    .addOption(new Option('--config <path>', 'alias of --kubeconfig, as the OpenShift 3 documents spell it'))
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-n, --namespace <namespace>', "namespace (default: the context's namespace, else \"default\")")
    .option('-o, --output <format>', 'print the objects instead of applying them: yaml|json|name')
    .addOption(new Option('--dry-run [strategy]', 'show what would change, change nothing: client (default) or server (sent with dryRun=All)'))
    .option('-y, --yes', 'answer yes to every confirmation (needed when not on a terminal)')
    .option('--backup-dir <dir>', 'where backups of changed objects go (default ~/.regctl/backups)')
    .option('--request-timeout <duration>', 'how long to wait for one server request before giving up: 1s, 2m, 3h; a bare number is seconds; 0 = no limit', '0')
    .option('-v, --verbose', 'show stack traces and API requests')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    // Subcommands inherit both: usage errors come back to main() to map to exit 2.
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });

  program
    .command('version')
    .description('print the regctl version')
    .action(() => {
      process.stdout.write(`regctl v${pkg.version} (node ${process.version})\n`);
    });

  program
    .command('completion')
    .description('print a shell completion script: bash or zsh')
    .argument('<shell>', 'bash or zsh')
    .addHelpText('after', '\nExamples:\n  source <(regctl completion bash)\n  regctl completion zsh > "${fpath[1]}/_regctl"')
    .action((shell: string) => {
      process.stdout.write(completionScript(program, shell));
    });

  // `--help` and `version` load no command module; `help <command>` loads that one; completion all.
  const invoked = invokedCommand(args);
  const named = invoked === 'help' ? args[args.indexOf('help') + 1] : invoked;
  for (const c of COMMANDS) {
    if (invoked === 'completion' || c.name === named) (await c.load()).register(program);
    else program.command(`${c.name} ${c.args ?? '[options]'}`.trim()).description(c.summary);
  }
  return program;
}

function printError(err: unknown, verbose: boolean): number {
  const red = (s: string) => (process.stderr.isTTY && !process.env.NO_COLOR && !process.argv.includes('--no-color') ? `\x1b[31m${s}\x1b[39m` : s);
  if (err instanceof RegctlError) {
    if (err.message) process.stderr.write(`${red('error:')} ${err.message}\n`);
    if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
    if (verbose && err.stack && err.message) process.stderr.write(err.stack + '\n');
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(`${red('error:')} ${e?.message ?? String(err)}\n`);
  if (verbose && e?.stack) process.stderr.write(e.stack + '\n');
  else process.stderr.write('hint: run again with --verbose for details\n');
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv.slice(2));
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    await program.parseAsync(argv, { from: 'node' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return 0;
      const sub = argv.slice(2).find((a) => program.commands.some((c) => c.name() === a));
      process.stderr.write(`See 'regctl ${sub ? sub + ' ' : ''}--help' for usage.\n`);
      return 2;
    }
    return printError(err, verbose);
  }
}
