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

/** A branch or GitHub environment name; becomes an exact OIDC `sub` value, so no wildcards. */
const gitRef = z.string().regex(/^[A-Za-z0-9_./-]+$/, 'must be a branch or environment name of letters, digits and "_ . / -" (no wildcards)');

/** Exact EKS add-on build, as `aws eks describe-addon-versions` lists it. */
const addonVersion = z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, 'must be an EKS add-on version such as "v1.21.1-eksbuild.1"');

export const platformConfig = z
  .object({
    /** Kubernetes minor version; must be in EKS standard support per src/config/eks-versions.ts. */
    kubernetesVersion: z.string().regex(/^1\.\d{2}$/, 'must be a Kubernetes minor version such as "1.35"').default('1.35'),
    /** Allow a version in extended support (paid) and set the upgrade policy to EXTENDED. */
    extendedSupport: z.boolean().default(false),
    /** The API endpoint is private; a public endpoint needs explicit source CIDRs. */
    publicEndpoint: z
      .object({ enabled: z.boolean(), cidrs: z.array(ipv4Cidr).default([]) })
      .strict()
      .default({ enabled: false, cidrs: [] }),
    /**
     * Networks outside the cluster's nodes admitted to the private API endpoint on 443 (VPN, self-hosted
     * CI runners); nodes are always admitted.
     */
    privateEndpointSourceCidrs: z.array(ipv4Cidr).default([]),
    /**
     * IMDSv2 hop limit of the nodes. 1 keeps pods (one hop further) away from the node role's
     * credentials; workloads get theirs from EKS Pod Identity. 2 only for a workload that must read
     * instance metadata.
     */
    metadataHopLimit: z.union([z.literal(1), z.literal(2)], { message: 'must be 1 (pods cannot reach instance metadata) or 2' }).default(1),
    adminRoleArns: z.array(iamRoleArn).default([]),
    readOnlyRoleArns: z.array(iamRoleArn).default([]),
    controlPlaneLogRetentionDays: logRetentionDays,
    amiType: z.enum(['AL2023', 'BOTTLEROCKET'], { message: 'must be "AL2023" or "BOTTLEROCKET"' }),
    architecture: z.enum(['arm64', 'x86_64'], { message: 'must be "arm64" (Graviton) or "x86_64"' }),
    nodeGroups: z.object({ system: nodeGroup, workload: nodeGroup }).strict(),
    /** Add-on versions, pinned so upgrades are reviewed changes. */
    addons: z
      .object({
        vpcCni: addonVersion,
        coredns: addonVersion,
        kubeProxy: addonVersion,
        podIdentityAgent: addonVersion,
        ebsCsiDriver: addonVersion,
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
      .object({ branches: z.array(gitRef).default(['main']), environments: z.array(gitRef).default([]) })
      .strict()
      .default({ branches: ['main'], environments: [] }),
  })
  .strict();
export type PlatformConfig = z.infer<typeof platformConfig>;
