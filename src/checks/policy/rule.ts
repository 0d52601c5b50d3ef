// The policy rule API. Every file in `src/checks/policy/rules/` default-exports one rule; the engine
// loads the folder at runtime, so adding a rule never touches an index. A rule file looks like:
//
//   import { definePolicyRule } from '../rule';
//   import { isTrue } from '../../terraform-json';
//
//   export default definePolicyRule({
//     id: 'KMS_001',                      // `AREA_NNN` or kebab-case; unique; used by suppressions
//     title: 'KMS keys rotate their key material',
//     severity: 'medium',                 // critical | high | medium | low
//     resourceTypes: ['aws_kms_key'],     // or `scope: 'stack' | 'provider' | 'backend'`
//     check: ({ body }) => (isTrue(body.enable_key_rotation) ? [] : ['enable_key_rotation is not true']),
//   });
//
// `check` returns the violations: strings, or `{ message, address?, path? }` to point at another
// resource or a nested path (address defaults to the resource / provider / backend checked).
// Rules read only the synthesized JSON (ctx.doc is the whole stack, to find related resources with the
// helpers of `../terraform-json`); they never import the app's code. Each rule needs a passing and a
// failing fixture: a Terraform JSON file in test/fixtures/checks/policy/ whose "//" header names the
// stack, the rules it passes and the findings it must produce (format: test/checks/policy/rules.test.ts);
// that test fails for a rule without both. Exceptions go in policy/suppressions.json (./suppressions.ts).
import type { JsonObject, ResourceEntry, StackDocument, TerraformJson } from '../terraform-json';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type RuleViolation = string | { readonly message: string; readonly address?: string; readonly path?: string };

export interface StackContext {
  /** The stack (name `<env>-<layer>`, environment, layer, file) and its document. */
  readonly stack: StackDocument;
  readonly doc: TerraformJson;
}

export interface ResourceContext extends StackContext {
  readonly resource: ResourceEntry;
  /** Terraform address, e.g. `aws_s3_bucket.state` or `data.aws_iam_policy_document.tls`. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** The resource's arguments as synthesized. */
  readonly body: JsonObject;
}

export interface ProviderContext extends StackContext {
  /** Local provider name, e.g. `aws`. */
  readonly provider: string;
  readonly alias?: string;
  /** `provider.aws` or `provider.aws.<alias>`. */
  readonly address: string;
  readonly config: JsonObject;
}

export interface BackendContext extends StackContext {
  /** The configured backend; undefined when the stack declares none (Terraform then uses `local`). */
  readonly backend?: { readonly type: string; readonly config: JsonObject };
}

interface RuleBase {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** Why the rule exists and how to fix a finding; shown in SARIF help. */
  readonly description?: string;
}

export interface ResourceRule extends RuleBase {
  /** Managed resource types; prefix data sources with `data.` (e.g. `data.aws_iam_policy_document`). */
  readonly resourceTypes: readonly string[];
  readonly scope?: undefined;
  check(ctx: ResourceContext): readonly RuleViolation[];
}

export interface StackRule extends RuleBase {
  readonly scope: 'stack';
  readonly resourceTypes?: undefined;
  /** Called once per stack; violations must name an address (defaults to the stack itself). */
  check(ctx: StackContext): readonly RuleViolation[];
}

export interface ProviderRule extends RuleBase {
  readonly scope: 'provider';
  readonly resourceTypes?: undefined;
  /** Called once per provider configuration block (every alias of every provider). */
  check(ctx: ProviderContext): readonly RuleViolation[];
}

export interface BackendRule extends RuleBase {
  readonly scope: 'backend';
  readonly resourceTypes?: undefined;
  /** Called once per stack, with its backend (or none). */
  check(ctx: BackendContext): readonly RuleViolation[];
}

export type PolicyRule = ResourceRule | StackRule | ProviderRule | BackendRule;

const RULE_ID = /^(?:[A-Z][A-Z0-9]*_\d{3}|[a-z][a-z0-9]*(?:-[a-z0-9]+)*)$/;

/** Declares a rule, checking its shape when the module loads. */
export function definePolicyRule<R extends PolicyRule>(rule: R): R {
  const problems = ruleShapeProblems(rule);
  if (problems.length > 0) throw new Error(`invalid policy rule ${JSON.stringify((rule as { id?: unknown }).id)}: ${problems.join('; ')}`);
  return rule;
}

export function ruleShapeProblems(rule: unknown): string[] {
  if (typeof rule !== 'object' || rule === null) return ['not an object'];
  const r = rule as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof r.id !== 'string' || !RULE_ID.test(r.id)) problems.push('id must look like S3_001 or kebab-case');
  if (typeof r.title !== 'string' || r.title.trim() === '') problems.push('title is required');
  if (!SEVERITIES.includes(r.severity as Severity)) problems.push(`severity must be one of ${SEVERITIES.join(', ')}`);
  if (typeof r.check !== 'function') problems.push('check must be a function');
  const hasTypes = Array.isArray(r.resourceTypes) && r.resourceTypes.length > 0 && r.resourceTypes.every((t) => typeof t === 'string');
  const hasScope = r.scope === 'stack' || r.scope === 'provider' || r.scope === 'backend';
  if (hasTypes === hasScope) problems.push('give either resourceTypes (non-empty) or scope (stack | provider | backend)');
  return problems;
}

export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}
