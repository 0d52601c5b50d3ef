import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktn';
import { buildApp } from '../../src/app';
import { type Layer, stackName } from '../../src/layers';
import { readStacks, referenced } from '../../src/checks/terraform-json';
import { synthesizeEnvironments } from '../../src/synthesis/environments';
import { EXAMPLE_OUT_VARIABLE } from './example-out';
import { loadConfig, validateEnvironment, type EnvironmentConfig } from '../../src/config/load';
import { compareEnvironments, type EnvironmentTier } from '../../src/environment-tiers';

export { PROJECT_ROOT as REPO_ROOT } from '../../src/project-root';
import { PROJECT_ROOT as REPO_ROOT } from '../../src/project-root';
export const CONFIG_DIR = join(REPO_ROOT, 'config');

/** A synthesized stack document (Terraform JSON). */
export interface TerraformJson {
  readonly terraform?: Record<string, any>;
  readonly provider?: Record<string, any[]>;
  readonly resource?: Record<string, Record<string, any>>;
  readonly data?: Record<string, Record<string, any>>;
  readonly output?: Record<string, any>;
  readonly ephemeral?: Record<string, Record<string, any>>;
  readonly [key: string]: unknown;
}

export function exampleEnvironments(): EnvironmentConfig[] {
  return loadConfig(CONFIG_DIR);
}

/** One bundled environment by name (failing with the ones there are, when it is missing). */
export function exampleEnvironment(name: string): EnvironmentConfig {
  const environments = exampleEnvironments();
  const found = environments.find((env) => env.name === name);
  if (!found) throw new Error(`no environment ${name} in config/environments; have ${environments.map((env) => env.name).join(', ')}`);
  return found;
}

/** The prefix of every name (`project` in config/project.json): tests build expected names with it, not with a literal. */
export function projectPrefix(): string {
  return JSON.parse(readFileSync(join(CONFIG_DIR, 'project.json'), 'utf8')).project;
}

/** Names of the bundled environments: tests about "every environment" iterate these, not a written list. */
export function exampleEnvironmentNames(): string[] {
  return exampleEnvironments().map((env) => env.name);
}

/** The raw JSON of the bundled project and environment files, for tests that mutate them. */
export function rawConfig(environment: string): { project: any; environment: any } {
  return {
    project: JSON.parse(readFileSync(join(CONFIG_DIR, 'project.json'), 'utf8')),
    environment: JSON.parse(readFileSync(join(CONFIG_DIR, 'environments', `${environment}.json`), 'utf8')),
  };
}

/**
 * Takes a service out of raw project config the way a team removes one: its entry, and its name from every other
 * service's `calls` and keyspace and secret `readers` (which validation would otherwise reject).
 */
export function removeService(project: any, name: string): void {
  const readers = (entries: any[] | undefined) =>
    entries?.map((entry) =>
      typeof entry === 'string' ? entry : { ...entry, readers: (entry.readers ?? []).filter((r: string) => r !== name) },
    );
  project.services = project.services
    .filter((service: any) => service.name !== name)
    .map((service: any) => ({
      ...service,
      ...(service.calls ? { calls: service.calls.filter((callee: string) => callee !== name) } : {}),
      ...(service.cacheKeyspaces ? { cacheKeyspaces: readers(service.cacheKeyspaces) } : {}),
      ...(service.secrets ? { secrets: readers(service.secrets) } : {}),
    }));
}

/** The first bundled environment of `tier` in promotion order, if config has one. */
function bundledOfTier(tier: EnvironmentTier): EnvironmentConfig | undefined {
  return exampleEnvironments()
    .sort(compareEnvironments)
    .find((env) => env.tier === tier);
}

/**
 * The first bundled environment of `tier` in promotion order, for a test that reads its synthesized stacks: tests take
 * the environments they need by tier, never by name, so that a team's names for them break nothing.
 */
export function exampleOfTier(tier: EnvironmentTier): EnvironmentConfig {
  const found = bundledOfTier(tier);
  if (!found) throw new Error(`config/environments has no ${tier} environment`);
  return found;
}

/**
 * Raw files of an environment of `tier`, for a test about the tier rather than about one environment: the first
 * bundled environment of the tier in promotion order, or, where the team keeps none (a dev and prod setup has no
 * staging), the first production environment relabelled as the tier, since what production's stricter rules accept a
 * lower tier accepts too.
 */
export function rawConfigOfTier(tier: EnvironmentTier): { project: any; environment: any } {
  const bundled = bundledOfTier(tier);
  if (bundled) return rawConfig(bundled.name);
  const production = bundledOfTier('production');
  if (!production) throw new Error(`config/environments has no ${tier} environment, nor a production one to derive it from`);
  const raw = rawConfig(production.name);
  raw.environment.tier = tier;
  return raw;
}

/** `configWith` for an environment of `tier` (`rawConfigOfTier`). */
export function configOfTier(
  tier: EnvironmentTier,
  mutate: (raw: { project: any; environment: any }) => void = () => {},
): EnvironmentConfig {
  const raw = rawConfigOfTier(tier);
  mutate(raw);
  return validateEnvironment(raw.project, raw.environment, `${raw.environment.name}.json`, CONFIG_DIR);
}

/** Validates a mutated copy of a bundled environment (throws ConfigError when the mutation is invalid). */
export function configWith(environment: string, mutate: (raw: { project: any; environment: any }) => void): EnvironmentConfig {
  const raw = rawConfig(environment);
  mutate(raw);
  return validateEnvironment(raw.project, raw.environment, `${environment}.json`, CONFIG_DIR);
}

/** Synthesizes the given environments into a temporary folder and returns every stack by name. */
export function synthesize(environments: readonly EnvironmentConfig[]): Map<string, TerraformJson> {
  return withTemporaryFolder('platform-infra-test-', (outdir) => {
    buildApp(environments, { outdir }).synth();
    return stacksIn(outdir);
  });
}

/**
 * One layer of one environment, synthesized the way `App.synth` does it but without the other layers: only this layer
 * is prepared and written, so its document lacks the outputs that later layers' references would add to it
 * (`CROSS_STACK_OUTPUT_PREFIX`; preparing every later layer to get them was most of the time for an early layer). Several
 * times faster than `synthesize` for a test that reads one stack; test/support/synth.test.ts shows the document is
 * the whole app's but for those outputs.
 */
export function synthesizeLayer(config: EnvironmentConfig, layer: Layer): TerraformJson {
  const name = stackName(config.name, layer);
  return withTemporaryFolder(`${name}-`, (outdir) => {
    const app = buildApp([config], { outdir });
    const target = app.node.findAll().find((s): s is TerraformStack => TerraformStack.isStack(s) && s.node.id === name);
    if (!target) throw new Error(`no stack ${name}`);
    target.prepareStack();
    target.synthesizer.synthesize({ outdir, manifest: app.manifest, skipValidation: false, stacksPrepared: true });
    return JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as TerraformJson;
  });
}

function withTemporaryFolder<T>(prefix: string, use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every stack of an output folder, by name (read by the checks' reader). */
function stacksIn(outdir: string): Map<string, TerraformJson> {
  return new Map(readStacks(outdir).map((stack) => [stack.name, stack.doc as TerraformJson]));
}

/** Synthesizes one stack that `build` fills, in a temporary folder, and returns its Terraform JSON. */
export function synthOneStack(name: string, build: (stack: TerraformStack) => void): TerraformJson {
  return withTemporaryFolder(`${name}-stack-`, (outdir) => {
    const app = new App({ outdir, stackTraces: false });
    build(new TerraformStack(app, name));
    app.synth();
    return JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as TerraformJson;
  });
}

let example: Map<string, TerraformJson> | undefined;
let exampleFolder: string | undefined;

/**
 * A folder holding the example configuration as `npm run synth` writes it (stacks, manifest.json, synth-inputs.json),
 * to copy as the previous output of a synth that should reuse it: the folder EXAMPLE_OUT_VARIABLE names, or (a single
 * test file run by hand) one synthesized once in this process and removed when it exits.
 */
export function exampleOutput(): string {
  const presynthesized = process.env[EXAMPLE_OUT_VARIABLE];
  if (presynthesized) return presynthesized;
  if (!exampleFolder) {
    const dir = mkdtempSync(join(tmpdir(), 'platform-infra-example-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    synthesizeEnvironments(exampleEnvironments(), join(dir, 'out'), join(dir, 'none'));
    exampleFolder = join(dir, 'out');
  }
  return exampleFolder;
}

/** Every stack of the bundled example configuration, read from `exampleOutput()`. */
export function exampleStacks(): Map<string, TerraformJson> {
  example ??= stacksIn(exampleOutput());
  return example;
}

export function stack(stacks: Map<string, TerraformJson>, name: string): TerraformJson {
  const found = stacks.get(name);
  if (!found) throw new Error(`no stack ${name}; have ${[...stacks.keys()].join(', ')}`);
  return found;
}

/** The resources of one type in a stack, as [logical name, body] pairs. */
export function resourcesOf(document: TerraformJson, type: string): [string, any][] {
  return Object.entries(document.resource?.[type] ?? {});
}

/** The edge layer's one object, the origin-pull CA bundle of `environment`: its bucket's name and its key. */
export function originPullCaBundle(environment: string): { readonly bucket: string; readonly key: string } {
  const edge = stack(exampleStacks(), `${environment}-edge`);
  const [[, object]] = resourcesOf(edge, 'aws_s3_object');
  return { bucket: referenced(edge, 'aws_s3_bucket', object.bucket, 'id')!.body.bucket as string, key: object.key };
}

/** The single resource of a type whose construct path ends with `pathSuffix`. */
export function resourceAt(document: TerraformJson, type: string, pathSuffix: string): any {
  const matches = resourcesOf(document, type).filter(([, body]) => String(body['//']?.metadata?.path ?? '').endsWith(pathSuffix));
  if (matches.length !== 1) throw new Error(`expected one ${type} at …${pathSuffix}, found ${matches.length}`);
  return matches[0][1];
}

/** Parses a policy attribute rendered by policyDocument(). */
export function policyOf(text: string): { Statement: any[] } {
  return JSON.parse(text);
}
