// `regctl expose` flags → options: every flag checked, nothing read.
import { UsageError } from '../../errors.js';
import { DEFAULT_OPERATOR_ROUTE } from '../../templates/route.js';
import { parseObjectName, parseRegistryHostname, parseRouteHost } from '../../validate.js';

export interface ExposeFlags {
  hostname?: string;
  force?: boolean;
  internalHostname?: string;
  externalHostname?: string;
  masterConfig: string;
  defaultRoute?: boolean;
  tlsSecret?: string;
  routeName?: string;
  ca?: string;
  ingress?: boolean;
  ingressClass?: string;
}

export interface ExposeOptions {
  hostname?: string;
  force: boolean;
  internalHostname?: string;
  externalHostname?: string;
  masterConfigPath: string;
  defaultRoute: boolean;
  tlsSecret?: string;
  routeName: string;
  caPath?: string;
  /** Kubernetes: an ingress-nginx Ingress with TLS passthrough instead of a route. */
  ingress: boolean;
  ingressClass?: string;
  /** 3.x: create the passthrough route (not when only registry hostnames are set). */
  route: boolean;
}

export function toOptions(f: ExposeFlags): ExposeOptions {
  const hostname = f.hostname !== undefined ? parseRouteHost('--hostname', f.hostname) : undefined;
  const internalHostname = f.internalHostname !== undefined ? parseRegistryHostname('--internal-hostname', f.internalHostname) : undefined;
  const externalHostname = f.externalHostname !== undefined ? parseRegistryHostname('--external-hostname', f.externalHostname) : undefined;
  const tlsSecret = f.tlsSecret !== undefined ? parseObjectName('--tls-secret', f.tlsSecret) : undefined;
  const routeName = f.routeName !== undefined ? parseObjectName('--route-name', f.routeName) : DEFAULT_OPERATOR_ROUTE;
  if (tlsSecret && !hostname) throw new UsageError('--tls-secret needs --hostname: it is the certificate of that route');
  if (f.routeName !== undefined && !hostname) throw new UsageError('--route-name needs --hostname: it names the spec.routes[] entry for that host');
  if (!f.masterConfig) throw new UsageError('--master-config: a path is required');
  if (f.ingress && !hostname) throw new UsageError('--ingress needs --hostname: TLS passthrough routes by the host name the client sends (SNI)');
  if (f.ingressClass !== undefined && !f.ingress) throw new UsageError('--ingress-class needs --ingress');
  const ingressClass = f.ingressClass !== undefined ? parseObjectName('--ingress-class', f.ingressClass) : undefined;
  const hostnamesOnly = !hostname && (internalHostname !== undefined || externalHostname !== undefined);
  return {
    hostname,
    force: f.force === true,
    internalHostname,
    externalHostname,
    masterConfigPath: f.masterConfig,
    defaultRoute: f.defaultRoute === true,
    tlsSecret,
    routeName,
    caPath: f.ca,
    ingress: f.ingress === true,
    ingressClass,
    route: !hostnamesOnly && !f.defaultRoute,
  };
}
