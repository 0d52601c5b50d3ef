import { CloudwatchEventRule } from '@cdktn/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktn/provider-aws/lib/cloudwatch-event-target';
import { CodebuildProject } from '@cdktn/provider-aws/lib/codebuild-project';
import type { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktn/provider-aws/lib/vpc-security-group-egress-rule';
import { Construct } from 'constructs';
import { formatArn, partitionOf, type RestoreValidationNames } from '../../naming';
import { validateCodeBuildProject, vpcBuildBase, type VpcBuildProjectProps } from '../ci/codebuild-network';
import { DEFAULT_RUNNER_IMAGE } from '../ci/github-actions-runner';
import { POSTGRES_PORT } from '../data/postgres-database';
import { MAINTENANCE_DATABASE, RDS_CA_BUNDLE_URL, validatePostgresIdentifier } from '../data/postgres-service-logins';
import { invalidProp } from '../invalid-prop';
import { terraformLiteral } from '../terraform-literal';
import type { EncryptedLogGroup } from '../observability/encrypted-log-group';
import { AwsServiceRole } from '../security/aws-service-role';
import type { PolicyStatement } from '../security/policy-document';

/** The check installs psql and runs a few queries: a build still running after this long is stuck. */
const VALIDATION_BUILD_TIMEOUT_MINUTES = 15;

/**
 * The psql client, from the Amazon Linux 2023 repositories of the build image (which has the AWS CLI but no
 * PostgreSQL client). psql talks to newer servers; the check uses plain queries only, no backslash commands.
 */
const PSQL_PACKAGE = 'postgresql17';

/**
 * What the check reads in each service database, from the catalog only (no table data, so no grant on a
 * service's tables): how many tables its schemas hold and their size on disk. `pg_relation_size` checks no
 * privilege (unlike `pg_database_size`, https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-DBSIZE);
 * an empty table has 0 bytes in its main fork, so bytes > 0 means rows were restored.
 */
const RESTORE_CHECK_SQL =
  'SELECT count(*), coalesce(sum(pg_relation_size(c.oid)), 0) FROM pg_catalog.pg_class c ' +
  'JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ' +
  "WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'";

/**
 * The validation, in bash, from the build's environment: `RESTORE_JOB_ID` and `CREATED_RESOURCE_ARN` from the
 * event, the rest from the buildspec. It reports VALIDATING first, then SUCCESSFUL or FAILED with what it found.
 * SUCCESSFUL means: the restored instance is available with IAM authentication, accepts the validation login
 * over TLS (verify-full against the RDS CA bundle), every service database accepts it, and, when there are
 * service databases, at least one holds table data. A restore of no data proves nothing, so an environment
 * whose services have no tables yet fails too, until they migrate.
 */
const RESTORE_VALIDATION_SCRIPT = `set -euo pipefail
: "\${RESTORE_JOB_ID:?set by the EventBridge target}" "\${CREATED_RESOURCE_ARN:?set by the EventBridge target}"
report() {
  # The API documents no maximum length for the message; it is kept short for the console.
  aws backup put-restore-validation-result --restore-job-id "$RESTORE_JOB_ID" \\
    --validation-status "$1" --validation-status-message "\${2:0:500}"
  echo "$1: $2"
}
fail() { report FAILED "$1"; exit 1; }
report VALIDATING "build \${CODEBUILD_BUILD_ID:-started by hand}"
dnf install --quiet --assumeyes "$PSQL_PACKAGE" >/dev/null || fail "could not install $PSQL_PACKAGE"
instance=\${CREATED_RESOURCE_ARN##*:}
described=$(aws rds describe-db-instances --db-instance-identifier "$instance" --output text \\
  --query 'DBInstances[0].[Endpoint.Address,Endpoint.Port,DBInstanceStatus,IAMDatabaseAuthenticationEnabled]') ||
  fail "cannot describe $instance"
read -r host port status iam <<<"$described"
[ "$status" = available ] || fail "$instance is $status, not available"
[ "$iam" = True ] || fail "$instance was restored without IAM database authentication"
ca=$(mktemp)
curl --fail --silent --show-error --proto =https --output "$ca" "$CA_BUNDLE_URL" || fail "cannot fetch the RDS CA bundle"
PGPASSWORD=$(aws rds generate-db-auth-token --hostname "$host" --port "$port" --username "$DB_USER") ||
  fail "cannot generate an IAM authentication token"
export PGHOST=$host PGPORT=$port PGUSER=$DB_USER PGPASSWORD PGSSLMODE=verify-full PGSSLROOTCERT=$ca PGCONNECT_TIMEOUT=10
query() { psql --no-psqlrc --quiet --tuples-only --no-align --field-separator=' ' --set=ON_ERROR_STOP=1 --dbname="$1" --command="$2"; }
query "$MAINTENANCE_DATABASE" 'SELECT 1' >/dev/null || fail "$instance refuses $DB_USER (IAM token, TLS verify-full)"
summary="" holding=0
for database in $SERVICE_DATABASES; do
  counts=$(query "$database" "$CHECK_SQL") || fail "$instance: cannot connect to database $database"
  read -r tables bytes <<<"$counts"
  summary="$summary $database=$tables/$bytes"
  if [ "$bytes" -gt 0 ]; then holding=$((holding + 1)); fi
done
if [ -n "$SERVICE_DATABASES" ] && [ "$holding" -eq 0 ]; then
  fail "$instance: no service database holds table data (database=tables/bytes):$summary"
fi
report SUCCESSFUL "$instance: IAM login over TLS; database=tables/bytes:\${summary:- no service databases}"
`;

/**
 * Its build also fetches the RDS CA bundle and installs psql through the NAT route of `subnetIds`, and reaches the
 * restored instance in the data subnets.
 */
export interface PostgresRestoreValidationProps extends RestoreValidationNames, VpcBuildProjectProps {
  /** The restore testing plan whose completed restore jobs are validated. */
  readonly restoreTestingPlanArn: string;
  /** The security group restored instances get (the database's own): it admits the build on the PostgreSQL port. */
  readonly databaseSecurityGroupId: string;
  /** The service databases every restore must hold. */
  readonly databases: readonly string[];
}

/**
 * Validates every restore of the PostgreSQL restore testing plan
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-validation.html): an EventBridge
 * rule matches the plan's completed restore jobs ("Restore Job State Change" events of `aws.backup`, whose
 * detail names the plan, the job and the created resource) and starts a CodeBuild build in the VPC with the
 * job id and the restored instance's ARN. The build logs in without a password (IAM database authentication,
 * as the validation login `databaseUser`), checks the data (`RESTORE_VALIDATION_SCRIPT`) and reports with
 * PutRestoreValidationResult, well within the selection's validation window.
 *
 * CodeBuild rather than Lambda: no code to package (an inline buildspec and the AWS CLI of a managed image),
 * psql instead of a bundled PostgreSQL driver, and the same pattern as the in-VPC CI runner. The build may
 * describe DB instances, connect as the validation login only, report validation results and write its logs;
 * its security group reaches PostgreSQL on the database's group and HTTPS, nothing else.
 */
export class PostgresRestoreValidation extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly logGroup: EncryptedLogGroup;
  readonly role: AwsServiceRole;
  readonly project: CodebuildProject;
  readonly rule: CloudwatchEventRule;
  readonly startRole: AwsServiceRole;
  readonly target: CloudwatchEventTarget;

  constructor(scope: Construct, id: string, props: PostgresRestoreValidationProps) {
    super(scope, id);
    validate(props);
    const { accountId, projectName } = props;

    const base = vpcBuildBase(this, props, {
      securityGroup: `CodeBuild project ${projectName}: PostgreSQL to the database group, HTTPS out`,
      https: 'HTTPS: AWS APIs, the RDS CA bundle, the package repository',
    });
    this.securityGroup = base.securityGroup;
    this.logGroup = base.logGroup;
    new VpcSecurityGroupEgressRule(this, 'to-postgres', {
      securityGroupId: this.securityGroup.id,
      description: 'PostgreSQL: the restored instance',
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: props.databaseSecurityGroupId,
    });

    this.role = new AwsServiceRole(this, 'role', {
      roleName: props.roleName,
      description: `CodeBuild project ${projectName}: describe DB instances, connect as ${props.databaseUser}, report restore validations`,
      servicePrincipal: 'codebuild.amazonaws.com',
      accountId,
      statements: [...base.statements, ...this.validationStatements(props)],
      inlinePolicyName: 'validate-restores',
    });

    this.project = new CodebuildProject(this, 'project', {
      name: projectName,
      description: 'Validates the restored PostgreSQL instance of each completed restore test job',
      serviceRole: this.role.arn,
      source: { type: 'NO_SOURCE', buildspec: terraformLiteral('PostgresRestoreValidation', 'buildspec', buildspec(props)) },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: {
        computeType: 'BUILD_GENERAL1_SMALL',
        image: DEFAULT_RUNNER_IMAGE.name,
        type: DEFAULT_RUNNER_IMAGE.environmentType,
        imagePullCredentialsType: 'CODEBUILD',
        privilegedMode: false,
      },
      buildTimeout: VALIDATION_BUILD_TIMEOUT_MINUTES,
      vpcConfig: base.vpcConfig,
      logsConfig: base.logsConfig,
      // CodeBuild checks the role's network permissions when it creates a VPC project.
      dependsOn: [...this.role.grants],
    });

    this.rule = new CloudwatchEventRule(this, 'rule', {
      name: props.ruleName,
      description: 'Completed restore jobs of the PostgreSQL restore testing plan: start the validation build',
      eventPattern: JSON.stringify(restoreValidationEventPattern(props.restoreTestingPlanArn)),
      state: 'ENABLED',
    });
    this.startRole = new AwsServiceRole(this, 'start-role', {
      roleName: props.startRoleName,
      description: `EventBridge: starts builds of ${projectName}`,
      servicePrincipal: 'events.amazonaws.com',
      accountId,
      inlinePolicyName: 'start-validation-builds',
      statements: [{ sid: 'StartValidationBuilds', actions: ['codebuild:StartBuild'], resources: [this.project.arn] }],
    });
    // For a CodeBuild target the input is the body of StartBuild, so it can override environment variables:
    // https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_events_targets.CodeBuildProject.html ("the
    // payload for the StartBuild API"). A variable placed without quotes is inserted as a JSON string
    // (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
    this.target = new CloudwatchEventTarget(this, 'target', {
      rule: this.rule.name,
      targetId: 'validation-build',
      arn: this.project.arn,
      roleArn: this.startRole.arn,
      inputTransformer: {
        inputPaths: { restoreJobId: '$.detail.restoreJobId', createdResourceArn: '$.detail.createdResourceArn' },
        inputTemplate: JSON.stringify({
          environmentVariablesOverride: [
            { name: 'RESTORE_JOB_ID', type: 'PLAINTEXT', value: '<restoreJobId>' },
            { name: 'CREATED_RESOURCE_ARN', type: 'PLAINTEXT', value: '<createdResourceArn>' },
          ],
        }).replace(/"(<\w+>)"/g, '$1'),
      },
      dependsOn: this.startRole.grants,
    });
  }

  /** Build logs, the build network, and the three calls of the check. */
  private validationStatements(props: PostgresRestoreValidationProps): PolicyStatement[] {
    const { accountId, region } = props;
    const rds = (service: string, resource: string) => formatArn(partitionOf(region), service, region, accountId, resource);
    return [
      // Restored instances get names AWS Backup picks.
      { sid: 'FindRestoredInstances', actions: ['rds:DescribeDBInstances'], resources: [rds('rds', 'db:*')] },
      // A restored instance has a new resource id, unknown here: any instance, but only as the validation login.
      {
        sid: 'ConnectAsValidationLogin',
        actions: ['rds-db:connect'],
        resources: [rds('rds-db', `dbuser:*/${props.databaseUser}`)],
      },
      // PutRestoreValidationResult has no resource type (Service Authorization Reference, AWS Backup).
      { sid: 'ReportValidations', actions: ['backup:PutRestoreValidationResult'], resources: ['*'] },
    ];
  }
}

/**
 * Completed restore jobs of one restore testing plan
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html, restore job events).
 */
function restoreValidationEventPattern(restoreTestingPlanArn: string): Record<string, unknown> {
  return {
    source: ['aws.backup'],
    'detail-type': ['Restore Job State Change'],
    detail: { restoreTestingPlanArn: [restoreTestingPlanArn], resourceType: ['RDS'], status: ['COMPLETED'] },
  };
}

/** Inline buildspec: the check's settings as variables, and the script as the one build command. */
function buildspec(props: PostgresRestoreValidationProps): string {
  // JSON is YAML: CodeBuild reads it as a buildspec, and nothing needs YAML quoting rules.
  return JSON.stringify(
    {
      version: '0.2',
      env: {
        shell: 'bash',
        variables: {
          DB_USER: props.databaseUser,
          MAINTENANCE_DATABASE,
          SERVICE_DATABASES: props.databases.join(' '),
          CA_BUNDLE_URL: RDS_CA_BUNDLE_URL,
          PSQL_PACKAGE,
          CHECK_SQL: RESTORE_CHECK_SQL,
        },
      },
      phases: { build: { commands: [RESTORE_VALIDATION_SCRIPT] } },
    },
    null,
    2,
  );
}

function validate(props: PostgresRestoreValidationProps): void {
  const construct = `PostgresRestoreValidation ${props.projectName}`;
  const fail = (prop: string, allowed: string, got: unknown) => invalidProp(construct, prop, allowed, got);
  validateCodeBuildProject(construct, props);
  validatePostgresIdentifier(construct, 'databaseUser', props.databaseUser);
  props.databases.forEach((database, i) => {
    validatePostgresIdentifier(construct, `databases[${i}]`, database);
    if (props.databases.indexOf(database) !== i) fail(`databases[${i}]`, 'listed once', database);
  });
}
