// The upstream part of an OpenShift registry config: what the distribution registry itself
// would read. The OpenShift-only parts go (the `openshift` section, `auth.openshift`, the
// `openshift` middleware entries, and CloudFront, whose key file and S3 bucket do not exist
// here), cloud storage becomes filesystem (there is no cloud here), and the server listens on
// 127.0.0.1 only, on a free port.
import { dump } from 'js-yaml';
import { parseYamlSource, toValue } from '../../src/registry-config/yaml-source.js';

const CLOUD_DRIVERS = ['s3', 'gcs', 'azure', 'swift', 'oss'];
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function upstreamConfig(text: string, port: number, root: string): string {
  const c = toValue(parseYamlSource(text)) as Obj;
  delete c.openshift;
  if (isObj(c.auth)) {
    delete c.auth.openshift;
    if (Object.keys(c.auth).length === 0) delete c.auth;
  }
  if (isObj(c.middleware)) {
    for (const [k, list] of Object.entries(c.middleware)) {
      const kept = Array.isArray(list) ? list.filter((m) => !(isObj(m) && (m.name === 'openshift' || m.name === 'cloudfront'))) : list;
      if (Array.isArray(kept) && kept.length === 0) delete c.middleware[k];
      else c.middleware[k] = kept;
    }
    if (Object.keys(c.middleware).length === 0) delete c.middleware;
  }
  if (isObj(c.storage)) {
    const s = c.storage;
    for (const d of CLOUD_DRIVERS) {
      if (!(d in s)) continue;
      delete s[d];
      // Keep the number of drivers: a second one stays a second one.
      if ('filesystem' in s) s.inmemory = {};
      else s.filesystem = {};
    }
    if (isObj(s.filesystem)) s.filesystem.rootdirectory = root;
    else if ('filesystem' in s) s.filesystem = { rootdirectory: root };
  }
  c.http = { ...(isObj(c.http) ? c.http : {}), addr: `127.0.0.1:${port}` };
  delete (c.http as Obj).tls;
  return dump(c, { lineWidth: -1 });
}
