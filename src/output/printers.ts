// The one printer for objects: `-o yaml|json|name`, as kubectl's PrintFlags. A list prints as a
// `v1` `List` (what `oc adm registry -o yaml` prints), so `| oc create -f -` accepts it.
import { toYaml } from './yaml.js';
import type { KubeObject } from '../objects.js';
import type { OutputFormat } from '../context.js';

export function asList(items: KubeObject[]): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'List', metadata: {}, items };
}

/** YAML as `oc` prints it: keys sorted, long values (base64, certificates) never folded. */
export { toYaml };

/** `kind.group/name`, lower-case, as `kubectl -o name` prints it. */
export function resourceName(obj: { apiVersion: string; kind: string; metadata: { name: string } }): string {
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
  return `${obj.kind.toLowerCase()}${group ? '.' + group : ''}/${obj.metadata.name}`;
}

export function formatObjects(objects: KubeObject[], format: OutputFormat): string {
  switch (format) {
    case 'yaml':
      return toYaml(asList(objects));
    case 'json':
      return JSON.stringify(asList(objects), null, 4) + '\n';
    case 'name':
      return objects.map((o) => resourceName(o) + '\n').join('');
  }
}

/** A single object (not a List), e.g. a Config patched in place. */
export function formatObject(object: KubeObject, format: OutputFormat): string {
  if (format === 'name') return resourceName(object) + '\n';
  return format === 'yaml' ? toYaml(object) : JSON.stringify(object, null, 4) + '\n';
}
