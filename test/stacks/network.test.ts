import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsOwnedBucketObjectArns, EKS_ADDON_REGISTRY_ACCOUNTS } from '../../src/constructs/network/aws-owned-resources';
import type { EnvironmentConfig } from '../../src/config/load';
import { SUBNET_TIERS } from '../../src/config/schema/network';
import {
  configOfTier,
  exampleOfTier,
  exampleEnvironments,
  exampleStacks,
  policyOf,
  resourceAt,
  resourcesOf,
  stack,
  synthesizeLayer,
  projectPrefix,
} from '../support/synth';
const PROD = exampleOfTier('production').name;

const PREFIX = projectPrefix();

const environments = exampleEnvironments();
const networkOf = (env: EnvironmentConfig) => stack(exampleStacks(), `${env.name}-network`);
const prodConfig = exampleOfTier('production');
const prod = networkOf(prodConfig);
const prodZones = prodConfig.networkPlan.availabilityZones.length;

const subnetsOf = (doc: typeof prod, tier: string) => resourcesOf(doc, 'aws_subnet').filter(([, s]) => s.tags.Tier === tier);

describe('network layer', () => {
  for (const env of environments) {
    const doc = networkOf(env);
    const zones = env.networkPlan.availabilityZones;

    it(`${env.name}: the VPC is the configured block, with DNS support and hostnames`, () => {
      const vpc = resourceAt(doc, 'aws_vpc', 'vpc/vpc');
      assert.equal(vpc.cidr_block, env.network.vpcCidr);
      assert.equal(vpc.enable_dns_support, true);
      assert.equal(vpc.enable_dns_hostnames, true);
    });

    it(`${env.name}: every tier has its planned subnet in each of the ${zones.length} zones, none mapping public IPs`, () => {
      for (const tier of SUBNET_TIERS) {
        const subnets = subnetsOf(doc, tier).map(([, s]) => s);
        assert.deepEqual(
          subnets.map((s) => [s.availability_zone, s.cidr_block]).sort(),
          zones.map((zone, i) => [zone, env.networkPlan.subnetCidrs[tier][i]]).sort(),
          tier,
        );
        assert.ok(subnets.every((s) => s.map_public_ip_on_launch === false));
      }
    });

    it(`${env.name}: NAT gateways as network.natGateways says (${env.network.natGateways}), each private zone routing through one`, () => {
      const nats = resourcesOf(doc, 'aws_nat_gateway');
      assert.equal(nats.length, env.network.natGateways === 'per-az' ? zones.length : 1);
      const privateRoutes = resourcesOf(doc, 'aws_route').filter(([, r]) => r.nat_gateway_id);
      assert.equal(privateRoutes.length, zones.length);
      assert.equal(new Set(privateRoutes.map(([, r]) => r.nat_gateway_id)).size, nats.length);
    });

    it(`${env.name}: data subnets have no route to the internet`, () => {
      const [dataTable] = resourcesOf(doc, 'aws_route_table').find(([, t]) => t.tags.Name === `${PREFIX}-${env.name}-data`)!;
      const routesOfData = resourcesOf(doc, 'aws_route').filter(([, r]) => r.route_table_id.includes(`aws_route_table.${dataTable}.`));
      assert.deepEqual(routesOfData, []);
      const associations = resourcesOf(doc, 'aws_route_table_association').filter(([, a]) =>
        a.route_table_id.includes(`aws_route_table.${dataTable}.`),
      );
      assert.equal(associations.length, zones.length);
    });
  }

  it('tags subnets for the load balancer controller', () => {
    assert.ok(
      subnetsOf(prod, 'public').every(
        ([, s]) => s.tags['kubernetes.io/role/elb'] === '1' && s.tags[`kubernetes.io/cluster/${PREFIX}-${PROD}-eks`] === 'shared',
      ),
    );
    assert.ok(subnetsOf(prod, 'private').every(([, s]) => s.tags['kubernetes.io/role/internal-elb'] === '1'));
    assert.ok(subnetsOf(prod, 'data').every(([, s]) => !('kubernetes.io/role/elb' in s.tags)));
  });

  it('default security group is taken over with no rules', () => {
    const sg = resourceAt(prod, 'aws_default_security_group', 'vpc/default-sg');
    assert.equal(sg.ingress, undefined);
    assert.equal(sg.egress, undefined);
  });

  it('flow logs go to a KMS-encrypted log group through a role that may only write there', () => {
    const flowLog = resourceAt(prod, 'aws_flow_log', 'flow-logs/flow-log');
    assert.equal(flowLog.traffic_type, 'ALL');
    assert.equal(flowLog.log_destination_type, 'cloud-watch-logs');
    const group = resourceAt(prod, 'aws_cloudwatch_log_group', 'flow-logs/logs/log-group');
    assert.equal(group.retention_in_days, prodConfig.network.flowLogs.retentionDays);
    assert.match(group.kms_key_id, /aws_kms_key\.network-logs\./);
    const [statement] = policyOf(resourceAt(prod, 'aws_iam_role_policy', 'flow-logs/role/policy').policy).Statement;
    assert.deepEqual(statement.Action, ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams']);
    assert.match(statement.Resource, /^\$\{aws_cloudwatch_log_group\.vpc-flow-logs\.arn\}:\*$/);
    const trust = policyOf(resourceAt(prod, 'aws_iam_role', 'flow-logs/role/role').assume_role_policy).Statement[0];
    assert.deepEqual(trust.Condition, { StringEquals: { 'aws:SourceAccount': prodConfig.accountId } });
  });

  it('gateway endpoints for S3 and DynamoDB serve the private and data route tables', () => {
    const gateways = resourcesOf(prod, 'aws_vpc_endpoint').filter(([, e]) => e.vpc_endpoint_type === 'Gateway');
    const region = prodConfig.region;
    assert.deepEqual(gateways.map(([, e]) => e.service_name).sort(), [`com.amazonaws.${region}.dynamodb`, `com.amazonaws.${region}.s3`]);
    assert.ok(
      gateways.every(([, e]) => e.route_table_ids.length === prodZones + 1),
      'a private table per zone and the data table',
    );
  });

  it('interface endpoints follow the config flag and admit only HTTPS from the workload subnets', () => {
    const interfaces = (doc: typeof prod) => resourcesOf(doc, 'aws_vpc_endpoint').filter(([, e]) => e.vpc_endpoint_type === 'Interface');
    for (const env of environments) {
      const doc = networkOf(env);
      if (!env.network.interfaceEndpoints) {
        assert.equal(interfaces(doc).length, 0, env.name);
        continue;
      }
      const zones = env.networkPlan.availabilityZones.length;
      assert.ok(interfaces(doc).length >= 5, env.name);
      assert.ok(
        interfaces(doc).every(([, e]) => e.private_dns_enabled === true && e.subnet_ids.length === zones),
        env.name,
      );
      const rules = resourcesOf(doc, 'aws_vpc_security_group_ingress_rule').map(([, r]) => [
        r.ip_protocol,
        r.from_port,
        r.to_port,
        r.cidr_ipv4,
        r.cidr_ipv6,
      ]);
      assert.deepEqual(
        rules.sort(),
        env.networkPlan.subnetCidrs.private.map((cidr) => ['tcp', 443, 443, cidr, undefined]).sort(),
        env.name,
      );
      assert.equal(resourcesOf(doc, 'aws_security_group_rule').length, 0, env.name);
    }
    // Flipping the flag of one environment flips its endpoints.
    const devFlag = exampleOfTier('development').network.interfaceEndpoints;
    const flipped = synthesizeLayer(
      configOfTier('development', (r) => (r.environment.network.interfaceEndpoints = !devFlag)),
      'network',
    );
    assert.equal(interfaces(flipped).length > 0, !devFlag);
  });

  it("every endpoint admits only requests for this account's resources, and the AWS-owned ones image pulls and packages need", () => {
    for (const cfg of exampleEnvironments()) {
      const doc = stack(exampleStacks(), `${cfg.name}-network`);
      const endpoints = resourcesOf(doc, 'aws_vpc_endpoint').map(([, e]) => e);
      assert.ok(endpoints.length >= 2);
      for (const endpoint of endpoints) {
        const service = endpoint.service_name.replace(`com.amazonaws.${cfg.region}.`, '');
        const [own, ...extra] = policyOf(endpoint.policy).Statement;
        assert.deepEqual(own, {
          Sid: 'OnlyThisAccountsResources',
          Effect: 'Allow',
          Principal: '*',
          Action: '*',
          Resource: '*',
          Condition: { StringEqualsIfExists: { 'aws:ResourceAccount': cfg.accountId } },
        });
        const expected: Record<string, unknown[]> = {
          s3: [
            {
              Sid: 'AwsOwnedImageLayersAndPackages',
              Effect: 'Allow',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: awsOwnedBucketObjectArns('aws', cfg.region),
            },
          ],
        };
        for (const ecr of ['ecr.api', 'ecr.dkr']) {
          expected[ecr] = [
            {
              Sid: 'EksAddonImages',
              Effect: 'Allow',
              Principal: '*',
              Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
              Resource: `arn:aws:ecr:${cfg.region}:${EKS_ADDON_REGISTRY_ACCOUNTS[cfg.region]}:repository/*`,
            },
          ];
        }
        assert.deepEqual(extra, expected[service] ?? [], service);
      }
    }
    assert.deepEqual(awsOwnedBucketObjectArns('aws', 'eu-west-1'), [
      'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*',
      'arn:aws:s3:::al2023-repos-eu-west-1-de612dc2/*',
    ]);
  });

  it('refuses a region whose EKS add-on registry is unknown', () => {
    const unknownRegion = configOfTier('development', (r) => (r.environment.region = 'xx-west-9'));
    assert.throws(
      () => synthesizeLayer(unknownRegion, 'network'),
      /region must be a region in EKS_ADDON_REGISTRY_ACCOUNTS .* \(got "xx-west-9"\)/,
    );
  });

  it('publishes the subnet ids of every tier as contract outputs', () => {
    for (const tier of ['private', 'public', 'data']) {
      const output = prod.output![`vpc_${tier}_subnet_ids`];
      assert.equal(output.value.length, prodZones);
      assert.ok(output.value.every((v: string) => v.startsWith('${aws_subnet.')));
    }
  });
});
