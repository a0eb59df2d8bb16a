// Which parts of a config.yml are credentials (so the file belongs in a Secret, not a
// ConfigMap), and which name key files the registry container must have. Pure.
import { child, entry, parseYamlSource, type YNode } from './yaml-source.js';

const PLACEHOLDER = /^<[^<>]+>$/;

/** Credentials by driver: the documents' storage sections (seed 000, seed 001) and distribution's drivers. */
const STORAGE_CREDENTIALS: Record<string, string[]> = {
  s3: ['accesskey', 'secretkey'],
  azure: ['accountkey'],
  swift: ['password', 'secretkey'],
  gcs: ['keyfile', 'credentials'],
  oss: ['accesskeysecret'],
};

/** Outside storage: the metrics secret, the HMAC secret, and the other passwords distribution reads. */
const OTHER_CREDENTIALS = ['openshift.metrics.secret', 'http.secret', 'redis.password', 'proxy.password', 'reporting.bugsnag.apikey', 'reporting.newrelic.licensekey'];

function filled(n: YNode | undefined): boolean {
  if (!n) return false;
  if (n.kind !== 'scalar') return true;
  return n.value !== null && n.text !== '' && !PLACEHOLDER.test(n.text);
}

function at(root: YNode | undefined, path: string): YNode | undefined {
  return path.split('.').reduce<YNode | undefined>((n, k) => child(n, k), root);
}

/** The paths of the credentials a config holds (placeholders such as `<secret-key>` are not credentials yet). */
export function credentialPaths(root: YNode | null): string[] {
  const out: string[] = [];
  const storage = child(root ?? undefined, 'storage');
  if (storage?.kind === 'map') {
    for (const e of storage.entries) {
      for (const key of STORAGE_CREDENTIALS[e.key] ?? []) if (filled(child(e.value, key))) out.push(`storage.${e.key}.${key}`);
    }
  }
  for (const p of OTHER_CREDENTIALS) if (filled(at(root ?? undefined, p))) out.push(p);
  const hooks = child(child(root ?? undefined, 'log'), 'hooks');
  if (hooks?.kind === 'seq') hooks.items.forEach((h, i) => filled(at(h, 'options.smtp.password')) && out.push(`log.hooks[${i}].options.smtp.password`));
  return out;
}

/** credentialPaths of a config's text; a text that is not YAML holds none we can name. */
export function configCredentials(text: string): string[] {
  try {
    return credentialPaths(parseYamlSource(text));
  } catch {
    return [];
  }
}

export interface KeyFileRef {
  /** Where the file is named: `middleware.storage[0].options.privatekey`. */
  path: string;
  /** The absolute path in the registry container. */
  file: string;
  line: number;
  kind: 'cloudfront' | 'gcs';
}

/** The files the config tells the registry to read: the CloudFront private key, the GCS key file. */
export function keyFiles(root: YNode | null): KeyFileRef[] {
  const out: KeyFileRef[] = [];
  const list = child(child(root ?? undefined, 'middleware'), 'storage');
  if (list?.kind === 'seq') {
    list.items.forEach((it, i) => {
      const name = child(it, 'name');
      if (name?.kind !== 'scalar' || name.text !== 'cloudfront') return;
      const e = entry(child(it, 'options'), 'privatekey');
      if (e?.value.kind === 'scalar' && filled(e.value)) out.push({ path: `middleware.storage[${i}].options.privatekey`, file: e.value.text, line: e.keyLine, kind: 'cloudfront' });
    });
  }
  const kf = entry(child(child(root ?? undefined, 'storage'), 'gcs'), 'keyfile');
  if (kf?.value.kind === 'scalar' && filled(kf.value)) out.push({ path: 'storage.gcs.keyfile', file: kf.value.text, line: kf.keyLine, kind: 'gcs' });
  return out;
}
