// `regctl ca`: the prepared certificate files as writeFile steps (one executor, one backup
// policy, one rollback path). Pure.
import type { Prepared } from '../../pki/ca.js';
import { fileStep } from '../../pki/files.js';
import { emptyPlan, type Plan } from '../../plan/types.js';

/** `what`: the closing line's verb, "created the signer" or "issued". */
export function planCaFiles(command: string, prepared: Prepared, what: string): Plan {
  const plan = emptyPlan(command);
  plan.warnings.push(...prepared.warnings);
  if (prepared.kept) {
    plan.nothing = prepared.kept;
    return plan;
  }
  plan.steps.push(...prepared.files.map(fileStep));
  const s = prepared.summary;
  if (s) plan.done = `${what} "${s.subject}" (serial ${s.serial}, valid until ${s.notAfter.toISOString()}): ${prepared.files.map((f) => f.path).join(', ')}`;
  return plan;
}
