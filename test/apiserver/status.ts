// metav1.Status bodies, built as k8s.io/apimachinery/pkg/api/errors builds them, so that
// clients (kubectl, client-node, regctl) read the same reason, message and details.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  /** Absent on the Success a DELETE returns (Go's omitempty on a zero code). */
  code?: number;
}

/** A resource as errors name it: `services`, `deployments.apps`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A kind as validation errors name it: `Service`, `Deployment.apps`. */
export interface GroupKind {
  group: string;
  kind: string;
}

/** Thrown inside the server; the handler turns it into a response. */
export class ApiError extends Error {
  constructor(readonly status: Status, readonly headers: Record<string, string> = {}) {
    super(status.message ?? status.reason ?? `status ${status.code ?? 0}`);
  }
}

export function grString(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export function gkString(gk: GroupKind): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}

function failure(code: number, reason: string, message: string, details?: StatusDetails): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) s.details = compactDetails(details);
  // The real server puts `details` before `code`; keep that order in the JSON.
  return { kind: s.kind, apiVersion: s.apiVersion, metadata: s.metadata, status: s.status, message: s.message, reason: s.reason, ...(s.details ? { details: s.details } : {}), code: s.code };
}

/** Drops empty fields as Go's `omitempty` does, keeping the Go field order (name, group, kind, uid, causes, retryAfterSeconds). */
function compactDetails(d: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes && d.causes.length) out.causes = d.causes;
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

export function success(details: StatusDetails): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: compactDetails(details) };
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return new ApiError(failure(404, 'NotFound', `${grString(gr)} "${name}" not found`, { name, group: gr.group, kind: gr.resource }));
}

/** A path the server does not serve at all (no such group, version or resource). */
export function pathNotFound(): ApiError {
  return new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource', {}));
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return new ApiError(failure(409, 'AlreadyExists', `${grString(gr)} "${name}" already exists`, { name, group: gr.group, kind: gr.resource }));
}

export function conflict(gr: GroupResource, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
  return new ApiError(failure(409, 'Conflict', `Operation cannot be fulfilled on ${grString(gr)} "${name}": ${why}`, { name, group: gr.group, kind: gr.resource }));
}

export function badRequest(message: string): ApiError {
  return new ApiError(failure(400, 'BadRequest', message));
}

export function methodNotAllowed(): ApiError {
  return new ApiError(failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}));
}

export function unauthorized(): ApiError {
  return new ApiError(failure(401, 'Unauthorized', 'Unauthorized'));
}

export function unsupportedMediaType(accepted: string[]): ApiError {
  return new ApiError(failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`));
}

export interface ForbiddenAttributes {
  user: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
  namespace?: string;
}

/** As the authorization filter words it (k8s.io/apiserver responsewriters.forbiddenMessage). */
export function forbidden(a: ForbiddenAttributes): ApiError {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const why = `User "${a.user}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${where}`;
  const gr = grString({ group: a.group, resource: a.resource });
  const message = a.name ? `${gr} "${a.name}" is forbidden: ${why}` : `${gr} is forbidden: ${why}`;
  return new ApiError(failure(403, 'Forbidden', message, { name: a.name, group: a.group, kind: a.resource }));
}

/** One field error, as field.Error prints it. */
export interface FieldError {
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueDuplicate' | 'FieldValueNotFound';
  field: string;
  /** The bad value (printed quoted when a string); absent for Required/Forbidden. */
  value?: unknown;
  /** The value as Go's %#v prints a composite (`map[string]string{"app":"b"}`), used instead of `value`. */
  goValue?: string;
  detail?: string;
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}

/** The text after `field: `, e.g. `Invalid value: "x": must be ...` or `Required value`. */
export function fieldErrorBody(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueRequired':
      return e.detail ? `Required value: ${e.detail}` : 'Required value';
    case 'FieldValueForbidden':
      return e.detail ? `Forbidden: ${e.detail}` : 'Forbidden';
    case 'FieldValueNotFound':
      return `Not found: ${describeValue(e.value)}`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${describeValue(e.value)}`;
    case 'FieldValueNotSupported':
      return `Unsupported value: ${describeValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    default:
      return `Invalid value: ${e.goValue ?? describeValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

/** 422 Invalid, as errors.NewInvalid builds it: `Service "x" is invalid: spec.clusterIP: Invalid value: ...`. */
export function invalid(gk: GroupKind, name: string, errs: FieldError[]): ApiError {
  const lines = errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
  const aggregate = lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
  const causes = errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
  return new ApiError(failure(422, 'Invalid', `${gkString(gk)} "${name}" is invalid: ${aggregate}`, { name, group: gk.group, kind: gk.kind, causes }));
}

/** 422 for a patch that cannot be applied (errors.NewGenericServerResponse). */
export function patchNotApplicable(serverMessage: string): ApiError {
  return new ApiError(
    failure(422, 'Invalid', 'the server rejected our request due to an error in our request', { causes: [{ reason: 'UnexpectedServerResponse', message: serverMessage }] }),
  );
}

const DEFAULT_REASONS: Record<number, [string, string]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'Unauthorized'],
  403: ['Forbidden', 'forbidden: the server does not allow access to the requested resource'],
  404: ['NotFound', 'the server could not find the requested resource'],
  405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
  409: ['Conflict', 'the server reported a conflict'],
  410: ['Expired', 'the resource version requested is too old'],
  415: ['UnsupportedMediaType', 'the server does not support the media type'],
  422: ['Invalid', 'the server rejected our request due to an error in our request'],
  429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
  500: ['InternalError', 'Internal error occurred: injected failure'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
};

/** Any status code with the reason and message the real server gives it; used by inject(). */
export function generic(code: number, reason?: string, message?: string): ApiError {
  const [defReason, defMessage] = DEFAULT_REASONS[code] ?? ['Unknown', `the server responded with the status code ${code} but did not return more information`];
  const details: StatusDetails = {};
  const headers: Record<string, string> = {};
  if (code === 429) {
    details.retryAfterSeconds = 1;
    headers['retry-after'] = '1';
  }
  return new ApiError(failure(code, reason ?? defReason, message ?? defMessage, details), headers);
}
