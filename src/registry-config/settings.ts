// The registry options the documents let environment variables override (seed 000,
// "Overriding Middleware Configuration Options" and "OpenShift"), as `--set KEY=VALUE` keys,
// with their types. Small on purpose: command modules load it at start-up.
import { parseGoDuration } from './go-duration.js';

/** The six middleware options the documents let environment variables override. */
export const MIDDLEWARE_ENV_OPTIONS = {
  acceptschema2: 'bool',
  pullthrough: 'bool',
  mirrorpullthrough: 'bool',
  enforcequota: 'bool',
  projectcachettl: 'duration',
  blobrepositorycachettl: 'duration',
} as const;
export const MIDDLEWARE_ENV_PREFIX = 'REGISTRY_MIDDLEWARE_REPOSITORY_OPENSHIFT_';

/** Checks one --set / environment value by its type; undefined when it is good. */
export function envValueError(type: SettingType, value: string): string | undefined {
  switch (type) {
    case 'bool':
      return ['true', 'false'].includes(value.toLowerCase()) ? undefined : `${JSON.stringify(value)} is not a boolean (true or false)`;
    case 'duration': {
      if (value === '') return undefined;
      const r = parseGoDuration(value);
      return 'error' in r ? r.error : undefined;
    }
    case 'count':
      return /^\d+$/.test(value) ? undefined : `${JSON.stringify(value)} is not a whole number >= 0`;
    case 'hostport': {
      const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d+)$/.exec(value);
      return m && Number(m[2]) >= 1 && Number(m[2]) <= 65535 ? undefined : `${JSON.stringify(value)} is not host:port (e.g. docker-registry.default.svc:5000)`;
    }
    case 'string':
      return undefined;
  }
}

export type SettingType = 'bool' | 'duration' | 'count' | 'string' | 'hostport';

export interface SettingSpec {
  key: string;
  env: string;
  type: SettingType;
}

/** Every key `--set` accepts, with the variable it becomes. */
export const SETTINGS: readonly SettingSpec[] = [
  ...Object.entries(MIDDLEWARE_ENV_OPTIONS).map(([key, type]) => ({ key, env: MIDDLEWARE_ENV_PREFIX + key.toUpperCase(), type })),
  { key: 'server.addr', env: 'REGISTRY_OPENSHIFT_SERVER_ADDR', type: 'hostport' },
  { key: 'metrics.enabled', env: 'REGISTRY_OPENSHIFT_METRICS_ENABLED', type: 'bool' },
  { key: 'metrics.secret', env: 'REGISTRY_OPENSHIFT_METRICS_SECRET', type: 'string' },
  ...(['read', 'write'] as const).flatMap((rw) => [
    { key: `requests.${rw}.maxrunning`, env: `REGISTRY_OPENSHIFT_REQUESTS_${rw.toUpperCase()}_MAXRUNNING`, type: 'count' as const },
    { key: `requests.${rw}.maxinqueue`, env: `REGISTRY_OPENSHIFT_REQUESTS_${rw.toUpperCase()}_MAXINQUEUE`, type: 'count' as const },
    { key: `requests.${rw}.maxwaitinqueue`, env: `REGISTRY_OPENSHIFT_REQUESTS_${rw.toUpperCase()}_MAXWAITINQUEUE`, type: 'duration' as const },
  ]),
];

export interface Setting {
  key: string;
  env: string;
  value: string;
}

/** `KEY=VALUE` → the variable and its checked, normalised value; an error message when bad. */
export function parseSetting(s: string): Setting | { error: string } {
  const eq = s.indexOf('=');
  if (eq <= 0) return { error: `"${s}" is not KEY=VALUE (e.g. pullthrough=false)` };
  const raw = s.slice(0, eq).trim().toLowerCase();
  const key = raw.replace(/^openshift\./, '').replace(/^middleware\.repository\.openshift\.(options\.)?/, '');
  const value = s.slice(eq + 1).trim();
  const spec = SETTINGS.find((x) => x.key === key);
  if (!spec) return { error: `unknown key "${raw}"; the documents allow ${SETTINGS.map((x) => x.key).join(', ')}` };
  const err = envValueError(spec.type, value);
  if (err) return { error: `${spec.key}: ${err}` };
  if (spec.type === 'hostport' || (spec.type === 'string' && value === '')) {
    if (value === '') return { error: `${spec.key}: empty value` };
  }
  return { key: spec.key, env: spec.env, value: spec.type === 'bool' ? value.toLowerCase() : value };
}

