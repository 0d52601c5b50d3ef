/**
 * The apply order of the synthesized stacks, read from the manifest cdktn writes next to them
 * (`cdktf.out/manifest.json`: `stacks.<name>.dependencies` lists construct paths of the stacks it
 * depends on; cross-stack references add those automatically).
 */

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compareEnvironments, type EnvironmentTier } from '../../environment-tiers';
import { LAYERS, type Layer, parseStackName } from '../../layers';
import { providerTierOf } from '../environment-tier';
import { isObject, type TerraformJson } from '../terraform-json';

export interface ManifestStack {
  readonly name: string;
  /** Path of the synthesized Terraform JSON, relative to the manifest's folder. */
  readonly synthesizedStackPath: string;
  readonly constructPath: string;
  readonly workingDirectory: string;
  /** Names (not construct paths) of the stacks this one depends on. */
  readonly dependencies: readonly string[];
}

export interface OrderedStack extends ManifestStack {
  /** `<env>` of a `<env>-<layer>` stack name; undefined for names that do not follow it. */
  readonly env?: string;
  readonly layer?: Layer;
}

export class ManifestError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ManifestError';
  }
}

export function parseManifestText(text: string, file: string): ManifestStack[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(file, `is not valid JSON: ${(error as Error).message}`);
  }
  return parseManifest(document, file);
}

function parseManifest(document: unknown, file: string): ManifestStack[] {
  const stacks = isObject(document) ? document.stacks : undefined;
  if (!isObject(stacks)) throw new ManifestError(file, 'expected an object with "stacks" (the manifest.json written by cdktn synth)');
  const raw = Object.entries(stacks).map(([key, value]) => {
    if (!isObject(value)) throw new ManifestError(file, `stacks.${key}: expected an object`);
    const name = typeof value.name === 'string' ? value.name : key;
    const constructPath = typeof value.constructPath === 'string' ? value.constructPath : name;
    const workingDirectory = typeof value.workingDirectory === 'string' ? value.workingDirectory : `stacks/${name}`;
    const synthesizedStackPath =
      typeof value.synthesizedStackPath === 'string' ? value.synthesizedStackPath : `${workingDirectory}/cdk.tf.json`;
    const dependencies = value.dependencies ?? [];
    if (!Array.isArray(dependencies) || !dependencies.every((d) => typeof d === 'string')) {
      throw new ManifestError(file, `stacks.${key}.dependencies: expected an array of construct paths`);
    }
    return { name, constructPath, workingDirectory, synthesizedStackPath, dependencyPaths: dependencies as string[] };
  });
  const byPath = new Map(raw.map((stack) => [stack.constructPath, stack.name]));
  const names = new Set(raw.map((stack) => stack.name));
  return raw.map(({ dependencyPaths, ...stack }) => ({
    ...stack,
    dependencies: dependencyPaths.map((path) => {
      const name = byPath.get(path) ?? (names.has(path) ? path : undefined);
      if (name === undefined)
        throw new ManifestError(file, `stacks.${stack.name}.dependencies: ${JSON.stringify(path)} is not a stack in this manifest`);
      return name;
    }),
  }));
}

function classify(name: string): { env?: string; layer?: Layer } {
  const parsed = parseStackName(name);
  return parsed ? { env: parsed.environment, layer: parsed.layer } : {};
}

/**
 * Topological order (dependencies first). Among stacks that are ready at the same time, the one with the earlier
 * layer comes first, then the one whose environment comes first in promotion order (`tiers`, by environment name, as
 * `environmentTiers` reads them; an environment missing there ranks after the others), then the name.
 */
export function applyOrder(stacks: readonly ManifestStack[], tiers: ReadonlyMap<string, EnvironmentTier> = new Map()): OrderedStack[] {
  const byName = new Map(stacks.map((stack) => [stack.name, { ...stack, ...classify(stack.name) } as OrderedStack]));
  const remaining = new Map(stacks.map((stack) => [stack.name, new Set(stack.dependencies.filter((d) => d !== stack.name))]));
  for (const stack of stacks) {
    if (stack.dependencies.includes(stack.name)) throw new Error(`dependency cycle: ${stack.name} depends on itself`);
  }
  const ordered: OrderedStack[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, deps]) => deps.size === 0).map(([name]) => byName.get(name)!);
    if (ready.length === 0) throw new Error(`dependency cycle: ${findCycle(remaining).join(' -> ')}`);
    const next = ready.sort((a, b) => compareStacks(a, b, tiers))[0];
    ordered.push(next);
    remaining.delete(next.name);
    for (const deps of remaining.values()) deps.delete(next.name);
  }
  return ordered;
}

/**
 * The stacks of a cdktn manifest file in apply order, each environment ranked by the tier its synthesized stacks carry.
 * Throws ManifestError for a file that cannot be read or is not a manifest.
 */
export function readApplyOrder(manifestFile: string): OrderedStack[] {
  let text: string;
  try {
    text = readFileSync(manifestFile, 'utf8');
  } catch {
    throw new ManifestError(manifestFile, 'cannot be read; run `npm run synth` first');
  }
  const stacks = parseManifestText(text, manifestFile);
  return applyOrder(stacks, environmentTiers(stacks, dirname(manifestFile)));
}

/** The order to destroy in: the apply order reversed, so that each stack goes before the stacks it depends on. */
export function destroyOrder(ordered: readonly OrderedStack[]): OrderedStack[] {
  return [...ordered].reverse();
}

function compareStacks(a: OrderedStack, b: OrderedStack, tiers: ReadonlyMap<string, EnvironmentTier>): number {
  const environment = (stack: OrderedStack) => ({
    name: stack.env ?? stack.name,
    tier: stack.env === undefined ? undefined : tiers.get(stack.env),
  });
  return layerRank(a.layer) - layerRank(b.layer) || compareEnvironments(environment(a), environment(b)) || a.name.localeCompare(b.name);
}

function layerRank(layer: Layer | undefined): number {
  return layer === undefined ? LAYERS.length : LAYERS.indexOf(layer);
}

/**
 * Each environment's tier, read from the default tags of one of its synthesized stacks (`manifestDir` is the folder
 * of the manifest, which the stacks' paths are relative to), so that the order follows the config's tiers without
 * reading the config. An environment whose stack cannot be read or carries no tier is left out.
 */
export function environmentTiers(stacks: readonly ManifestStack[], manifestDir: string): Map<string, EnvironmentTier> {
  const tiers = new Map<string, EnvironmentTier>();
  for (const stack of stacks) {
    const { env } = classify(stack.name);
    if (env === undefined || tiers.has(env)) continue;
    let tier: EnvironmentTier | undefined;
    try {
      tier = providerTierOf(readSynthesizedStack(join(manifestDir, stack.synthesizedStackPath)));
    } catch {
      continue;
    }
    if (tier) tiers.set(env, tier);
  }
  return tiers;
}

/** A synthesized stack's Terraform JSON (cdk.tf.json); the error names the file that cannot be read or parsed. */
export function readSynthesizedStack(file: string): TerraformJson {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TerraformJson;
  } catch (error) {
    throw new Error(`cannot read the synthesized stack ${file}: ${(error as Error).message}`);
  }
}

/** Walks unmet dependencies from any blocked stack until one repeats: that loop is a cycle. */
function findCycle(remaining: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const path: string[] = [];
  let current = [...remaining.keys()].sort()[0];
  while (!path.includes(current)) {
    path.push(current);
    current = [...remaining.get(current)!].sort()[0];
  }
  return [...path.slice(path.indexOf(current)), current];
}
