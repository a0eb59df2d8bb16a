// The -o formats and --dry-run strategies, apart from the printer: flag parsing needs the list at every start-up, the
// printer (and js-yaml with it) only when objects are printed.
import type { OutputFormat } from '../context.js';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['yaml', 'json', 'name'];

/** --dry-run's strategies, as kubectl has them. */
export const DRY_RUN_STRATEGIES: readonly string[] = ['client', 'server', 'none'];
