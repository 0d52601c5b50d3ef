import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { destroyOrder, readApplyOrder, type OrderedStack } from '../checks/order/order';
import type { DeployTarget } from '../checks/order/targets';
import { parseCommandArgs } from './args';
import { runMain } from './entry';
import { ENVIRONMENTS_DIR } from '../config/files';
import { MANIFEST_FILE, SYNTH_OUT_DIR } from '../layers';

const DEFAULT_MANIFEST = `${SYNTH_OUT_DIR}/${MANIFEST_FILE}`;
const USAGE = `usage: npm run order -- [--env <name>]... [--format lines|json] [--ci-only] [--destroy] [--manifest <file>] [--config <dir>]
  --env       only these environments (repeatable or comma-separated; default: all in the manifest)
  --format    lines: one stack name per line (default); json: deploy targets with account, region and CI roles
  --destroy   the order to destroy in (lines only): the apply order reversed, each stack before those it depends on
  --ci-only   leave out stacks CI cannot run (local state backend, i.e. bootstrap); implies reading the synthesized stacks
  --manifest  cdktn manifest (default: ${DEFAULT_MANIFEST}; run \`npm run synth\` first)
  --config    configuration folder (default: config): read for --format json and --ci-only; with the default
              manifest, a file in it changed since that synth is reported on stderr`;

export function main(argv: readonly string[]): number {
  const args = parseCommandArgs('order', argv, { values: ['env', 'format', 'manifest', 'config'], flags: ['ci-only', 'destroy'] }, USAGE);
  if (typeof args === 'number') return args;
  const format = args.values.get('format')?.at(-1) ?? 'lines';
  if (format !== 'lines' && format !== 'json') {
    console.error(`order: --format must be "lines" or "json", got ${JSON.stringify(format)}`);
    return 2;
  }
  const destroy = args.flags.has('destroy');
  if (destroy && format === 'json') {
    console.error('order: --destroy lists stacks for a person to destroy (lines); no workflow destroys, so there is no json for it');
    return 2;
  }
  if (args.positional.length > 0) {
    console.error(`order: unexpected argument(s) ${args.positional.join(' ')}\n${USAGE}`);
    return 2;
  }
  const manifestFile = args.values.get('manifest')?.at(-1) ?? DEFAULT_MANIFEST;
  const configDir = resolve(args.values.get('config')?.at(-1) ?? 'config');
  const only = args.values
    .get('env')
    ?.flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);

  let ordered: OrderedStack[];
  try {
    ordered = readApplyOrder(manifestFile);
  } catch (error) {
    console.error(`order: ${(error as Error).message}`);
    return 1;
  }
  if (manifestFile === DEFAULT_MANIFEST) warnIfOlderThanConfig(manifestFile, configDir, ordered);
  if (only) {
    const known = new Set(ordered.map((stack) => stack.env));
    const unknown = only.filter((env) => !known.has(env));
    if (unknown.length > 0) {
      console.error(
        `order: no stacks for environment(s) ${unknown.join(', ')} in ${manifestFile}; present: ${[...known].filter(Boolean).join(', ')}`,
      );
      return 1;
    }
    ordered = ordered.filter((stack) => stack.env !== undefined && only.includes(stack.env));
  }

  if (destroy) ordered = destroyOrder(ordered);
  const needsTargets = format === 'json' || args.flags.has('ci-only');
  if (!needsTargets) {
    console.log(ordered.map((stack) => stack.name).join('\n'));
    return 0;
  }
  // Only targets need the config (and its schema, a fifth of this command's start-up): loaded here.
  const { ConfigError, loadConfig } = require('../config/load') as typeof import('../config/load');
  const { deployTargets, promotionOrder } = require('../checks/order/targets') as typeof import('../checks/order/targets');
  let targets: DeployTarget[];
  let promotion: string[];
  try {
    const envs = [...new Set(ordered.map((stack) => stack.env).filter((env): env is string => env !== undefined))];
    const configs = loadConfig(configDir, envs);
    targets = deployTargets(ordered, configs, dirname(manifestFile));
    promotion = promotionOrder(configs);
  } catch (error) {
    console.error(`order: ${error instanceof ConfigError ? error.message : (error as Error).message}`);
    return 1;
  }
  if (args.flags.has('ci-only')) targets = targets.filter((target) => target.ci);

  if (format === 'lines') {
    const line = (target: DeployTarget) =>
      target.appliedByCi ? target.stack : `${target.stack} (planned only: an administrator applies it)`;
    console.log(targets.map(line).join('\n'));
    return 0;
  }
  // One line, so CI can pass it through $GITHUB_OUTPUT and fromJSON(); `promotion` feeds the workflows' matrices.
  const environments = byEnvironment(targets);
  console.log(JSON.stringify({ stacks: targets, environments, promotion: promotion.filter((env) => env in environments) }));
  return 0;
}

function byEnvironment(targets: readonly DeployTarget[]): Record<string, unknown> {
  type Environment = Pick<DeployTarget, 'accountId' | 'region' | 'planRoleArn' | 'applyRoleArn' | 'githubEnvironment' | 'runnerProject'> & {
    stacks: string[];
  };
  const environments: Record<string, Environment> = {};
  for (const target of targets) {
    environments[target.env] ??= {
      accountId: target.accountId,
      region: target.region,
      planRoleArn: target.planRoleArn,
      applyRoleArn: target.applyRoleArn,
      githubEnvironment: target.githubEnvironment,
      runnerProject: target.runnerProject,
      stacks: [],
    };
    const env = environments[target.env]!;
    env.stacks.push(target.stack);
  }
  return environments;
}

/**
 * The listing is of the last synth: when a file of the configuration folder is newer than the synthesized output (an
 * environment added, a `git pull`, a synth that failed on invalid config and left the output as it was), or an
 * environment of the output has no file any more (removed), say so on stderr, where it does not mix with the listing
 * CI reads.
 */
function warnIfOlderThanConfig(manifestFile: string, configDir: string, ordered: readonly OrderedStack[]): void {
  const synthesized = statSync(manifestFile).mtimeMs;
  let newer: string[];
  let files: string[];
  try {
    newer = readdirSync(configDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .filter((file) => statSync(file).mtimeMs > synthesized);
    files = readdirSync(join(configDir, ENVIRONMENTS_DIR));
  } catch {
    return;
  }
  const removed = [...new Set(ordered.map((stack) => stack.env))].filter(
    (env): env is string => env !== undefined && !files.includes(`${env}.json`),
  );
  if (removed.length > 0) {
    console.error(
      `order: ${removed.join(', ')} ${removed.length === 1 ? 'has' : 'have'} stacks in ${manifestFile} but no file in ` +
        `${relative(process.cwd(), join(configDir, ENVIRONMENTS_DIR)) || '.'} (removed since the last synth?); ` +
        'run `npm run synth` first to leave them out.',
    );
  }
  if (newer.length === 0) return;
  const shown = newer.map((file) => relative(process.cwd(), file)).sort();
  console.error(
    `order: ${shown.slice(0, 3).join(', ')}${shown.length > 3 ? ` and ${shown.length - 3} more` : ''} changed after ${manifestFile} ` +
      'was synthesized, so this is the order of the last synth; run `npm run synth` first to include the change.',
  );
}

if (require.main === module) runMain(main);
