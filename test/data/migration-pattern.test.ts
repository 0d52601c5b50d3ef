// The schema-migration pattern docs/data.md gives consumer repositories, checked against what the layers
// synthesize: the example Job runs in its service's namespace as its service account, at the batch
// priority, passes Pod Security `restricted`, and reads only contract outputs its pipeline may read,
// and the layers let that service account reach and log in to exactly the database it owns.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { outputsFor } from '../../src/contract/catalog';
import { DEPLOYER_RULES } from '../../src/constructs/kubernetes/namespace-deployer';
import { PRIORITY_CLASSES } from '../../src/stacks/cluster-stack';
import { databaseUserName, serviceDatabaseName } from '../../src/stacks/data-stack';
import { exampleEnvironments, exampleStacks, policyOf, REPO_ROOT, resourcesOf, stack } from '../support/synth';

const docs = readFileSync(join(REPO_ROOT, 'docs', 'data.md'), 'utf8');
const example = /<!-- migration-job-example -->\n```yaml\n([\s\S]*?)```/.exec(docs);

describe('schema migrations: the pattern in docs/data.md', () => {
  assert.ok(example, 'docs/data.md has the migration Job example');
  const job = parse(example[1]!);
  const pod = job.spec.template.spec;
  const service = job.metadata.namespace as string;

  for (const env of exampleEnvironments()) {
    const config = env.project.services.find((s) => s.name === service);
    const cluster = stack(exampleStacks(), `${env.name}-cluster`);
    const data = stack(exampleStacks(), `${env.name}-data`);

    it(`${env.name}: runs as the service's own account in its own namespace, at a priority that never preempts`, () => {
      assert.ok(config?.capabilities.includes('postgres'), `${service} is a postgres service`);
      assert.equal(pod.serviceAccountName, service);
      const accounts = resourcesOf(cluster, 'kubernetes_service_account_v1').map(([, a]) => a.metadata.name);
      assert.ok(accounts.includes(service), 'the cluster layer creates the service account');
      const priority = PRIORITY_CLASSES.find((p) => p.name === pod.priorityClassName);
      assert.equal(priority?.preemptionPolicy, 'Never');
      const jobs = DEPLOYER_RULES.find((r) => r.apiGroups.includes('batch') && r.resources.includes('jobs'));
      assert.ok(jobs?.verbs.includes('create'), 'the deploy role may create the Job in its namespace');
    });

    it(`${env.name}: passes Pod Security restricted`, () => {
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
      for (const container of pod.containers) {
        assert.equal(container.securityContext.allowPrivilegeEscalation, false);
        assert.deepEqual(container.securityContext.capabilities, { drop: ['ALL'] });
      }
    });

    it(`${env.name}: reads only contract outputs the service's pipeline may read`, () => {
      const readable = new Set(outputsFor(config!).map((e) => e.name));
      const used = [...example[1]!.matchAll(/\$\{([a-z_]+)(?:\[([a-z0-9-]+)\])?\}/g)];
      assert.ok(used.length >= 5);
      for (const [, name, key] of used) {
        assert.ok(readable.has(name!), `${service} may read ${name}`);
        if (key) assert.equal(key, service, `${name}: its own entry`);
      }
      const env0 = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value]));
      assert.equal(env0.PGUSER, `\${rds_user_names[${service}]}`);
      assert.equal(env0.PGDATABASE, `\${rds_database_names[${service}]}`);
    });

    it(`${env.name}: the published login and database are the ones its grant and the login Job use`, () => {
      const outputs = data.output as Record<string, any>;
      assert.equal(outputs.rds_user_names.value[service], databaseUserName(service));
      assert.equal(outputs.rds_database_names.value[service], serviceDatabaseName(service));
      const grant = resourcesOf(data, 'aws_iam_role_policy').find(
        ([, p]) => p.name === 'capability-postgres' && String(p['//']?.metadata?.path).includes(`grant-${service}-postgres`),
      )!;
      const [statement] = policyOf(grant[1].policy).Statement;
      assert.match(statement.Resource, new RegExp(`:dbuser:.+/${databaseUserName(service)}$`));
      const sql = resourcesOf(data, 'kubernetes_manifest')
        .map(([, m]) => m.manifest.spec.template.spec.containers[0].env.find((e: any) => e.name === 'SERVICE_LOGINS_SQL')?.value)
        .find((value) => value !== undefined) as string;
      assert.ok(sql.includes(`CREATE DATABASE "${serviceDatabaseName(service)}" OWNER "${databaseUserName(service)}"`));
    });
  }
});
