import { z } from 'zod';
import { kubernetesName } from './common';
import { cloudflareIpFallback } from './edge';

/** What a consumer service may do with the platform's shared resources. Each maps to one IAM grant. */
export const CAPABILITIES = ['postgres', 'cache', 'search-read', 'search-write', 'media-read', 'media-write', 'email-send'] as const;
export const capability = z.enum(CAPABILITIES, { message: `must be one of ${CAPABILITIES.join(', ')}` });
export type Capability = z.infer<typeof capability>;

const githubName = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'must be a GitHub owner or repository name (letters, digits, "-", "_", ".")');

export const service = z
  .object({
    /** Kubernetes namespace and service account name; also the suffix of the service's IAM role and ECR repository. */
    name: kubernetesName.max(40, 'must be at most 40 characters so derived IAM role names stay within 64'),
    /** The GitHub repository (in `github.organization`) whose pipeline builds and deploys this service. */
    repository: githubName,
    description: z.string().min(1),
    capabilities: z.array(capability).default([]),
    /** Exposed through the public load balancer under this host label (see `edge.hosts`). */
    publicHost: z.enum(['app', 'api', 'admin']).optional(),
    /** HTTP port the service's pods listen on: the port its callers and, for a public service, the load balancer reach. */
    port: z.number().int().min(1024, 'must be an unprivileged port (1024–65535): pods run as non-root').max(65535).default(8080),
    /**
     * Services this one calls over HTTP. Each namespace denies all traffic but what is listed: this opens
     * egress from this service and ingress to the callee on the callee's `port`, nothing else.
     */
    calls: z.array(kubernetesName).default([]),
  })
  .strict();
export type ServiceConfig = z.infer<typeof service>;

/** Settings shared by every environment: who owns the platform, where its code lives, what runs on it. */
export const projectConfig = z
  .object({
    /** Short lowercase prefix of every resource name. */
    project: z.string().regex(/^[a-z][a-z0-9-]{1,14}[a-z0-9]$/, 'must be 3–16 lowercase letters, digits or "-", starting with a letter'),
    owner: z.string().min(1),
    costCenter: z.string().min(1),
    github: z
      .object({
        organization: githubName,
        /** This repository: its pull requests get the plan role, its main branch the apply role. */
        infraRepository: githubName,
      })
      .strict(),
    services: z.array(service).min(1, 'must list at least one consumer service'),
    /** Cloudflare's published edge ranges on a given day, for environments that do not read them at plan time. */
    cloudflareIpRangesFallback: cloudflareIpFallback,
  })
  .strict();
export type ProjectConfig = z.infer<typeof projectConfig>;
