import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, formatProblem } from '../../src/config/load';
import { configWith } from '../support/synth';

interface InvalidCase {
  readonly name: string;
  readonly environment?: 'dev' | 'staging' | 'prod';
  readonly mutate: (raw: { project: any; environment: any }) => void;
  /** The field path the error must name. */
  readonly path: string;
  /** A fragment of the message saying what is allowed. */
  readonly message: RegExp;
}

const CASES: readonly InvalidCase[] = [
  { name: 'short account id', mutate: (r) => (r.environment.accountId = '12345'), path: 'accountId', message: /12-digit/ },
  { name: 'missing account id', mutate: (r) => delete r.environment.accountId, path: 'accountId', message: /./ },
  { name: 'region not a region code', mutate: (r) => (r.environment.region = 'europe-1'), path: 'region', message: /region code/ },
  { name: 'tier outside the enum', mutate: (r) => (r.environment.tier = 'prod'), path: 'tier', message: /development|production/ },
  { name: 'malformed assume-role ARN', mutate: (r) => (r.environment.assumeRoleArn = 'arn:aws:iam::1:user/x'), path: 'assumeRoleArn', message: /IAM role ARN/ },
  { name: 'uppercase domain', mutate: (r) => (r.environment.domain = 'Example.COM'), path: 'domain', message: /lowercase/ },
  { name: 'domain outside the Cloudflare zone', mutate: (r) => (r.environment.domain = 'example.org'), path: 'domain', message: /cloudflareZone/ },
  { name: 'CIDR prefix out of range', mutate: (r) => (r.environment.network.vpcCidr = '10.0.0.0/33'), path: 'network.vpcCidr', message: /IPv4 CIDR/ },
  { name: 'CIDR with host bits set', mutate: (r) => (r.environment.network.vpcCidr = '10.0.0.1/16'), path: 'network.vpcCidr', message: /host bits zero/ },
  { name: 'VPC block too small', mutate: (r) => (r.environment.network.vpcCidr = '10.0.0.0/24'), path: 'network.vpcCidr', message: /\/16 to \/22/ },
  { name: 'production with two zones', mutate: (r) => (r.environment.network.azCount = 2), path: 'network.azCount', message: /at least 3/ },
  { name: 'AZ count above six', environment: 'dev', mutate: (r) => (r.environment.network.azCount = 7), path: 'network.azCount', message: /2–6/ },
  { name: 'production with a single NAT gateway', mutate: (r) => (r.environment.network.natGateways = 'single'), path: 'network.natGateways', message: /per-az/ },
  {
    name: 'subnets do not fit the VPC',
    mutate: (r) => (r.environment.network.vpcCidr = '10.30.0.0/20'),
    path: 'network.subnetPrefixLength',
    message: /need \d+ addresses but vpcCidr 10\.30\.0\.0\/20 has 4096/,
  },
  {
    name: 'overlapping explicit subnets',
    environment: 'dev',
    mutate: (r) => (r.environment.network.subnetCidrs = { public: ['10.10.0.0/24', '10.10.1.0/24'], private: ['10.10.32.0/19', '10.10.64.0/19'], data: ['10.10.2.0/24', '10.10.1.128/25'] }),
    path: 'network.subnetCidrs.data.1',
    message: /must not overlap 10\.10\.1\.0\/24/,
  },
  {
    name: 'explicit subnet outside the VPC',
    environment: 'dev',
    mutate: (r) => (r.environment.network.subnetCidrs = { public: ['10.10.0.0/24', '10.99.1.0/24'], private: ['10.10.32.0/19', '10.10.64.0/19'], data: ['10.10.2.0/24', '10.10.3.0/24'] }),
    path: 'network.subnetCidrs.public.1',
    message: /inside vpcCidr/,
  },
  {
    name: 'explicit subnets missing a zone',
    environment: 'dev',
    mutate: (r) => (r.environment.network.subnetCidrs = { public: ['10.10.0.0/24'], private: ['10.10.32.0/19', '10.10.64.0/19'], data: ['10.10.2.0/24', '10.10.3.0/24'] }),
    path: 'network.subnetCidrs.public',
    message: /one block per zone \(2\)/,
  },
  { name: 'zone of another region', mutate: (r) => (r.environment.network.availabilityZones = ['eu-west-1a', 'eu-west-1b', 'us-east-1a']), path: 'network.availabilityZones.2', message: /zone of region eu-west-1/ },
  { name: 'zone list shorter than azCount', mutate: (r) => (r.environment.network.availabilityZones = ['eu-west-1a', 'eu-west-1b']), path: 'network.availabilityZones', message: /exactly azCount \(3\)/ },
  { name: 'unknown field', mutate: (r) => (r.environment.network.natGateway = 'per-az'), path: 'network', message: /unknown field\(s\) "natGateway"/ },
  { name: 'log retention CloudWatch does not offer', mutate: (r) => (r.environment.network.flowLogs.retentionDays = 42), path: 'network.flowLogs.retentionDays', message: /one of 1, 3, 5/ },
  { name: 'state versions kept too briefly', mutate: (r) => (r.environment.stateBackend.noncurrentVersionRetentionDays = 1), path: 'stateBackend.noncurrentVersionRetentionDays', message: /at least 7 days/ },
  { name: 'service name not a namespace', mutate: (r) => (r.project.services[3].name = 'Svc_Idt'), path: 'services.3.name', message: /Kubernetes namespace name/ },
  { name: 'duplicate service name', mutate: (r) => (r.project.services[4].name = r.project.services[3].name), path: 'services.4.name', message: /unique; services\[3\]/ },
  { name: 'two services from one repository', mutate: (r) => (r.project.services[5].repository = r.project.services[4].repository), path: 'services.5.repository', message: /unique/ },
  { name: 'unknown capability', mutate: (r) => (r.project.services[0].capabilities = ['s3']), path: 'services.0.capabilities.0', message: /postgres, cache/ },
  { name: 'reserved namespace', mutate: (r) => (r.project.services[0].name = 'kube-system'), path: 'services.0.name', message: /reserved/ },
  { name: 'project prefix with uppercase', mutate: (r) => (r.project.project = 'Social'), path: 'project', message: /lowercase/ },
  { name: 'node group min above desired', mutate: (r) => (r.environment.platform.nodeGroups.workload.minSize = 9), path: 'platform.nodeGroups.workload', message: /minSize ≤ desiredSize ≤ maxSize/ },
  { name: 'storage ceiling below allocation', mutate: (r) => (r.environment.data.postgres.maxAllocatedStorageGiB = 50), path: 'data.postgres.maxAllocatedStorageGiB', message: /at least allocatedStorageGiB/ },
  {
    name: 'production without a recovery region',
    mutate: (r) => delete r.environment.recovery,
    path: 'recovery.region',
    message: /required in production/,
  },
  {
    name: 'recovery region equal to the home region',
    mutate: (r) => (r.environment.recovery.region = r.environment.region),
    path: 'recovery.region',
    message: /must differ from region \(eu-west-1\)/,
  },
  {
    name: 'recovery region not a region code',
    mutate: (r) => (r.environment.recovery.region = 'frankfurt'),
    path: 'recovery.region',
    message: /region code/,
  },
  {
    name: 'recovery account equal to the environment account',
    mutate: (r) => (r.environment.recovery.accountId = r.environment.accountId),
    path: 'recovery.accountId',
    message: /must differ from accountId/,
  },
  {
    name: 'recovery account not an account id',
    mutate: (r) => (r.environment.recovery.accountId = '4444'),
    path: 'recovery.accountId',
    message: /12-digit/,
  },
  {
    name: 'recovery retention below the Vault Lock minimum',
    mutate: (r) => (r.environment.recovery.retentionDays = 3),
    path: 'recovery.retentionDays',
    message: /at least 7 days/,
  },
  {
    name: 'unknown recovery field',
    mutate: (r) => (r.environment.recovery.vault = 'x'),
    path: 'recovery',
    message: /unknown field\(s\) "vault"/,
  },
  { name: 'mail domain outside the zone', mutate: (r) => (r.environment.edge.email.domain = 'mail.example.net'), path: 'edge.email.domain', message: /cloudflareZone/ },
];

describe('invalid configuration is rejected with the field, the value and what is allowed', () => {
  it('the corpus holds at least 20 distinct invalid configurations', () => {
    assert.ok(CASES.length >= 20, `only ${CASES.length} cases`);
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
  });

  for (const testCase of CASES) {
    it(testCase.name, () => {
      let error: unknown;
      try {
        configWith(testCase.environment ?? 'prod', testCase.mutate);
      } catch (caught) {
        error = caught;
      }
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      const problem = error.problems.find((p) => p.path === testCase.path);
      assert.ok(problem, `no problem at ${testCase.path}; got ${error.problems.map((p) => `${p.path}: ${p.message}`).join(' | ')}`);
      assert.match(problem.message, testCase.message);
      const line = formatProblem(problem);
      assert.ok(line.includes(testCase.path), line);
      assert.match(line, /\(got .+\)$/);
    });
  }

  it('the bundled examples are valid', () => {
    for (const env of ['dev', 'staging', 'prod']) assert.doesNotThrow(() => configWith(env, () => undefined));
  });
});
