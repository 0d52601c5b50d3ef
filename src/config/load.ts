import { readFileSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { z } from 'zod';
import { ENVIRONMENTS_DIR, PROJECT_FILE } from './files';
import { planNetwork, type NetworkPlan } from './network-plan';
import { loadOriginPull, type OriginPullCertificates } from './origin-pull';
import { checkEnvironment, checkProject, type Report } from './rules';
import { checkApplyEnvironments } from './rules/ci';
import { checkZones, type EnvironmentInFile } from './rules/zones';
import { environmentFile, type EnvironmentFile } from './schema/environment';
import { projectConfig, type ProjectConfig } from './schema/project';

/** A validated environment with the project settings and derived layout it is built from. */
export interface EnvironmentConfig extends EnvironmentFile {
  readonly project: ProjectConfig;
  readonly networkPlan: NetworkPlan;
  /** The certificates `edge.originPull` names, read and checked. */
  readonly originPull: OriginPullCertificates;
}

export interface ConfigProblem {
  readonly file: string;
  /** Dotted path inside the file, e.g. `network.subnetCidrs.data.1`. */
  readonly path: string;
  readonly value: unknown;
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map(formatProblem).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

export function formatProblem(problem: ConfigProblem): string {
  // A problem with the file itself (not found, not JSON) has no field and no value to show.
  if (problem.path === '' && problem.value === undefined) return `  ${problem.file}: ${problem.message}`;
  const shown = problem.value === undefined ? 'missing' : JSON.stringify(problem.value);
  return `  ${problem.file}: ${problem.path || '(root)'}: ${problem.message} (got ${shown})`;
}

export { ENVIRONMENTS_DIR, PROJECT_FILE };
/** The generated reference of every field (src/config/reference/), relative to the repository root. */
export const REFERENCE_FILE = 'docs/configuration.md';

/**
 * Reads `<dir>/project.json` and `<dir>/environments/*.json`, validates all of them (also with `only`: zones
 * are checked across environments) and returns the environments, or those named in `only`, sorted by name.
 * Throws one ConfigError listing every problem in every file.
 */
export function loadConfig(dir: string, only?: readonly string[]): EnvironmentConfig[] {
  const problems: ConfigProblem[] = [];
  const projectPath = join(dir, PROJECT_FILE);
  const project = parseWith(projectConfig, readJson(projectPath, problems), displayPath(projectPath), problems);
  if (project) checkProject(project, collect(displayPath(projectPath), project, problems));

  const envDir = join(dir, ENVIRONMENTS_DIR);
  const files = listJson(envDir, problems);
  const environments: EnvironmentConfig[] = [];
  const validated: EnvironmentInFile[] = [];
  for (const file of files) {
    const name = basename(file, '.json');
    const env = validateEnvironmentFile(readJson(file, problems), displayPath(file), dir, project, problems);
    if (env && env.name !== name)
      problems.push({ file: displayPath(file), path: 'name', value: env.name, message: `must equal the file name ("${name}")` });
    if (!env) continue;
    validated.push({ env, file: displayPath(file), report: collect(displayPath(file), env, problems) });
    if (!only || only.includes(name)) environments.push(env);
  }
  checkZones(validated);
  checkApplyEnvironments(validated);
  for (const wanted of only ?? []) {
    if (!files.some((file) => basename(file, '.json') === wanted)) {
      problems.push({
        file: displayPath(envDir),
        path: '',
        value: wanted,
        message: `no environment file ${wanted}.json; available: ${files.map((f) => basename(f, '.json')).join(', ')}`,
      });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return environments.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Validates one environment document against the project, reading the files it names from `configDir`
 * (rules across environments need loadConfig); exported for tests and other front ends.
 */
export function validateEnvironment(projectInput: unknown, environmentInput: unknown, file: string, configDir: string): EnvironmentConfig {
  const problems: ConfigProblem[] = [];
  const project = parseWith(projectConfig, projectInput, 'project', problems);
  if (project) checkProject(project, collect('project', project, problems));
  const env = validateEnvironmentFile(environmentInput, file, configDir, project, problems);
  if (problems.length > 0 || !env) throw new ConfigError(problems);
  return env;
}

function validateEnvironmentFile(
  input: unknown,
  file: string,
  configDir: string,
  project: ProjectConfig | undefined,
  problems: ConfigProblem[],
): EnvironmentConfig | undefined {
  if (input === undefined) return undefined;
  const env = parseWith(environmentFile, input, file, problems);
  if (!env || !project) return undefined;
  const before = problems.length;
  const report = collect(file, env, problems);
  checkEnvironment(env, project, report);
  const originPull = loadOriginPull(env.edge.originPull, configDir, report);
  if (problems.length > before || !originPull) return undefined;
  return { ...env, project, networkPlan: planNetwork(env.network, env.region)!, originPull };
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, file: string, problems: ConfigProblem[]): T | undefined {
  if (input === undefined) return undefined;
  // Each schema parses a few files per process, too few for zod's compiled fast path (built with `new Function` on a
  // schema's first parse) to repay building it: interpreted, validation is about a quarter faster. Same result.
  const result = schema.safeParse(input, { jitless: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      // One problem per unknown field, at its own path: the object that holds it can be large.
      for (const key of issue.keys) {
        const at = [...path, key];
        problems.push({
          file,
          path: at.join('.'),
          value: valueAt(input, at),
          message: `unknown field; the allowed ones are in ${REFERENCE_FILE}`,
        });
      }
    } else problems.push({ file, path: path.join('.'), value: valueAt(input, path), message: issue.message });
  }
  return undefined;
}

function collect(file: string, document: unknown, problems: ConfigProblem[]): Report {
  return (path, message) => problems.push({ file, path: path.join('.'), value: valueAt(document, path.map(String)), message });
}

function valueAt(document: unknown, path: readonly string[]): unknown {
  let current: unknown = document;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function readJson(file: string, problems: ConfigProblem[]): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    problems.push({ file: displayPath(file), path: '', value: undefined, message: 'file not found' });
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const { line, column, reason } = jsonSyntaxError(text, (error as Error).message);
    problems.push({ file: `${displayPath(file)}:${line}:${column}`, path: '', value: undefined, message: `is not valid JSON: ${reason}` });
    return undefined;
  }
}

/**
 * Where JSON.parse stopped, as line and column (1-based), and why, on one line. Node reports an offset
 * ("at position 32"; newer versions add "(line 2 column 11)" and a snippet on further lines), or none
 * when the text ends early.
 */
function jsonSyntaxError(text: string, message: string): { line: number; column: number; reason: string } {
  const firstLine = message.split('\n')[0]!;
  const position = Number(/at position (\d+)/.exec(firstLine)?.[1] ?? text.length);
  const before = text.slice(0, position).split('\n');
  const reason = firstLine.replace(/\s*in JSON at position \d+.*$/, '').replace(/^(.*?) of JSON input$/, '$1 of the file');
  return { line: before.length, column: before.at(-1)!.length + 1, reason };
}

function listJson(dir: string, problems: ConfigProblem[]): string[] {
  try {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(dir, f));
    // Synthesizing nothing would replace the last output with an empty one.
    if (files.length === 0)
      problems.push({ file: displayPath(dir), path: '', value: undefined, message: 'has no environment files (<name>.json)' });
    return files;
  } catch {
    problems.push({ file: displayPath(dir), path: '', value: undefined, message: 'directory not found' });
    return [];
  }
}

function displayPath(file: string): string {
  return relative(process.cwd(), file) || file;
}
