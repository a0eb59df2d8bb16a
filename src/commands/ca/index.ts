// `regctl ca create-signer-cert` and `regctl ca create-server-cert`: what `oc adm ca` does
// (OC-ADM-REGISTRY.md §4), same flags and defaults, except that existing files are kept unless
// --overwrite. flags → options → the files read and the certificate made (src/pki/ca.ts;
// node-forge loaded only then) → writeFile steps → finish(). A preview (--dry-run) checks the
// files and generates no key.
import type { Command } from 'commander';
import { DEFAULT_KEY_BITS, KEY_SIZES, SERVER_DEFAULT_DAYS, SIGNER_DEFAULT_DAYS } from '../../pki/validity.js';
import { finish } from '../../plan/run.js';
import { action } from '../../runtime.js';
import { collect } from '../../validate.js';
import { summary } from '../catalog.js';
import { DEFAULT_SIGNER_CERT, DEFAULT_SIGNER_KEY, DEFAULT_SIGNER_SERIAL, toServerOptions, toSignerOptions, type ServerFlags, type SignerFlags } from './options.js';
import { planCaFiles } from './plan.js';

const OVERWRITE_HELP = 'replace existing files (the old ones are saved in the backup directory first, see --backup-dir)';

export function register(program: Command): void {
  const ca = program.command('ca').description(summary('ca'));

  ca.command('create-signer-cert')
    .description('create a self-signed CA certificate and key, and a serial file for the certificates it signs')
    .option('--cert <file>', 'the CA certificate file to write', DEFAULT_SIGNER_CERT)
    .option('--key <file>', 'the CA key file to write (mode 0600)', DEFAULT_SIGNER_KEY)
    .option('--serial <file>', 'the serial file to write ("" for none)', DEFAULT_SIGNER_SERIAL)
    .option('--name <name>', 'the CA\'s common name (default "openshift-signer@<unix seconds>")')
    .option('--expire-days <days>', `validity of the CA certificate in days (default ${SIGNER_DEFAULT_DAYS})`)
    .option('--signer-expire-days <days>', 'the same as --expire-days')
    .option('--key-size <bits>', `RSA key size: ${KEY_SIZES.join(', ')}`, String(DEFAULT_KEY_BITS))
    .option('--overwrite', `${OVERWRITE_HELP}; without it an existing valid signer is kept and anything else refused`)
    .addHelpText('after', `
Examples:
  # A CA for the registry's certificates
  regctl ca create-signer-cert --cert=ca.crt --key=ca.key --serial=ca.serial.txt`)
    .action(
      action<SignerFlags>(async (f, ctx) => {
        const o = toSignerOptions(f, ctx.globals, ctx.now());
        const { prepareSignerCert } = await import('../../pki/ca.js');
        const prepared = await prepareSignerCert(o, ctx.now());
        await finish(planCaFiles('ca', prepared, 'created the signer'), ctx);
      }),
    );

  ca.command('create-server-cert')
    .description('create a key and a server certificate for the given host names and IPs, signed by a CA (the CA is appended to the certificate file)')
    .option('--signer-cert <file>', 'the CA certificate', DEFAULT_SIGNER_CERT)
    .option('--signer-key <file>', 'the CA key', DEFAULT_SIGNER_KEY)
    .option('--signer-serial <file>', 'the CA\'s serial file, read and advanced ("" for a random serial)', DEFAULT_SIGNER_SERIAL)
    .option('--hostnames <names>', 'host names and IP addresses the certificate is valid for (comma separated, repeatable)', collect)
    .option('--cert <file>', 'the certificate file to write')
    .option('--key <file>', 'the key file to write (mode 0600)')
    .option('--expire-days <days>', 'validity of the certificate in days', String(SERVER_DEFAULT_DAYS))
    .option('--key-size <bits>', `RSA key size: ${KEY_SIZES.join(', ')}`, String(DEFAULT_KEY_BITS))
    .option('--overwrite', `${OVERWRITE_HELP}; without it an existing certificate that covers the names is kept and anything else refused`)
    .addHelpText('after', `
Examples:
  # The registry's certificate, as "Securing the Registry" does it
  regctl ca create-server-cert \\
      --signer-cert=/etc/origin/master/ca.crt --signer-key=/etc/origin/master/ca.key \\
      --signer-serial=/etc/origin/master/ca.serial.txt \\
      --hostnames='docker-registry.default.svc.cluster.local,172.30.124.220' \\
      --cert=/etc/secrets/registry.crt --key=/etc/secrets/registry.key`)
    .action(
      action<ServerFlags>(async (f, ctx) => {
        const o = toServerOptions(f, ctx.globals);
        const { prepareServerCert } = await import('../../pki/ca.js');
        const prepared = await prepareServerCert(o, ctx.now(), ctx.randomBytes);
        await finish(planCaFiles('ca', prepared, 'issued'), ctx);
      }),
    );
}
