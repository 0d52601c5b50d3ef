// `npm run check [-- --dir cdktf.out] [--schema file]... [--format table|json|sarif] [--output f]
//                   [--only schema|policy] [--fail-on low|medium|high|critical] [--suppressions f]`
// Validates every synthesized stack against the provider schemas and every kubernetes_manifest against its custom
// resource schema (schemas/kubernetes-crds/), runs the policy rules, prints the report and a one-line summary, and
// exits 1 on any schema problem, rule error, invalid suppression or unsuppressed finding at or above --fail-on (2 on
// a usage error). Reads only cdktf.out.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadRules, runPolicies } from '../checks/policy/engine';
import { outcome, render, REPORT_FORMATS, type CheckReport, type ReportFormat } from '../checks/policy/report';
import { SEVERITIES, type Severity } from '../checks/policy/rule';
import { loadSuppressions, type SuppressionIssue } from '../checks/policy/suppressions';
import { CRD_SCHEMAS_DIR_NAME, CustomResourceSchemas, validateStacksManifests } from '../checks/schema/manifest';
import { SchemaSet } from '../checks/schema/provider-schema';
import { validateStacks } from '../checks/schema/validate';
import { sourceLocations } from '../checks/policy/source-locations';
import { readStacks, type StackDocument } from '../checks/terraform-json';
import { runMain } from './entry';
import { PROJECT_ROOT } from '../project-root';
import { SYNTH_OUT_DIR } from '../layers';

/** The committed provider schema subsets. */
export const SCHEMAS_DIR = join(PROJECT_ROOT, 'schemas');
export const SUPPRESSIONS_FILE = join(PROJECT_ROOT, 'policy', 'suppressions.json');

export interface CheckOptions {
  readonly dir: string;
  /** Extra schema files, loaded after the committed ones in schemas/ (a later file wins per provider; see SchemaSet). */
  readonly schemas: readonly string[];
  readonly format: ReportFormat;
  readonly output?: string;
  readonly only?: 'schema' | 'policy';
  readonly failOn: Severity;
  readonly suppressions: string;
  readonly rulesDir?: string;
  readonly schemasDir: string;
}

const USAGE =
  `usage: npm run check [-- --dir ${SYNTH_OUT_DIR}] [--schema file]... [--format table|json|sarif] ` +
  '[--output file] [--only schema|policy] [--fail-on low|medium|high|critical] [--suppressions file]';

export function parseArgs(argv: readonly string[]): CheckOptions {
  const options: { -readonly [K in keyof CheckOptions]: CheckOptions[K] } = {
    dir: relative(process.cwd(), join(PROJECT_ROOT, SYNTH_OUT_DIR)) || SYNTH_OUT_DIR,
    schemas: [],
    format: 'table',
    failOn: 'low',
    suppressions: SUPPRESSIONS_FILE,
    schemasDir: SCHEMAS_DIR,
  };
  const schemas: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    switch (arg) {
      case '--dir':
        options.dir = value();
        break;
      case '--schema':
        schemas.push(value());
        break;
      case '--format': {
        const format = value();
        if (!REPORT_FORMATS.includes(format as ReportFormat)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
        options.format = format as ReportFormat;
        break;
      }
      case '--output':
        options.output = value();
        break;
      case '--only': {
        const only = value();
        if (only !== 'schema' && only !== 'policy') throw new UsageError('--only must be schema or policy');
        options.only = only;
        break;
      }
      case '--fail-on': {
        const failOn = value();
        if (!SEVERITIES.includes(failOn as Severity)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
        options.failOn = failOn as Severity;
        break;
      }
      case '--suppressions':
        options.suppressions = value();
        break;
      default:
        throw new UsageError(`unknown argument ${arg}`);
    }
  }
  options.schemas = schemas;
  return options;
}

class UsageError extends Error {}

/** The committed schemas (every *.json of schemas/) followed by the --schema files. */
export function schemaFiles(options: Pick<CheckOptions, 'schemas' | 'schemasDir'>): string[] {
  const committed = existsSync(options.schemasDir)
    ? readdirSync(options.schemasDir)
        .filter((file) => file.endsWith('.json'))
        .sort()
        .map((file) => join(options.schemasDir, file))
    : [];
  return [...committed, ...options.schemas];
}

/** Runs the checks on already-read stacks (tests pass in-memory documents). */
export function buildReport(stacks: readonly StackDocument[], options: CheckOptions): CheckReport {
  const ran = { schema: options.only !== 'policy', policy: options.only !== 'schema' };
  const schemaProblems = ran.schema
    ? [
        ...validateStacks(stacks, SchemaSet.fromFiles(schemaFiles(options))),
        ...validateStacksManifests(stacks, CustomResourceSchemas.fromDir(join(options.schemasDir, CRD_SCHEMAS_DIR_NAME))),
      ]
    : [];
  const rules = ran.policy ? loadRules(options.rulesDir) : [];
  let findings: CheckReport['findings'] = [];
  const issues: SuppressionIssue[] = [];
  if (ran.policy) {
    const suppressions = loadSuppressions(options.suppressions, new Set(rules.map((r) => r.id)));
    issues.push(...suppressions.issues);
    const result = runPolicies(stacks, rules, { suppressions: suppressions.active });
    findings = result.findings;
    issues.push(...result.issues);
  }
  return {
    stacks: stacks.map((s) => ({ name: s.name, file: s.file })),
    ran,
    schemaProblems,
    findings,
    issues,
    rules,
    failOn: options.failOn,
    ...(options.format === 'sarif' ? { sourceLocations: sourceLocations(stacks, PROJECT_ROOT) } : {}),
  };
}

export function main(argv: readonly string[]): number {
  let options: CheckOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`check: ${error.message}\n${USAGE}`);
    return 2;
  }
  // Paths relative to the working directory, as SARIF and editors expect.
  const report = buildReport(readStacks(relative(process.cwd(), resolve(options.dir)) || '.'), options);
  const text = render(report, options.format);
  const result = outcome(report);
  if (options.output) {
    mkdirSync(dirname(options.output), { recursive: true });
    writeFileSync(options.output, text);
    if (options.format === 'table') process.stdout.write(text);
    else console.log(`${result.summary}; ${options.format} report written to ${options.output}`);
  } else if (options.format === 'table') {
    process.stdout.write(text);
  } else {
    process.stdout.write(text);
    console.error(result.summary);
  }
  return result.failed ? 1 : 0;
}

if (require.main === module) runMain(main);
