import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { Aspects, LocalBackend, S3Backend, TerraformResource, TerraformStack } from 'cdktn';
import type { Construct } from 'constructs';
import { protectionReason } from '../checks/guard/protected';
import type { EnvironmentConfig } from '../config/load';
import { DAILY_BACKUP_START, DEFAULT_BACKUP_RETENTION_DAYS } from '../config/schema/recovery';
import { BackupPlan, type BackupRule } from '../constructs/recovery/backup-plan';
import { PermissionsBoundaryAspect } from '../constructs/security/permissions-boundary';
import { hasStableAddress, useStableAddresses } from '../constructs/stable-address';
import { ContractOutput } from '../contract/contract-output';
import { ENVIRONMENT_TIER_TAG } from '../environment-tiers';
import { BOOTSTRAP_STATE_DIR, stackName, TERRAFORM_REQUIRED_VERSION, type Layer } from '../layers';
import { Naming } from '../naming';
import { PROTECTION_BY_TIER, type ProtectionProfile } from './protection';

/** Daily backups at DAILY_BACKUP_START; AWS Backup cron syntax. */
const DAILY_BACKUP_SCHEDULE = `cron(0 ${DAILY_BACKUP_START.hourUtc} * * ? *)`;
/** A continuous rule still has a schedule: AWS Backup uses it for maintenance of the recovery point. */
const CONTINUOUS_BACKUP_SCHEDULE = 'cron(0 * * * ? *)';

export interface BackUpOptions {
  /**
   * Also back up continuously (point-in-time restore) for this many days (1–35).
   * @default - daily snapshots only
   */
  readonly continuousRetentionDays?: number;
}

/**
 * The local state file of an environment's bootstrap layer, relative to the stack's working directory
 * `<out>/stacks/<env>-bootstrap`, i.e. `<parent of out>/bootstrap-state/<env>/terraform.tfstate`.
 */
function bootstrapLocalStatePath(environment: string): string {
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
  /** How this tier guards its state against deletion (src/stacks/protection.ts). */
  readonly protection: ProtectionProfile;
  readonly provider: AwsProvider;

  constructor(scope: Construct, config: EnvironmentConfig, layer: Layer) {
    super(scope, stackName(config.name, layer));
    this.config = config;
    this.layer = layer;
    this.protection = PROTECTION_BY_TIER[config.tier];
    this.naming = new Naming({
      project: config.project.project,
      environment: config.name,
      accountId: config.accountId,
      region: config.region,
    });
    const { accountId, region } = config;
    useStableAddresses(this, { project: config.project.project, environment: config.name, accountId, region });
    this.node.addValidation({ validate: () => this.resourcesWithoutStableAddress() });

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
        kmsKeyId: this.naming.arn('kms', this.naming.stateKeyAlias),
        // The S3 lock file alone: every Terraform and OpenTofu that can run this output (TERRAFORM_REQUIRED_VERSION) has
        // it, and Terraform deprecates DynamoDB locking (https://developer.hashicorp.com/terraform/language/backend/s3;
        // OpenTofu keeps both, https://opentofu.org/docs/language/settings/backends/s3/). A run still on an older
        // commit takes the lock file too, so runs on either side of the change exclude each other.
        useLockfile: true,
        allowedAccountIds: [config.accountId],
        assumeRole: config.assumeRoleArn
          ? { roleArn: config.assumeRoleArn, sessionName: `${this.naming.prefix}-${layer}-state` }
          : undefined,
      });
    }
    this.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);
    if (layer !== 'bootstrap') Aspects.of(this).add(new PermissionsBoundaryAspect(this.permissionsBoundaryArn));
  }

  /**
   * Every resource the destructive-change guard protects must have a stable address, so that renaming
   * its construct can never plan its destruction (src/constructs/stable-address.ts).
   */
  private resourcesWithoutStableAddress(): string[] {
    return this.node
      .findAll()
      .filter((node): node is TerraformResource => TerraformResource.isTerraformResource(node))
      .filter((resource) => protectionReason(resource.terraformResourceType) !== undefined && !hasStableAddress(resource))
      .map(
        (resource) =>
          `${resource.node.path}: ${resource.terraformResourceType} is a protected type and needs a stable address; ` +
          'call stableAddress(resource, <physical name>) in the construct that creates it',
      );
  }

  /** The boundary bootstrap creates; every role of the other layers carries it. */
  get permissionsBoundaryArn(): string {
    return this.naming.policyArn(this.naming.permissionsBoundaryName);
  }

  /** The environment's backup vault (bootstrap creates it, and its copies in the recovery region). */
  get backupVaultArn(): string {
    return this.naming.backupVaultArn();
  }

  /** The vaults every daily recovery point is copied to: the recovery region, and the recovery account if configured. */
  get recoveryVaultArns(): string[] {
    const { recovery } = this.config;
    if (!recovery) return [];
    const accounts = [this.config.accountId, ...(recovery.accountId ? [recovery.accountId] : [])];
    return accounts.map((account) => this.naming.backupVaultArn({ region: recovery.region, account }));
  }

  /** The AWS Backup role bootstrap creates. */
  get backupRoleArn(): string {
    return this.naming.roleArn(this.naming.backupRoleName);
  }

  /**
   * Backs up this layer's stores into the environment's vault: a daily snapshot kept
   * `recovery.retentionDays` (default 35) and copied to the recovery vaults, and, with
   * `continuousRetentionDays`, continuous backup for point-in-time restore.
   */
  protected backUp(purpose: string, resourceArns: readonly string[], options: BackUpOptions = {}): BackupPlan {
    const retentionDays = this.config.recovery?.retentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS;
    const copyToVaultArns = this.recoveryVaultArns;
    const rules: BackupRule[] = [
      {
        name: 'daily',
        schedule: DAILY_BACKUP_SCHEDULE,
        startWindowMinutes: DAILY_BACKUP_START.windowMinutes,
        retentionDays,
        copyToVaultArns,
      },
    ];
    const continuousRetentionDays = options.continuousRetentionDays;
    if (continuousRetentionDays !== undefined) {
      rules.push({ name: 'continuous', schedule: CONTINUOUS_BACKUP_SCHEDULE, retentionDays: continuousRetentionDays, continuous: true });
    }
    return new BackupPlan(this, `backup-${purpose}`, {
      name: this.naming.name('backup', purpose),
      vaultName: this.naming.backupVaultName,
      roleArn: this.backupRoleArn,
      resourceArns,
      rules,
    });
  }

  /** Where alarm descriptions link the runbooks: `docs/runbooks/alarms/` of this repository's main branch. */
  get runbookBaseUrl(): string {
    const { organization, infraRepository } = this.config.project.github;
    return `https://github.com/${organization}/${infraRepository}/blob/main/docs/runbooks/alarms`;
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
      [ENVIRONMENT_TIER_TAG]: this.config.tier,
      Layer: this.layer,
      ManagedBy: 'terraform',
      Repository: `${project.github.organization}/${project.github.infraRepository}`,
      Owner: project.owner,
      CostCenter: project.costCenter,
    };
  }
}
