// The error types every module throws. Only src/cli.ts prints them: one `error:` line, an
// optional `hint:` line, and the exit code the type carries (kubectl's CheckErr, gh's FlagError).

export class RegctlError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'RegctlError';
  }
}

/** Bad flags, arguments or input files: exit 2, before anything is read from or written to the world. */
export class UsageError extends RegctlError {
  constructor(message: string, hint?: string) {
    super(message, 2, hint);
    this.name = 'UsageError';
  }
}

/** The operation itself failed (API error, rollout timeout, a file that cannot be written): exit 1. */
export class OperationError extends RegctlError {
  constructor(message: string, hint?: string) {
    super(message, 1, hint);
    this.name = 'OperationError';
  }
}

/** No kubeconfig anywhere (no --kubeconfig, no KUBECONFIG file, no ~/.kube/config): a render may go offline. */
export class NoKubeconfigError extends OperationError {
  constructor(message: string, hint?: string) {
    super(message, hint);
    this.name = 'NoKubeconfigError';
  }
}

/** Quiet failure whose message was already printed (e.g. `--dry-run` found no registry). */
export class SilentExit extends RegctlError {
  constructor(exitCode: 1 | 2) {
    super('', exitCode);
  }
}

/** The user answered "no": nothing was changed, exit 1. */
export class CancelError extends RegctlError {
  constructor() {
    super('cancelled: nothing was changed', 1);
    this.name = 'CancelError';
  }
}

/** Ctrl-C (at a prompt or during a wait): exit 130, as a shell reports SIGINT. */
export class InterruptedError extends Error {
  readonly exitCode = 130;
  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}
