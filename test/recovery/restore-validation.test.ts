// The validation of the weekly PostgreSQL restore test, on the synthesized JSON of every example environment:
// the rule, the build it starts, what the build may do and reach, the login it uses, and the check script
// itself, run here with stand-ins for the AWS CLI, dnf, curl and psql (no AWS account or database).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { evaluate } from '../../src/checks/iam/evaluate';
import { rolesOf } from '../../src/checks/iam/roles';
import type { EnvironmentConfig } from '../../src/config/load';
import { codeBuildNetworkStatements } from '../../src/constructs/ci/codebuild-network';
import { POSTGRES_PORT } from '../../src/constructs/data/postgres-database';
import { PostgresRestoreValidation, type PostgresRestoreValidationProps } from '../../src/constructs/recovery/restore-validation';
import { Naming } from '../../src/naming';
import { databaseUserName, serviceDatabaseName } from '../../src/stacks/data-stack';
import { exampleEnvironments, exampleStacks, policyOf, resourcesOf, stack, synthOneStack, type TerraformJson } from '../support/synth';

const bodies = (doc: TerraformJson, type: string): any[] => resourcesOf(doc, type).map(([, body]) => body);
const names = (env: EnvironmentConfig) =>
  new Naming({ project: env.project.project, environment: env.name, accountId: env.accountId, region: env.region });
const postgresDatabases = (env: EnvironmentConfig) =>
  env.project.services.filter((s) => s.capabilities.includes('postgres')).map((s) => serviceDatabaseName(s.name));
/** The reference Terraform renders for a resource's attribute. */
const ref = (doc: TerraformJson, type: string, pathSuffix: string, attribute: string) => {
  const matches = resourcesOf(doc, type).filter(([, body]) => String(body['//']?.metadata?.path ?? '').endsWith(pathSuffix));
  assert.equal(matches.length, 1, `one ${type} at …${pathSuffix}`);
  return `\${${type}.${matches[0]![0]}.${attribute}}`;
};
/** Undoes the Terraform escapes of a literal string (`$${` and `%%{`). */
const terraformValue = (text: string) => text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');

/** EventBridge matching for patterns made only of exact-value arrays, the only kind the rule uses (checked below). */
function matches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, allowed]) =>
    Array.isArray(allowed)
      ? allowed.includes(event[key])
      : typeof event[key] === 'object' && matches(allowed as Record<string, unknown>, event[key] as Record<string, unknown>),
  );
}
const onlyExactValues = (pattern: unknown): boolean =>
  Array.isArray(pattern)
    ? pattern.every((value) => typeof value === 'string')
    : Object.values(pattern as Record<string, unknown>).every(onlyExactValues);

for (const env of exampleEnvironments()) {
  const doc = stack(exampleStacks(), `${env.name}-data`);
  const n = names(env).postgresRestoreValidation;
  const [project] = bodies(doc, 'aws_codebuild_project').filter((p) => p.name === n.projectName);
  const buildspec = JSON.parse(terraformValue(project.source.buildspec));
  const planArn = ref(doc, 'aws_backup_restore_testing_plan', 'postgres-restore-test/plan', 'arn');

  describe(`restore test validation: ${env.name}`, () => {
    it('validates the restores of every restore testing plan of the environment', () => {
      const plans = resourcesOf(doc, 'aws_backup_restore_testing_plan');
      const rules = bodies(doc, 'aws_cloudwatch_event_rule').filter((r) => r.name === n.ruleName);
      assert.ok(plans.length > 0);
      assert.deepEqual(
        rules.map((r) => JSON.parse(r.event_pattern).detail.restoreTestingPlanArn),
        plans.map(([address]) => [`\${aws_backup_restore_testing_plan.${address}.arn}`]),
      );
    });

    it("starts a build for this plan's completed PostgreSQL restore jobs only", () => {
      const [rule] = bodies(doc, 'aws_cloudwatch_event_rule').filter((r) => r.name === n.ruleName);
      const pattern = JSON.parse(rule.event_pattern);
      assert.ok(onlyExactValues(pattern), 'exact values only, as the matcher here models');
      const completed = {
        source: 'aws.backup',
        'detail-type': 'Restore Job State Change',
        detail: { restoreJobId: 'job-1', status: 'COMPLETED', resourceType: 'RDS', restoreTestingPlanArn: planArn },
      };
      assert.ok(matches(pattern, completed));
      for (const [what, event] of [
        ['a running job', { ...completed, detail: { ...completed.detail, status: 'RUNNING' } }],
        ['a failed job', { ...completed, detail: { ...completed.detail, status: 'FAILED' } }],
        ['a job of another plan', { ...completed, detail: { ...completed.detail, restoreTestingPlanArn: `${planArn}-other` } }],
        [
          'a restore outside restore testing',
          { ...completed, detail: { restoreJobId: 'job-2', status: 'COMPLETED', resourceType: 'RDS' } },
        ],
        ['a backup job', { ...completed, 'detail-type': 'Backup Job State Change' }],
        ['an event of another source', { ...completed, source: 'custom.backup' }],
      ] as const) {
        assert.ok(!matches(pattern, event as Record<string, unknown>), what);
      }
    });

    it('passes the restore job id and the restored instance to the build, the variables the script reads', () => {
      const [target] = bodies(doc, 'aws_cloudwatch_event_target').filter(
        (t) => t.rule === ref(doc, 'aws_cloudwatch_event_rule', 'postgres-restore-validation/rule', 'name'),
      );
      assert.equal(target.arn, ref(doc, 'aws_codebuild_project', 'postgres-restore-validation/project', 'arn'));
      const { input_paths: paths, input_template: template } = target.input_transformer;
      assert.deepEqual(paths, { restoreJobId: '$.detail.restoreJobId', createdResourceArn: '$.detail.createdResourceArn' });
      // As EventBridge fills a template: each unquoted <variable> becomes the JSON value at its path.
      const event = { detail: { restoreJobId: 'job "1"', createdResourceArn: 'arn:aws:rds:r:1:db:awsbackup-restore-test-x' } };
      const detail = new Map(Object.entries(event.detail));
      const filled = template.replace(/<(\w+)>/g, (_: string, name: string) =>
        JSON.stringify(detail.get((paths as Record<string, string>)[name]!.replace('$.detail.', ''))),
      );
      assert.deepEqual(JSON.parse(filled), {
        environmentVariablesOverride: [
          { name: 'RESTORE_JOB_ID', type: 'PLAINTEXT', value: 'job "1"' },
          { name: 'CREATED_RESOURCE_ARN', type: 'PLAINTEXT', value: event.detail.createdResourceArn },
        ],
      });
      const script = buildspec.phases.build.commands.join('\n');
      for (const name of ['RESTORE_JOB_ID', 'CREATED_RESOURCE_ARN']) assert.match(script, new RegExp(`\\$\\{?${name}\\b`));
      const start = rolesOf(exampleStacks(), env.name).find((r) => r.name === n.startRoleName)!;
      assert.deepEqual(
        start.identity.map((s) => [s.Action, s.Resource]),
        [['codebuild:StartBuild', target.arn]],
      );
      const [startRole] = bodies(doc, 'aws_iam_role').filter((r) => r.name === n.startRoleName);
      assert.deepEqual(policyOf(startRole.assume_role_policy).Statement[0].Principal, { Service: 'events.amazonaws.com' });
      assert.equal(target.role_arn, ref(doc, 'aws_iam_role', 'postgres-restore-validation/start-role/role', 'arn'));
    });

    it('builds in the private subnets, logs to its encrypted group, unprivileged, from the inline buildspec', () => {
      assert.equal(project.source.type, 'NO_SOURCE');
      assert.equal(project.environment.privileged_mode, false);
      assert.equal(project.vpc_config.security_group_ids.length, 1);
      assert.ok(project.vpc_config.subnets.length > 0);
      for (const subnet of project.vpc_config.subnets) assert.match(subnet, /_private-/, 'a private (NAT) subnet of the network layer');
      const [group] = bodies(doc, 'aws_cloudwatch_log_group').filter((g) => g.name === n.logGroupName);
      assert.match(group.kms_key_id, /^\$\{aws_kms_key\./);
      assert.equal(
        project.logs_config.cloudwatch_logs.group_name,
        ref(doc, 'aws_cloudwatch_log_group', 'postgres-restore-validation/logs/log-group', 'name'),
      );
    });

    it('may reach PostgreSQL on the database group (which restored instances get) and HTTPS, nothing else', () => {
      const validationGroup = ref(doc, 'aws_security_group', 'postgres-restore-validation/sg', 'id');
      const databaseGroup = ref(doc, 'aws_security_group', 'postgres/security-group/sg', 'id');
      assert.deepEqual(project.vpc_config.security_group_ids, [validationGroup]);
      const egress = bodies(doc, 'aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === validationGroup);
      assert.deepEqual(egress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.referenced_security_group_id ?? r.cidr_ipv4]).sort(), [
        ['tcp', 443, 443, '0.0.0.0/0'],
        ['tcp', POSTGRES_PORT, POSTGRES_PORT, databaseGroup],
      ]);
      const ingress = bodies(doc, 'aws_vpc_security_group_ingress_rule').filter((r) => r.referenced_security_group_id === validationGroup);
      assert.deepEqual(
        ingress.map((r) => [r.security_group_id, r.ip_protocol, r.from_port, r.to_port]),
        [[databaseGroup, 'tcp', POSTGRES_PORT, POSTGRES_PORT]],
      );
      const [selection] = bodies(doc, 'aws_backup_restore_testing_selection');
      assert.equal(selection.restore_metadata_overrides.vpcsecuritygroupids, `\${jsonencode([${databaseGroup.slice(2, -1)}])}`);
    });

    it('describes instances, connects as the validation login only, reports validations and writes its logs', () => {
      const role = rolesOf(exampleStacks(), env.name).find((r) => r.name === n.roleName)!;
      assert.ok(role.boundary && role.boundary.length > 5, 'carries the permissions boundary');
      const logGroup = ref(doc, 'aws_cloudwatch_log_group', 'postgres-restore-validation/logs/log-group', 'arn');
      const network = codeBuildNetworkStatements({
        accountId: env.accountId,
        region: env.region,
        subnetIds: project.vpc_config.subnets,
        securityGroupArn: ref(doc, 'aws_security_group', 'postgres-restore-validation/sg', 'arn'),
      });
      const actionsOf = (statement: { readonly Action?: string | readonly string[] }) => [statement.Action ?? []].flat().sort();
      assert.deepEqual(
        role.identity.map((s) => [actionsOf(s), [s.Resource].flat()]),
        [
          [['logs:CreateLogStream', 'logs:PutLogEvents'], [`${logGroup}:*`]],
          ...network.map((s) => [[...s.actions].sort(), [...(s.resources ?? [])]]),
          [['rds:DescribeDBInstances'], [`arn:aws:rds:${env.region}:${env.accountId}:db:*`]],
          [['rds-db:connect'], [`arn:aws:rds-db:${env.region}:${env.accountId}:dbuser:*/${n.databaseUser}`]],
          [['backup:PutRestoreValidationResult'], ['*']],
        ],
      );
      const decide = (action: string, resource: string) =>
        evaluate(
          { principalArn: role.arn, action, resource, context: { 'aws:RequestedRegion': env.region } },
          { identity: role.identity, boundary: role.boundary! },
        );
      const dbuser = (user: string) => `arn:aws:rds-db:${env.region}:${env.accountId}:dbuser:db-RESTORED/${user}`;
      assert.equal(decide('rds-db:connect', dbuser(n.databaseUser)), 'allow');
      assert.equal(decide('backup:PutRestoreValidationResult', '*'), 'allow');
      const instance = `arn:aws:rds:${env.region}:${env.accountId}:db:awsbackup-restore-test-x`;
      for (const [action, resource] of [
        ['rds-db:connect', dbuser(databaseUserName(env.project.services[0]!.name))],
        ['rds-db:connect', dbuser('dbadmin')],
        ['rds:ModifyDBInstance', instance],
        ['rds:DeleteDBInstance', instance],
        ['backup:StartRestoreJob', '*'],
        ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${env.region}:${env.accountId}:secret:rds!db-x`],
        ['logs:PutLogEvents', `arn:aws:logs:${env.region}:${env.accountId}:log-group:/other:*`],
      ] as const) {
        assert.notEqual(decide(action, resource), 'allow', `${action} on ${resource}`);
      }
    });

    it('checks the service databases the login Job grants it CONNECT on, as the login that Job creates', () => {
      const job = bodies(doc, 'kubernetes_manifest').find(
        (m) => m.manifest.metadata.labels?.['app.kubernetes.io/name'] === 'postgres-service-logins',
      );
      const sql: string = job.manifest.spec.template.spec.containers[0].env.find((e: any) => e.name === 'SERVICE_LOGINS_SQL').value;
      const user = `"${n.databaseUser}"`;
      const variables = buildspec.env.variables;
      assert.equal(variables.DB_USER, n.databaseUser);
      assert.deepEqual(variables.SERVICE_DATABASES.split(' ').filter(Boolean), postgresDatabases(env));
      // Every statement naming the login: created without a password, IAM tokens only, CONNECT and nothing more.
      const mentions = sql.split('\n').filter((line) => line.includes(user));
      assert.deepEqual(mentions, [
        `SELECT 'CREATE ROLE ${user}' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${n.databaseUser}')`,
        `ALTER ROLE ${user} WITH LOGIN NOCREATEDB NOCREATEROLE INHERIT CONNECTION LIMIT 2 PASSWORD NULL;`,
        `GRANT rds_iam TO ${user};`,
        ...postgresDatabases(env).map((database) => `GRANT CONNECT ON DATABASE "${database}" TO ${user};`),
      ]);
      assert.doesNotMatch(sql, new RegExp(`GRANT [^;]* TO [^;]*${user}[^;]*WITH`), 'no grant option or admin option');
    });
  });
}

describe('restore test validation: the check script', () => {
  const env = exampleEnvironments()[0]!;
  const doc = stack(exampleStacks(), `${env.name}-data`);
  const n = names(env).postgresRestoreValidation;
  const [project] = bodies(doc, 'aws_codebuild_project').filter((p) => p.name === n.projectName);
  const buildspec = JSON.parse(terraformValue(project.source.buildspec));
  const databases: string[] = buildspec.env.variables.SERVICE_DATABASES.split(' ');
  const dir = mkdtempSync(join(tmpdir(), 'restore-validation-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'calls.log');
  // Stand-ins: each records its call; aws and psql answer from FAKE_* variables.
  const tool = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/bash\nprintf '%s\\n' "${name} $*" >> "${log}"\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  tool(
    'aws',
    [
      'case "$1 $2" in',
      '  "backup put-restore-validation-result") exit 0 ;;',
      '  "rds describe-db-instances") printf "%b\\n" "$FAKE_DESCRIBE" ;;',
      '  "rds generate-db-auth-token") echo token-for-$4-$6 ;;',
      '  *) exit 2 ;;',
      'esac',
    ].join('\n'),
  );
  tool('dnf', '');
  tool('curl', 'while [ $# -gt 0 ]; do [ "$1" = --output ] && echo CA > "$2"; shift; done');
  tool(
    'psql',
    [
      `printf 'env %s %s %s %s %s\\n' "$PGHOST:$PGPORT" "$PGUSER" "$PGPASSWORD" "$PGSSLMODE" "$(cat "$PGSSLROOTCERT")" >> "${log}"`,
      'for arg; do case "$arg" in --dbname=*) db=${arg#--dbname=} ;; esac; done',
      '[ "$db" = postgres ] && { echo 1; exit 0; }',
      'counts=$(printenv "FAKE_$db") || { echo "FATAL: database \\"$db\\" does not exist" >&2; exit 2; }',
      'echo "$counts"',
    ].join('\n'),
  );

  const run = (fake: Record<string, string>) => {
    writeFileSync(log, '');
    const result = spawnSync('bash', ['-c', buildspec.phases.build.commands.join('\n')], {
      encoding: 'utf8',
      env: {
        PATH: `${dir}:/usr/bin:/bin`,
        ...buildspec.env.variables,
        RESTORE_JOB_ID: 'job-1',
        CREATED_RESOURCE_ARN: `arn:aws:rds:${env.region}:${env.accountId}:db:awsbackup-restore-test-x`,
        CODEBUILD_BUILD_ID: `${n.projectName}:1`,
        FAKE_DESCRIBE: 'restored.example\\t5432\\tavailable\\tTrue',
        ...fake,
      },
    });
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const reports = calls
      .filter((c) => c.startsWith('aws backup put-restore-validation-result'))
      .map((c) => /--validation-status (\S+) --validation-status-message (.*)$/.exec(c)!.slice(1));
    return { status: result.status, calls, reports };
  };
  const holding = Object.fromEntries(databases.map((db, i) => [`FAKE_${db}`, i === 0 ? '3 16384' : '0 0']));

  it('reports SUCCESSFUL when every service database accepts the login and one holds table data', () => {
    const { status, calls, reports } = run(holding);
    assert.equal(status, 0);
    assert.deepEqual(
      reports.map(([s]) => s),
      ['VALIDATING', 'SUCCESSFUL'],
    );
    assert.match(reports[1]![1]!, new RegExp(`${databases[0]}=3/16384`));
    assert.ok(
      calls.includes(
        'aws rds describe-db-instances --db-instance-identifier awsbackup-restore-test-x --output text --query ' +
          'DBInstances[0].[Endpoint.Address,Endpoint.Port,DBInstanceStatus,IAMDatabaseAuthenticationEnabled]',
      ),
    );
    assert.ok(calls.includes(`aws rds generate-db-auth-token --hostname restored.example --port 5432 --username ${n.databaseUser}`));
    // Without a password: the IAM token, over TLS verified against the fetched RDS CA bundle.
    const sessions = calls.filter((c) => c.startsWith('env '));
    assert.equal(sessions.length, databases.length + 1);
    for (const session of sessions)
      assert.equal(session, `env restored.example:5432 ${n.databaseUser} token-for-restored.example-5432 verify-full CA`);
    assert.ok(calls.some((c) => c.startsWith(`curl `) && c.includes(buildspec.env.variables.CA_BUNDLE_URL)));
  });

  for (const [what, fake, message] of [
    ['no service database holds table data', { ...holding, [`FAKE_${databases[0]}`]: '3 0' }, /no service database holds table data/],
    [
      'a service database is missing',
      Object.fromEntries(Object.entries(holding).slice(0, -1)),
      new RegExp(`cannot connect to database ${databases.at(-1)}`),
    ],
    [
      'the instance was restored without IAM authentication',
      { ...holding, FAKE_DESCRIBE: 'h\\t5432\\tavailable\\tFalse' },
      /without IAM database authentication/,
    ],
    ['the instance is not available', { ...holding, FAKE_DESCRIBE: 'h\\t5432\\tstorage-full\\tTrue' }, /is storage-full, not available/],
  ] as const) {
    it(`reports FAILED when ${what}`, () => {
      const { status, reports } = run(fake as Record<string, string>);
      assert.equal(status, 1);
      assert.deepEqual(
        reports.map(([s]) => s),
        ['VALIDATING', 'FAILED'],
      );
      assert.match(reports[1]![1]!, message);
    });
  }
});

describe('PostgresRestoreValidation: props', () => {
  const props: PostgresRestoreValidationProps = {
    ...new Naming({ project: 'p', environment: 'e', accountId: '111111111111', region: 'eu-west-1' }).postgresRestoreValidation,
    accountId: '111111111111',
    region: 'eu-west-1',
    restoreTestingPlanArn: 'arn:aws:backup:eu-west-1:111111111111:restore-testing-plan:p',
    vpcId: 'vpc-1',
    subnetIds: ['subnet-1'],
    databaseSecurityGroupId: 'sg-1',
    databases: ['a'],
    kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
    logRetentionInDays: 30,
  };
  const synth = (override: Partial<PostgresRestoreValidationProps>) =>
    synthOneStack('validation', (scope) => {
      new AwsProvider(scope, 'aws', { region: props.region });
      new PostgresRestoreValidation(scope, 'v', { ...props, ...override });
    });

  it('refuses what the check or CodeBuild cannot take', () => {
    assert.throws(() => synth({ databases: ['a', 'a'] }), /databases\[1\] must be listed once/);
    assert.throws(() => synth({ databases: ['svc-idt'] }), /databases\[0\] must be lowercase letters, digits and "_"/);
    assert.throws(() => synth({ databaseUser: 'Check' }), /databaseUser must be lowercase letters/);
    assert.throws(() => synth({ subnetIds: [] }), /subnetIds must be 1 to 16 private subnets/);
  });
});
