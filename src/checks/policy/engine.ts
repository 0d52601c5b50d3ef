// Runs the policy rules over synthesized stacks. Rules are discovered at runtime: every module in
// `rules/` default-exports one rule (see ./rule.ts for the API), so other engineers add a file, not an
// index entry. Findings keep their suppression (if any) instead of being dropped, so reports show them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { allResources, isObject, lineOf, locateJsonPaths, type JsonObject, type StackDocument } from '../terraform-json';
import { ruleShapeProblems, type PolicyRule, type RuleViolation, type Severity, type StackContext } from './rule';
import { riskAcceptanceFor } from './risk-acceptance';
import { findSuppression, type Suppression, type SuppressionIssue } from './suppressions';

const DEFAULT_RULES_DIR = join(__dirname, 'rules');

export interface PolicyFinding {
  readonly rule: string;
  readonly title: string;
  readonly severity: Severity;
  readonly stack: string;
  readonly environment: string;
  readonly file: string;
  /** Terraform address: `aws_s3_bucket.state`, `provider.aws`, `terraform.backend`. */
  readonly address: string;
  /** JSON path in the file, e.g. `resource.aws_s3_bucket.state`. */
  readonly path: string;
  readonly line?: number;
  readonly message: string;
  readonly suppressedBy?: Suppression;
}

export interface PolicyRunResult {
  readonly findings: PolicyFinding[];
  /** Rules that threw, unused suppressions: errors fail the check, warnings are shown. */
  readonly issues: SuppressionIssue[];
}

/** Loads every rule module of `dir` (compiled `.js`; `.ts` too when run from sources). */
export function loadRules(dir: string = DEFAULT_RULES_DIR): PolicyRule[] {
  const files = readdirSync(dir)
    .filter((file) => (file.endsWith('.js') || (file.endsWith('.ts') && !file.endsWith('.d.ts'))) && !file.startsWith('_'))
    .sort();
  const rules: PolicyRule[] = [];
  const byId = new Map<string, string>();
  for (const file of files) {
    const mod = require(join(dir, file)) as { default?: unknown };
    const rule = mod.default;
    const problems = ruleShapeProblems(rule);
    if (problems.length > 0) {
      throw new Error(`${join(dir, file)}: must \`export default definePolicyRule({...})\` (${problems.join('; ')})`);
    }
    const typed = rule as PolicyRule;
    const clash = byId.get(typed.id);
    if (clash) throw new Error(`duplicate policy rule id ${typed.id} in ${file} and ${clash}`);
    byId.set(typed.id, file);
    rules.push(typed);
  }
  return rules;
}

export interface RunPolicyOptions {
  readonly suppressions?: readonly Suppression[];
}

export function runPolicies(
  stacks: readonly StackDocument[],
  rules: readonly PolicyRule[],
  options: RunPolicyOptions = {},
): PolicyRunResult {
  const suppressions = options.suppressions ?? [];
  const findings: PolicyFinding[] = [];
  const issues: SuppressionIssue[] = [];
  for (const stack of stacks) {
    const located = stack.text === undefined ? undefined : locateJsonPaths(stack.text);
    const base: StackContext = { stack, doc: stack.doc };
    const emit = (rule: PolicyRule, violations: readonly RuleViolation[], address: string, path: string) => {
      for (const violation of violations) {
        const v = typeof violation === 'string' ? { message: violation } : violation;
        const at = v.address ?? address;
        const atPath = v.path ?? (v.address !== undefined ? pathOfAddress(v.address) : path);
        const line = located ? lineOf(located, atPath) : undefined;
        // A config risk acceptance recorded on the resource (see ./risk-acceptance.ts) counts as a suppression.
        const suppressedBy =
          findSuppression(suppressions, rule.id, stack.name, at) ?? riskAcceptanceFor(stack.doc, stack.file, rule.id, at);
        findings.push({
          rule: rule.id,
          title: rule.title,
          severity: rule.severity,
          stack: stack.name,
          environment: stack.environment,
          file: stack.file,
          address: at,
          path: atPath,
          ...(line === undefined ? {} : { line }),
          message: v.message,
          ...(suppressedBy ? { suppressedBy } : {}),
        });
      }
    };
    const guarded = (rule: PolicyRule, address: string, run: () => readonly RuleViolation[]): readonly RuleViolation[] => {
      try {
        return run();
      } catch (error) {
        issues.push({
          level: 'error',
          message: `rule ${rule.id} failed on ${stack.name} ${address}: ${(error as Error).stack ?? String(error)}`,
        });
        return [];
      }
    };
    const resources = allResources(stack.doc);
    for (const rule of rules) {
      if (rule.resourceTypes) {
        for (const resource of resources) {
          const key = resource.mode === 'managed' ? resource.type : `${resource.mode}.${resource.type}`;
          if (!rule.resourceTypes.includes(key)) continue;
          const ctx = { ...base, resource, address: resource.address, type: resource.type, name: resource.name, body: resource.body };
          emit(
            rule,
            guarded(rule, resource.address, () => rule.check(ctx)),
            resource.address,
            resource.path,
          );
        }
      } else if (rule.scope === 'stack') {
        emit(
          rule,
          guarded(rule, 'stack', () => rule.check(base)),
          'stack',
          '',
        );
      } else if (rule.scope === 'backend') {
        const backend = backendOf(stack);
        const path = backend ? `terraform.backend.${backend.type}` : 'terraform';
        emit(
          rule,
          guarded(rule, 'terraform.backend', () => rule.check({ ...base, ...(backend ? { backend } : {}) })),
          'terraform.backend',
          path,
        );
      } else {
        for (const provider of providersOf(stack)) {
          const ctx = { ...base, ...provider };
          emit(
            rule,
            guarded(rule, provider.address, () => rule.check(ctx)),
            provider.address,
            provider.path,
          );
        }
      }
    }
  }
  for (const suppression of suppressions) {
    if (!findings.some((finding) => finding.suppressedBy === suppression)) {
      issues.push({
        level: 'warning',
        message: `${suppression.source}: suppression of ${suppression.rule} for ${suppression.address} matches no finding; remove it`,
      });
    }
  }
  return { findings, issues };
}

function pathOfAddress(address: string): string {
  if (address.startsWith('data.')) return address;
  if (address.startsWith('provider.') || address.startsWith('terraform.')) return address;
  return `resource.${address}`;
}

function backendOf(stack: StackDocument): { type: string; config: JsonObject } | undefined {
  const backend = stack.doc.terraform?.backend;
  if (!isObject(backend)) return undefined;
  const [type, config] = Object.entries(backend)[0] ?? [];
  return type === undefined ? undefined : { type, config: isObject(config) ? config : {} };
}

function providersOf(stack: StackDocument): { provider: string; alias?: string; address: string; path: string; config: JsonObject }[] {
  const providers = stack.doc.provider;
  if (!isObject(providers)) return [];
  return Object.entries(providers).flatMap(([provider, configs]) =>
    (Array.isArray(configs) ? configs : [configs]).filter(isObject).map((config, index) => {
      const alias = typeof config.alias === 'string' ? config.alias : undefined;
      return {
        provider,
        ...(alias === undefined ? {} : { alias }),
        address: alias === undefined ? `provider.${provider}` : `provider.${provider}.${alias}`,
        path: Array.isArray(configs) ? `provider.${provider}[${index}]` : `provider.${provider}`,
        config,
      };
    }),
  );
}
