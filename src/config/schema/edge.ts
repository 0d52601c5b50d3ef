import { z } from 'zod';
import { dnsLabel, dnsName } from './common';

export const edgeConfig = z
  .object({
    /** Host labels below `domain` for the public entry points. */
    hosts: z.object({ app: dnsLabel, api: dnsLabel, admin: dnsLabel, media: dnsLabel }).strict(),
    /** Origins the media bucket's CORS rules admit (the app hosts, usually). */
    corsOrigins: z.array(z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d+)?$/, 'must be an https origin such as "https://app.example.com"')).min(1),
    email: z
      .object({
        /** Domain mail is sent from; must be `domain` or a subdomain of it. */
        domain: dnsName,
        /** Subdomain label used as the custom MAIL FROM domain. */
        mailFromLabel: dnsLabel.default('mail'),
        dmarcPolicy: z.enum(['none', 'quarantine', 'reject'], { message: 'must be "none", "quarantine" or "reject"' }),
        dmarcReportAddress: z.string().email().optional(),
      })
      .strict(),
    /** Days after which media objects move to infrequent access. */
    mediaColdAfterDays: z.number().int().min(30).default(90),
    /** Days noncurrent media versions are kept before expiry. */
    mediaNoncurrentRetentionDays: z.number().int().min(1).default(30),
  })
  .strict();
export type EdgeConfig = z.infer<typeof edgeConfig>;
