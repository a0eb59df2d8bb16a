// Kubernetes' protobuf wire format for the few kinds typed Go clients create imperatively
// (`kubectl create configmap|secret|serviceaccount|namespace|clusterrolebinding|rolebinding`):
// the `k8s\0` envelope (runtime.Unknown) around the object's generated.proto message.
// Decoded to the same JSON a client would have sent; other kinds are refused with 415.

type Field =
  | { name: string; type: 'string' | 'bytes' | 'bool' | 'int' }
  | { name: string; type: 'message'; schema: Schema }
  | { name: string; type: 'map'; value: 'string' | 'bytes' }
  | { name: string; type: 'repeated-string' }
  | { name: string; type: 'repeated-message'; schema: Schema };
type Schema = Record<number, Field>;

const objectMeta: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int' },
  11: { name: 'labels', type: 'map', value: 'string' },
  12: { name: 'annotations', type: 'map', value: 'string' },
  14: { name: 'finalizers', type: 'repeated-string' },
};

const subject: Schema = { 1: { name: 'kind', type: 'string' }, 2: { name: 'apiGroup', type: 'string' }, 3: { name: 'name', type: 'string' }, 4: { name: 'namespace', type: 'string' } };
const roleRef: Schema = { 1: { name: 'apiGroup', type: 'string' }, 2: { name: 'kind', type: 'string' }, 3: { name: 'name', type: 'string' } };
const binding: Schema = {
  1: { name: 'metadata', type: 'message', schema: objectMeta },
  2: { name: 'subjects', type: 'repeated-message', schema: subject },
  3: { name: 'roleRef', type: 'message', schema: roleRef },
};

const SCHEMAS: Record<string, Schema> = {
  'v1/ConfigMap': {
    1: { name: 'metadata', type: 'message', schema: objectMeta },
    2: { name: 'data', type: 'map', value: 'string' },
    3: { name: 'binaryData', type: 'map', value: 'bytes' },
    4: { name: 'immutable', type: 'bool' },
  },
  'v1/Secret': {
    1: { name: 'metadata', type: 'message', schema: objectMeta },
    2: { name: 'data', type: 'map', value: 'bytes' },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: 'map', value: 'string' },
    5: { name: 'immutable', type: 'bool' },
  },
  'v1/ServiceAccount': {
    1: { name: 'metadata', type: 'message', schema: objectMeta },
    2: { name: 'secrets', type: 'repeated-message', schema: { 1: { name: 'kind', type: 'string' }, 2: { name: 'namespace', type: 'string' }, 3: { name: 'name', type: 'string' } } },
    3: { name: 'imagePullSecrets', type: 'repeated-message', schema: { 1: { name: 'name', type: 'string' } } },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
  'v1/Namespace': {
    1: { name: 'metadata', type: 'message', schema: objectMeta },
    2: { name: 'spec', type: 'message', schema: { 1: { name: 'finalizers', type: 'repeated-string' } } },
  },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': binding,
  'rbac.authorization.k8s.io/v1/RoleBinding': binding,
};

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }

  bytes(): Buffer {
    const n = this.varint();
    if (this.pos + n > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function decodeMessage(buf: Buffer, schema: Schema): Record<string, unknown> {
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (!r.done) {
    const tag = r.varint();
    const num = Math.floor(tag / 8);
    const wire = tag % 8;
    const f = schema[num];
    if (!f) {
      r.skip(wire);
      continue;
    }
    // Go's generated marshallers write empty scalars too; JSON's omitempty leaves them out.
    const set = (v: unknown) => {
      if (v !== '' && v !== 0 && v !== false) out[f.name] = v;
    };
    switch (f.type) {
      case 'string':
        set(r.bytes().toString('utf8'));
        break;
      case 'bytes':
        set(r.bytes().toString('base64'));
        break;
      case 'bool':
        set(r.varint() !== 0);
        break;
      case 'int':
        set(r.varint());
        break;
      case 'message':
        out[f.name] = decodeMessage(r.bytes(), f.schema);
        break;
      case 'repeated-string':
        ((out[f.name] ??= []) as string[]).push(r.bytes().toString('utf8'));
        break;
      case 'repeated-message':
        ((out[f.name] ??= []) as unknown[]).push(decodeMessage(r.bytes(), f.schema));
        break;
      case 'map': {
        // Entries keep empty values: `data: {key: ""}` is data.
        const entry = decodeMessage(r.bytes(), { 1: { name: 'key', type: 'string' }, 2: { name: 'value', type: f.value } });
        ((out[f.name] ??= {}) as Record<string, unknown>)[String(entry.key ?? '')] = entry.value ?? '';
        break;
      }
    }
  }
  return out;
}

/** The JSON object a protobuf body stands for, or undefined when its kind is not one decoded here. */
export function decodeProtobuf(body: Buffer): Record<string, unknown> | undefined {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) return undefined;
  const unknown = decodeMessage(body.subarray(4), {
    1: { name: 'typeMeta', type: 'message', schema: { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } } },
    2: { name: 'raw', type: 'bytes' },
  });
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = SCHEMAS[`${typeMeta.apiVersion}/${typeMeta.kind}`];
  if (!schema) return undefined;
  const obj = decodeMessage(Buffer.from(String(unknown.raw ?? ''), 'base64'), schema);
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...obj };
}
