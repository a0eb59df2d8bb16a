// The -o formats, apart from the printer: flag parsing needs the list at every start-up, the
// printer (and js-yaml with it) only when objects are printed.
import type { OutputFormat } from '../context.js';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['yaml', 'json', 'name'];
