// route, configuration, whitelist, mirrors, console. Seed 003 "Exposing the Registry"
// (passthrough), seed 002 6.x (defaultRoute, routes), seed 003 "Known Issues" and seed 000
// (config.yml: middleware, storage.delete, env overrides), seed 004 (registrySources: allowed
// or blocked, never both; the registries the payload needs; mirrors), seed 001 "Registry
// Console" (route, OAuth redirect URI, the .cert file). Pure.
import { X509Certificate } from 'node:crypto';
import { certificateBlocks, daysLeft, privateKeyBlocks, summarizeCertificate } from '../../pki/pem.js';
import { missingNames } from '../../pki/names.js';
import { requiredRegistries, scopeIsNestedInsideScope, type ImageObject } from '../../templates/image-config.js';
import { checkRegistryConfig, checkRegistryEnvironment } from '../../registry-config/check.js';
import { workloadEnv, failure, pass, skip, warning, type Check } from './check.js';
import type { StatusLive } from './live.js';

type Obj = Record<string, any>;

export function routeChecks(live: StatusLive): Check[] {
  const p = live.info.platform;
  if (p === 'kubernetes') return [];
  if (p === 'openshift4') {
    const src = 'seed 002 6.1 (defaultRoute), 6.2 (routes)';
    const spec = (live.operatorConfig?.spec ?? {}) as Obj;
    if (!live.operatorConfig || spec.managementState === 'Removed') return [];
    const wanted: string[] = [...(spec.defaultRoute ? ['default-route'] : []), ...((spec.routes ?? []) as Obj[]).map((r) => r.name as string)];
    if (wanted.length === 0) return [skip('route', 'not exposed outside the cluster (no defaultRoute, no routes)', src)];
    const have = new Map(live.routes.map((r) => [r.metadata.name, r]));
    const missing = wanted.filter((n) => !have.has(n));
    if (missing.length) return [warning('route', `the operator has not created route ${missing.join(', ')} in openshift-image-registry`, 'oc describe clusteroperator image-registry (a wrong secretName or host shows there)', src)];
    return [pass('route', wanted.map((n) => `${n}: ${(have.get(n)!.spec as Obj)?.host ?? '(no host yet)'}`).join(', '), src)];
  }
  const src = 'seed 003 "Exposing the Registry" (a passthrough route)';
  const route = live.routes[0];
  if (!route) return [skip('route', 'no route docker-registry: the registry is reachable inside the cluster only (regctl expose to expose it)', src)];
  const spec = (route.spec ?? {}) as Obj;
  const termination = spec.tls?.termination;
  if (termination !== 'passthrough') {
    return [failure('route', `route docker-registry has ${termination ? `${termination} termination` : 'no TLS'}: the registry's own TLS must pass through the router`, `oc delete route docker-registry -n ${live.loc.namespace}; regctl expose`, src)];
  }
  if (!spec.host) return [warning('route', 'route docker-registry has no host yet', 'regctl expose --hostname=HOST', src)];
  const admitted = (((route.status as Obj | undefined)?.ingress ?? []) as Obj[]).some((i) => ((i.conditions ?? []) as Obj[]).some((c) => c.type === 'Admitted' && c.status === 'False'));
  if (admitted) return [failure('route', `route docker-registry (${spec.host}) was not admitted by the router`, `oc describe route docker-registry -n ${live.loc.namespace}`, src)];
  return [pass('route', `docker-registry: passthrough, host ${spec.host}`, src)];
}

export function configurationChecks(live: StatusLive): Check[] {
  const src = 'seed 000 "Registry Configuration Reference"; seed 003 "Known Issues" (middleware not activated, storage.delete)';
  if (live.info.platform === 'openshift4') return [];
  const w = live.workload;
  if (!w) return [];
  if (live.info.platform === 'kubernetes') return [];
  const env = workloadEnv(w);
  const m = live.mountedConfig;
  if (m && m.text === undefined) return [failure('configuration', `${m.source} is mounted at /etc/docker/registry/ but has no config.yml: the registry does not start`, `regctl override-config --check config.yml, then deploy it (regctl override-config --help)`, src)];
  // OpenShift 3.x runs the 3.11 registry (image-registry with distribution v2.6.2).
  const findings = m ? checkRegistryConfig(m.text!, { env, release: '3.11' }).findings : checkRegistryEnvironment(env, { release: '3.11' });
  const where = m ? `${m.source} config.yml` : "the image's config.yml with the container's environment";
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const say = (fs: typeof findings) => fs.slice(0, 3).map((f) => `${f.path || 'file'}${f.line ? ` (line ${f.line})` : ''}: ${f.message}`).join('; ') + (fs.length > 3 ? `; and ${fs.length - 3} more` : '');
  const fix = m ? `oc extract ${m.source} -n ${live.loc.namespace} --keys=config.yml --to=-  > config.yml; regctl override-config --check config.yml; fix it and deploy it again` : `oc set env ${w.kind.toLowerCase()}/${w.metadata.name} -n ${live.loc.namespace} --list; fix or remove the variable`;
  if (errors.length) return [failure('configuration', `${where}: ${say(errors)}`, fix, src)];
  if (warnings.length) return [warning('configuration', `${where}: ${say(warnings)}`, fix, src)];
  return [pass('configuration', `${where} passes the override-config checks`, src)];
}

export function whitelistChecks(live: StatusLive): Check[] {
  if (live.info.platform !== 'openshift4' || !live.imageConfig) return [];
  const src = 'seed 004 "Image controller configuration parameters", "Adding specific registries", "Blocking specific registries"';
  const image = live.imageConfig as ImageObject;
  const sources = (image.spec?.registrySources ?? {}) as Obj;
  const allowed = (sources.allowedRegistries ?? []) as string[];
  const blocked = (sources.blockedRegistries ?? []) as string[];
  const out: Check[] = [];
  if (allowed.length && blocked.length) {
    out.push(failure('whitelist', 'image.config.openshift.io/cluster sets both allowedRegistries and blockedRegistries: only one may be set, nodes get neither', 'regctl whitelist --allow … (replaces both lists with an allow list)', src));
  } else if (allowed.length) {
    const missing = requiredRegistries(image).filter((r) => !allowed.some((a) => scopeIsNestedInsideScope(r, a)));
    if (missing.length) out.push(failure('whitelist', `allowedRegistries lacks ${missing.join(', ')}: the cluster's own images (payload, internal registry) cannot be pulled`, 'regctl whitelist --add --include-defaults', src));
    else out.push(pass('whitelist', `allowedRegistries: ${allowed.join(', ')}`, src));
  } else if (blocked.length) {
    const hit = requiredRegistries(image).filter((r) => blocked.some((b) => scopeIsNestedInsideScope(r, b)));
    if (hit.length) out.push(failure('whitelist', `blockedRegistries blocks ${hit.join(', ')}: the cluster's own images cannot be pulled`, `regctl whitelist --remove --block ${hit.join(' --block ')}`, src));
    else out.push(pass('whitelist', `blockedRegistries: ${blocked.join(', ')}`, src));
  } else {
    out.push(pass('whitelist', 'no registry allowed or blocked: nodes pull from any registry', src));
  }
  const mirrors = live.mirrorPolicies.flatMap((p) => (((p.spec as Obj | undefined)?.repositoryDigestMirrors ?? []) as Obj[]).flatMap((m) => ((m.mirrors ?? []) as string[]).map((mirror) => ({ policy: p.metadata.name, mirror }))));
  if (mirrors.length) {
    const refused = mirrors.filter(({ mirror }) => (blocked.length && blocked.some((b) => scopeIsNestedInsideScope(mirror, b))) || (allowed.length && !allowed.some((a) => scopeIsNestedInsideScope(mirror, a))));
    const msrc = 'seed 004 "Configuring image registry repository mirroring" (disconnected clusters: allow the mirrors)';
    if (refused.length) out.push(failure('mirrors', `mirror ${refused.map((r) => `${r.mirror} (${r.policy})`).join(', ')} is blocked by registrySources: nodes cannot pull from it`, `regctl whitelist --add --allow ${[...new Set(refused.map((r) => r.mirror.split('/')[0]))].join(',')}`, msrc));
    else out.push(pass('mirrors', `${mirrors.length} mirror${mirrors.length === 1 ? '' : 's'} in ${live.mirrorPolicies.length} ImageContentSourcePolicy, none blocked`, msrc));
  }
  return out;
}

export function consoleChecks(live: StatusLive, now: Date): Check[] {
  if (live.info.platform !== 'openshift3') return [];
  const src = 'seed 001 "Registry Console", "Troubleshooting the Registry Console"';
  const c = live.console;
  if (!c) return [skip('console', 'no registry console (regctl console deploys one)', src)];
  const ns = live.loc.namespace;
  if (!c.route) return [failure('console', 'dc/registry-console exists but route registry-console does not: the console cannot be reached', 'regctl console', src)];
  const host = (c.route.spec as Obj)?.host as string | undefined;
  if ((c.route.spec as Obj)?.tls?.termination !== 'passthrough') return [failure('console', 'route registry-console is not passthrough', `oc delete route registry-console -n ${ns}; regctl console`, src)];
  if (!host) return [warning('console', 'route registry-console has no host', 'regctl console --hostname=HOST', src)];
  const out: Check[] = [];
  const uris = ((c.oauthClient as Obj | undefined)?.redirectURIs ?? []) as string[];
  if (!c.oauthClient) out.push(failure('console', 'oauthclient cockpit-oauth-client does not exist: logging in to the console fails', 'regctl console', src));
  else if (!uris.includes(`https://${host}`)) out.push(failure('console', `oauthclient cockpit-oauth-client redirects to ${uris.join(', ') || 'nothing'}, not https://${host}: logging in fails`, `oc patch oauthclient cockpit-oauth-client --type=merge -p '{"redirectURIs":["https://${host}"]}'`, src));
  else out.push(pass('console', `https://${host}, OAuth redirect URI matches`, src));
  if (c.certSecret) {
    const data = (c.certSecret.data ?? {}) as Record<string, string>;
    const certKey = Object.keys(data).filter((k) => k.endsWith('.cert')).sort().at(-1);
    const text = certKey ? Buffer.from(data[certKey]!, 'base64').toString('utf8') : '';
    const certs = certificateBlocks(text);
    if (!certKey) out.push(failure('console', `secret ${c.certSecret.metadata.name} has no .cert file: the console makes a self-signed certificate`, 'regctl console --cert=/path/to/console.cert', src));
    else if (!certs.length || !privateKeyBlocks(text).length) out.push(failure('console', `${certKey} lacks ${certs.length ? 'an unencrypted private key' : 'a certificate'} block: the console makes a self-signed certificate`, 'regctl console --cert=/path/to/console.cert', src));
    else {
      const sum = summarizeCertificate(new X509Certificate(certs[0]!));
      const days = daysLeft(sum.notAfter, now);
      if (missingNames(sum, [host]).length) out.push(warning('console', `${certKey} does not name ${host}: browsers warn`, 'regctl console --cert=FILE naming the host', src));
      else if (days < 30) out.push((days < 0 ? failure : warning)('console', `${certKey} ${days < 0 ? 'expired' : `expires in ${days} days`}`, 'regctl console --cert=NEW.cert', src));
      else out.push(pass('console', `${certKey} names ${host}, valid ${days} more days`, src));
    }
  }
  return out;
}
