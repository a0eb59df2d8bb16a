// API and connection failures as one line a person can act on (kubectl's CheckErr).
import { OperationError } from '../errors.js';
import type { LoadedConfig } from './kubeconfig.js';
import type { Platform } from './types.js';

export interface Status {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number };
}

/** An API error with its HTTP status and Status reason, for callers that handle some of them. */
export class ApiError extends OperationError {
  constructor(
    message: string,
    readonly status: number,
    readonly reason: string | undefined,
    hint?: string,
  ) {
    super(message, hint);
    this.name = 'ApiError';
  }
}

/**
 * What to do about a 401 or 403, the way of the platform in use (undefined: not known yet,
 * e.g. discovery itself was refused).
 */
export function accessHint(status: 401 | 403, platform: Platform | undefined, cfg: Pick<LoadedConfig, 'server' | 'source'>): string {
  if (status === 401) {
    switch (platform) {
      case 'openshift3':
      case 'openshift4':
        return `log in again: oc login ${cfg.server} (or choose another context with --context)`;
      case 'kubernetes':
        return `refresh the credentials of this context in ${cfg.source} (or choose another context with --context)`;
      default:
        return `log in again (OpenShift: oc login ${cfg.server}; Kubernetes: refresh the credentials in ${cfg.source}), or choose another context with --context`;
    }
  }
  switch (platform) {
    case 'openshift3':
      return 'this needs a cluster administrator (cluster-admin): on a master, run as one with oc login -u system:admin, or ask one to run oc adm policy add-cluster-role-to-user cluster-admin <you>';
    case 'openshift4':
      return 'this needs a cluster administrator (cluster-admin): log in as one (oc login -u kubeadmin, or the installer\'s auth/kubeconfig), or ask one to run oc adm policy add-cluster-role-to-user cluster-admin <you>';
    case 'kubernetes':
      return 'this needs a cluster administrator (cluster-admin): use a context bound to it (kubectl config use-context <context>), or ask one to run kubectl create clusterrolebinding <name> --clusterrole=cluster-admin --user=<you>';
    default:
      return 'this needs a cluster administrator (cluster-admin): run as one (another --context), or ask one to grant it to you';
  }
}

export function apiError(status: number, body: Status | undefined, text: string, req: { method: string; path: string; what?: string; cfg: LoadedConfig }): ApiError {
  const msg = body?.message ?? (text.trim().split('\n')[0] || `HTTP ${status}`);
  const where = `${req.cfg.server} (context "${req.cfg.context}" in ${req.cfg.source})`;
  switch (status) {
    case 401:
      return new ApiError(`Unauthorized: ${where} does not accept the credentials of user "${req.cfg.user}"`, status, body?.reason, accessHint(401, undefined, req.cfg));
    case 403:
      return new ApiError(`Forbidden: ${msg}`, status, body?.reason, accessHint(403, undefined, req.cfg));
    case 404:
      return new ApiError(`NotFound: ${msg}`, status, body?.reason);
    case 409:
      return new ApiError(`${body?.reason ?? 'Conflict'}: ${msg}`, status, body?.reason, body?.reason === 'Conflict' ? 'the object changed while regctl worked on it; run the command again' : undefined);
    case 415:
      return new ApiError(`UnsupportedMediaType: ${msg}`, status, body?.reason);
    case 422: {
      const causes = body?.details?.causes ?? [];
      const detail = causes.length ? causes.map((c) => `${c.field ? c.field + ': ' : ''}${c.message ?? c.reason ?? ''}`).join('; ') : msg;
      const kind = body?.details?.kind ? `${body.details.kind} "${body.details.name ?? ''}" is invalid: ` : '';
      return new ApiError(`Invalid: ${kind}${detail}`, status, body?.reason);
    }
    default:
      return new ApiError(`${body?.reason ?? `HTTP ${status}`}: ${msg} (${req.method} ${req.path})`, status, body?.reason, status >= 500 ? `the API server at ${req.cfg.server} failed; try again, or check its health` : undefined);
  }
}

export function connectionError(e: NodeJS.ErrnoException, cfg: LoadedConfig): OperationError {
  const where = `${cfg.server} (context "${cfg.context}" in ${cfg.source})`;
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED') return new OperationError(`cannot connect to ${where}: connection refused`, 'is the cluster running, and is this the right kubeconfig and context?');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new OperationError(`cannot connect to ${where}: host not found`, 'check the server address in the kubeconfig');
  if (code === 'ETIMEDOUT') return new OperationError(`cannot connect to ${where}: no answer (timed out)`);
  if (code === 'ECONNECTTIMEOUT') return new OperationError(`cannot connect to ${where}: ${e.message}`, 'the server accepts connections but does not answer: is this the API server, and is it healthy?');
  if (code === 'EREQUESTTIMEOUT') return new OperationError(`${where} gave ${e.message}`, 'raise --request-timeout, or 0 for no limit');
  if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|HOSTNAME|ALTNAME/.test(code) || /certificate/i.test(e.message)) {
    return new OperationError(`TLS verification of ${where} failed: ${e.message}`, "check the cluster's certificate-authority(-data) in the kubeconfig; `oc login` refreshes it");
  }
  return new OperationError(`cannot talk to ${where}: ${e.message}`);
}
