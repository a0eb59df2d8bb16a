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

/** Defaults a new object the way the type's strategy and defaulters do (only what clients read back). */
export function defaultOnCreate(def: ResourceDef, obj: KubeObject, profile: Profile): void {
  switch (`${def.group}/${def.kind}`) {
    case '/Service':
      defaultService(obj, profile);
      obj.status = { loadBalancer: {} };
      break;
    case '/Namespace':
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
      break;
    case '/Pod':
      obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
      break;
    case '/Secret':
      defaultSecret(obj);
      break;
    case '/PersistentVolumeClaim':
      obj.status = { phase: 'Pending' };
      break;
    case 'apps.openshift.io/DeploymentConfig':
      obj.status = { latestVersion: 0, observedGeneration: 0, replicas: 0, updatedReplicas: 0, availableReplicas: 0, unavailableReplicas: 0 };
      break;
    default:
      // Strategies of kinds with a status subresource drop the status a client sends on create.
      if (def.statusSubresource) obj.status = def.custom ? undefined : {};
      if (obj.status === undefined) delete obj.status;
  }
}

/** Defaulting that also applies when an object is replaced or patched. */
export function defaultOnUpdate(def: ResourceDef, obj: KubeObject, profile: Profile): void {
  if (def.group === '' && def.kind === 'Service') defaultService(obj, profile);
  if (def.group === '' && def.kind === 'Secret') defaultSecret(obj);
}

/** Secrets: `stringData` is write-only; the server folds it into `data` (base64). */
export function defaultSecret(obj: KubeObject): void {
  if (obj.type === undefined) obj.type = 'Opaque';
  const stringData = obj.stringData as Record<string, string> | undefined;
  if (stringData && typeof stringData === 'object') {
    const data = (obj.data ?? {}) as Record<string, string>;
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    obj.data = data;
  }
  delete obj.stringData;
}

function defaultService(obj: KubeObject, profile: Profile): void {
  const s = spec(obj);
  s.type ??= 'ClusterIP';
  s.sessionAffinity ??= 'None';
  if (Array.isArray(s.ports)) {
    for (const p of s.ports as Record<string, unknown>[]) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
  }
  if (profile !== 'openshift3' && s.type !== 'ExternalName') {
    s.ipFamilies ??= ['IPv4'];
    s.ipFamilyPolicy ??= 'SingleStack';
    s.internalTrafficPolicy ??= 'Cluster';
  }
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
