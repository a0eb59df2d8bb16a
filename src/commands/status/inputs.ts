// The local files status reads (the CA, the master configuration, the node's docker sysconfig)
// and the TLS probe, before judging. A file given by flag must be readable (its error names the
// flag); a default path is read only when present.
import { load } from 'js-yaml';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { readInputFile } from '../../host/files.js';
import { probeTls, type TlsProbe } from '../../registry/tls-probe.js';
import { servesTls, type TlsInputs } from './checks-tls.js';
import type { StatusLive } from './live.js';
import { DEFAULT_CA, DEFAULT_MASTER_CONFIG, DEFAULT_NODE_CONFIG, type StatusOptions } from './options.js';

type Obj = Record<string, any>;

function readLocal(ctx: Context, flag: string, given: string | undefined, fallback: string): { path: string; text: string } | undefined {
  if (given !== undefined) return { path: given, text: readInputFile(flag, given) };
  try {
    const b = ctx.host.readFile(fallback);
    return b ? { path: fallback, text: b.toString('utf8') } : undefined;
  } catch {
    return undefined;
  }
}

/** Files first: a bad --ca or --master-config is a usage error before the cluster is asked. */
export function readLocalFiles(opts: StatusOptions, ctx: Context): Omit<TlsInputs, 'now' | 'probe'> {
  const ca = readLocal(ctx, '--ca', opts.caPath, DEFAULT_CA);
  const master = readLocal(ctx, '--master-config', opts.masterConfigPath, DEFAULT_MASTER_CONFIG);
  const nodeConfig = readLocal(ctx, '--node-config', opts.nodeConfigPath, DEFAULT_NODE_CONFIG);
  let hostnames: string[] = [];
  if (master) {
    let doc: Obj | undefined;
    try {
      doc = load(master.text) as Obj | undefined;
    } catch (e) {
      if (opts.masterConfigPath !== undefined) throw new UsageError(`--master-config: "${master.path}" is not YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    const ipc = doc?.imagePolicyConfig ?? {};
    hostnames = [ipc.internalRegistryHostname, ipc.externalRegistryHostname].filter((h): h is string => typeof h === 'string' && h !== '');
  }
  if (ca && !/-----BEGIN CERTIFICATE-----/.test(ca.text)) {
    if (opts.caPath !== undefined) throw new UsageError(`--ca: "${ca.path}" holds no PEM certificate`);
    return { hostnames, nodeConfig };
  }
  return { ca: ca && { path: ca.path, pem: ca.text }, hostnames, nodeConfig };
}

/** Where the registry is probed: --registry-url, else a passthrough route's host, else the service IP. */
export function probeTarget(opts: StatusOptions, live: StatusLive): { host: string; port: number; servername?: string } | undefined {
  if (opts.registryUrl) return opts.registryUrl;
  const route = live.info.platform !== 'openshift4' ? live.routes.find((r) => (r.spec as Obj)?.tls?.termination === 'passthrough' && (r.spec as Obj)?.host) : undefined;
  if (route) return { host: (route.spec as Obj).host, port: 443, servername: (route.spec as Obj).host };
  const spec = live.service?.spec as Obj | undefined;
  if (!spec?.clusterIP || spec.clusterIP === 'None') return undefined;
  return { host: spec.clusterIP, port: spec.ports?.[0]?.port ?? 5000 };
}

export async function probeRegistry(opts: StatusOptions, live: StatusLive, probe: TlsProbe = probeTls): Promise<TlsInputs['probe']> {
  if (!live.workload || !servesTls(live)) return undefined;
  const target = probeTarget(opts, live);
  if (!target) return undefined;
  const where = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  return { target: where, result: await probe(target, 4000) };
}
