// Renders the outcome of a check run (schema problems + policy findings) as a readable table, JSON, or
// SARIF 2.1.0 for GitHub code scanning, and decides whether the run fails.
import { MANIFEST_PROBLEM_TITLES } from '../schema/manifest';
import type { SchemaProblem } from '../schema/validate';
import type { PolicyFinding } from './engine';
import { SEVERITIES, severityAtLeast, type PolicyRule, type Severity } from './rule';
import type { SourceLocations } from './source-locations';
import type { SuppressionIssue } from './suppressions';

export type ReportFormat = 'table' | 'json' | 'sarif';
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'json', 'sarif'];

export interface CheckReport {
  readonly stacks: readonly { readonly name: string; readonly file: string }[];
  /** Which parts ran (`--only`). */
  readonly ran: { readonly schema: boolean; readonly policy: boolean };
  readonly schemaProblems: readonly SchemaProblem[];
  /** Every finding, suppressed ones included (marked with `suppressedBy`). */
  readonly findings: readonly PolicyFinding[];
  /** Invalid suppressions and failing rules (errors), expired or unused suppressions (warnings). */
  readonly issues: readonly SuppressionIssue[];
  readonly rules: readonly PolicyRule[];
  /** Unsuppressed findings at or above this severity fail the run. */
  readonly failOn: Severity;
  /** Where each resource comes from in tracked source; SARIF locations use it (code scanning cannot show cdktf.out). */
  readonly sourceLocations?: SourceLocations;
}

export interface Outcome {
  readonly failed: boolean;
  /** Unsuppressed findings at or above the threshold. */
  readonly blocking: readonly PolicyFinding[];
  readonly summary: string;
}

export function outcome(report: CheckReport): Outcome {
  const open = report.findings.filter((f) => !f.suppressedBy);
  const blocking = open.filter((f) => severityAtLeast(f.severity, report.failOn));
  const errors = report.issues.filter((i) => i.level === 'error');
  const failed = report.schemaProblems.length > 0 || blocking.length > 0 || errors.length > 0 || report.stacks.length === 0;
  const bySeverity = [...SEVERITIES]
    .reverse()
    .map((s) => [s, open.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const parts = [
    `${report.stacks.length} stack${report.stacks.length === 1 ? '' : 's'}`,
    report.ran.schema ? `${report.schemaProblems.length} schema problem${report.schemaProblems.length === 1 ? '' : 's'}` : 'schema skipped',
    report.ran.policy
      ? `${open.length} finding${open.length === 1 ? '' : 's'}${bySeverity.length ? ` (${bySeverity.join(', ')})` : ''}, ` +
        `${report.findings.length - open.length} suppressed`
      : 'policy skipped',
    ...(errors.length > 0 ? [`${errors.length} error${errors.length === 1 ? '' : 's'}`] : []),
  ];
  return { failed, blocking, summary: `check ${failed ? 'FAILED' : 'passed'}: ${parts.join(', ')} (fail on ${report.failOn} and above)` };
}

export function render(report: CheckReport, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(toJson(report), null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(report), null, 2)}\n`;
    default:
      return toTable(report);
  }
}

// ---------------------------------------------------------------------------------------------

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === headers.length - 1 ? 0 : r[i]!.length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w, i) => '-'.repeat(i === headers.length - 1 ? headers[i]!.length : w))), ...rows.map(line)].join(
    '\n',
  );
}

const where = (file: string, line?: number) => (line === undefined ? file : `${file}:${line}`);
const bySeverityThenPlace = (a: PolicyFinding, b: PolicyFinding) =>
  SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
  a.stack.localeCompare(b.stack) ||
  a.address.localeCompare(b.address) ||
  a.rule.localeCompare(b.rule);

function toTable(report: CheckReport): string {
  const out: string[] = [];
  if (report.ran.schema && report.schemaProblems.length > 0) {
    out.push(`Schema problems (${report.schemaProblems.length})`);
    out.push(
      table(
        ['STACK', 'KIND', 'PATH', 'MESSAGE'],
        report.schemaProblems.map((p) => [p.stack, p.kind, p.path, `${p.message} [${where(p.file, p.line)}]`]),
      ),
      '',
    );
  }
  const open = report.findings.filter((f) => !f.suppressedBy).sort(bySeverityThenPlace);
  const suppressed = report.findings.filter((f) => f.suppressedBy).sort(bySeverityThenPlace);
  if (open.length > 0) {
    out.push(`Policy findings (${open.length})`);
    out.push(
      table(
        ['SEVERITY', 'RULE', 'STACK', 'ADDRESS', 'MESSAGE'],
        open.map((f) => [f.severity, f.rule, f.stack, f.address, `${f.message} [${where(f.file, f.line)}]`]),
      ),
      '',
    );
  }
  if (suppressed.length > 0) {
    out.push(`Suppressed findings (${suppressed.length})`);
    out.push(
      table(
        ['SEVERITY', 'RULE', 'STACK', 'ADDRESS', 'MESSAGE / REASON'],
        suppressed.map((f) => [
          f.severity,
          f.rule,
          f.stack,
          f.address,
          `${f.message} — suppressed: ${f.suppressedBy!.reason}${f.suppressedBy!.expires ? ` (until ${f.suppressedBy!.expires})` : ''}`,
        ]),
      ),
      '',
    );
  }
  if (report.issues.length > 0) {
    out.push('Issues');
    out.push(...report.issues.map((i) => `  ${i.level}: ${i.message}`), '');
  }
  if (report.stacks.length === 0) out.push('No stacks found: run `npm run synth` first.', '');
  out.push(outcome(report).summary);
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------

function toJson(report: CheckReport): unknown {
  const result = outcome(report);
  return {
    summary: {
      failed: result.failed,
      text: result.summary,
      failOn: report.failOn,
      stacks: report.stacks.length,
      schemaProblems: report.schemaProblems.length,
      findings: report.findings.filter((f) => !f.suppressedBy).length,
      suppressed: report.findings.filter((f) => f.suppressedBy).length,
      blocking: result.blocking.length,
    },
    stacks: report.stacks,
    schemaProblems: report.schemaProblems,
    findings: report.findings.map(({ suppressedBy, ...finding }) => ({
      ...finding,
      suppressed: suppressedBy
        ? { reason: suppressedBy.reason, source: suppressedBy.source, ...(suppressedBy.expires ? { expires: suppressedBy.expires } : {}) }
        : null,
    })),
    issues: report.issues,
    rules: report.rules.map((r) => ({
      id: r.id,
      title: r.title,
      severity: r.severity,
      ...(r.scope ? { scope: r.scope } : { resourceTypes: r.resourceTypes }),
    })),
  };
}

// ---------------------------------------------------------------------------------------------

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
/** GitHub code scanning ranks security results by this CVSS-like score. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

const SCHEMA_RULES: Record<SchemaProblem['kind'], string> = {
  'unknown-type': 'Resource type is unknown to the provider schema',
  'unknown-argument': 'Argument is unknown to the provider schema',
  'computed-argument': 'Computed-only argument is set',
  'missing-argument': 'Required argument is missing',
  'missing-block': 'Required block is missing',
  'block-expected': 'A value was given where a block is expected',
  'attribute-expected': 'A block was given where an attribute is expected',
  'too-many-blocks': 'More blocks than the schema allows',
  'type-mismatch': 'Value does not match the attribute type',
  ...MANIFEST_PROBLEM_TITLES,
};

function uri(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '');
}

function fingerprint(text: string): string {
  // FNV-1a: a stable id for the same problem on the same address across line moves.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function toSarif(report: CheckReport): unknown {
  const schemaKinds = [...new Set(report.schemaProblems.map((p) => p.kind))].sort();
  const rules = [
    ...report.rules.map((r) => ({
      id: r.id,
      name: r.title,
      shortDescription: { text: r.title },
      fullDescription: { text: r.description ?? r.title },
      help: { text: r.description ?? r.title },
      defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
      properties: { tags: ['security', 'terraform'], 'security-severity': SECURITY_SEVERITY[r.severity], severity: r.severity },
    })),
    ...schemaKinds.map((kind) => ({
      id: `schema/${kind}`,
      name: SCHEMA_RULES[kind],
      shortDescription: { text: SCHEMA_RULES[kind] },
      fullDescription: {
        text: `${SCHEMA_RULES[kind]} (validation of the synthesized Terraform JSON against the provider and custom resource schemas).`,
      },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['correctness', 'terraform'] },
    })),
  ];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  // GitHub code scanning shows only locations in the repository; the synthesized file stays a logical location.
  const location = (file: string, line: number | undefined, stack: string, address: string) => {
    const source = report.sourceLocations?.get(`${stack}|${address}`);
    return {
      physicalLocation: { artifactLocation: { uri: source?.uri ?? uri(file) }, region: { startLine: source?.line ?? line ?? 1 } },
      logicalLocations: [{ name: address, fullyQualifiedName: `${stack}/${address}`, kind: 'resource' }],
    };
  };
  const related = (file: string, line: number | undefined, stack: string, address: string) => {
    const source = report.sourceLocations?.get(`${stack}|${address}`);
    if (!source) return {};
    return {
      relatedLocations: [
        {
          id: 1,
          physicalLocation: { artifactLocation: { uri: source.configUri } },
          message: { text: `configuration of ${stack.split('-')[0]}` },
        },
        {
          id: 2,
          physicalLocation: { artifactLocation: { uri: uri(file) }, region: { startLine: line ?? 1 } },
          message: { text: 'synthesized JSON (npm run synth)' },
        },
      ],
    };
  };
  // Suppressed findings stay out: code scanning does not honour SARIF suppressions and would open them as alerts
  // (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
  // lists the result properties it reads). The table and JSON reports keep them with their reasons.
  const open = report.findings.filter((f) => !f.suppressedBy);
  const suppressedCount = report.findings.length - open.length;
  const results = [
    ...report.schemaProblems.map((p) => ({
      ruleId: `schema/${p.kind}`,
      ruleIndex: ruleIndex.get(`schema/${p.kind}`)!,
      level: 'error' as const,
      message: { text: `${p.stack}: ${p.message} (at ${p.path})` },
      locations: [location(p.file, p.line, p.stack, p.address ?? p.path)],
      ...related(p.file, p.line, p.stack, p.address ?? p.path),
      partialFingerprints: { 'platformInfraCheck/v1': fingerprint(`${p.kind}|${p.stack}|${p.path}`) },
    })),
    ...open.map((f) => ({
      ruleId: f.rule,
      ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule)! } : {}),
      level: SARIF_LEVEL[f.severity],
      message: { text: `${f.stack} ${f.address}: ${f.message}` },
      locations: [location(f.file, f.line, f.stack, f.address)],
      ...related(f.file, f.line, f.stack, f.address),
      partialFingerprints: { 'platformInfraCheck/v1': fingerprint(`${f.rule}|${f.stack}|${f.address}|${f.message}`) },
    })),
  ];
  const notifications = [
    ...report.issues.map((i) => ({ level: i.level, message: { text: i.message } })),
    ...(suppressedCount > 0
      ? [
          {
            level: 'note' as const,
            message: {
              text:
                `${suppressedCount} suppressed finding${suppressedCount === 1 ? '' : 's'} not uploaded (policy/suppressions.json, ` +
                'risk acceptances); npm run check lists them with their reasons',
            },
          },
        ]
      : []),
  ];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'platform-infra-check', semanticVersion: '0.1.0', rules } },
        invocations: [
          {
            executionSuccessful: report.issues.every((i) => i.level !== 'error'),
            toolExecutionNotifications: notifications,
          },
        ],
        results,
      },
    ],
  };
}
