import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/load';
import { ACCOUNT_SERVICE_LINKED_ROLES } from '../../src/config/schema/bootstrap';
import { CI_APPLY_JOB_MINUTES } from '../../src/config/schema/ci';
import { exampleOfTier, configOfTier, exampleStacks, resourcesOf, stack, synthesizeLayer } from '../support/synth';
const PROD = exampleOfTier('production').name;

function rejects(mutate: (raw: { environment: any }) => void, path: string, message: RegExp): void {
  assert.throws(
    () => configOfTier('production', mutate),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      const problem = error.problems.find((p) => p.path === path);
      assert.ok(problem, `no problem at ${path}: ${error.message}`);
      assert.match(problem.message, message);
      assert.equal(problem.file, `${PROD}.json`);
      return true;
    },
  );
}

const importing = (importExisting: object) => (raw: { environment: any }) => (raw.environment.bootstrap = { importExisting });
type ImportBlock = { to: string; id: string };
const OPENSEARCH_ROLE = ACCOUNT_SERVICE_LINKED_ROLES['opensearchservice.amazonaws.com'];

describe('first applies: adopting account-wide objects that exist already', () => {
  it('creates them by default: no import blocks', () => {
    const bootstrap = stack(exampleStacks(), `${PROD}-bootstrap`);
    assert.equal(bootstrap.import, undefined);
  });

  it('imports the GitHub OIDC provider and the named service-linked roles, by ARN, when config says they exist', () => {
    const config = configOfTier(
      'production',
      importing({ githubOidcProvider: true, serviceLinkedRoles: ['opensearchservice.amazonaws.com'] }),
    );
    const bootstrap = synthesizeLayer(config, 'bootstrap');
    const blocks = bootstrap.import as ImportBlock[];
    const [[oidcName]] = resourcesOf(bootstrap, 'aws_iam_openid_connect_provider');
    const [[roleName, role]] = resourcesOf(bootstrap, 'aws_iam_service_linked_role');
    assert.equal(role.aws_service_name, 'opensearchservice.amazonaws.com');
    assert.deepEqual(
      blocks.map((block) => [block.to, block.id]).sort(),
      [
        [
          `aws_iam_openid_connect_provider.${oidcName}`,
          `arn:aws:iam::${config.accountId}:oidc-provider/token.actions.githubusercontent.com`,
        ],
        [
          `aws_iam_service_linked_role.${roleName}`,
          `arn:aws:iam::${config.accountId}:role/aws-service-role/opensearchservice.amazonaws.com/${OPENSEARCH_ROLE}`,
        ],
      ].sort(),
    );
    const onlyOidc = synthesizeLayer(configOfTier('production', importing({ githubOidcProvider: true })), 'bootstrap');
    assert.deepEqual(
      (onlyOidc.import as ImportBlock[]).map((block) => block.to.split('.')[0]),
      ['aws_iam_openid_connect_provider'],
    );
  });

  it('rejects a service-linked role the bootstrap layer does not manage, a repeated one, and unknown fields', () => {
    rejects(
      importing({ serviceLinkedRoles: ['eks.amazonaws.com'] }),
      'bootstrap.importExisting.serviceLinkedRoles.0',
      /one of opensearchservice\.amazonaws\.com/,
    );
    rejects(
      importing({ serviceLinkedRoles: ['opensearchservice.amazonaws.com', 'opensearchservice.amazonaws.com'] }),
      'bootstrap.importExisting.serviceLinkedRoles',
      /each service once/,
    );
    rejects(importing({ githubOidcProvider: 'yes' }), 'bootstrap.importExisting.githubOidcProvider', /boolean/i);
    rejects(importing({ oidc: true }), 'bootstrap.importExisting.oidc', /unknown field/);
  });
});

describe('first applies: time', () => {
  it('gives the apply role a session as long as the longest apply job, and the in-VPC runner builds as long', () => {
    for (const [name, doc] of exampleStacks()) {
      if (name.endsWith('-bootstrap')) {
        const [, apply] = resourcesOf(doc, 'aws_iam_role').find(([, role]) => String(role.name).endsWith('-ci-apply'))!;
        assert.equal(apply.max_session_duration, CI_APPLY_JOB_MINUTES * 60, name);
        assert.ok(apply.max_session_duration <= 12 * 3600, 'IAM caps a role session at 12 hours');
      }
      if (name.endsWith('-platform')) {
        const [[, project]] = resourcesOf(doc, 'aws_codebuild_project');
        assert.equal(project.build_timeout, CI_APPLY_JOB_MINUTES, name);
      }
    }
  });
});
