// The platform layer's policy rules against the real synthesized stacks: every environment passes,
// and weakening the synthesized JSON the way a regression would makes the matching rule fail.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadRules, runPolicies } from '../../../src/checks/policy/engine';
import { loadSuppressions } from '../../../src/checks/policy/suppressions';
import { SUPPRESSIONS_FILE } from '../../../src/cli/check';
import { stackDocument, type TerraformJson } from '../../../src/checks/terraform-json';
import { exampleOfTier, exampleStacks } from '../../support/synth';
import { clone } from '../fixtures';
const PROD = exampleOfTier('production').name;

const PLATFORM_RULES = [
  ...['EKS_001', 'EKS_002', 'EKS_003', 'EKS_004', 'EKS_005', 'ECR_001', 'ECR_002', 'IAM_001', 'IAM_002'],
  ...['CODEBUILD_001', 'CODEBUILD_002', 'CODEBUILD_003'],
];
const rules = loadRules().filter((rule) => PLATFORM_RULES.includes(rule.id));

// The committed, reasoned suppressions (the permissions boundary's Allow * is a ceiling, not a grant).
const { active: suppressions } = loadSuppressions(SUPPRESSIONS_FILE, new Set(loadRules().map((rule) => rule.id)));

function findings(name: string, doc: TerraformJson): string[] {
  const { findings: found } = runPolicies([stackDocument(name, doc)], rules, { suppressions });
  return found.filter((f) => !f.suppressedBy).map((f) => `${f.rule} ${f.address}: ${f.message}`);
}

function mutated(name: string, mutate: (resources: Record<string, Record<string, any>>) => void): TerraformJson {
  const doc = clone(exampleStacks().get(name)!) as any;
  mutate(doc.resource);
  return doc;
}

const only = (resources: Record<string, any>) => Object.values(resources)[0];

describe('platform policy rules on the synthesized stacks', () => {
  it(`loads all ${PLATFORM_RULES.length} platform rules`, () => {
    assert.deepEqual(rules.map((r) => r.id).sort(), [...PLATFORM_RULES].sort());
  });

  for (const name of [...exampleStacks().keys()]) {
    it(`${name} has no finding`, () => assert.deepEqual(findings(name, exampleStacks().get(name) as TerraformJson), []));
  }

  const cases: [string, string, (r: Record<string, Record<string, any>>) => void][] = [
    [
      'EKS_001',
      'a public endpoint open to the world',
      (r) => Object.assign(only(r.aws_eks_cluster).vpc_config, { endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'] }),
    ],
    ['EKS_002', 'no Secrets encryption', (r) => delete only(r.aws_eks_cluster).encryption_config],
    ['EKS_003', 'audit logs off', (r) => (only(r.aws_eks_cluster).enabled_cluster_log_types = ['api'])],
    ['EKS_004', 'Auto Mode compute off', (r) => (only(r.aws_eks_cluster).compute_config.enabled = false)],
    ['ECR_001', 'mutable tags', (r) => (only(r.aws_ecr_repository).image_tag_mutability = 'MUTABLE')],
    ['ECR_002', 'no scan on push', (r) => (only(r.aws_ecr_repository).image_scanning_configuration.scan_on_push = false)],
    [
      'IAM_001',
      'a deploy role allowed ecr:*',
      (r) => {
        const policy = Object.values(r.aws_iam_role_policy).find((p: any) => p['//'].metadata.path.includes('/deploy-'))!;
        policy.policy = policy.policy.replace('"ecr:PutImage"', '"ecr:*"');
      },
    ],
    [
      'IAM_002',
      'a deploy role trusting every repository',
      (r) => {
        const role = Object.values(r.aws_iam_role).find((p: any) => p['//'].metadata.path.includes('/deploy-'))!;
        const widened = role.assume_role_policy.replace(/repo:[^"]+:environment:prod/, 'repo:*');
        assert.notEqual(widened, role.assume_role_policy, 'the mutation must change the trust policy');
        role.assume_role_policy = widened;
      },
    ],
    ['CODEBUILD_001', 'the CI runner outside the VPC', (r) => delete only(r.aws_codebuild_project).vpc_config],
    ['CODEBUILD_002', 'a privileged CI runner', (r) => (only(r.aws_codebuild_project).environment.privileged_mode = true)],
    [
      'CODEBUILD_003',
      "the CI runner's log group without its key",
      (r) => {
        const group = Object.values(r.aws_cloudwatch_log_group).find((g: any) => g['//'].metadata.path.includes('/ci-runner/'))!;
        delete group.kms_key_id;
      },
    ],
  ];
  for (const [rule, what, mutate] of cases) {
    it(`${rule} catches ${what}`, () => {
      const found = findings(`${PROD}-platform`, mutated(`${PROD}-platform`, mutate));
      assert.ok(found.length > 0 && found.every((f) => f.startsWith(`${rule} `)), found.join('\n') || 'no finding');
    });
  }

  it('EKS_005 catches a NodeClass whose volumes fall back to the AWS-managed key', () => {
    const found = findings(
      `${PROD}-cluster`,
      mutated(`${PROD}-cluster`, (r) => {
        const nodeClass = Object.values(r.kubernetes_manifest).find((m: any) => m.manifest.kind === 'NodeClass')!;
        delete nodeClass.manifest.spec.ephemeralStorage.kmsKeyID;
      }),
    );
    assert.deepEqual(
      found.map((f) => f.split(' ')[0]),
      ['EKS_005'],
    );
  });
});
