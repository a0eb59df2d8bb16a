// Validation and defaulting the real server does on write, for the kinds regctl manages.
// Messages are apimachinery's, word for word.
import type { KubeObject } from '../../src/plan/types.js';
import type { Profile, ResourceDef } from './discovery.js';
import { invalid, type FieldError } from './status.js';
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
  const rule = NAME_RULES[def.nameRule ?? 'subdomain'];
  const errs: FieldError[] = [];
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
