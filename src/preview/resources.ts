// The resources of synthesized stacks as flat entries, the common input of the preview commands (cost, diagram,
// diff). Everything comes from the Terraform JSON: the `//` metadata cdktn writes gives each resource's construct path.
import { findReferencing, isObject, type JsonObject, type StackDocument, type TerraformJson } from '../checks/terraform-json';

export interface ResourceEntry {
  readonly stack: string;
  readonly environment: string;
  /** The stack's layer; empty for a stack whose name ends in no layer (`StackDocument.layer`). */
  readonly layer: string;
  readonly type: string;
  /** The logical name under `resource.<type>`. */
  readonly name: string;
  /** `<type>.<name>`, as Terraform addresses it inside its stack. */
  readonly address: string;
  /** The construct path cdktn recorded (`prod-data/postgres/db`), or undefined for hand-written JSON. */
  readonly constructPath?: string;
  /** The resource's arguments, without cdktn's `//` metadata. */
  readonly body: JsonObject;
}

/** Every resource of a stack, sorted by address. */
export function resourcesOf(stack: StackDocument): ResourceEntry[] {
  const entries: ResourceEntry[] = [];
  for (const [type, byName] of Object.entries(stack.doc.resource ?? {})) {
    for (const [name, raw] of Object.entries(byName)) {
      for (const block of Array.isArray(raw) ? raw : [raw]) {
        if (!isObject(block)) continue;
        const { '//': metadata, ...body } = block;
        const path = isObject(metadata) && isObject(metadata.metadata) ? metadata.metadata.path : undefined;
        entries.push({
          stack: stack.name,
          environment: stack.environment,
          layer: stack.layer ?? '',
          type,
          name,
          address: `${type}.${name}`,
          ...(typeof path === 'string' ? { constructPath: path } : {}),
          body,
        });
      }
    }
  }
  return entries.sort((a, b) => a.address.localeCompare(b.address));
}

/** The AWS region of a stack: its (first) `aws` provider block's `region`. */
export function regionOf(stack: StackDocument): string | undefined {
  const aws = stack.doc.provider?.aws;
  const first = Array.isArray(aws) ? aws[0] : aws;
  return isObject(first) && typeof first.region === 'string' ? first.region : undefined;
}

/** The environments present in the stacks, in first-seen order. */
export function environmentsOf(stacks: readonly StackDocument[]): string[] {
  return [...new Set(stacks.map((stack) => stack.environment))];
}

/**
 * The stacks of the requested environments. Throws naming the unknown ones and those present, so a typo in
 * `--env` is an error rather than an empty report.
 */
export function selectEnvironments(stacks: readonly StackDocument[], only: readonly string[] | undefined): StackDocument[] {
  if (!only || only.length === 0) return [...stacks];
  const present = environmentsOf(stacks);
  const unknown = only.filter((env) => !present.includes(env));
  if (unknown.length > 0) throw new Error(`no stacks for environment(s) ${unknown.join(', ')}; present: ${present.join(', ') || 'none'}`);
  return stacks.filter((stack) => only.includes(stack.environment));
}

/** The `--env` values of a command line (repeatable, comma-separated). */
export function envList(values: readonly string[] | undefined): string[] | undefined {
  const envs = values
    ?.flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
  return envs && envs.length > 0 ? envs : undefined;
}

/**
 * A CodeBuild project a webhook starts is a CI runner (GitHub Actions jobs); other projects run builds of their own,
 * such as the restore validation.
 */
export function isCiRunner(project: Pick<ResourceEntry, 'address'>, doc: TerraformJson): boolean {
  return findReferencing(doc, 'aws_codebuild_webhook', 'project_name', project.address).length > 0;
}
