// Shell completion, as kubectl and gh do it (cobra's `__complete`): the shell script is a thin
// shim that asks `regctl __complete WORDS... CURRENT` for candidates, so flags complete after
// global flags, values complete where they are known (-o formats, --platform choices,
// --dry-run strategies, contexts from the kubeconfig, namespaces when connected) and the
// scripts never drift from the program.
import type { Command, Option } from 'commander';
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { World } from './context.js';
import { UsageError } from './errors.js';
import { DRY_RUN_STRATEGIES, OUTPUT_FORMATS } from './output/formats.js';
import { toGlobals } from './runtime.js';

/** Printed instead of candidates when the shell should complete file names. */
export const FILES = ':files';

const FIXED_VALUES: Record<string, readonly string[]> = {
  '-o': OUTPUT_FORMATS,
  '--output': OUTPUT_FORMATS,
  '--dry-run': DRY_RUN_STRATEGIES,
};

function flagsOf(cmd: Command): string[] {
  return cmd.options.filter((o) => !o.hidden).flatMap((o) => [o.long, o.short].filter((f): f is string => !!f));
}

function findOption(cmds: Command[], flag: string): Option | undefined {
  for (const c of cmds) {
    const o = c.options.find((x) => x.long === flag || x.short === flag);
    if (o) return o;
  }
  return undefined;
}

/** The context names of the kubeconfig the words (or KUBECONFIG, or ~/.kube/config) name. */
async function contexts(words: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const i = words.findIndex((w) => w === '--kubeconfig' || w === '--config');
  const files = i >= 0 && words[i + 1] ? [words[i + 1]!] : env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter(Boolean) : [join(env.HOME ?? homedir(), '.kube', 'config')];
  const names: string[] = [];
  for (const f of files) {
    try {
      const doc = load(readFileSync(f, 'utf8')) as { contexts?: { name?: string }[] } | undefined;
      for (const c of doc?.contexts ?? []) if (c.name && !names.includes(c.name)) names.push(c.name);
    } catch {
      // An unreadable kubeconfig completes nothing; it is not an error at a prompt.
    }
  }
  return names;
}

/** Namespaces of the cluster the words point at, when it answers quickly; else nothing. */
async function namespaces(words: string[], world: World): Promise<string[]> {
  try {
    const at = (f: string[]) => {
      const i = words.findIndex((w) => f.includes(w));
      return i >= 0 ? words[i + 1] : undefined;
    };
    const globals = toGlobals({ kubeconfig: at(['--kubeconfig', '--config']), context: at(['--context']), requestTimeout: '2s' });
    const cluster = await world.connect(globals, world.env);
    // --request-timeout 2s bounds the request, connecting included.
    const list = await cluster.list('v1', 'Namespace');
    return list.map((n) => n.metadata.name);
  } catch {
    return [];
  }
}

/** Candidates for the last word, given the words before it (without `regctl`). */
export async function complete(program: Command, words: string[], world: World): Promise<string[]> {
  const current = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  // The command path: words that name a (sub)command, skipping flags and their values.
  const path: Command[] = [program];
  for (let i = 0; i < before.length; i++) {
    const w = before[i]!;
    if (w.startsWith('-')) {
      const o = findOption(path, w.split('=')[0]!);
      if (o && o.required && !w.includes('=')) i++;
      continue;
    }
    const sub = path[path.length - 1]!.commands.find((c) => c.name() === w);
    if (sub) path.push(sub);
  }
  const here = path[path.length - 1]!;
  // A value after a flag that takes one (`--output y`, or `--output=y`).
  const eq = current.match(/^(--?[^=]+)=(.*)$/);
  const flag = eq ? eq[1]! : before[before.length - 1];
  if (flag?.startsWith('-')) {
    const o = findOption(path, flag);
    if (o && (o.required || o.optional) && (eq || o.required)) {
      const prefix = eq ? `${flag}=` : '';
      let values: readonly string[] | undefined = FIXED_VALUES[flag] ?? o.argChoices;
      if (!values && flag === '--context') values = await contexts(words, world.env);
      if (!values && (flag === '-n' || flag === '--namespace')) values = await namespaces(words, world);
      if (!values && /file|path|dir|kubeconfig|config/i.test(`${o.long} ${o.flags}`)) return [FILES];
      return (values ?? []).map((v) => prefix + v);
    }
  }
  if (current.startsWith('-')) return [...new Set(path.flatMap(flagsOf))].filter((f) => f.startsWith(current.replace(/=.*$/, '')));
  return here.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => c.name()).filter((n) => n.startsWith(current));
}

const BASH = `# regctl bash completion. Load with: source <(regctl completion bash)
_regctl() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" out
  out=$(regctl __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  if [ "$out" = "${FILES}" ]; then COMPREPLY=($(compgen -f -- "$cur")); return; fi
  COMPREPLY=($(compgen -W "$out" -- "$cur"))
}
complete -o default -F _regctl regctl
`;

const FISH = `# regctl fish completion. Load with: regctl completion fish | source
function __regctl_complete
  set -l out (regctl __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)
  if test "$out" = "${FILES}"
    __fish_complete_path (commandline -ct)
  else
    printf '%s\\n' $out
  end
end
complete -c regctl -f -a '(__regctl_complete)'
`;

export function completionScript(shell: string): string {
  if (shell === 'bash') return BASH;
  if (shell === 'zsh') return `#compdef regctl\n# regctl zsh completion (through bashcompinit).\nautoload -U +X bashcompinit && bashcompinit\n${BASH}`;
  if (shell === 'fish') return FISH;
  throw new UsageError(`completion: unsupported shell "${shell}" (bash, zsh or fish)`);
}
