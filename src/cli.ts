// The regctl program: global flags, the subcommands, and the one error boundary that turns
// every failure into an `error:` line and an exit code (0 ok, 1 failed or cancelled, 2 bad
// usage, 130 interrupted). Everything it touches comes from the World it is given.
import { Command, CommanderError, Option } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import type { World } from './context.js';
import { InterruptedError, RegctlError } from './errors.js';
import { attachWorld } from './runtime.js';
import { complete, completionScript } from './completion.js';
import { COMMANDS } from './commands/index.js';
import { namedCommand, normalizeArgs } from './args.js';

/**
 * The program. Only the command being run is imported and registered, alone; without one, every
 * command stands as a one-line entry for `--help` and suggestions. Completion loads them all.
 */
export async function buildProgram(world: World, args: string[] = []): Promise<Command> {
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
    .option('--request-timeout <duration>', 'how long to wait for one API request: 30s, 2m, 1h; a bare number is seconds; 0 = no limit', '0')
    .option('-v, --verbose', 'show stack traces and API requests')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    // Subcommands inherit both: usage errors come back to runCli() to map to exit 2, and output
    // goes to the world's streams (widths and colours too: commander's defaults would build
    // process.stdout, a start-up cost).
    .exitOverride()
    .configureOutput({
      writeOut: (str) => world.io.out.write(str),
      writeErr: (str) => world.io.err.write(str),
      outputError: (str, write) => write(str),
      getOutHelpWidth: () => world.io.out.columns ?? 80,
      getErrHelpWidth: () => world.io.err.columns ?? 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
  attachWorld(program, world);

  program
    .command('version')
    .description('print the regctl version')
    .action(() => {
      world.io.out.write(`regctl v${pkg.version} (node ${process.version})\n`);
    });

  program
    .command('completion')
    .description('print a shell completion script: bash, zsh or fish')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText('after', '\nExamples:\n  source <(regctl completion bash)\n  regctl completion zsh > "${fpath[1]}/_regctl"\n  regctl completion fish | source')
    .action((shell: string) => {
      world.io.out.write(completionScript(shell));
    });


  // `--help` and `version` load no command module; `help <command>` loads that one; `__complete` all.
  const named = namedCommand(args);
  // The one-line entries serve `--help` and suggestions after a mistyped name: a run of one
  // command needs none.
  const runsOne = COMMANDS.some((c) => c.name === named);
  for (const c of COMMANDS) {
    if (named === '__complete' || c.name === named) (await c.load()).register(program);
    else if (!runsOne) program.command(`${c.name} ${c.args ?? '[options]'}`.trim()).description(c.summary);
  }
  return program;
}

function printError(world: World, err: unknown, verbose: boolean): number {
  const { io } = world;
  const red = io.color.red;
  if (err instanceof InterruptedError) {
    io.err.write('\ninterrupted: nothing more was changed\n');
    return 130;
  }
  if (err instanceof RegctlError) {
    if (err.message) io.err.write(`${red('error:')} ${err.message}\n`);
    if (err.hint) io.err.write(`hint: ${err.hint}\n`);
    if (verbose && err.stack && err.message) io.err.write(err.stack + '\n');
    return err.exitCode;
  }
  const e = err as Error;
  io.err.write(`${red('error:')} ${e?.message ?? String(err)}\n`);
  if (verbose && e?.stack) io.err.write(e.stack + '\n');
  else io.err.write('hint: run again with --verbose for details\n');
  return 1;
}

/** Runs regctl with these arguments (without `node regctl`) in this world; returns the exit code. */
export async function runCli(argv: string[], world: World): Promise<number> {
  const args = normalizeArgs(argv);
  const verbose = args.includes('--verbose') || args.includes('-v');
  try {
    const program = await buildProgram(world, args);
    // What the completion scripts call: candidates for the last word, one a line. Handled before
    // commander, which would take the words' global flags as its own.
    if (args[0] === '__complete') {
      const found = await complete(program, args.length > 1 ? args.slice(1) : [''], world);
      world.io.out.write(found.map((w) => w + '\n').join(''));
      return 0;
    }
    // Bare `regctl`: the help, on stdout, exit 0 (kubectl's way).
    if (args.length === 0) {
      world.io.out.write(program.helpInformation());
      return 0;
    }
    try {
      await program.parseAsync(args, { from: 'user' });
      return 0;
    } catch (err) {
      if (err instanceof CommanderError) {
        if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return 0;
        const sub = args.find((a) => program.commands.some((c) => c.name() === a));
        world.io.err.write(`See 'regctl ${sub ? sub + ' ' : ''}--help' for usage.\n`);
        return 2;
      }
      throw err;
    }
  } catch (err) {
    return printError(world, err, verbose);
  }
}
