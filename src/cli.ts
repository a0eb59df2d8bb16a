// The regctl program: global flags, the subcommands, and the one error boundary that turns
// every failure into an `error:` line and an exit code (0 ok, 1 failed, 2 bad usage).
import { Command, CommanderError, Option } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { RegctlError } from './errors.js';
import { completionScript } from './commands/completion.js';
import * as deploy from './commands/deploy.js';
import * as expose from './commands/expose.js';
import * as mirror from './commands/mirror.js';
import * as overrideConfig from './commands/override-config.js';
import * as reuseIp from './commands/reuse-ip.js';
import * as whitelist from './commands/whitelist.js';
import * as secure from './commands/secure.js';
import * as registryConsole from './commands/console.js';
import * as ca from './commands/ca.js';

/** Each subcommand module exports `register(program)`. Keep heavy imports out of them. */
// In the order of the documents' procedures; `ca` last, as a tool the others use.
const COMMANDS: { register(program: Command): void }[] = [deploy, secure, expose, reuseIp, whitelist, mirror, overrideConfig, registryConsole, ca];

export function buildProgram(): Command {
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

  for (const c of COMMANDS) c.register(program);
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
  const program = buildProgram();
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
