// The files issuing a certificate writes (key, certificate, serial), and the plan step for each.
// Light on purpose: no node-forge here, so plans and --help load without it.
import type { Step } from '../plan/types.js';

/** A certificate, key or serial file to write (the caller's plan writes it: src/plan/). */
export interface PlannedFile {
  path: string;
  content: string;
  /** The mode of a new file; an existing file keeps its own mode when `keepMode` is set. */
  mode: number;
  keepMode?: boolean;
  /** What it is, for messages: "server certificate", "CA key". */
  what: string;
}

/** The plan step that writes a planned file; without a mode an existing file keeps its own (oc sets the serial's only on creation). */
export function fileStep(f: PlannedFile): Step {
  return {
    kind: 'writeFile',
    describe: `write the ${f.what} ${f.path}${f.keepMode ? '' : ` (mode ${f.mode.toString(8).padStart(4, '0')})`}`,
    path: f.path,
    content: f.content,
    ...(f.keepMode ? {} : { mode: f.mode }),
  };
}

/** The content of a file a preview (-o, --dry-run) would write: no key is generated, nothing signed. */
export const PREVIEW_CONTENT = '<generated when the command runs>\n';

