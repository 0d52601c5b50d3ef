// Generates the typed cdktn bindings of the Kubernetes provider (no prebuilt package exists) and the schema
// subset the checks validate Kubernetes blocks against, both from one list of resource types:
//   npm run bindings:kubernetes [-- <full-schema.json>]
// writes schemas/kubernetes-provider-subset.json and replaces src/generated/kubernetes/. The bindings are
// generated from the subset, so they are a function of committed files only.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { normalizeProviderAddress, type ProviderSchemasFile, type SchemaKind } from '../src/checks/schema/provider-schema';
import { selectTypes, type SubsetResult } from '../src/checks/schema/subset';
import { runMain } from '../src/cli/entry';
import { PROJECT_ROOT as ROOT } from '../src/project-root';
import { KUBERNETES_PROVIDER_BLOCK } from './kubernetes-provider-block';

/**
 * The resource types the stacks may use. Add one here, run `npm run bindings:kubernetes`, commit the result.
 * Left out for now: kubernetes_job_v1. Its full pod template generates 1.5 MB of TypeScript, three times
 * the other types together, and adds about 90 MB and a second of CPU to every `tsc` run; add it when a
 * stack needs a Job.
 */
export const KUBERNETES_RESOURCE_TYPES = [
  'kubernetes_namespace_v1',
  'kubernetes_resource_quota_v1',
  'kubernetes_limit_range_v1',
  'kubernetes_network_policy_v1',
  'kubernetes_service_account_v1',
  'kubernetes_role_v1',
  'kubernetes_role_binding_v1',
  'kubernetes_cluster_role_v1',
  'kubernetes_cluster_role_binding_v1',
  'kubernetes_priority_class_v1',
  'kubernetes_manifest',
  'kubernetes_config_map_v1',
] as const;

/** What the generated provider class pins in `required_providers` (an exact version, like the AWS bindings'). */
export const KUBERNETES_PROVIDER = { source: 'hashicorp/kubernetes', version: '2.38.0' } as const;
export const KUBERNETES_PROVIDER_ADDRESS = normalizeProviderAddress(KUBERNETES_PROVIDER.source);

export const DEFAULT_FULL_SCHEMA = join(ROOT, '..', 'shared', 'provider-schemas', `kubernetes-${KUBERNETES_PROVIDER.version}.json`);
export const SUBSET_FILE = join(ROOT, 'schemas', 'kubernetes-provider-subset.json');
export const BINDINGS_DIR = join(ROOT, 'src', 'generated', 'kubernetes');

/** The full schema cut to KUBERNETES_RESOURCE_TYPES, with the hand-written provider block, descriptions stripped. */
export function buildKubernetesSubset(full: ProviderSchemasFile): SubsetResult {
  const provider = Object.entries(full.provider_schemas).find(([raw]) => normalizeProviderAddress(raw) === KUBERNETES_PROVIDER_ADDRESS);
  if (!provider) throw new Error(`the schema has no provider ${KUBERNETES_PROVIDER_ADDRESS}`);
  const [address, schema] = provider;
  const withProviderBlock = { ...full, provider_schemas: { [address]: { ...schema, provider: KUBERNETES_PROVIDER_BLOCK } } };
  const resourceTypes = new Map<SchemaKind, ReadonlySet<string>>([['resource_schemas', new Set(KUBERNETES_RESOURCE_TYPES)]]);
  return selectTypes(withProviderBlock, new Map([[KUBERNETES_PROVIDER_ADDRESS, resourceTypes]]));
}

/** The subset file's text, formatted like schemas/aws-provider-subset.json. */
export function subsetText(subset: ProviderSchemasFile): string {
  return `${JSON.stringify(subset, null, 1)}\n`;
}

/**
 * The bindings `generateProviderBindingsFromSchema` writes for `subset`, as relative path → text. Its layout
 * is kept (`<type folder>/index.ts`, a barrel index.ts); dropped is lazy-index.ts, a second barrel of lazy
 * getters meant for published packages, which nothing here may import. The generator takes the provider
 * source from the schema's address (`registry.terraform.io/hashicorp/kubernetes`); the provider class gets
 * the short `hashicorp/kubernetes` instead, which Terraform and OpenTofu each resolve against their own
 * registry.
 */
export async function renderKubernetesBindings(subset: ProviderSchemasFile): Promise<Map<string, string>> {
  // @cdktn/commons, which the generator loads, sends usage data to HashiCorp's checkpoint service unless
  // this is set, and runs `terraform version` at import; the generator needs neither.
  process.env.CHECKPOINT_DISABLE = '1';
  process.env.TERRAFORM_BINARY_NAME = 'terraform-is-not-needed-to-generate-bindings';
  const { generateProviderBindingsFromSchema } = await import('@cdktn/provider-generator');
  const [address] = Object.keys(subset.provider_schemas);
  const input = { ...subset, provider_versions: { [address!]: KUBERNETES_PROVIDER.version } };
  const out = mkdtempSync(join(tmpdir(), 'kubernetes-bindings-'));
  try {
    await generateProviderBindingsFromSchema(out, input as unknown as Parameters<typeof generateProviderBindingsFromSchema>[1]);
    const generated = join(out, 'providers', 'kubernetes');
    const files = new Map(listFiles(generated).map((file) => [relative(generated, file), readFileSync(file, 'utf8')]));
    files.delete('lazy-index.ts');
    const providerFile = join('provider', 'index.ts');
    const longSource = `terraformProviderSource: '${KUBERNETES_PROVIDER_ADDRESS}'`;
    const provider = files.get(providerFile) ?? '';
    if (provider.split(longSource).length !== 2) throw new Error(`expected one "${longSource}" in the generated ${providerFile}`);
    files.set(providerFile, provider.replace(longSource, `terraformProviderSource: '${KUBERNETES_PROVIDER.source}'`));
    files.set('README.md', readme(files));
    return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Every file under `dir`, recursively. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

function readme(files: ReadonlyMap<string, string>): string {
  const rows = [...files]
    .filter(([path]) => /^[^/]+\/index\.ts$/.test(path))
    .map(([path, text]) => {
      const folder = path.split('/')[0]!;
      const className = /export class (\w+) extends cdktn\.Terraform(?:Resource|Provider) /.exec(text)?.[1];
      const type = /terraformResourceType: '(\w+)'/.exec(text)?.[1];
      if (!className || !type) throw new Error(`cannot find the class of the generated ${path}`);
      const block = type === 'kubernetes' ? 'provider "kubernetes"' : type;
      return `| \`${block}\` | \`src/generated/kubernetes/${folder}\` | \`${className}\` |`;
    })
    .sort();
  return `# Kubernetes provider bindings (generated)

Generated by \`npm run bindings:kubernetes\` (\`scripts/kubernetes-bindings.ts\`) from
\`schemas/kubernetes-provider-subset.json\`: **do not edit**; a test fails when these files differ from what
the script generates. They are the \`hashicorp/kubernetes\` ${KUBERNETES_PROVIDER.version} provider, pinned
exactly in \`required_providers\`.

Import each type by its folder, never this folder's \`index.ts\` (a test forbids it, as it forbids the
\`@cdktn/provider-aws\` barrel), e.g. \`import { NamespaceV1 } from '../generated/kubernetes/namespace-v1';\`.

| Terraform type | import path | class |
| --- | --- | --- |
${rows.join('\n')}

\`kubernetes_manifest\` takes any Kubernetes object: its \`manifest\` is a dynamic-typed attribute, so pass the
object as its YAML would read (\`apiVersion\`, \`kind\`, \`metadata\`, \`spec\`, with Kubernetes' own camelCase
field names); it is rendered unchanged, with tokens resolved. The provider reads the cluster's API during plan
for it ([docs](https://registry.terraform.io/providers/hashicorp/kubernetes/${KUBERNETES_PROVIDER.version}/docs/resources/manifest)).

cdktn 0.24 renders a provider block with every key turned into snake_case, map keys included: \`exec.env\`
given as \`{ AWS_PROFILE: 'x' }\` would reach Terraform as \`aws_profile\`. Set environment variables of the
exec plugin with \`provider.addOverride('exec.env', { ... })\`, which is rendered as written.

To add a type: add it to \`KUBERNETES_RESOURCE_TYPES\` in \`scripts/kubernetes-bindings.ts\`, run
\`npm run bindings:kubernetes\` (it needs \`../shared/provider-schemas/kubernetes-${KUBERNETES_PROVIDER.version}.json\`), and
commit this folder and \`schemas/kubernetes-provider-subset.json\` together.
`;
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(`usage: npm run bindings:kubernetes [-- <full-schema.json>]  (default ${relative(process.cwd(), DEFAULT_FULL_SCHEMA)})`);
    return 0;
  }
  const [fullFile = DEFAULT_FULL_SCHEMA, ...extra] = argv;
  if (extra.length > 0 || fullFile.startsWith('-')) {
    console.error(`bindings:kubernetes: unexpected arguments ${argv.join(' ')}`);
    return 2;
  }
  const full = JSON.parse(readFileSync(fullFile, 'utf8')) as ProviderSchemasFile;
  const { subset, missing } = buildKubernetesSubset(full);
  if (missing.length > 0) {
    console.error(`bindings:kubernetes: types absent from ${fullFile}: ${missing.join(', ')}`);
    return 1;
  }
  writeFileSync(SUBSET_FILE, subsetText(subset));
  const files = await renderKubernetesBindings(subset);
  rmSync(BINDINGS_DIR, { recursive: true, force: true });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(BINDINGS_DIR, path)), { recursive: true });
    writeFileSync(join(BINDINGS_DIR, path), text);
  }
  const bytes = [...files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  console.log(
    `bindings:kubernetes: wrote ${relative(process.cwd(), SUBSET_FILE)} (${KUBERNETES_RESOURCE_TYPES.length} resource types) and ` +
      `${files.size} files (${Math.round(bytes / 1024)} KiB) to ${relative(process.cwd(), BINDINGS_DIR)}`,
  );
  return 0;
}

if (require.main === module) runMain(main);
