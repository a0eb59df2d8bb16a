// `regctl prefetch IMAGESTREAM:TAG` flags → options. Pure.
import { UsageError } from '../../errors.js';
import { isDnsLabel, isDnsSubdomain } from '../../validate.js';
import { parseRegistryBase } from '../../registry/registry-base.js';

export interface PrefetchFlags {
  registryUrl?: string;
  registryNamespace?: string;
  ca?: string;
  insecureSkipTlsVerify?: boolean;
  token?: string;
}

export interface PrefetchOptions {
  stream: string;
  tag: string;
  registryUrl?: string;
  registryNamespace?: string;
  caPath?: string;
  insecure: boolean;
  /** Given with --token or $REGCTL_TOKEN; else the kubeconfig user's. */
  token?: string;
}

export function toOptions(f: PrefetchFlags, arg: string | undefined, env: NodeJS.ProcessEnv): PrefetchOptions {
  const m = /^([^:@]+):([^:@]+)$/.exec(arg ?? '');
  if (!m) throw new UsageError(`IMAGESTREAM:TAG: "${arg ?? ''}" must be an image stream and a tag, e.g. mysql:5.7`);
  const [, stream, tag] = m as unknown as [string, string, string];
  if (!isDnsSubdomain(stream)) throw new UsageError(`IMAGESTREAM:TAG: "${stream}" is not an image stream name`);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) throw new UsageError(`IMAGESTREAM:TAG: "${tag}" is not a tag`);
  if (f.registryNamespace !== undefined && !isDnsLabel(f.registryNamespace)) throw new UsageError(`--registry-namespace: "${f.registryNamespace}" is not a namespace name`);
  if (f.ca !== undefined && f.insecureSkipTlsVerify) throw new UsageError('--ca and --insecure-skip-tls-verify: give one');
  const token = f.token ?? env.REGCTL_TOKEN;
  return {
    stream,
    tag,
    registryUrl: f.registryUrl !== undefined ? parseRegistryBase('--registry-url', f.registryUrl) : undefined,
    registryNamespace: f.registryNamespace,
    caPath: f.ca,
    insecure: f.insecureSkipTlsVerify === true,
    token,
  };
}
