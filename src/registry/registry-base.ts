// `--registry-url` and where the registry is reached from here: its route's host (3.x
// docker-registry; 4.x default-route first), else its service name, which resolves inside the
// cluster only. Pure.
import { UsageError } from '../errors.js';
import type { KubeObject } from '../objects.js';
import type { Platform } from '../cluster/types.js';
import type { RegistryLocation } from './pods.js';
import { registryRoutes, routeHost, serviceAddress, type RouteObject } from './workload.js';

export function parseRegistryBase(flag: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value.includes('://') ? value : `https://${value}`);
  } catch {
    throw new UsageError(`${flag}: "${value}" is not a URL (e.g. https://registry.apps.example.com)`);
  }
  if (u.protocol !== 'https:') throw new UsageError(`${flag}: "${value}" must be https://: the registry is read over TLS`);
  if ((u.pathname !== '/' && u.pathname !== '') || u.search) throw new UsageError(`${flag}: "${value}" must name only the host and port`);
  return `https://${u.host}`;
}

/** `https://` the registry's route host (the operator's default route first), else its service name. */
export function registryBase(loc: RegistryLocation, routes: KubeObject[], service: KubeObject | undefined, platform: Platform): string {
  const host = registryRoutes(routes as RouteObject[], platform).map(routeHost)[0];
  if (host) return `https://${host}`;
  return `https://${serviceAddress(loc.name, loc.namespace, service)}`;
}
