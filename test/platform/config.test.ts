import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EKS_VERSIONS, eksSupportStatus } from '../../src/config/eks-versions';
import { ConfigError } from '../../src/config/load';
import { isGravitonFamily } from '../../src/config/rules/cluster';
import type { EnvironmentTier } from '../../src/environment-tiers';
import { configOfTier, rawConfigOfTier } from '../support/synth';

type Raw = { project: any; environment: any };

/** The problems a mutation of an environment of the tier produces, as `path: message`. */
function problems(tier: EnvironmentTier, mutate: (raw: Raw) => void): string[] {
  try {
    configOfTier(tier, mutate);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

function rejects(tier: EnvironmentTier, mutate: (raw: Raw) => void, path: string, message: RegExp): void {
  const found = problems(tier, mutate);
  assert.ok(
    found.some((p) => p.startsWith(`${path}: `) && message.test(p)),
    `expected a problem at ${path} matching ${message}; got ${found.join(' | ') || 'none'}`,
  );
}

const platform = (mutate: (p: any, raw: Raw) => void) => (raw: Raw) => mutate(raw.environment.platform, raw);

describe('platform config: Kubernetes version', () => {
  it('defaults to 1.36 and the example environments use it', () => {
    assert.equal(
      configOfTier(
        'development',
        platform((p) => delete p.kubernetesVersion),
      ).platform.kubernetesVersion,
      '1.36',
    );
  });

  it('rejects a version the support table does not know, naming the supported ones', () => {
    rejects(
      'development',
      platform((p) => (p.kubernetesVersion = '1.99')),
      'platform.kubernetesVersion',
      /support calendar.*standard support on 2026-12-01: 1\.36, 1\.35, 1\.34/,
    );
  });

  it('rejects a version in extended support unless the config opts in', () => {
    const extended = (p: any) => (p.kubernetesVersion = '1.33');
    rejects('development', platform(extended), 'platform.kubernetesVersion', /left EKS standard support on 2026-07-29.*extendedSupport/);
    const config = configOfTier(
      'development',
      platform((p) => (extended(p), (p.extendedSupport = true))),
    );
    assert.equal(config.platform.kubernetesVersion, '1.33');
  });

  it('rejects a version past extended support even with extendedSupport', () => {
    rejects(
      'development',
      platform((p) => ((p.kubernetesVersion = '1.30'), (p.extendedSupport = true))),
      'platform.kubernetesVersion',
      /left EKS extended support on 2026-07-23/,
    );
  });

  it('rejects a malformed version string', () => {
    rejects(
      'development',
      platform((p) => (p.kubernetesVersion = 'latest')),
      'platform.kubernetesVersion',
      /minor version such as "1\.36"/,
    );
  });

  it('rejects an add-on version that is not an exact build, and add-ons Auto Mode already runs', () => {
    rejects(
      'production',
      platform((p) => (p.addons.metricsServer = 'latest')),
      'platform.addons.metricsServer',
      /eksbuild/,
    );
    rejects(
      'production',
      platform((p) => (p.addons.coredns = 'v1.12.4-eksbuild.1')),
      'platform.addons.coredns',
      /unknown field; the allowed/,
    );
  });
});

describe('platform config: EKS version table', () => {
  it('classifies by the review date, not by today', () => {
    assert.equal(eksSupportStatus('1.36'), 'standard');
    assert.equal(eksSupportStatus('1.36', '2027-08-02'), 'extended');
    assert.equal(eksSupportStatus('1.36', '2028-08-02'), 'unsupported');
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
});

describe('platform config: API endpoint', () => {
  it('rejects a public endpoint without source CIDRs', () => {
    rejects(
      'development',
      platform((p) => (p.publicEndpoint = { enabled: true })),
      'platform.publicEndpoint.cidrs',
      /must list the source CIDRs/,
    );
  });

  it('rejects CIDRs for a disabled public endpoint', () => {
    rejects(
      'development',
      platform((p) => (p.publicEndpoint = { enabled: false, cidrs: ['203.0.113.0/24'] })),
      'platform.publicEndpoint.cidrs',
      /must be empty while publicEndpoint\.enabled is false/,
    );
  });

  it('rejects 0.0.0.0/0 in production', () => {
    rejects(
      'production',
      platform((p) => (p.publicEndpoint = { enabled: true, cidrs: ['203.0.113.0/24', '0.0.0.0/0'] })),
      'platform.publicEndpoint.cidrs.1',
      /must not be 0\.0\.0\.0\/0 in a production/,
    );
  });

  it('accepts explicit CIDRs in production and 0.0.0.0/0 outside it', () => {
    assert.deepEqual(
      problems(
        'production',
        platform((p) => (p.publicEndpoint = { enabled: true, cidrs: ['203.0.113.0/24'] })),
      ),
      [],
    );
    assert.deepEqual(
      problems(
        'development',
        platform((p) => (p.publicEndpoint = { enabled: true, cidrs: ['0.0.0.0/0'] })),
      ),
      [],
    );
  });

  it('rejects a malformed CIDR', () => {
    rejects(
      'development',
      platform((p) => (p.privateEndpointSourceCidrs = ['10.0.0.1/8'])),
      'platform.privateEndpointSourceCidrs.0',
      /IPv4 CIDR/,
    );
  });
});

describe('cluster config: node pools', () => {
  const pools = (mutate: (pools: any, raw: Raw) => void) => (raw: Raw) => mutate(raw.environment.cluster.nodePools, raw);

  it('refuses spot capacity in production only', () => {
    rejects(
      'production',
      pools((p) => (p.workload.capacityTypes = ['on-demand', 'spot'])),
      'cluster.nodePools.workload.capacityTypes',
      /must not include "spot" in a production/,
    );
    assert.deepEqual(
      problems(
        'staging',
        pools((p) => (p.workload.capacityTypes = ['spot'])),
      ),
      [],
    );
  });

  it('rejects instance families of another architecture, category or an older generation', () => {
    rejects(
      'production',
      pools((p) => (p.system.instanceFamilies = ['m7g', 'm7i'])),
      'cluster.nodePools.system.instanceFamilies.1',
      /"m7i" is amd64/,
    );
    assert.deepEqual(
      problems(
        'production',
        pools((p) => ((p.system.architectures = ['amd64']), (p.system.instanceFamilies = ['m7i']))),
      ),
      [],
    );
    rejects(
      'production',
      pools((p) => (p.system.instanceFamilies = ['c7g'])),
      'cluster.nodePools.system.instanceFamilies.0',
      /must belong to instanceCategories \(m\)/,
    );
    rejects(
      'production',
      pools((p) => (p.system.instanceFamilies = ['m6g'])),
      'cluster.nodePools.system.instanceFamilies.0',
      /generation 7 or later/,
    );
  });

  it('recognises Graviton instance families', () => {
    for (const family of ['m7g', 't4g', 'c7gn', 'r8gd', 'im4gn', 'is4gen', 'g5g', 'a1']) assert.ok(isGravitonFamily(family), family);
    for (const family of ['m7i', 'm7i-flex', 't3', 'c6in', 'g5', 'r7a', 'm5dn']) assert.ok(!isGravitonFamily(family), family);
  });

  it('rejects a workload ceiling below what one namespace quota may request', () => {
    rejects(
      'production',
      pools((p) => (p.workload.limits.cpu = 8)),
      'cluster.nodePools.workload.limits.cpu',
      /largest namespace quota's requests.cpu \(16\)/,
    );
    rejects(
      'production',
      pools((p) => (p.workload.limits.memoryGiB = 16)),
      'cluster.nodePools.workload.limits.memoryGiB',
      /\(32 GiB\)/,
    );
  });

  it("rejects node lifetimes beyond Auto Mode's 21 days and unknown values", () => {
    rejects(
      'development',
      pools((p) => (p.workload.expireAfterHours = 600)),
      'cluster.nodePools.workload.expireAfterHours',
      /at most 504 hours/,
    );
    rejects(
      'development',
      pools((p) => (p.workload.architectures = ['x86_64'])),
      'cluster.nodePools.workload.architectures.0',
      /arm64, amd64/,
    );
    rejects(
      'development',
      pools((p) => (p.workload.instanceCategories = ['p'])),
      'cluster.nodePools.workload.instanceCategories.0',
      /c, m, r, t/,
    );
    rejects(
      'development',
      pools((p) => delete p.system),
      'cluster.nodePools.system',
      /./,
    );
  });
});

describe('platform config: access', () => {
  it('requires an admin role, as the cluster creator gets none', () => {
    rejects(
      'development',
      platform((p) => (p.adminRoleArns = [])),
      'platform.adminRoleArns',
      /at least one IAM role/,
    );
  });

  it('rejects a role that is both admin and read-only', () => {
    rejects(
      'production',
      platform((p) => p.readOnlyRoleArns.push(p.adminRoleArns[0])),
      `platform.readOnlyRoleArns.${rawConfigOfTier('production').environment.platform.readOnlyRoleArns.length}`,
      /must not repeat a role of adminRoleArns/,
    );
  });

  it('rejects deploy refs with wildcards and an empty deploy source', () => {
    rejects(
      'development',
      platform((p) => (p.deployFrom = { branches: ['release/*'] })),
      'platform.deployFrom.branches.0',
      /no wildcards/,
    );
    rejects(
      'development',
      platform((p) => (p.deployFrom = { branches: [], environments: [] })),
      'platform.deployFrom',
      /at least one branch or GitHub environment/,
    );
    rejects(
      'production',
      platform((p) => (p.deployFrom = { branches: ['main'], environments: ['prod'] })),
      'platform.deployFrom.branches',
      /only through a GitHub environment with required reviewers/,
    );
    assert.deepEqual(
      configOfTier(
        'staging',
        platform((p) => (p.deployFrom = { branches: ['main'], environments: [] })),
      ).platform.deployFrom.branches,
      ['main'],
    );
  });
});
