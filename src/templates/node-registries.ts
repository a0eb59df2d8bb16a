// The node files the machine-config operator writes (REFERENCE.md §5): their paths, the base
// templates every release starts from, and how a preview prints them. The rules that fill them,
// release by release, are in src/node-files/.

export const REGISTRIES_CONF = '/etc/containers/registries.conf';
export const SEARCH_DROP_IN = '/etc/containers/registries.conf.d/01-image-searchRegistries.conf';
export const POLICY_JSON = '/etc/containers/policy.json';

/** The MCO's base templates, returned unchanged when there is nothing to edit. */
export const BASE_REGISTRIES_CONF = "unqualified-search-registries = ['registry.access.redhat.com', 'docker.io']\n";
export const BASE_SEARCH_REGISTRIES = ['registry.access.redhat.com', 'docker.io'];
export const BASE_POLICY_JSON = `{
    "default": [
        {
            "type": "insecureAcceptAnything"
        }
    ],
    "transports":
        {
            "docker-daemon":
                {
                    "": [{"type":"insecureAcceptAnything"}]
                }
        }
}
`;

export interface TomlWriter {
  stringify(value: Record<string, unknown>): string;
}

export interface NodeFile {
  path: string;
  content: string;
  mode: number;
}

/** One source and its mirrors in order (an ImageContentSourcePolicy's `repositoryDigestMirrors` item). */
export interface MirrorSet {
  source: string;
  mirrors: string[];
  /** ImageDigestMirrorSet / ImageTagMirrorSet only. */
  mirrorSourcePolicy?: 'AllowContactingSource' | 'NeverContactSource';
}

/** `==> path <==` headers between files, as `head`/`tail` print several files. */
export function formatNodeFiles(files: NodeFile[]): string {
  return files.map((f) => `==> ${f.path} <==\n${f.content.endsWith('\n') ? f.content : f.content + '\n'}`).join('\n');
}
