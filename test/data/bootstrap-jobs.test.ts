// The data layer's Jobs, asserted on the synthesized JSON of every example environment: the SQL covers
// exactly the postgres services of config, the role mappings exactly the search capabilities, their
// identities may do exactly what the Jobs need, and the pods pass Pod Security `restricted`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PLATFORM_NAMESPACES } from '../../src/config/schema/cluster';
import type { EnvironmentConfig } from '../../src/config/load';
import { SERVICE_LOGIN_GROUP, serviceLoginsSql } from '../../src/constructs/data/postgres-service-logins';
import { searchIndexPattern } from '../../src/constructs/data/search-domain';
import { SEARCH_ACCESS_PERMISSIONS, SEARCH_ROLE_PREFIX } from '../../src/constructs/data/search-role-mappings';
import { databaseUserName, serviceDatabaseName } from '../../src/stacks/data-stack';
import { Naming } from '../../src/naming';
import {
  configOfTier,
  exampleEnvironments,
  exampleStacks,
  policyOf,
  removeService,
  resourcesOf,
  stack,
  synthesizeLayer,
  type TerraformJson,
} from '../support/synth';

const NAMESPACE = PLATFORM_NAMESPACES[0];
const bodies = (doc: TerraformJson, type: string): any[] => resourcesOf(doc, type).map(([, body]) => body);
const naming = (env: EnvironmentConfig) =>
  new Naming({ project: env.project.project, environment: env.name, accountId: env.accountId, region: env.region });
const withCapability = (env: EnvironmentConfig, capability: string) =>
  env.project.services.filter((s) => s.capabilities.includes(capability as never)).map((s) => s.name);

/** The Job manifest whose base name (pod label) is `name`. */
function jobOf(doc: TerraformJson, name: string): any {
  const jobs = bodies(doc, 'kubernetes_manifest').filter(
    (m) => m.manifest.kind === 'Job' && m.manifest.metadata.labels['app.kubernetes.io/name'] === name,
  );
  assert.equal(jobs.length, 1, `one ${name} Job`);
  return jobs[0];
}
const containersOf = (job: any): any[] => [
  ...(job.manifest.spec.template.spec.initContainers ?? []),
  ...job.manifest.spec.template.spec.containers,
];
const envOf = (container: any): Record<string, string> => Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
const sqlOf = (doc: TerraformJson): string =>
  envOf(jobOf(doc, 'postgres-service-logins').manifest.spec.template.spec.containers[0]).SERVICE_LOGINS_SQL!;
const scriptOf = (doc: TerraformJson): string => jobOf(doc, 'search-role-mappings').manifest.spec.template.spec.containers[0].command[2];

/**
 * Service login roles the SQL creates (not the marker group or the restore validation's login), and the logins
 * its retirement query keeps.
 */
function sqlLogins(sql: string, validationUser: string): { created: string[]; databases: string[]; kept: string[] } {
  const created = [...sql.matchAll(/^SELECT 'CREATE ROLE "([^"]+)"'/gm)]
    .map((m) => m[1]!)
    .filter((r) => r !== SERVICE_LOGIN_GROUP && r !== validationUser);
  const databases = [...sql.matchAll(/^SELECT 'CREATE DATABASE "([^"]+)" OWNER "([^"]+)"'/gm)].map((m) => `${m[1]}:${m[2]}`);
  const keptList = /rolname <> ALL \(ARRAY\[([^\]]*)\]/.exec(sql)?.[1] ?? '';
  const kept = [...keptList.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  return { created, databases, kept };
}

/** The PUTs of the search script: role name → role body, mapping body. */
function searchPuts(script: string): Map<string, { role: any; mapping: any }> {
  const puts = new Map<string, { role: any; mapping: any }>();
  for (const [, kind, name, body] of script.matchAll(/^call PUT (roles|rolesmapping)\/(\S+) '(.*)'$/gm)) {
    const entry = puts.get(name!) ?? { role: undefined, mapping: undefined };
    if (kind === 'roles') entry.role = JSON.parse(body!);
    else entry.mapping = JSON.parse(body!);
    puts.set(name!, entry);
  }
  return puts;
}

/** Inline policies attached to the role whose logical name contains `roleMarker`, by policy name. */
function inlinePolicies(doc: TerraformJson, roleMarker: string): Map<string, any[]> {
  return new Map(
    bodies(doc, 'aws_iam_role_policy')
      .filter((p) => String(p.role).includes(roleMarker))
      .map((p) => [p.name, policyOf(p.policy).Statement]),
  );
}

for (const env of exampleEnvironments()) {
  const doc = stack(exampleStacks(), `${env.name}-data`);
  const names = naming(env);
  const postgresServices = withCapability(env, 'postgres');
  const validationUser = names.postgresRestoreValidation.databaseUser;

  describe(`data layer jobs: ${env.name}`, () => {
    it('reaches the cluster with the Kubernetes provider, authenticated by the caller role only', () => {
      assert.deepEqual(doc.terraform!.required_providers.kubernetes, { source: 'hashicorp/kubernetes', version: '2.38.0' });
      const [provider] = doc.provider!.kubernetes!;
      assert.deepEqual(Object.keys(provider).sort(), ['cluster_ca_certificate', 'exec', 'host']);
      assert.deepEqual(provider.exec.args.slice(0, 2), ['eks', 'get-token']);
    });

    it('creates exactly one login and database per postgres service, and keeps only those logging in', () => {
      const { created, databases, kept } = sqlLogins(sqlOf(doc), validationUser);
      const users = postgresServices.map(databaseUserName);
      assert.ok(users.length > 1, 'the example has several postgres services');
      assert.deepEqual(created.sort(), [...users].sort());
      assert.deepEqual(databases.sort(), postgresServices.map((s) => `${serviceDatabaseName(s)}:${databaseUserName(s)}`).sort());
      assert.deepEqual(kept.sort(), [...users].sort());
    });

    it('grants a login rds_iam and the marker group only, the master user SET without INHERIT, the validation CONNECT', () => {
      const sql = sqlOf(doc);
      const grants = [...sql.matchAll(/^GRANT (.+);$/gm)].map((m) => m[1]!);
      const expected = [
        `rds_iam TO "${validationUser}"`,
        ...postgresServices.flatMap((service) => {
          const user = databaseUserName(service);
          return [
            `rds_iam TO "${user}"`,
            `"${SERVICE_LOGIN_GROUP}" TO "${user}"`,
            `"${user}" TO CURRENT_USER WITH INHERIT FALSE, SET TRUE`,
            `CONNECT ON DATABASE "${serviceDatabaseName(service)}" TO "${validationUser}"`,
          ];
        }),
      ];
      assert.deepEqual(grants, expected);
      for (const user of postgresServices.map(databaseUserName)) {
        assert.ok(
          sql.includes(`ALTER ROLE "${user}" WITH LOGIN NOCREATEDB NOCREATEROLE INHERIT CONNECTION LIMIT -1 PASSWORD NULL;`),
          `${user}: IAM only`,
        );
        assert.ok(
          sql.includes(
            `SET ROLE "${user}";\nREVOKE ALL ON DATABASE "${serviceDatabaseName(user.replace(/_/g, '-'))}" FROM PUBLIC;\n` +
              `GRANT CONNECT ON DATABASE "${serviceDatabaseName(user.replace(/_/g, '-'))}" TO "${validationUser}";\nRESET ROLE;`,
          ),
        );
      }
      assert.doesNotMatch(sql, /\bDROP\b|SUPERUSER|CREATEROLE(?! )|\bBYPASSRLS\b|PASSWORD '/i);
    });

    it('maps each search capability to an OpenSearch role of its own, with the right index patterns', () => {
      const puts = searchPuts(scriptOf(doc));
      const writers = withCapability(env, 'search-write');
      const expected = [
        ...withCapability(env, 'search-read').map((s) => [s, 'read'] as const),
        ...writers.map((s) => [s, 'write'] as const),
      ];
      assert.deepEqual([...puts.keys()].sort(), expected.map(([s, access]) => `${SEARCH_ROLE_PREFIX}${s}-${access}`).sort());
      for (const [service, access] of expected) {
        const { role, mapping } = puts.get(`${SEARCH_ROLE_PREFIX}${service}-${access}`)!;
        assert.deepEqual(mapping, { backend_roles: [names.roleArn(names.serviceRoleName(service))], hosts: [], users: [] });
        assert.deepEqual(role.cluster_permissions, SEARCH_ACCESS_PERMISSIONS[access].cluster);
        const patterns = access === 'write' ? [searchIndexPattern(service)] : writers.map(searchIndexPattern).sort();
        assert.deepEqual(role.index_permissions, [{ index_patterns: patterns, allowed_actions: SEARCH_ACCESS_PERMISSIONS[access].index }]);
      }
      const kept = /case " ([^"]*) " in/.exec(scriptOf(doc))![1]!.split(' ');
      assert.deepEqual(kept.sort(), [...puts.keys()].sort(), 'the cleanup keeps exactly the roles it PUT');
    });

    it('maps the service roles the platform layer actually creates', () => {
      const platform = stack(exampleStacks(), `${env.name}-platform`);
      const roleNames = new Set(bodies(platform, 'aws_iam_role').map((r) => r.name));
      for (const { mapping } of searchPuts(scriptOf(doc)).values()) {
        for (const arn of mapping.backend_roles) assert.ok(roleNames.has(arn.split('/').pop()), `${arn} is a platform role`);
      }
    });

    it("gives the login job's identity exactly the master secret, through Secrets Manager only", () => {
      const role = resourcesOf(doc, 'aws_iam_role').find(([, r]) => r.name === names.roleName('postgres-logins'))!;
      const trust = policyOf(role[1].assume_role_policy).Statement;
      assert.deepEqual(
        trust.map((s: any) => s.Principal),
        [{ Service: 'pods.eks.amazonaws.com' }],
      );
      assert.equal(trust[0].Condition.StringEquals['aws:RequestTag/kubernetes-namespace'], NAMESPACE);
      assert.equal(trust[0].Condition.StringEquals['aws:RequestTag/kubernetes-service-account'], 'postgres-service-logins');
      const policies = inlinePolicies(doc, role[0]);
      assert.deepEqual([...policies.keys()], ['postgres-master-login']);
      const [describe, read, decrypt] = policies.get('postgres-master-login')!;
      assert.deepEqual([describe.Action, describe.Resource], ['rds:DescribeDBInstances', '${aws_db_instance.postgres.arn}']);
      const secret = '${aws_db_instance.postgres.master_user_secret[0].secret_arn}';
      assert.deepEqual([read.Action, read.Resource], ['secretsmanager:GetSecretValue', secret]);
      assert.deepEqual(decrypt.Action, 'kms:Decrypt');
      assert.deepEqual(decrypt.Condition, {
        StringEquals: { 'kms:ViaService': `secretsmanager.${env.region}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': secret },
      });
      assert.equal(bodies(doc, 'aws_iam_role_policy_attachment').filter((a) => String(a.role).includes(role[0])).length, 0);
    });

    it("lets only the administrators and the role-mapping job's identity act as the search master user", () => {
      const [mappingRole, mapping] = resourcesOf(doc, 'aws_iam_role').find(([, r]) => r.name === names.roleName('search-role-mappings'))!;
      const master = bodies(doc, 'aws_iam_role').find((r) => r.name === names.roleName('search-admin'));
      const trust = policyOf(master.assume_role_policy).Statement;
      assert.deepEqual(
        trust.map((s: any) => [s.Principal.AWS, s.Action]),
        [
          [env.platform.adminRoleArns.length === 1 ? env.platform.adminRoleArns[0] : env.platform.adminRoleArns, 'sts:AssumeRole'],
          [`\${aws_iam_role.${mappingRole}.arn}`, ['sts:AssumeRole', 'sts:TagSession']],
        ].map(([principal, action]) => [Array.isArray(principal) ? principal : [principal], action]),
      );
      assert.equal(
        policyOf(mapping.assume_role_policy).Statement[0].Condition.StringEquals['aws:RequestTag/kubernetes-service-account'],
        'search-role-mappings',
      );
      const policies = inlinePolicies(doc, mappingRole);
      assert.deepEqual([...policies.keys()], ['search-master-role']);
      assert.deepEqual(
        policies.get('search-master-role')!.map((s: any) => [s.Action, s.Resource]),
        [
          ['sts:AssumeRole', `arn:aws:iam::${env.accountId}:role/${names.roleName('search-admin')}`],
          ['es:DescribeDomain', '${aws_opensearch_domain.search.arn}'],
        ],
      );
    });

    for (const name of ['postgres-service-logins', 'search-role-mappings']) {
      it(`runs ${name} as a restricted pod of its own service account, waited for, with egress to the data subnets only`, () => {
        const job = jobOf(doc, name);
        const pod = job.manifest.spec.template.spec;
        assert.equal(job.manifest.metadata.namespace, NAMESPACE);
        assert.match(job.manifest.metadata.name, new RegExp(`^${name}-[0-9a-f]{10}$`));
        assert.deepEqual(job.wait, { condition: [{ type: 'Complete', status: 'True' }] });
        assert.equal(pod.serviceAccountName, name);
        assert.equal(pod.automountServiceAccountToken, false);
        assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
        assert.equal(pod.securityContext.runAsNonRoot, true);
        assert.ok(pod.securityContext.runAsUser > 0);
        assert.ok(
          pod.volumes.every((v: any) => Object.keys(v).sort().join() === 'emptyDir,name'),
          'emptyDir volumes only',
        );
        assert.equal(pod.hostNetwork ?? pod.hostPID ?? pod.hostIPC, undefined);
        for (const container of containersOf(job)) {
          assert.deepEqual(container.securityContext, {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
          });
          assert.match(container.image, /^public\.ecr\.aws\/[a-z0-9/-]+:\d+\.\d+[\w.-]*$/, 'a public image pinned by version tag');
          assert.ok(
            !Object.keys(envOf(container)).some((key) => /PASSWORD|SECRET_KEY|TOKEN/.test(key)),
            `${container.name}: no credential in the spec`,
          );
        }
        const account = bodies(doc, 'kubernetes_service_account_v1').find((a) => a.metadata.name === name);
        assert.equal(account.metadata.namespace, NAMESPACE);
        const association = bodies(doc, 'aws_eks_pod_identity_association').find((a) => a.service_account === name);
        assert.equal(association.namespace, NAMESPACE);
        const policy = bodies(doc, 'kubernetes_network_policy_v1').find((p) => p.metadata.name === `allow-out-${name}`);
        assert.deepEqual(policy.spec.pod_selector, { match_labels: { 'app.kubernetes.io/name': name } });
        const [egress] = policy.spec.egress;
        assert.deepEqual(
          egress.to.map((peer: any) => peer.ip_block.cidr),
          env.networkPlan.subnetCidrs.data,
        );
        assert.deepEqual(egress.ports, [{ port: name.startsWith('postgres') ? '5432' : '443', protocol: 'TCP' }]);
      });
    }
  });
}

describe('data layer jobs: configuration changes', () => {
  const config = configOfTier('development');
  const base = synthesizeLayer(config, 'data');
  const removed = config.project.services.findLast((service) => service.capabilities.includes('postgres'))!.name;
  const without = synthesizeLayer(
    configOfTier('development', (raw) => removeService(raw.project, removed)),
    'data',
  );

  it('names the Job after its spec: the same config gives the same Job, another config a new one', () => {
    assert.equal(
      jobOf(base, 'postgres-service-logins').manifest.metadata.name,
      jobOf(stack(exampleStacks(), `${config.name}-data`), 'postgres-service-logins').manifest.metadata.name,
    );
    assert.notEqual(
      jobOf(base, 'postgres-service-logins').manifest.metadata.name,
      jobOf(without, 'postgres-service-logins').manifest.metadata.name,
    );
  });

  it('stops creating a removed service and takes its login away without dropping anything', () => {
    const { created, kept } = sqlLogins(sqlOf(without), naming(config).postgresRestoreValidation.databaseUser);
    const login = databaseUserName(removed);
    assert.ok(sqlLogins(sqlOf(base), naming(config).postgresRestoreValidation.databaseUser).created.includes(login));
    assert.ok(!created.includes(login) && !kept.includes(login));
    assert.match(sqlOf(without), /SELECT format\('ALTER ROLE %I WITH NOLOGIN', r\.rolname\)/);
    assert.doesNotMatch(sqlOf(without), /DROP/);
  });

  it('reruns the login Job when the database is replaced', () => {
    assert.deepEqual(jobOf(base, 'postgres-service-logins').lifecycle.replace_triggered_by, ['aws_db_instance.postgres.resource_id']);
  });
});

describe('serviceLoginsSql', () => {
  it('refuses identifiers it would have to escape', () => {
    assert.throws(
      () => serviceLoginsSql([{ service: 'x', user: 'a"b', database: 'a' }], 'check'),
      /user must be lowercase letters, digits and "_"/,
    );
    assert.throws(
      () =>
        serviceLoginsSql(
          [
            { service: 'x', user: 'a', database: 'a' },
            { service: 'y', user: 'a', database: 'b' },
          ],
          'check',
        ),
      /one login per user/,
    );
    assert.throws(() => serviceLoginsSql([{ service: 'x', user: 'a', database: 'a' }], 'a'), /validationUser must be no service login/);
    assert.throws(() => serviceLoginsSql([], 'Check'), /validationUser must be lowercase letters, digits and "_"/);
  });

  it('takes every managed login away when no service uses PostgreSQL', () => {
    const sql = serviceLoginsSql([], 'check');
    assert.doesNotMatch(sql, /CREATE DATABASE|ALL \(ARRAY/);
    assert.match(sql, /AND r\.rolcanlogin\n\\gexec/);
  });
});
