import { isIPv6 } from 'node:net';
import { z } from 'zod';
import { dnsLabel, dnsName, ipv4Cidr } from './common';

const ipv6Cidr = z.string().refine(
  (value) => {
    const [address, prefix, ...rest] = value.split('/');
    return rest.length === 0 && address === address!.toLowerCase() && isIPv6(address!) && /^\d{1,3}$/.test(prefix ?? '') && Number(prefix) <= 128;
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

export const edgeConfig = z
  .object({
    hosts: z
      .object({
        app: dnsLabel.describe('Label of the web app host, served by the service whose `publicHost` is `app`.'),
        api: dnsLabel.describe('Label of the API host, served by the service whose `publicHost` is `api`.'),
        admin: dnsLabel.describe('Label of the admin host, served by the service whose `publicHost` is `admin`.'),
        media: dnsLabel.describe('Label of the media host, which Cloudflare serves from the media bucket.'),
      })
      .strict()
      .describe('Host labels below `domain` for the public entry points.'),
    corsOrigins: z
      .array(z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d+)?$/, 'must be an https origin such as "https://app.example.com"'))
      .min(1)
      .describe("Origins the media bucket's CORS rules admit (the app hosts, usually)."),
    email: z
      .object({
        domain: dnsName.describe('Domain mail is sent from; must be `domain` or a subdomain of it.'),
        mailFromLabel: dnsLabel.default('mail').describe('Subdomain label used as the custom MAIL FROM domain.'),
        dmarcPolicy: z
          .enum(['none', 'quarantine', 'reject'], { message: 'must be "none", "quarantine" or "reject"' })
          .describe('The DMARC policy (`p=`) published for the mail domain; production requires `quarantine` or `reject`.'),
        dmarcReportAddress: z
          .string()
          .email()
          .optional()
          .describe('Where DMARC aggregate reports go (`rua=mailto:`); omitted, none are asked for.'),
      })
      .strict()
      .describe('Sending through SES from the verified mail domain (docs/edge.md, "Email").'),
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
