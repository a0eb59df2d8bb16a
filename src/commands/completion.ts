// `regctl completion bash|zsh`: a completion script generated from the command tree, so it
// never drifts from the flags. zsh loads the bash script through bashcompinit.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

function flagsOf(cmd: Command): string[] {
  return cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f));
}

function bashScript(program: Command): string {
  const globals = flagsOf(program).join(' ');
  const cases = program.commands
    .map((c) => {
      const subs = c.commands.map((s) => s.name()).join(' ');
      return `    ${c.name()}) words="${[subs, flagsOf(c).join(' '), globals].filter(Boolean).join(' ')}" ;;`;
    })
    .join('\n');
  const top = program.commands.map((c) => c.name()).join(' ');
  return `# regctl bash completion. Load with: source <(regctl completion bash)
_regctl() {
  local cur words cmd i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  case "$cmd" in
${cases}
    *) words="${top} ${globals}" ;;
  esac
  case "\${COMP_WORDS[COMP_CWORD-1]}" in
    -o|--output) words="yaml json name" ;;
    --dry-run) words="client server none" ;;
    --platform) words="openshift3 openshift4 kubernetes" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _regctl regctl
`;
}

export function completionScript(program: Command, shell: string): string {
  if (shell === 'bash') return bashScript(program);
  if (shell === 'zsh') {
    return `#compdef regctl\n# regctl zsh completion (through bashcompinit).\nautoload -U +X bashcompinit && bashcompinit\n${bashScript(program)}`;
  }
  throw new UsageError(`completion: unsupported shell "${shell}" (bash or zsh)`);
}
