import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchemaSet } from '../../src/checks/schema/provider-schema';
import type { StackDocument } from '../../src/checks/terraform-json';
import { schemaFiles, SCHEMAS_DIR } from '../../src/cli/check';
import { CONTRACT } from '../../src/contract/catalog';
import { checkSynthesized, type ContractProblem } from '../../src/contract/synthesized';
import { documentNamed, environments, exampleDocuments, project } from './helpers';
import { exampleOfTier, projectPrefix } from '../support/synth';
const PROD = exampleOfTier('production').name;
const DEV = exampleOfTier('development').name;

const PREFIX = projectPrefix();

const schemas = SchemaSet.fromFiles(schemaFiles({ schemas: [], schemasDir: SCHEMAS_DIR }));
const names = environments.map((e) => e.name);
/** The cases that need just some environment take the last one. */
const SOME = names.at(-1)!;

function check(stacks: readonly StackDocument[]): ContractProblem[] {
  return checkSynthesized({ stacks, catalog: CONTRACT, project: project.project, environments: names, schemas });
}

/** The problems after mutating a fresh copy of the example stacks. */
function problemsAfter(mutate: (stacks: StackDocument[]) => void): string[] {
  const stacks = exampleDocuments();
  mutate(stacks);
  return check(stacks).map((p) => `${p.stack} ${p.output ?? ''}: ${p.message}`);
}

const parameterOf = (doc: any, path: string) => Object.values<any>(doc.resource.aws_ssm_parameter).find((p) => p.name === path);

describe('synthesized outputs follow the contract', () => {
  it(`in every environment (${names.join(', ')}): each entry published by its layer, with its SSM parameter, and nothing else`, () => {
    assert.deepEqual(check(exampleDocuments()), []);
  });

  it('reports an entry its layer does not publish, by stack and name', () => {
    const problems = problemsAfter((stacks) => delete documentNamed(stacks, `${SOME}-data`).output.rds_port);
    assert.deepEqual(problems, [
      `${SOME}-data rds_port: missing: the data layer does not publish "rds_port" (call this.publish('rds_port', value) in its stack)`,
    ]);
  });

  it('reports an output that is not in the contract, but ignores cdktn cross-stack plumbing', () => {
    const problems = problemsAfter((stacks) => {
      const outputs = documentNamed(stacks, `${DEV}-edge`).output;
      outputs.media_bucket_arn = { value: '${aws_s3_bucket.media.arn}' };
      outputs['cross-stack-output-aws_s3_bucketmedia_bucketarn'] = { sensitive: true, value: '${aws_s3_bucket.media.arn}' };
    });
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0]!, new RegExp(`^${DEV}-edge media_bucket_arn: output "media_bucket_arn" is not in the contract`));
  });

  it('reports an output published by the wrong layer', () => {
    const problems = problemsAfter((stacks) => (documentNamed(stacks, `${PROD}-bootstrap`).output = { vpc_id: { value: 'vpc-1' } }));
    assert.deepEqual(problems, [
      `${PROD}-bootstrap vpc_id: output "vpc_id" belongs to the network layer (src/contract/catalog.ts), not bootstrap`,
    ]);
  });

  it('reports a changed description, sensitivity or type', () => {
    const problems = problemsAfter((stacks) => {
      const outputs = documentNamed(stacks, `${DEV}-data`).output;
      outputs.rds_database_name.description = 'Database.';
      outputs.rds_endpoint_address.sensitive = true;
      outputs.cache_port.value = '${aws_elasticache_replication_group.x.primary_endpoint_address}';
      documentNamed(stacks, `${DEV}-network`).output.vpc_id.value = ['${aws_vpc.a.id}'];
    });
    const text = problems.join('\n');
    assert.match(
      text,
      new RegExp(
        `${DEV}-data rds_database_name: description "Database\\." differs from the catalog's "Name of the instance's initial database, `,
      ),
    );
    assert.match(text, new RegExp(`${DEV}-data rds_endpoint_address: sensitive is true, the catalog says false`));
    assert.match(text, new RegExp(`${DEV}-data cache_port: value has type string, the catalog says number`));
    assert.match(text, new RegExp(`${DEV}-network vpc_id: value has type list\\(string\\), the catalog says string`));
  });

  it('reports a non-sensitive output of a sensitive attribute (Terraform would reject it)', () => {
    const problems = problemsAfter((stacks) => {
      const doc = documentNamed(stacks, `${DEV}-data`);
      const rds = Object.keys(doc.resource.aws_db_instance)[0];
      doc.output.rds_master_secret_arn.value = `\${aws_db_instance.${rds}.password}`;
    });
    assert.ok(
      problems.some((p) => /rds_master_secret_arn: references the sensitive attribute aws_db_instance\.[^.]+\.password/.test(p)),
      problems.join('\n'),
    );
  });

  it('reports a missing SSM parameter, or one that publishes a different value', () => {
    const problems = problemsAfter((stacks) => {
      const data = documentNamed(stacks, `${PROD}-data`);
      delete data.resource.aws_ssm_parameter[
        Object.keys(data.resource.aws_ssm_parameter).find((k) => data.resource.aws_ssm_parameter[k].name === `/${PREFIX}/${PROD}/rds_port`)!
      ];
      parameterOf(data, `/${PREFIX}/${PROD}/opensearch_endpoint`).value = '${aws_opensearch_domain.other.endpoint}';
      parameterOf(data, `/${PREFIX}/${PROD}/rds_database_name`).value = 'other';
      parameterOf(data, `/${PREFIX}/${PROD}/cache_port`).type = 'SecureString';
      parameterOf(documentNamed(stacks, `${PROD}-edge`), `/${PREFIX}/${PROD}/public_hostnames`).value =
        '${jsonencode({"app" = "app.example.org"})}';
    });
    const text = problems.join('\n');
    const reported = (line: string) => assert.ok(text.includes(line), `${line}\nnot in:\n${text}`);
    reported(`${PROD}-data rds_port: expected one aws_ssm_parameter named /${PREFIX}/${PROD}/rds_port, found 0`);
    const mismatch = `SSM parameter /${PREFIX}/${PROD}/opensearch_endpoint references aws_opensearch_domain.other.endpoint`;
    reported(`${PROD}-data opensearch_endpoint: ${mismatch}, the output aws_opensearch_domain.search.endpoint`);
    reported(`${PROD}-data rds_database_name: SSM parameter /${PREFIX}/${PROD}/rds_database_name does not carry the output's value "app"`);
    reported(`${PROD}-data cache_port: SSM parameter /${PREFIX}/${PROD}/cache_port has type SecureString, expected String`);
    const prod = exampleOfTier('production');
    const apiHost = `${prod.edge.hosts.api}.${prod.domain}`;
    reported(
      `${PROD}-edge public_hostnames: SSM parameter /${PREFIX}/${PROD}/public_hostnames does not carry the output's value "${apiHost}"`,
    );
  });

  it('reports an environment or layer that was not synthesized', () => {
    const problems = problemsAfter((stacks) =>
      stacks.splice(
        stacks.findIndex((s) => s.name === `${SOME}-edge`),
        1,
      ),
    );
    assert.deepEqual(problems, [`${SOME}-edge : stack not synthesized; run npm run synth first`]);
  });
});
