import { z } from 'zod';
import { kubernetesName } from './common';
import { cloudflareIpFallback } from './edge';

/** What a consumer service may do with the platform's shared resources. Each maps to one IAM grant. */
export const CAPABILITIES = ['postgres', 'cache', 'search-read', 'search-write', 'media-read', 'media-write', 'email-send'] as const;
export const capability = z.enum(CAPABILITIES, { message: `must be one of ${CAPABILITIES.join(', ')}` });
export type Capability = z.infer<typeof capability>;

/** Host labels the public load balancer serves; each belongs to at most one service (`publicHost`). */
export const PUBLIC_HOSTS = ['app', 'api', 'admin'] as const;
export type PublicHost = (typeof PUBLIC_HOSTS)[number];

const githubName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'must be a GitHub owner or repository name (letters, digits, "-", "_", ".")');

/** A lowercase name that is safe as a cache key prefix and as the last segment of a Secrets Manager name. */
const resourceLabel = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be 1–63 lowercase letters, digits or "-", starting with a letter');

/**
 * Something a service owns and other named services may read: a bare name (no readers) or
 * `{ "name", "readers": [service, …] }`. The owner, and only the owner, also writes it.
 */
const sharedWithReaders = z
  .union([
    resourceLabel,
    z
      .object({
        name: resourceLabel.describe('The name, as in the bare form.'),
        readers: z.array(z.string()).default([]).describe('Services that may read it; only the owner writes it.'),
      })
      .strict(),
  ])
  .transform((value) => (typeof value === 'string' ? { name: value, readers: [] as string[] } : value));
export type SharedWithReaders = z.infer<typeof sharedWithReaders>;

/** The part of an email address before the "@": letters, digits and ".", "-", "_", "+", no leading or trailing dot. */
const mailLocalPart = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9._+-]{0,62}[a-z0-9])?$/, 'must be the lowercase local part of an address, e.g. "no-reply"');

export const service = z
  .object({
    name: kubernetesName
      .max(40, 'must be at most 40 characters so derived IAM role names stay within 64')
      .describe("Kubernetes namespace and service account name; also the suffix of the service's IAM role and ECR repository."),
    repository: githubName.describe('The GitHub repository (in `github.organization`) whose pipeline builds and deploys this service.'),
    description: z.string().min(1).describe('What the service does, for readers of the configuration.'),
    capabilities: z
      .array(capability)
      .default([])
      .describe('What the service may do with the platform\'s shared resources; each is one IAM grant (README, "Capabilities").'),
    publicHost: z
      .enum(PUBLIC_HOSTS, { message: `must be one of ${PUBLIC_HOSTS.join(', ')}` })
      .optional()
      .describe(
        'Exposed through the public load balancer under this host label (see `edge.hosts`): the platform creates its target ' +
          "group, the cluster layer binds it to the service's Kubernetes Service. At most one service per host.",
      ),
    healthCheckPath: z
      .string()
      .regex(/^\/[A-Za-z0-9._~/-]*$/, 'must be an absolute URL path such as "/healthz"')
      .default('/healthz')
      .describe('HTTP path the load balancer health-checks the pods of a public service on.'),
    port: z
      .number()
      .int()
      .min(1024, 'must be an unprivileged port (1024–65535): pods run as non-root')
      .max(65535)
      .default(8080)
      .describe("HTTP port the service's pods listen on: the port its callers and, for a public service, the load balancer reach."),
    calls: z
      .array(kubernetesName)
      .default([])
      .describe(
        'Services this one calls over HTTP. Each namespace denies all traffic but what is listed: this opens egress from this ' +
          "service and ingress to the callee on the callee's `port`, nothing else (docs/cluster.md).",
      ),
    cacheKeyspaces: z
      .array(sharedWithReaders)
      .default([])
      .describe(
        'Keyspaces of the shared, never-evicting cache (keys `<name>:*`) this service writes; readers get read-only access. ' +
          'Needs the `cache` capability, as do its readers.',
      ),
    secrets: z
      .array(sharedWithReaders)
      .default([])
      .describe(
        'Secrets Manager secrets this service owns (`<project>/<env>/<service>/<name>`, values set out of band); readers may read them.',
      ),
    emailFrom: z
      .array(mailLocalPart)
      .default([])
      .describe('Local parts of the only From addresses the service may send from at `edge.email.domain`; required with `email-send`.'),
  })
  .strict();
export type ServiceConfig = z.infer<typeof service>;

/** Settings shared by every environment: who owns the platform, where its code lives, what runs on it. */
export const projectConfig = z
  .object({
    project: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,14}[a-z0-9]$/, 'must be 3–16 lowercase letters, digits or "-", starting with a letter')
      .describe('Short lowercase prefix of every resource name (`<project>-<env>-…`).'),
    owner: z.string().min(1).describe('Value of the `Owner` tag on every resource.'),
    costCenter: z.string().min(1).describe('Value of the `CostCenter` tag on every resource.'),
    github: z
      .object({
        organization: githubName.describe('The GitHub organization of this repository and of the consumer repositories.'),
        infraRepository: githubName.describe('This repository: its pull requests get the plan role, its main branch the apply role.'),
      })
      .strict()
      .describe("Where this repository lives: the CI roles' OIDC trust."),
    services: z
      .array(service)
      .min(1, 'must list at least one consumer service')
      .describe('The consumer services that run on the platform.'),
    cloudflareIpRangesFallback: cloudflareIpFallback.describe(
      "Cloudflare's published edge ranges on a given day, for environments that do not read them at plan time " +
        '(`edge.cloudflareIpRanges.source` `fallback`; docs/edge.md).',
    ),
  })
  .strict();
export type ProjectConfig = z.infer<typeof projectConfig>;
