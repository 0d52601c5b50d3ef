import { z } from 'zod';
import { ipv4Cidr, iamRoleArn, logRetentionDays } from './common';

const nodeGroup = z
  .object({
    instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an EC2 instance type such as "m7g.large"')).min(1),
    minSize: z.number().int().min(0),
    desiredSize: z.number().int().min(0),
    maxSize: z.number().int().min(1),
    diskSizeGiB: z.number().int().min(20).max(16384).default(50),
    /** How many nodes may be replaced at once during a node group update. */
    maxUnavailable: z.number().int().min(1).max(100).default(1),
  })
  .strict();
export type NodeGroupConfig = z.infer<typeof nodeGroup>;

export const platformConfig = z
  .object({
    kubernetesVersion: z.string().default('1.35'),
    /** Allow a version in extended support (paid) and set the upgrade policy to EXTENDED. */
    extendedSupport: z.boolean().default(false),
    /** The API endpoint is private; a public endpoint needs explicit source CIDRs. */
    publicEndpoint: z
      .object({ enabled: z.boolean(), cidrs: z.array(ipv4Cidr).default([]) })
      .strict()
      .default({ enabled: false, cidrs: [] }),
    adminRoleArns: z.array(iamRoleArn).default([]),
    readOnlyRoleArns: z.array(iamRoleArn).default([]),
    controlPlaneLogRetentionDays: logRetentionDays,
    amiType: z.enum(['AL2023', 'BOTTLEROCKET'], { message: 'must be "AL2023" or "BOTTLEROCKET"' }),
    architecture: z.enum(['arm64', 'x86_64'], { message: 'must be "arm64" (Graviton) or "x86_64"' }),
    nodeGroups: z.object({ system: nodeGroup, workload: nodeGroup }).strict(),
    /** Add-on versions, pinned so upgrades are reviewed changes. */
    addons: z
      .object({
        vpcCni: z.string(),
        coredns: z.string(),
        kubeProxy: z.string(),
        podIdentityAgent: z.string(),
        ebsCsiDriver: z.string(),
      })
      .strict(),
    ecr: z
      .object({
        untaggedExpiryDays: z.number().int().min(1).max(365).default(7),
        keepReleases: z.number().int().min(1).max(1000).default(30),
      })
      .strict()
      .default({ untaggedExpiryDays: 7, keepReleases: 30 }),
    /** Git refs a consumer pipeline may deploy from: branches and GitHub environments. */
    deployFrom: z
      .object({ branches: z.array(z.string().min(1)).default(['main']), environments: z.array(z.string().min(1)).default([]) })
      .strict()
      .default({ branches: ['main'], environments: [] }),
  })
  .strict();
export type PlatformConfig = z.infer<typeof platformConfig>;
