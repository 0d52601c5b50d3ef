import { join } from 'node:path';
import type { EnvironmentConfig } from '../../config/load';
import { compareEnvironments } from '../../environment-tiers';
import { ADMINISTRATOR_LAYERS, placementOf, type RunnerPlacement } from '../../layers';
import { Naming } from '../../naming';
import { readSynthesizedStack, type OrderedStack } from './order';

/** Everything a CI job needs to plan or apply one stack; account ids come from config, never from workflows. */
export interface DeployTarget {
  readonly stack: string;
  readonly env: string;
  readonly layer: string;
  /** Folder holding cdk.tf.json, relative to the repository root. */
  readonly workingDirectory: string;
  readonly dependencies: readonly string[];
  /** Backend type from the synthesized `terraform.backend` block. */
  readonly backend: string;
  /**
   * False for stacks with a local backend (bootstrap): CI runners have no state for them, so CI
   * would plan to create everything. They are applied by hand until their state is migrated.
   */
  readonly ci: boolean;
  /** False for the layers only an administrator applies (`ADMINISTRATOR_LAYERS`): CI plans them, never applies them. */
  readonly appliedByCi: boolean;
  readonly accountId: string;
  readonly region: string;
  readonly planRoleArn: string;
  readonly applyRoleArn: string;
  /** GitHub environment the apply job runs in; the apply role trusts only this environment. */
  readonly githubEnvironment: string;
  /** Where its jobs run: on GitHub-hosted runners, or on the environment's in-VPC runner (private endpoints). */
  readonly placement: RunnerPlacement;
  /** The CodeBuild project of the environment's in-VPC runner (its `runs-on` label starts `codebuild-<project>-`). */
  readonly runnerProject: string;
}

export function deployTargets(
  ordered: readonly OrderedStack[],
  environments: readonly EnvironmentConfig[],
  outdir: string,
): DeployTarget[] {
  const byName = new Map(environments.map((env) => [env.name, env]));
  return ordered.map((stack) => {
    const config = stack.env === undefined ? undefined : byName.get(stack.env);
    if (!config || !stack.layer) {
      throw new Error(
        `stack ${stack.name} does not match a configured environment and layer (<env>-<layer>); ` +
          `configured: ${[...byName.keys()].join(', ')}`,
      );
    }
    const naming = new Naming({
      project: config.project.project,
      environment: config.name,
      accountId: config.accountId,
      region: config.region,
    });
    const backend = backendOf(join(outdir, stack.synthesizedStackPath));
    return {
      stack: stack.name,
      env: config.name,
      layer: stack.layer,
      workingDirectory: join(outdir, stack.workingDirectory),
      dependencies: stack.dependencies,
      backend,
      ci: backend !== 'local',
      appliedByCi: !ADMINISTRATOR_LAYERS.includes(stack.layer),
      accountId: config.accountId,
      region: config.region,
      planRoleArn: naming.roleArn(naming.ciRoleName('plan')),
      applyRoleArn: naming.roleArn(naming.ciRoleName('apply')),
      githubEnvironment: config.ci.applyEnvironment,
      placement: placementOf(stack.layer),
      runnerProject: naming.ciRunner.projectName,
    };
  });
}

/** Terraform's default is local state, so a stack without a backend block counts as local. */
function backendOf(file: string): string {
  return Object.keys(readSynthesizedStack(file).terraform?.backend ?? {})[0] ?? 'local';
}

/**
 * The order the apply pipeline promotes a commit through the environments: by tier (development, staging,
 * production), then by name. Derived from config, so an environment added there is applied without a workflow edit.
 */
export function promotionOrder(environments: readonly EnvironmentConfig[]): string[] {
  return [...environments].sort(compareEnvironments).map((env) => env.name);
}
