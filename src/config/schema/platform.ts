import { z } from 'zod';
import { ipv4Cidr, iamRoleArn, logRetentionDays } from './common';

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
    adminRoleArns: z.array(iamRoleArn).default([]),
    readOnlyRoleArns: z.array(iamRoleArn).default([]),
    controlPlaneLogRetentionDays: logRetentionDays,
    /**
     * Versions of the add-ons EKS Auto Mode does not include, pinned so upgrades are reviewed changes
     * (Auto Mode runs the CNI, kube-proxy, CoreDNS, the Pod Identity agent and the EBS CSI driver itself).
     */
    addons: z
      .object({
        /** The EKS community add-on `metrics-server`: the resource metrics HorizontalPodAutoscalers read. */
        metricsServer: addonVersion,
        /**
         * The AWS add-on `amazon-cloudwatch-observability`: Container Insights metrics and container
         * logs (docs/observability.md). Pod Identity needs v3.1.0 or later.
         */
        cloudwatchObservability: addonVersion,
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
