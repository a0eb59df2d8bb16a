// `regctl override-config`: the registry's own config.yml, managed safely (seed 000
// "Overriding the Registry Configuration", seed 003 "Known Issues"). Write the documented
// default, check a file against the documented rules, show the configuration the registry
// really runs with, and deploy a file as `registry-config`: a Secret when it holds
// credentials, else a ConfigMap.
// flags → options → (file, live state) → pure plan → finish(). --check and --show answer
// questions and change nothing: they print (report.ts).
import { type Command, Option } from 'commander';
import type { Context } from '../../context.js';
import { offlineNamespace } from '../../context.js';
import { UsageError } from '../../errors.js';
import { pathExists, readInputFile } from '../../host/files.js';
import { commands, warn } from '../../output/messages.js';
import { finish } from '../../plan/run.js';
import { action } from '../../runtime.js';
import { configCredentials, keyFiles } from '../../registry-config/credentials.js';
import { REGISTRY_RELEASES } from '../../registry-config/go-schema.js';
import { parseYamlSource } from '../../registry-config/yaml-source.js';
import { CONFIG_MAP_NAME, CONFIG_MOUNT_DIR, CONFIG_STORAGES, IMAGE_DEFAULT_CONFIG, initialConfig } from '../../templates/registry-config.js';
import { workloadEnv } from '../../templates/registry-config-plan.js';
import { collect } from '../../validate.js';
import { summary } from '../catalog.js';
import { readLive } from './live.js';
import { toOptions, type OverrideConfigFlags, type OverrideConfigOptions } from './options.js';
import { checkChange, initNotes, planInit, planOverrideConfig, settingsEnv } from './plan.js';
import { formatFinding, loadConfigValue, metricsSecret, printEffective, readEnv, runCheck } from './report.js';

export function register(program: Command): void {
  program
    .command('override-config')
    .description(summary('override-config'))
    .argument('[file]', 'the config.yml to write (--init; default config.yml, - for stdout), check, show or deploy')
    .option('--init', 'write the initial config.yml of the documents, to edit')
    .addOption(new Option('--storage <driver>', 'with --init: the storage section to write, ready to fill').choices([...CONFIG_STORAGES]).default('filesystem'))
    .option('--check', "check the file as the registry reads it (its own messages) and against the documented rules; exit 1 on any error (-o json: the findings as data)")
    .option('--show', 'print the effective configuration: the file (or, without FILE, the live mounted config) with the environment overrides applied and marked')
    .option('--rollback', 'restore the config that the last override-config replaced, and roll out')
    .option('--set <key=value>', 'an override the documents allow as an environment variable, e.g. pullthrough=false, projectcachettl=2m, server.addr=HOST:PORT, metrics.enabled=true, requests.read.maxrunning=10 (repeatable)', collect)
    .option('--metrics', 'enable metrics at /extensions/v2/metrics with a generated secret')
    .option('--env-from <file>', "with --show/--check offline: the container's environment, NAME=VALUE lines (as `oc set env dc/docker-registry --list` prints)")
    .option('--force', '--init: overwrite an existing file (keeping a .bak copy); deploy: even when the check finds errors')
    .option('--wait', 'wait until the new registry pods are rolled out')
    .option('--timeout <seconds>', 'how long --wait waits', '300')
    .addOption(new Option('--registry-version <release>', "whose parser judges the config (--check, deploy): OpenShift 3.11's registry or 4.x's (default: the cluster's when connected, else 4.x)").choices([...REGISTRY_RELEASES]))
    .option('--configmap', 'deploy config.yml as ConfigMap registry-config (only for a config without credentials; one with credentials always goes to Secret registry-config)')
    .option('--cloudfront-key <file>', "the CloudFront private key (PEM): stored in Secret registry-cloudfront-key and mounted at the path the config's cloudfront privatekey names")
    .addHelpText(
      'after',
      `
The configuration is delivered as Secret registry-config when it holds credentials (S3 keys,
Swift or Azure secrets, the metrics secret, http.secret ...), else as ConfigMap
registry-config (key config.yml), mounted at /etc/docker/registry/ and selected with
REGISTRY_CONFIGURATION_PATH=/etc/docker/registry/config.yml. Moving it from the ConfigMap to
the Secret is part of the same run. The config in effect is backed up first (in a Secret when it
holds credentials); --rollback restores it. Deploying the same file again changes nothing.

--check reads the file as the registry does (YAML types, REGISTRY_* overrides in the
registry's order, the openshift section) and prints the registry's own words.

--show with FILE works offline: the overrides are those of --set and --env-from. Without FILE
it reads the cluster: the mounted config and the registry container's environment (plus --set).

Examples:
  # Start from the documented default, or from an S3 variant
  regctl override-config --init config.yml
  regctl override-config --init --storage s3 config-s3.yml

  # Check it (exit 1 on errors); as data
  regctl override-config --check config.yml
  regctl override-config --check config.yml -o json

  # What the registry will run with, given its environment
  oc set env dc/docker-registry --list > registry.env
  regctl override-config --show config.yml --env-from registry.env

  # Deploy it, wait for the rollout; undo
  regctl override-config config.yml --wait
  regctl override-config config-s3.yml --cloudfront-key pk-APKAEXAMPLE.pem
  regctl override-config --rollback

  # Override documented options through the environment
  regctl override-config --set pullthrough=false --set projectcachettl=2m
  regctl override-config --metrics`,
    )
    .action(action<OverrideConfigFlags>(runOverrideConfig));
}


async function runOverrideConfig(flags: OverrideConfigFlags, ctx: Context, args: string[]): Promise<void> {
  const o = toOptions(flags, args, ctx.globals.output);
  switch (o.mode) {
    case 'init':
      return runInit(o, ctx);
    case 'check':
      return runCheck(o, ctx);
    case 'show':
      if (o.file) return printEffective(ctx, o.file, readInputFile('FILE', o.file), readEnv(o), '4.x');
      return showLive(o, ctx);
    default:
      return runChange(o, ctx);
  }
}

async function runInit(o: OverrideConfigOptions, ctx: Context): Promise<void> {
  const secret = o.metrics ? metricsSecret(ctx) : undefined;
  const ns = offlineNamespace(ctx.globals);
  if (o.file === '-') {
    ctx.io.out.write(initialConfig({ storage: o.storage, metricsSecret: secret }));
    return commands(ctx.io, initNotes(o, '-', secret, ns));
  }
  await finish(planInit(o, pathExists(o.file!), secret, ns), ctx);
}

/** `--show` without FILE: the live mounted config with the workload's environment (and --set). */
async function showLive(o: OverrideConfigOptions, ctx: Context): Promise<void> {
  const live = await readLive(await ctx.cluster());
  for (const w of live.warnings) warn(ctx.io, w);
  const source = live.current ? `${live.current.source} (mounted at /etc/docker/registry/)` : "the image's built-in config.yml (nothing mounted; 3.11 default)";
  const env = { ...workloadEnv(live.workload), ...settingsEnv(o, live, '') };
  printEffective(ctx, source, live.current?.text ?? IMAGE_DEFAULT_CONFIG, env, '3.11', live.current?.source ?? 'built-in config');
}

/** --cloudfront-key: the PEM, and where the config says the registry reads it. */
function readCloudfrontKey(o: OverrideConfigOptions, text: string): { file: string; pem: string } {
  const pem = readInputFile('--cloudfront-key', o.cloudfrontKeyPath!);
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pem)) throw new UsageError(`--cloudfront-key: ${o.cloudfrontKeyPath} is not a PEM private key (no "-----BEGIN ... PRIVATE KEY-----")`);
  const refs = keyFiles(parseYamlSource(text)).filter((k) => k.kind === 'cloudfront');
  if (refs.length === 0) throw new UsageError(`--cloudfront-key: ${o.file} has no cloudfront storage middleware with options.privatekey, so there is nowhere to mount the key`);
  const file = refs[0]!.file;
  if (!file.startsWith('/') || file.startsWith(CONFIG_MOUNT_DIR)) {
    throw new UsageError(`--cloudfront-key: the privatekey path ${file} in ${o.file} must be absolute and outside ${CONFIG_MOUNT_DIR} (e.g. /etc/docker/cloudfront/pk.pem)`);
  }
  return { file, pem };
}

/** Deploy FILE, --set/--metrics, --rollback. */
async function runChange(o: OverrideConfigOptions, ctx: Context): Promise<void> {
  // Bad input stops before the first request.
  const text = o.mode === 'apply' && o.file ? readInputFile('FILE', o.file) : undefined;
  if (text !== undefined) {
    try {
      parseYamlSource(text);
    } catch {
      loadConfigValue(o.file!, text); // throws the UsageError with the line
    }
  }
  const cloudfrontKey = text !== undefined && o.cloudfrontKeyPath !== undefined ? readCloudfrontKey(o, text) : undefined;
  const credentials = text !== undefined ? configCredentials(text) : [];
  if (o.configMap && credentials.length) {
    throw new UsageError(`--configmap: ${o.file} holds credentials (${credentials.join(', ')}); anyone who can read ConfigMaps could read them, so it is kept in Secret ${CONFIG_MAP_NAME} (leave out --configmap)`);
  }
  const live = await readLive(await ctx.cluster());
  const inputs = { text, newMetricsSecret: metricsSecret(ctx), now: ctx.now(), cloudfrontKey };
  const { findings, errors } = checkChange(o, live, inputs);
  const file = o.file ?? `${live.workload.kind.toLowerCase()}/${live.workload.metadata.name}`;
  for (const f of findings) ctx.io.err.write(formatFinding(file, f));
  if (errors && !o.force) {
    throw new UsageError(`${o.file ?? 'the registry environment'}: ${errors} error${errors === 1 ? '' : 's'} (above); fix ${errors === 1 ? 'it' : 'them'}, or deploy anyway with --force`);
  }
  if (errors) warn(ctx.io, `deploying despite ${errors} error(s) (--force)`);
  await finish(planOverrideConfig(o, live, inputs), ctx);
}
