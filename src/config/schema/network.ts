import { z } from 'zod';
import { ipv4Cidr, logRetentionDays } from './common';

export const SUBNET_TIERS = ['public', 'private', 'data'] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

const prefixLength = z.number().int().min(16, 'must be between 16 and 28 (AWS subnet limits)').max(28, 'must be between 16 and 28 (AWS subnet limits)');

export const networkConfig = z
  .object({
    /** The VPC's IPv4 block: /16 to /22. */
    vpcCidr: ipv4Cidr,
    /** How many availability zones the VPC spans; every tier gets one subnet per zone. */
    azCount: z.number().int().min(2, 'must be 2–6: every tier needs at least two zones').max(6, 'must be 2–6'),
    /**
     * Zone names, in order. Defaults to the region's zones a, b, c, … . Set them when the account
     * lacks a zone letter or you want the same physical zones (zone ids) across accounts.
     */
    availabilityZones: z.array(z.string()).optional(),
    /** Size of each subnet per tier; subnets are packed into `vpcCidr` largest first. */
    subnetPrefixLength: z
      .object({ public: prefixLength.default(24), private: prefixLength.default(19), data: prefixLength.default(24) })
      .strict()
      .default({ public: 24, private: 19, data: 24 }),
    /** Explicit subnet blocks per tier (one per zone) instead of the packed layout. */
    subnetCidrs: z
      .object({ public: z.array(ipv4Cidr), private: z.array(ipv4Cidr), data: z.array(ipv4Cidr) })
      .strict()
      .optional(),
    /** `per-az` keeps egress alive when a zone fails; `single` saves cost outside production. */
    natGateways: z.enum(['per-az', 'single'], { message: 'must be "per-az" or "single"' }),
    /** Interface endpoints keep AWS API traffic (ECR, STS, logs, secrets) off the NAT gateways. */
    interfaceEndpoints: z.boolean(),
    flowLogs: z
      .object({
        retentionDays: logRetentionDays,
        trafficType: z.enum(['ALL', 'REJECT', 'ACCEPT']).default('ALL'),
      })
      .strict(),
  })
  .strict();
export type NetworkConfig = z.infer<typeof networkConfig>;
