// The server's storage: objects by resource, namespace and name; the global resourceVersion
// counter (as etcd's revision); and the Service cluster IP allocator.
import { randomInt, randomUUID } from 'node:crypto';
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

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A 5-character suffix as k8s.io/apimachinery's rand.String makes for generated names. */
export function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return s;
}

export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as a watch reports it; `previous` lets a filtered watch tell entering from leaving. */
export interface StoreEvent {
  type: WatchEventType;
  def: ResourceDef;
  object: KubeObject;
  previous?: KubeObject;
  revision: number;
}

/** How many past events a watch from an older resourceVersion can replay (etcd compaction). */
const HISTORY = 10_000;

export class Store {
  private readonly objects = new Map<string, KubeObject>();
  private revision = 1000;
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();

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

  /** Stores the object as given (the caller has set metadata, including a new resourceVersion). */
  put(def: ResourceDef, obj: KubeObject): void {
    const key = this.key(def, obj.metadata.namespace, obj.metadata.name);
    const previous = this.objects.get(key);
    this.objects.set(key, clone(obj));
    this.emit({ type: previous ? 'MODIFIED' : 'ADDED', def, object: clone(obj), previous, revision: this.revision });
  }

  /** Removes an object; the deletion is a revision of its own, as in etcd. */
  remove(def: ResourceDef, namespace: string | undefined, name: string): boolean {
    const key = this.key(def, namespace, name);
    const previous = this.objects.get(key);
    if (!previous) return false;
    this.objects.delete(key);
    const object = clone(previous);
    object.metadata.resourceVersion = this.nextResourceVersion();
    this.emit({ type: 'DELETED', def, object, previous, revision: this.revision });
    return true;
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > HISTORY) this.history.shift();
    for (const l of this.listeners) l(e);
  }

  /** Events of one resource after a revision, or undefined when that revision is compacted away. */
  eventsSince(def: ResourceDef, revision: number): StoreEvent[] | undefined {
    const oldest = this.history[0]?.revision;
    if (oldest !== undefined && revision < oldest - 1 && this.history.length >= HISTORY) return undefined;
    return this.history.filter((e) => e.def === def && e.revision > revision).map((e) => ({ ...e, object: clone(e.object) }));
  }

  subscribe(def: ResourceDef, listener: (e: StoreEvent) => void): () => void {
    const l = (e: StoreEvent) => {
      if (e.def === def) listener({ ...e, object: clone(e.object) });
    };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
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
