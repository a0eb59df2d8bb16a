// `regctl ca`: the prepared certificate files as writeFile steps (one executor, one backup
// policy, one rollback path). Pure.
import type { Prepared } from '../../pki/ca.js';
import { emptyPlan, type Plan } from '../../plan/types.js';

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/** `what`: the closing line's verb, "created the signer" or "issued". */
export function planCaFiles(command: string, prepared: Prepared, what: string): Plan {
  const plan = emptyPlan(command);
  plan.warnings.push(...prepared.warnings);
  if (prepared.kept) {
    plan.nothing = prepared.kept;
    return plan;
  }
  for (const f of prepared.files) {
    // An existing serial file keeps its mode; the executor keeps it when no mode is given.
    plan.steps.push({ kind: 'writeFile', describe: `write the ${f.what} ${f.path}${f.keepMode ? '' : ` (mode ${octal(f.mode)})`}`, path: f.path, content: f.content, ...(f.keepMode ? {} : { mode: f.mode }) });
  }
  const s = prepared.summary;
  if (s) plan.done = `${what} "${s.subject}" (serial ${s.serial}, valid until ${s.notAfter.toISOString()}): ${prepared.files.map((f) => f.path).join(', ')}`;
  return plan;
}
