import { isIPv6 } from 'node:net';
import { z } from 'zod';
import { cloudflarePlan } from './cloudflare';
import { dnsLabel, dnsName, ipv4Cidr } from './common';

const ipv6Cidr = z.string().refine(
  (value) => {
    const [address, prefix, ...rest] = value.split('/');
    return (
      rest.length === 0 && address === address!.toLowerCase() && isIPv6(address!) && /^\d{1,3}$/.test(prefix ?? '') && Number(prefix) <= 128
    );
  },
  { message: 'must be a lowercase IPv6 CIDR block, e.g. "2400:cb00::/32"' },
);

/** The Cloudflare edge ranges as published on a given day: the list used when the data source is not. */
export const cloudflareIpFallback = z
  .object({
    asOf: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be the ISO date (yyyy-mm-dd) the list was copied')
      .describe('Day the list was copied from https://www.cloudflare.com/ips/ (or the /client/v4/ips API).'),
    ipv4: z.array(ipv4Cidr).min(1, 'must list at least one range').describe("Cloudflare's IPv4 ranges."),
    ipv6: z.array(ipv6Cidr).min(1, 'must list at least one range').describe("Cloudflare's IPv6 ranges."),
  })
  .strict();

/** A file below the config folder (the one holding project.json), e.g. "origin-pull/prod/client-20261201.pem". */
const configPemFile = z.string().regex(/^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9._/-]*\.pem$/, {
  message: 'must be a .pem file path relative to the config folder, e.g. "origin-pull/prod/ca-20261201.pem"',
});

/** Client certificate the zone presents to the load balancer (per-hostname Authenticated Origin Pulls). */
const originPullConfig = z
  .object({
    certificateId: z
      .string()
      .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be the certificate id (a UUID) Cloudflare returned')
      .describe('Id Cloudflare returned when scripts/origin-pull-certificate.sh uploaded the certificate and its key.'),
    certificate: configPemFile.describe('The uploaded client certificate (public part); its expiry is read from it.'),
    trustedCas: z
      .array(configPemFile)
      .min(1, 'must list the CA of the client certificate')
      .max(2, 'must list at most two CAs: the current one and, during a rotation, the next')
      .describe('CA certificates the load balancer trusts: the issuer of `certificate` and, during a rotation, the next one.'),
  })
  .strict();

/** The api host's rate limit; the periods and timeouts a zone may use depend on its plan. */
const apiRateLimitConfig = z
  .object({
    requestsPerPeriod: z.number().int().min(1).describe('Requests one client IP may make per period.'),
    periodSeconds: z.number().int().describe("Counting period; one of the values the zone's plan allows."),
    mitigationTimeoutSeconds: z.number().int().describe("How long a client over the limit is blocked; one of the plan's values."),
  })
  .strict();
export type ApiRateLimit = z.infer<typeof apiRateLimitConfig>;

/** Where the zone's plan can rate-limit by host: 10 requests a second per client IP, blocked for a minute beyond. */
export const DEFAULT_API_RATE_LIMIT: ApiRateLimit = { requestsPerPeriod: 600, periodSeconds: 60, mitigationTimeoutSeconds: 60 };

export const edgeConfig = z
  .object({
    zonePlan: cloudflarePlan.describe(
      "Cloudflare plan of the environment's zone (`cloudflareZone`): decides which WAF and rate limiting rules exist.",
    ),
    userContentDomain: dnsName.describe(
      'Zone user uploads are served from, as `<hosts.media>.<userContentDomain>`: a registrable domain of its own, so an ' +
        "uploaded HTML or SVG file never runs with the app's site or receives its cookies.",
    ),
    userContentZonePlan: cloudflarePlan.describe('Cloudflare plan of the user-content zone.'),
    hosts: z
      .object({
        app: dnsLabel.describe('Label of the web app host, served by the service whose `publicHost` is `app`.'),
        api: dnsLabel.describe('Label of the API host, served by the service whose `publicHost` is `api`.'),
        admin: dnsLabel.describe('Label of the admin host, served by the service whose `publicHost` is `admin`.'),
        media: dnsLabel.describe('Label of the media host below `userContentDomain`, which Cloudflare serves from the media bucket.'),
      })
      .strict()
      .describe('Host labels below `domain` (app, api, admin) and below `userContentDomain` (media) for the public entry points.'),
    corsOrigins: z
      .array(z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d+)?$/, 'must be an https origin such as "https://app.example.com"'))
      .min(1)
      .describe("Origins the media bucket's CORS rules admit (the app hosts, usually)."),
    email: z
      .object({
        domain: dnsName.describe('Domain mail is sent from; must be `domain` or a subdomain of it.'),
        mailFromLabel: dnsLabel.default('mail').describe('Subdomain label used as the custom MAIL FROM domain.'),
        dmarcReportAddress: z
          .string()
          .email()
          .optional()
          .describe(
            'Mailbox for aggregate DMARC reports (`rua=mailto:`); ' +
              'outside the mail domain only if its domain authorizes that (RFC 7489 §7.1).',
          ),
      })
      .strict()
      .describe('Sending through SES from the verified mail domain; DMARC is `p=reject` in every tier (docs/edge.md, "Email").'),
    mediaColdAfterDays: z.number().int().min(30).default(90).describe('Days after which media objects move to infrequent access.'),
    mediaNoncurrentRetentionDays: z.number().int().min(1).default(30).describe('Days noncurrent media versions are kept before expiry.'),
    cloudflareIpRanges: z
      .object({
        source: z
          .enum(['data-source', 'fallback'], { message: 'must be "data-source" or "fallback"' })
          .default('data-source')
          .describe(
            '`data-source` reads `cloudflare_ip_ranges` at plan time; `fallback` uses the dated list in project.json ' +
              '(`cloudflareIpRangesFallback`), for plans that cannot reach the Cloudflare API.',
          ),
      })
      .strict()
      .default({ source: 'data-source' })
      .describe('Where the Cloudflare ranges (media bucket reads, load balancer ingress) come from.'),
    apiRateLimit: apiRateLimitConfig
      .optional()
      .describe(
        'Rate limit of the api host; omitted, `DEFAULT_API_RATE_LIMIT` where the plan can match the host (Free cannot, docs/edge.md).',
      ),
    originPull: originPullConfig.describe(
      'The client certificate our zone presents to the load balancer (per-hostname Authenticated Origin Pulls, mutual TLS).',
    ),
    accessLogRetentionDays: z
      .number()
      .int()
      .min(30, 'must be at least 30 days')
      .max(3650)
      .default(90)
      .describe('Days ALB and media-bucket access logs are kept.'),
  })
  .strict();
export type EdgeConfig = z.infer<typeof edgeConfig>;
