import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EKS_VERSIONS, EKS_VERSIONS_REVIEWED_ON, eksSupportStatus } from '../../src/config/eks-versions';
import { ConfigError } from '../../src/config/load';
import { isGravitonType } from '../../src/config/rules/platform';
import { configWith } from '../support/synth';

type Env = 'dev' | 'staging' | 'prod';
type Raw = { project: any; environment: any };

/** The problems a mutation of a bundled environment produces, as `path: message`. */
function problems(env: Env, mutate: (raw: Raw) => void): string[] {
  try {
    configWith(env, mutate);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

function rejects(env: Env, mutate: (raw: Raw) => void, path: string, message: RegExp): void {
  const found = problems(env, mutate);
  assert.ok(
    found.some((p) => p.startsWith(`${path}: `) && message.test(p)),
    `expected a problem at ${path} matching ${message}; got ${found.join(' | ') || 'none'}`,
  );
}

const platform = (mutate: (p: any, raw: Raw) => void) => (raw: Raw) => mutate(raw.environment.platform, raw);

describe('platform config: Kubernetes version', () => {
  it('defaults to 1.35 and the example environments use it', () => {
    assert.equal(configWith('dev', platform((p) => delete p.kubernetesVersion)).platform.kubernetesVersion, '1.35');
  });

  it('rejects a version the support table does not know, naming the supported ones', () => {
    rejects('dev', platform((p) => (p.kubernetesVersion = '1.99')), 'platform.kubernetesVersion', /support calendar.*standard support on 2026-11-29: 1\.35, 1\.34/);
  });

  it('rejects a version in extended support unless the config opts in', () => {
    const extended = (p: any) => {
      p.kubernetesVersion = '1.33';
      p.addons.kubeProxy = 'v1.33.3-eksbuild.1';
    };
    rejects('dev', platform(extended), 'platform.kubernetesVersion', /left EKS standard support on 2026-07-29.*extendedSupport/);
    const config = configWith('dev', platform((p) => (extended(p), (p.extendedSupport = true))));
    assert.equal(config.platform.kubernetesVersion, '1.33');
  });

  it('rejects a version past extended support even with extendedSupport', () => {
    rejects('dev', platform((p) => ((p.kubernetesVersion = '1.30'), (p.extendedSupport = true))), 'platform.kubernetesVersion', /left EKS extended support on 2026-07-23/);
  });

  it('rejects a malformed version string', () => {
    rejects('dev', platform((p) => (p.kubernetesVersion = 'latest')), 'platform.kubernetesVersion', /minor version such as "1\.35"/);
  });

  it('rejects a kube-proxy build for another Kubernetes version', () => {
    rejects('prod', platform((p) => (p.addons.kubeProxy = 'v1.34.1-eksbuild.2')), 'platform.addons.kubeProxy', /build for Kubernetes 1\.35/);
  });

  it('rejects an add-on version that is not an exact build', () => {
    rejects('prod', platform((p) => (p.addons.coredns = 'latest')), 'platform.addons.coredns', /eksbuild/);
  });
});

describe('platform config: EKS version table', () => {
  it('classifies by the review date, not by today', () => {
    assert.equal(eksSupportStatus('1.35'), 'standard');
    assert.equal(eksSupportStatus('1.34', '2026-12-01'), 'standard');
    assert.equal(eksSupportStatus('1.34', '2026-12-02'), 'extended');
    assert.equal(eksSupportStatus('1.31', '2026-11-26'), 'unsupported');
    assert.equal(eksSupportStatus('1.20'), 'unknown');
  });

  it('is consistent: extended support ends after standard support, no version twice', () => {
    assert.equal(new Set(EKS_VERSIONS.map((v) => v.version)).size, EKS_VERSIONS.length);
    for (const v of EKS_VERSIONS) assert.ok(v.endOfStandardSupport < v.endOfExtendedSupport, v.version);
  });

  it('was reviewed against the EKS release calendar within the last six months', () => {
    const ageDays = (Date.now() - Date.parse(`${EKS_VERSIONS_REVIEWED_ON}T00:00:00Z`)) / 86_400_000;
    assert.ok(ageDays <= 183, `src/config/eks-versions.ts was reviewed on ${EKS_VERSIONS_REVIEWED_ON}; re-read the EKS Kubernetes release calendar, update the table and the date`);
  });
});

describe('platform config: API endpoint', () => {
  it('rejects a public endpoint without source CIDRs', () => {
    rejects('dev', platform((p) => (p.publicEndpoint = { enabled: true })), 'platform.publicEndpoint.cidrs', /must list the source CIDRs/);
  });

  it('rejects CIDRs for a disabled public endpoint', () => {
    rejects('dev', platform((p) => (p.publicEndpoint = { enabled: false, cidrs: ['203.0.113.0/24'] })), 'platform.publicEndpoint.cidrs', /must be empty while publicEndpoint\.enabled is false/);
  });

  it('rejects 0.0.0.0/0 in production', () => {
    rejects('prod', platform((p) => (p.publicEndpoint = { enabled: true, cidrs: ['203.0.113.0/24', '0.0.0.0/0'] })), 'platform.publicEndpoint.cidrs.1', /must not be 0\.0\.0\.0\/0 in a production/);
  });

  it('accepts explicit CIDRs in production and 0.0.0.0/0 outside it', () => {
    assert.deepEqual(problems('prod', platform((p) => (p.publicEndpoint = { enabled: true, cidrs: ['203.0.113.0/24'] }))), []);
    assert.deepEqual(problems('dev', platform((p) => (p.publicEndpoint = { enabled: true, cidrs: ['0.0.0.0/0'] }))), []);
  });

  it('rejects a malformed CIDR', () => {
    rejects('dev', platform((p) => (p.privateEndpointSourceCidrs = ['10.0.0.1/8'])), 'platform.privateEndpointSourceCidrs.0', /IPv4 CIDR/);
  });
});

describe('platform config: node groups', () => {
  it('rejects sizes out of order', () => {
    rejects('dev', platform((p) => (p.nodeGroups.system.desiredSize = 5)), 'platform.nodeGroups.system', /minSize ≤ desiredSize ≤ maxSize \(got 2 ≤ 5 ≤ 3\)/);
  });

  it('requires at least one node per zone in production', () => {
    rejects('prod', platform((p) => ((p.nodeGroups.system.minSize = 2), (p.nodeGroups.system.desiredSize = 2))), 'platform.nodeGroups.system.minSize', /one node per availability zone \(3\)/);
    // Non-production tiers may run fewer nodes than zones.
    assert.deepEqual(problems('staging', platform((p) => (p.nodeGroups.system.minSize = 1))), []);
  });

  it('rejects maxUnavailable above maxSize', () => {
    rejects('dev', platform((p) => (p.nodeGroups.system.maxUnavailable = 4)), 'platform.nodeGroups.system.maxUnavailable', /at most maxSize \(3\)/);
  });

  it('rejects instance types of the other architecture', () => {
    rejects('prod', platform((p) => (p.nodeGroups.workload.instanceTypes = ['m7g.2xlarge', 'm7i.2xlarge'])), 'platform.nodeGroups.workload.instanceTypes.1', /Graviton \(arm64\)/);
    rejects('dev', platform((p) => (p.architecture = 'x86_64')), 'platform.nodeGroups.system.instanceTypes.0', /x86_64 type/);
  });

  it('recognises Graviton instance families', () => {
    for (const type of ['m7g.large', 't4g.large', 'c7gn.xlarge', 'r8gd.2xlarge', 'im4gn.large', 'is4gen.large', 'g5g.xlarge', 'a1.large']) assert.ok(isGravitonType(type), type);
    for (const type of ['m7i.large', 'm7i-flex.large', 't3.large', 'c6in.xlarge', 'g5.xlarge', 'r7a.large', 'm5dn.large']) assert.ok(!isGravitonType(type), type);
  });

  it('rejects an unknown AMI type and architecture', () => {
    rejects('dev', platform((p) => (p.amiType = 'AL2')), 'platform.amiType', /AL2023.*BOTTLEROCKET/);
    rejects('dev', platform((p) => (p.architecture = 'arm')), 'platform.architecture', /arm64.*x86_64/);
  });

  it('rejects a metadata hop limit other than 1 or 2', () => {
    rejects('dev', platform((p) => (p.metadataHopLimit = 3)), 'platform.metadataHopLimit', /must be 1/);
  });
});

describe('platform config: access', () => {
  it('requires an admin role, as the cluster creator gets none', () => {
    rejects('dev', platform((p) => (p.adminRoleArns = [])), 'platform.adminRoleArns', /at least one IAM role/);
  });

  it('rejects a role that is both admin and read-only', () => {
    rejects('prod', platform((p) => p.readOnlyRoleArns.push(p.adminRoleArns[0])), 'platform.readOnlyRoleArns.1', /must not repeat a role of adminRoleArns/);
  });

  it('rejects deploy refs with wildcards and an empty deploy source', () => {
    rejects('dev', platform((p) => (p.deployFrom = { branches: ['release/*'] })), 'platform.deployFrom.branches.0', /no wildcards/);
    rejects('dev', platform((p) => (p.deployFrom = { branches: [], environments: [] })), 'platform.deployFrom', /at least one branch or GitHub environment/);
    rejects('prod', platform((p) => (p.deployFrom = { branches: ['main'], environments: ['prod'] })), 'platform.deployFrom.branches', /only through a GitHub environment with required reviewers/);
    assert.deepEqual(configWith('staging', platform((p) => (p.deployFrom = { branches: ['main'], environments: [] }))).platform.deployFrom.branches, ['main']);
  });
});
