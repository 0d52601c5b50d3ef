import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { Aspects, LocalBackend, S3Backend, TerraformStack } from 'cdktn';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import { PermissionsBoundaryAspect } from '../constructs/security/permissions-boundary';
import { ContractOutput } from '../contract/contract-output';
import { stackName, type Layer } from '../layers';
import { Naming } from '../naming';

/** Terraform versions the synthesized output is written for: S3-native locking needs 1.11. */
export const TERRAFORM_REQUIRED_VERSION = '>= 1.11.0';

/**
 * Folder, next to the synthesized output folder, that holds the bootstrap layer's local state until it
 * moves into its bucket. Synth replaces the output folder, so state must never live inside it.
 */
export const BOOTSTRAP_STATE_DIR = 'bootstrap-state';

/**
 * The local state file of an environment's bootstrap layer, relative to the stack's working directory
 * `<out>/stacks/<env>-bootstrap`, i.e. `<parent of out>/bootstrap-state/<env>/terraform.tfstate`.
 */
export function bootstrapLocalStatePath(environment: string): string {
  return `../../../${BOOTSTRAP_STATE_DIR}/${environment}/terraform.tfstate`;
}

/**
 * Base of every layer stack: one AWS provider pinned to the environment's account, default tags,
 * and the state backend. The bootstrap layer starts with local state because it creates the
 * backend (until `stateBackend.bootstrapStateInBucket`); every other layer stores state in the
 * bucket bootstrap made, one key per layer.
 */
export abstract class LayerStack extends TerraformStack {
  readonly config: EnvironmentConfig;
  readonly layer: Layer;
  readonly naming: Naming;
  readonly provider: AwsProvider;

  constructor(scope: Construct, config: EnvironmentConfig, layer: Layer) {
    super(scope, stackName(config.name, layer));
    this.config = config;
    this.layer = layer;
    this.naming = new Naming({ project: config.project.project, environment: config.name, accountId: config.accountId, region: config.region });

    this.provider = new AwsProvider(this, 'aws', {
      region: config.region,
      // Refuses to run with credentials for any other account, so a prod config cannot touch dev and back.
      allowedAccountIds: [config.accountId],
      assumeRole: config.assumeRoleArn ? [{ roleArn: config.assumeRoleArn, sessionName: `${this.naming.prefix}-${layer}` }] : undefined,
      defaultTags: [{ tags: this.defaultTags() }],
    });

    if (layer === 'bootstrap' && !config.stateBackend.bootstrapStateInBucket) {
      new LocalBackend(this, { path: bootstrapLocalStatePath(config.name) });
    } else {
      new S3Backend(this, {
        bucket: this.naming.stateBucket,
        key: this.naming.stateKey(layer),
        region: config.region,
        encrypt: true,
        kmsKeyId: `arn:aws:kms:${config.region}:${config.accountId}:${this.naming.stateKeyAlias}`,
        useLockfile: true,
        // Kept next to the S3 lock file so Terraform versions that predate use_lockfile still lock.
        dynamodbTable: this.naming.stateLockTable,
        allowedAccountIds: [config.accountId],
        assumeRole: config.assumeRoleArn ? { roleArn: config.assumeRoleArn, sessionName: `${this.naming.prefix}-${layer}-state` } : undefined,
      });
    }
    this.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);
    if (layer !== 'bootstrap') Aspects.of(this).add(new PermissionsBoundaryAspect(this.permissionsBoundaryArn));
  }

  /** The boundary bootstrap creates; every role of the other layers carries it. */
  get permissionsBoundaryArn(): string {
    return `arn:aws:iam::${this.config.accountId}:policy/${this.naming.permissionsBoundaryName}`;
  }

  /** Publishes a value of the outputs contract (src/contract/catalog.ts) as output and SSM parameter. */
  protected publish(name: string, value: unknown): ContractOutput {
    return new ContractOutput(this, name, { layer: this.layer, parameterName: this.naming.parameterPath(name), value });
  }

  private defaultTags(): Record<string, string> {
    const { project } = this.config;
    return {
      Project: project.project,
      Environment: this.config.name,
      // The policy rules hold resources to the baseline of their tier (production: HA, protection).
      EnvironmentTier: this.config.tier,
      Layer: this.layer,
      ManagedBy: 'terraform',
      Repository: `${project.github.organization}/${project.github.infraRepository}`,
      Owner: project.owner,
      CostCenter: project.costCenter,
    };
  }
}
