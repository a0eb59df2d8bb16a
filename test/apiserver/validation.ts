// Validation and defaulting the real server does on write, for the kinds regctl manages.
// Messages are apimachinery's, word for word.
import type { KubeObject } from '../../src/plan/types.js';
import type { Profile, ResourceDef } from './discovery.js';
import { badRequest, invalid, type FieldError } from './status.js';
import { isIPv4, type ClusterIPAllocator } from './store.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const NAME_RULES = {
  subdomain: {
    re: SUBDOMAIN,
    max: 253,
    message: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  },
  label: {
    re: LABEL,
    max: 63,
    message: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  },
  dns1035: {
    re: DNS1035,
    max: 63,
    message: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  },
} as const;

export function gk(def: ResourceDef): { group: string; kind: string } {
  return { group: def.group, kind: def.kind };
}

export function validateName(def: ResourceDef, name: string | undefined): void {
  if (!name) {
    throw invalid(gk(def), '', [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]);
  }
  const errs: FieldError[] = [];
  if (def.nameRule === 'pathSegment') {
    // RBAC names (ValidateRBACName = path.IsValidPathSegmentName): `system:image-builder` is fine.
    for (const bad of ['.', '..']) if (name === bad) errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: `may not be '${bad}'` });
    for (const bad of ['/', '%']) if (name.includes(bad)) errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: `may not contain '${bad}'` });
    if (errs.length) throw invalid(gk(def), name, errs);
    return;
  }
  const rule = NAME_RULES[def.nameRule ?? 'subdomain'];
  if (name.length > rule.max) errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: `must be no more than ${rule.max} characters` });
  if (!rule.re.test(name)) errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: rule.message });
  if (errs.length) throw invalid(gk(def), name, errs);
}

function spec(obj: KubeObject): Record<string, unknown> {
  if (typeof obj.spec !== 'object' || obj.spec === null) obj.spec = {};
  return obj.spec as Record<string, unknown>;
}

/** Field checks the Service validator makes on every write. */
export function validateService(obj: KubeObject): void {
  const s = spec(obj);
  const name = obj.metadata.name;
  const errs: FieldError[] = [];
  const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
  if (!types.includes(String(s.type))) errs.push({ type: 'FieldValueNotSupported', field: 'spec.type', value: s.type, detail: `supported values: ${types.map((t) => `"${t}"`).join(', ')}` });
  const ports = Array.isArray(s.ports) ? (s.ports as Record<string, unknown>[]) : [];
  if (s.type !== 'ExternalName' && ports.length === 0) errs.push({ type: 'FieldValueRequired', field: 'spec.ports' });
  ports.forEach((p, i) => {
    const port = p.port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].port`, value: port ?? 0, detail: 'must be between 1 and 65535, inclusive' });
    }
    if (ports.length > 1 && !p.name) errs.push({ type: 'FieldValueRequired', field: `spec.ports[${i}].name` });
  });
  if (errs.length) throw invalid({ group: '', kind: 'Service' }, name, errs);
}

const IP_MESSAGE = "must be empty, 'None', or a valid IP address";

/** Picks or checks spec.clusterIP for a new Service; returns the address to reserve, if any. */
export function assignClusterIP(obj: KubeObject, ips: ClusterIPAllocator, dryRun: boolean): string | undefined {
  const s = spec(obj);
  const name = obj.metadata.name;
  if (s.type === 'ExternalName') return undefined;
  const wanted = typeof s.clusterIP === 'string' ? s.clusterIP : '';
  if (wanted === 'None') {
    s.clusterIPs = ['None'];
    return undefined;
  }
  if (wanted !== '') {
    if (!isIPv4(wanted)) throw invalid({ group: '', kind: 'Service' }, name, [{ type: 'FieldValueInvalid', field: 'spec.clusterIP', value: wanted, detail: IP_MESSAGE }]);
    if (!ips.inRange(wanted)) {
      throw invalid({ group: '', kind: 'Service' }, name, [
        { type: 'FieldValueInvalid', field: 'spec.clusterIP', value: wanted, detail: `provided IP is not in the valid range. The range of valid IPs is ${ips.cidr}` },
      ]);
    }
    if (ips.isAllocated(wanted)) throw invalid({ group: '', kind: 'Service' }, name, [{ type: 'FieldValueInvalid', field: 'spec.clusterIP', value: wanted, detail: 'provided IP is already allocated' }]);
    s.clusterIPs = [wanted];
    return wanted;
  }
  const ip = dryRun ? ips.peek() : ips.allocate();
  s.clusterIP = ip;
  s.clusterIPs = [ip];
  return dryRun ? undefined : ip;
}

/**
 * spec.clusterIP cannot change. Newer servers (1.20+) keep the old address when an update
 * leaves it out; OpenShift 3.11 (Kubernetes 1.11) refuses that too.
 */
export function keepClusterIP(obj: KubeObject, old: KubeObject, profile: Profile): void {
  const s = spec(obj);
  const was = ((old.spec ?? {}) as Record<string, unknown>).clusterIP as string | undefined;
  const now = typeof s.clusterIP === 'string' ? s.clusterIP : '';
  if (now === '' && profile !== 'openshift3' && was !== undefined) {
    s.clusterIP = was;
    s.clusterIPs = [was];
    return;
  }
  if (now !== (was ?? '')) {
    throw invalid({ group: '', kind: 'Service' }, obj.metadata.name, [{ type: 'FieldValueInvalid', field: 'spec.clusterIP', value: now, detail: 'field is immutable' }]);
  }
  if (was && was !== 'None') s.clusterIPs = [was];
}

// ---------------------------------------------------------------- workloads and labels

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objects(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const LABEL_NAME_MESSAGE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const ENV_MESSAGE =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

function validateLabels(labels: unknown, field: string, errs: FieldError[]): void {
  if (!isObj(labels)) return;
  for (const [k, v] of Object.entries(labels)) {
    const name = k.includes('/') ? k.slice(k.indexOf('/') + 1) : k;
    if (!LABEL_NAME.test(name) || name.length > 63) errs.push({ type: 'FieldValueInvalid', field, value: k, detail: LABEL_NAME_MESSAGE });
    if (typeof v !== 'string' || !LABEL_VALUE.test(v) || v.length > 63) errs.push({ type: 'FieldValueInvalid', field, value: v, detail: LABEL_VALUE_MESSAGE });
  }
}

/** Go's %#v of a map[string]string, as the selector mismatch message prints it. */
function goMap(m: Obj): string {
  return `map[string]string{${Object.keys(m).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`).join(', ')}}`;
}

function validatePodSpec(pod: Obj, path: string, errs: FieldError[]): void {
  const volumes = objects(pod.volumes);
  const volumeNames = new Set<string>();
  volumes.forEach((v, i) => {
    const name = typeof v.name === 'string' ? v.name : '';
    if (!name) errs.push({ type: 'FieldValueRequired', field: `${path}.volumes[${i}].name` });
    else if (volumeNames.has(name)) errs.push({ type: 'FieldValueDuplicate', field: `${path}.volumes[${i}].name`, value: name });
    else if (!LABEL.test(name)) errs.push({ type: 'FieldValueInvalid', field: `${path}.volumes[${i}].name`, value: name, detail: NAME_RULES.label.message });
    volumeNames.add(name);
  });
  const containers = objects(pod.containers);
  if (containers.length === 0) errs.push({ type: 'FieldValueRequired', field: `${path}.containers` });
  const seen = new Set<string>();
  for (const [list, items] of [['initContainers', objects(pod.initContainers)], ['containers', containers]] as const) {
    items.forEach((c, i) => {
      const at = `${path}.${list}[${i}]`;
      const name = typeof c.name === 'string' ? c.name : '';
      if (!name) errs.push({ type: 'FieldValueRequired', field: `${at}.name` });
      else if (seen.has(name)) errs.push({ type: 'FieldValueDuplicate', field: `${at}.name`, value: name });
      else if (!LABEL.test(name)) errs.push({ type: 'FieldValueInvalid', field: `${at}.name`, value: name, detail: NAME_RULES.label.message });
      seen.add(name);
      if (typeof c.image !== 'string' || c.image.trim() === '') errs.push({ type: 'FieldValueRequired', field: `${at}.image` });
      objects(c.ports).forEach((p, j) => {
        const port = p.containerPort;
        if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
          errs.push({ type: 'FieldValueInvalid', field: `${at}.ports[${j}].containerPort`, value: port ?? 0, detail: 'must be between 1 and 65535, inclusive' });
        }
        if (p.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(String(p.protocol))) {
          errs.push({ type: 'FieldValueNotSupported', field: `${at}.ports[${j}].protocol`, value: p.protocol, detail: 'supported values: "SCTP", "TCP", "UDP"' });
        }
      });
      objects(c.env).forEach((e, j) => {
        const n = typeof e.name === 'string' ? e.name : '';
        if (!n) errs.push({ type: 'FieldValueRequired', field: `${at}.env[${j}].name` });
        else if (!ENV_NAME.test(n)) errs.push({ type: 'FieldValueInvalid', field: `${at}.env[${j}].name`, value: n, detail: ENV_MESSAGE });
      });
      objects(c.volumeMounts).forEach((m, j) => {
        const n = typeof m.name === 'string' ? m.name : '';
        if (!n) errs.push({ type: 'FieldValueRequired', field: `${at}.volumeMounts[${j}].name` });
        else if (!volumeNames.has(n)) errs.push({ type: 'FieldValueNotFound', field: `${at}.volumeMounts[${j}].name`, value: n });
        if (typeof m.mountPath !== 'string' || m.mountPath === '') errs.push({ type: 'FieldValueRequired', field: `${at}.volumeMounts[${j}].mountPath` });
      });
    });
  }
}

/** The pod template of a workload: labels that the selector must match, and a valid pod spec. */
function validateTemplate(spec: Obj, selector: Obj | undefined, errs: FieldError[]): void {
  const template = spec.template;
  if (!isObj(template)) {
    errs.push({ type: 'FieldValueRequired', field: 'spec.template' });
    return;
  }
  const labels = (isObj(template.metadata) && isObj(template.metadata.labels) ? template.metadata.labels : {}) as Obj;
  validateLabels(labels, 'spec.template.metadata.labels', errs);
  if (selector && Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.template.metadata.labels', goValue: goMap(labels), detail: '`selector` does not match template `labels`' });
  }
  validatePodSpec(isObj(template.spec) ? template.spec : {}, 'spec.template.spec', errs);
}

/**
 * What the kinds' validators check beyond the name: labels everywhere; for workloads the
 * selector, the template and its pod spec (containers, images, ports, env names, mounts that
 * name a volume); for routes the target service.
 */
export function validateObject(def: ResourceDef, obj: KubeObject): void {
  const errs: FieldError[] = [];
  validateLabels(obj.metadata.labels, 'metadata.labels', errs);
  const spec = isObj(obj.spec) ? obj.spec : {};
  switch (`${def.group}/${def.kind}`) {
    case 'apps/Deployment':
    case 'apps/DaemonSet':
    case 'apps/ReplicaSet': {
      const selector = isObj(spec.selector) ? spec.selector : undefined;
      const matchLabels = selector && isObj(selector.matchLabels) ? selector.matchLabels : undefined;
      if (!selector || (!matchLabels && !Array.isArray(selector.matchExpressions))) errs.push({ type: 'FieldValueRequired', field: 'spec.selector' });
      validateTemplate(spec, matchLabels, errs);
      break;
    }
    case 'apps.openshift.io/DeploymentConfig':
      validateTemplate(spec, isObj(spec.selector) ? spec.selector : undefined, errs);
      break;
    case '/Pod':
      validatePodSpec(spec, 'spec', errs);
      break;
    case 'route.openshift.io/Route': {
      const to = isObj(spec.to) ? spec.to : {};
      if (!to.name) errs.push({ type: 'FieldValueRequired', field: 'spec.to.name' });
      const tls = isObj(spec.tls) ? spec.tls : undefined;
      if (tls && !['edge', 'passthrough', 'reencrypt'].includes(String(tls.termination))) {
        errs.push({ type: 'FieldValueNotSupported', field: 'spec.tls.termination', value: tls.termination ?? '', detail: 'supported values: "edge", "passthrough", "reencrypt"' });
      }
      break;
    }
  }
  if (errs.length) throw invalid(gk(def), obj.metadata.name, errs);
}

// ---------------------------------------------------------------- decoding and data keys

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A quantity's value, or NaN when it is not one (resource.ParseQuantity). */
function quantity(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return NaN;
  const m = QUANTITY.exec(q);
  if (!m || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1])) return NaN;
  const suffix = m[2];
  if (/^[eE][-+]?\d+$/.test(suffix)) return Number(m[1]) * 10 ** Number(suffix.slice(1));
  const factor = QUANTITY_SUFFIX[suffix];
  return factor === undefined ? NaN : Number(m[1]) * factor;
}

function podSpecsOf(def: ResourceDef, obj: KubeObject): { spec: Obj; path: string }[] {
  const spec = isObj(obj.spec) ? obj.spec : undefined;
  if (!spec) return [];
  if (def.group === '' && def.kind === 'Pod') return [{ spec, path: 'spec' }];
  const template = isObj(spec.template) && isObj(spec.template.spec) ? spec.template.spec : undefined;
  return template ? [{ spec: template, path: 'spec.template.spec' }] : [];
}

function containersOf(pod: Obj, path: string): { c: Obj; at: string }[] {
  return [
    ...objects(pod.initContainers).map((c, i) => ({ c, at: `${path}.initContainers[${i}]` })),
    ...objects(pod.containers).map((c, i) => ({ c, at: `${path}.containers[${i}]` })),
  ];
}

/**
 * What fails while the body is decoded, before any validation: a quantity that does not
 * parse, secret data that is not base64. The server answers 400, as its decoder does.
 */
export function checkDecodable(def: ResourceDef, obj: KubeObject): void {
  const cannot = (why: string) => badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${why}`);
  for (const { spec, path } of podSpecsOf(def, obj)) {
    for (const { c } of containersOf(spec, path)) {
      const resources = isObj(c.resources) ? c.resources : {};
      for (const kind of ['requests', 'limits']) {
        const values = isObj(resources[kind]) ? (resources[kind] as Obj) : {};
        for (const v of Object.values(values)) {
          if (Number.isNaN(quantity(v))) throw cannot("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        }
      }
    }
  }
  if (def.group === '' && def.kind === 'Secret' && isObj(obj.data)) {
    for (const v of Object.values(obj.data)) {
      const text = String(v);
      const bad = text.search(/[^A-Za-z0-9+/=]/);
      const misplaced = text.replace(/=+$/, '').indexOf('=');
      if (bad >= 0 || misplaced >= 0 || text.length % 4 !== 0) {
        const at = bad >= 0 ? bad : misplaced >= 0 ? misplaced : text.length - (text.length % 4);
        throw cannot(`illegal base64 data at input byte ${at}`);
      }
    }
  }
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_MESSAGE =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/** Keys of ConfigMap and Secret data, and container resources (requests within limits). */
export function validateData(def: ResourceDef, obj: KubeObject): void {
  const errs: FieldError[] = [];
  if (def.group === '' && (def.kind === 'ConfigMap' || def.kind === 'Secret')) {
    for (const field of def.kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data']) {
      const data = obj[field];
      if (!isObj(data)) continue;
      for (const key of Object.keys(data)) {
        if (!CONFIG_KEY.test(key) || key.length > 253) errs.push({ type: 'FieldValueInvalid', field: `${field}[${key}]`, value: key, detail: CONFIG_KEY_MESSAGE });
      }
    }
  }
  for (const { spec, path } of podSpecsOf(def, obj)) {
    for (const { c, at } of containersOf(spec, path)) {
      const resources = isObj(c.resources) ? c.resources : {};
      const requests = isObj(resources.requests) ? resources.requests : {};
      const limits = isObj(resources.limits) ? resources.limits : {};
      for (const [name, request] of Object.entries(requests)) {
        if (limits[name] !== undefined && quantity(request) > quantity(limits[name])) {
          errs.push({ type: 'FieldValueInvalid', field: `${at}.resources.requests`, value: String(request), detail: `must be less than or equal to ${name} limit of ${String(limits[name])}` });
        }
      }
    }
  }
  if (errs.length) throw invalid(gk(def), obj.metadata.name, errs);
}
