// The server's storage: objects by resource, namespace and name; the global resourceVersion
// counter (as etcd's revision); and the Service cluster IP allocator.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../src/plan/types.js';
import { groupVersion, type ResourceDef } from './discovery.js';

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** JSON with object keys sorted, so that equal objects compare equal whatever their key order. */
export function canonicalJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])]));
    return x;
  };
  return JSON.stringify(sort(v));
}

export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

export class Store {
  private readonly objects = new Map<string, KubeObject>();
  private revision = 1000;

  constructor(readonly defs: ResourceDef[]) {}

  nextResourceVersion(): string {
    this.revision += 1;
    return String(this.revision);
  }

  get resourceVersion(): string {
    return String(this.revision);
  }

  defFor(apiVersion: string, kind: string): ResourceDef | undefined {
    return this.defs.find((d) => groupVersion(d) === apiVersion && d.kind === kind);
  }

  defForResource(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.defs.find((d) => d.group === group && d.version === version && d.resource === resource);
  }

  private key(def: ResourceDef, namespace: string | undefined, name: string): string {
    return `${def.group}/${def.resource}/${def.namespaced ? namespace ?? '' : ''}/${name}`;
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.objects.get(this.key(def, namespace, name));
    return o && clone(o);
  }

  /** Objects of one resource, in one namespace or all, ordered by namespace then name (as etcd keys sort). */
  list(def: ResourceDef, namespace?: string): KubeObject[] {
    const prefix = `${def.group}/${def.resource}/${def.namespaced && namespace !== undefined ? `${namespace}/` : ''}`;
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => clone(o));
  }

  /** Stores the object as given (the caller has set metadata). */
  put(def: ResourceDef, obj: KubeObject): void {
    this.objects.set(this.key(def, obj.metadata.namespace, obj.metadata.name), clone(obj));
  }

  remove(def: ResourceDef, namespace: string | undefined, name: string): boolean {
    return this.objects.delete(this.key(def, namespace, name));
  }

  /** Every namespaced object in a namespace, for deleting the namespace. */
  removeNamespaceContents(namespace: string): KubeObject[] {
    const removed: KubeObject[] = [];
    for (const def of this.defs) {
      if (!def.namespaced) continue;
      for (const o of this.list(def, namespace)) {
        this.remove(def, namespace, o.metadata.name);
        removed.push(o);
      }
    }
    return removed;
  }

  /** Fills what the server owns on a new object: uid, creationTimestamp, resourceVersion, generation. */
  stampNew(def: ResourceDef, obj: KubeObject): void {
    const m = obj.metadata;
    m.uid = randomUUID();
    m.creationTimestamp = nowTimestamp();
    m.resourceVersion = this.nextResourceVersion();
    if (def.generation) m.generation = 1;
    else delete m.generation;
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
  }
}

/** Allocates Service cluster IPs from one IPv4 CIDR, as the apiserver's bitmap allocator. */
export class ClusterIPAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Set<number>();
  private next = 1;

  constructor(readonly cidr: string) {
    const [ip, bits] = cidr.split('/');
    this.size = 2 ** (32 - Number(bits));
    const n = ipToInt(ip);
    this.base = n - (n % this.size);
  }

  inRange(ip: string): boolean {
    const n = ipToInt(ip);
    // The network and broadcast addresses are not allocatable.
    return !Number.isNaN(n) && n > this.base && n < this.base + this.size - 1;
  }

  isAllocated(ip: string): boolean {
    return this.used.has(ipToInt(ip));
  }

  allocate(): string {
    for (let i = 0; i < this.size - 2; i++) {
      const offset = ((this.next - 1 + i) % (this.size - 2)) + 1;
      const n = this.base + offset;
      if (!this.used.has(n)) {
        this.used.add(n);
        this.next = offset + 1;
        return intToIp(n);
      }
    }
    throw new Error(`range ${this.cidr} is full`);
  }

  /** The next address allocate() would give, without taking it (for dry runs). */
  peek(): string {
    for (let i = 0; i < this.size - 2; i++) {
      const n = this.base + (((this.next - 1 + i) % (this.size - 2)) + 1);
      if (!this.used.has(n)) return intToIp(n);
    }
    throw new Error(`range ${this.cidr} is full`);
  }

  reserve(ip: string): void {
    this.used.add(ipToInt(ip));
  }

  release(ip: string): void {
    this.used.delete(ipToInt(ip));
  }
}

export function isIPv4(s: string): boolean {
  return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((p) => Number(p) <= 255 && String(Number(p)) === p);
}

function ipToInt(ip: string): number {
  if (!isIPv4(ip)) return NaN;
  return ip.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
