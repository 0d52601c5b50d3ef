import { z } from 'zod';
import { ipv4Cidr, iamRoleArn, logRetentionDays } from './common';

/** A branch or GitHub environment name; becomes an exact OIDC `sub` value, so no wildcards. */
const gitRef = z
  .string()
  .regex(/^[A-Za-z0-9_./-]+$/, 'must be a branch or environment name of letters, digits and "_ . / -" (no wildcards)');

/** An exact EKS add-on build (`describe-addon-versions` lists them): never a range, so upgrades are reviewed. */
export const EKS_ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
/** What EKS_ADDON_VERSION admits, for error messages. */
export const EKS_ADDON_VERSION_EXAMPLE = 'an EKS add-on version such as "v1.21.1-eksbuild.1"';
const addonVersion = z.string().regex(EKS_ADDON_VERSION, `must be ${EKS_ADDON_VERSION_EXAMPLE}`);

export const platformConfig = z
  .object({
    kubernetesVersion: z
      .string()
      .regex(/^1\.\d{2}$/, 'must be a Kubernetes minor version such as "1.36"')
      .default('1.36')
      .describe('Kubernetes minor version; must be in EKS standard support per src/config/eks-versions.ts.'),
    extendedSupport: z
      .boolean()
      .default(false)
      .describe('Allow a version in extended support (paid) and set the upgrade policy to EXTENDED.'),
    publicEndpoint: z
      .object({
        enabled: z.boolean().describe('Open the public API endpoint.'),
        cidrs: z
          .array(ipv4Cidr)
          .default([])
          .describe('The only sources the public endpoint admits; needed when enabled, never 0.0.0.0/0 in production.'),
      })
      .strict()
      .default({ enabled: false, cidrs: [] })
      .describe('The API endpoint is private; a public endpoint needs explicit source CIDRs.'),
    privateEndpointSourceCidrs: z
      .array(ipv4Cidr)
      .default([])
      .describe(
        "Networks outside the cluster's nodes admitted to the private API endpoint on 443 (VPN, self-hosted CI runners); nodes " +
          'are always admitted.',
      ),
    adminRoleArns: z
      .array(iamRoleArn)
      .default([])
      .describe(
        'IAM roles with cluster admin rights and the administrators of every KMS key; at least one. They must exist before the ' +
          'first bootstrap apply.',
      ),
    readOnlyRoleArns: z
      .array(iamRoleArn)
      .default([])
      .describe('IAM roles with cluster-wide read access (no Secrets); they must exist before the platform layer is applied.'),
    controlPlaneLogRetentionDays: logRetentionDays.describe('Retention of the EKS control-plane log group.'),
    addons: z
      .object({
        metricsServer: addonVersion.describe('The EKS community add-on `metrics-server`, the resource metrics HPAs read.'),
        cloudwatchObservability: addonVersion.describe(
          'The AWS add-on `amazon-cloudwatch-observability`: Container Insights metrics and container logs ' +
            '(docs/observability.md). Pod Identity needs v3.1.0 or later.',
        ),
      })
      .strict()
      .describe(
        'Versions of the add-ons EKS Auto Mode does not include, pinned so upgrades are reviewed changes (Auto Mode runs the CNI, ' +
          'kube-proxy, CoreDNS, the Pod Identity agent and the EBS CSI driver itself).',
      ),
    ecr: z
      .object({
        untaggedExpiryDays: z.number().int().min(1).max(365).default(7).describe('Days after which untagged images expire.'),
        keepReleases: z.number().int().min(1).max(1000).default(30).describe('Tagged images each repository keeps; older ones expire.'),
      })
      .strict()
      .default({ untaggedExpiryDays: 7, keepReleases: 30 })
      .describe("Lifecycle of the services' ECR repositories."),
    deployFrom: z
      .object({
        branches: z
          .array(gitRef)
          .default(['main'])
          .describe('Branches consumer pipelines may deploy from; empty in production (deploys go through a reviewed environment).'),
        environments: z.array(gitRef).default([]).describe('GitHub environments consumer pipelines may deploy from.'),
      })
      .strict()
      .default({ branches: ['main'], environments: [] })
      .describe('Git refs a consumer pipeline may deploy from (at least one): branches and GitHub environments.'),
  })
  .strict();
