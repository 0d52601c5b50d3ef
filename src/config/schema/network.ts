import { z } from 'zod';
import { ipv4Cidr, logRetentionDays } from './common';

export const SUBNET_TIERS = ['public', 'private', 'data'] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

const prefixLength = z
  .number()
  .int()
  .min(16, 'must be between 16 and 28 (AWS subnet limits)')
  .max(28, 'must be between 16 and 28 (AWS subnet limits)');

export const networkConfig = z
  .object({
    vpcCidr: ipv4Cidr.describe("The VPC's IPv4 block: /16 to /22."),
    azCount: z
      .number()
      .int()
      .min(2, 'must be 2–6: every tier needs at least two zones')
      .max(6, 'must be 2–6')
      .describe('How many availability zones the VPC spans; every tier gets one subnet per zone. Production needs at least 3.'),
    availabilityZones: z
      .array(z.string())
      .optional()
      .describe(
        "Zone names, in order, exactly `azCount` of them. Omitted, the region's zones a, b, c, … . Set them when the account " +
          'lacks a zone letter or you want the same physical zones (zone ids) across accounts.',
      ),
    subnetPrefixLength: z
      .object({
        public: prefixLength.default(24).describe('Prefix length of each public subnet (load balancer, NAT gateways).'),
        private: prefixLength.default(19).describe('Prefix length of each private subnet (nodes, pods, CI runner).'),
        data: prefixLength.default(24).describe('Prefix length of each data subnet (PostgreSQL, caches, OpenSearch).'),
      })
      .strict()
      .default({ public: 24, private: 19, data: 24 })
      .describe('Size of each subnet per tier; subnets are packed into `vpcCidr` largest first.'),
    subnetCidrs: z
      .object({
        public: z.array(ipv4Cidr).describe('Public subnet blocks, one per zone in zone order.'),
        private: z.array(ipv4Cidr).describe('Private subnet blocks, one per zone in zone order.'),
        data: z.array(ipv4Cidr).describe('Data subnet blocks, one per zone in zone order.'),
      })
      .strict()
      .optional()
      .describe('Explicit subnet blocks per tier (one per zone) instead of the packed layout; each inside `vpcCidr`, none overlapping.'),
    natGateways: z
      .enum(['per-az', 'single'], { message: 'must be "per-az" or "single"' })
      .describe('`per-az` keeps egress alive when a zone fails (required in production); `single` saves cost outside production.'),
    interfaceEndpoints: z.boolean().describe('Interface endpoints keep AWS API traffic (ECR, STS, logs, secrets) off the NAT gateways.'),
    flowLogs: z
      .object({
        retentionDays: logRetentionDays.describe('Days the flow log group keeps records.'),
        trafficType: z.enum(['ALL', 'REJECT', 'ACCEPT']).default('ALL').describe('Which traffic the flow logs record.'),
      })
      .strict()
      .describe('VPC flow logs, to a KMS-encrypted log group.'),
  })
  .strict();
export type NetworkConfig = z.infer<typeof networkConfig>;
