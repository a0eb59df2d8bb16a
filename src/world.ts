// The real world: the process's streams and environment, the kubeconfig's cluster, a terminal
// prompt, this machine's files and commands, the clock and crypto randomness. Built once in
// src/main.ts; tests build their own (test/support/world.ts).
import type { Host, Prompter, World } from './context.js';
import { InterruptedError } from './errors.js';
import { readIfExists, removeFile, writeFileAtomic } from './host/files.js';
import { systemRandomBytes } from './host/random.js';
import { runHostCommand } from './host/command.js';
import { systemIO } from './output/io.js';

export const systemHost: Host = { writeFile: writeFileAtomic, readFile: readIfExists, removeFile, exec: runHostCommand };

function terminalPrompter(): Prompter {
  return {
    async confirm(message, defaultAnswer = false) {
      const { confirm } = await import('@inquirer/prompts');
      try {
        return await confirm({ message, default: defaultAnswer }, { output: process.stderr });
      } catch (e) {
        // Ctrl-C at the prompt: inquirer's ExitPromptError.
        if ((e as Error)?.name === 'ExitPromptError') throw new InterruptedError();
        throw e;
      }
    },
  };
}

export async function systemWorld(env: NodeJS.ProcessEnv, noColor: boolean): Promise<World> {
  const io = await systemIO(env, noColor);
  return {
    io,
    env,
    connect: (globals, e) => import('./cluster/index.js').then((m) => m.connect(globals, e, (line) => io.err.write(line + '\n'))),
    prompter: terminalPrompter(),
    host: systemHost,
    now: () => new Date(),
    randomBytes: systemRandomBytes,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}
