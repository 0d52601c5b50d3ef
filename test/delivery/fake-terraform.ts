import { writeFileSync } from 'node:fs';
import type { DeployTarget } from '../../src/checks/order/targets';
import type { Terraform, TerraformRun } from '../../src/delivery/terraform';

/** What the fake terraform answers in one working directory. */
export interface StackScript {
  readonly init?: TerraformRun;
  /** Exit status and output of `plan`; 2 means changes (-detailed-exitcode). */
  readonly plan?: TerraformRun;
  /** The document `show -json tfplan` prints. */
  readonly planJson?: object;
  /** The document `show -json` (the state) prints. */
  readonly stateJson?: object;
  readonly apply?: TerraformRun;
}

export interface Call {
  readonly dir: string;
  readonly args: readonly string[];
}

/** A Terraform that follows a script per working directory and records every call, for tests. */
export function fakeTerraform(scripts: Readonly<Record<string, StackScript>>): Terraform & { readonly calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async run(dir, args, options = {}) {
      calls.push({ dir, args });
      const script = scripts[dir] ?? {};
      const ok = { status: 0, output: '' };
      switch (args[0]) {
        case 'init':
          return script.init ?? ok;
        case 'plan':
          return script.plan ?? { status: 0, output: 'No changes.' };
        case 'apply':
          return script.apply ?? { status: 0, output: 'Apply complete!' };
        case 'show': {
          const document = args.includes('tfplan') ? (script.planJson ?? plan([])) : (script.stateJson ?? { format_version: '1.0' });
          if (options.stdoutFile) writeFileSync(options.stdoutFile, JSON.stringify(document));
          return ok;
        }
        default:
          return { status: 1, output: `fake terraform: unexpected ${args.join(' ')}` };
      }
    },
  };
}

/** A `terraform show -json` plan document with these resource changes (and output changes). */
export function plan(changes: readonly object[], outputs: Record<string, string[]> = {}, drift: readonly object[] = []): object {
  return {
    format_version: '1.2',
    terraform_version: '1.13.5',
    resource_changes: changes,
    ...(drift.length > 0 ? { resource_drift: drift } : {}),
    output_changes: Object.fromEntries(
      Object.entries(outputs).map(([name, actions]) => [name, { actions, before: null, after: 'x', after_unknown: false }]),
    ),
  };
}

export function change(address: string, actions: string[], before: object | null = null, after: object | null = {}): object {
  const [type, name] = address.split('.');
  return {
    address,
    mode: 'managed',
    type,
    name,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: { actions, before, after, after_unknown: {}, before_sensitive: {}, after_sensitive: {} },
  };
}

/** The CI targets of one environment, shaped as `npm run order -- --format json --ci-only` prints them. */
export function targetsOf(env: string, root: string): DeployTarget[] {
  const layers: [string, string[], 'github-hosted' | 'in-vpc'][] = [
    ['network', [], 'github-hosted'],
    ['platform', ['network'], 'github-hosted'],
    ['cluster', ['network', 'platform'], 'in-vpc'],
    ['data', ['network', 'platform', 'cluster'], 'in-vpc'],
    ['edge', ['network', 'platform'], 'github-hosted'],
  ];
  return layers.map(([layer, dependencies, placement]) => ({
    stack: `${env}-${layer}`,
    env,
    layer,
    workingDirectory: `${root}/${env}-${layer}`,
    dependencies: [`${env}-bootstrap`, ...dependencies.map((d) => `${env}-${d}`)],
    backend: 's3',
    ci: true,
    appliedByCi: true,
    accountId: '111111111111',
    region: 'eu-west-1',
    planRoleArn: `arn:aws:iam::111111111111:role/social-${env}-ci-plan`,
    applyRoleArn: `arn:aws:iam::111111111111:role/social-${env}-ci-apply`,
    githubEnvironment: env,
    placement,
    runnerProject: `social-${env}-runner`,
  }));
}

/** The state of a platform layer whose runner exists. */
export function stateWithRunner(project: string): object {
  return {
    format_version: '1.0',
    values: { root_module: { resources: [{ type: 'aws_codebuild_webhook', values: { project_name: project } }] } },
  };
}

/** Terraform's diagnostic frame around an error. */
export function diagnostic(summary: string, detail: string): string {
  return ['Planning...', '╷', `│ Error: ${summary}`, '│ ', `│ ${detail}`, '╵', ''].join('\n');
}
