import { z } from 'zod';
import { ENVIRONMENT_TIERS, type EnvironmentTier } from '../../environment-tiers';
import { parseCidr } from '../cidr';

/** Shared field types. Messages name what is allowed; the loader adds the field path and bad value. */

export const awsAccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id, e.g. "123456789012"');

export const awsRegion = z
  .string()
  .regex(
    /^[a-z]{2}(-gov|-iso[a-z]*)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/,
    'must be an AWS region code such as "eu-central-1" or "us-east-1"',
  );

export const iamRoleArn = z
  .string()
  .regex(
    /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    'must be an IAM role ARN, e.g. "arn:aws:iam::123456789012:role/platform-admin"',
  );

export const ipv4Cidr = z.string().refine((value) => parseCidr(value) !== undefined, {
  message: 'must be an IPv4 CIDR block with host bits zero, e.g. "10.20.0.0/16"',
});

/** DNS-1123 label: what Kubernetes accepts as a namespace name. */
export const kubernetesName = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a Kubernetes namespace name: lowercase letters, digits and "-", starting and ending with a letter or digit',
  )
  .max(63, 'must be at most 63 characters (Kubernetes namespace limit)');

export const dnsName = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a lowercase fully qualified domain name, e.g. "example.com"',
  );

/** A single DNS label, used for host names below the environment domain ("api", "media"). */
export const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a single lowercase DNS label, e.g. "api"');

/** ddd:hh:mm-ddd:hh:mm, the format RDS, ElastiCache and EKS use for maintenance windows (UTC). */
export const weeklyWindow = z
  .string()
  .regex(
    /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/,
    'must be a weekly UTC window "ddd:hh:mm-ddd:hh:mm", e.g. "sun:05:00-sun:06:00"',
  );

/** hh:mm-hh:mm, the format of daily backup windows (UTC). */
export const dailyWindow = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must be a daily UTC window "hh:mm-hh:mm", e.g. "01:00-02:00"');

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export const logRetentionDays = z.number().refine((value) => (LOG_RETENTION_DAYS as readonly number[]).includes(value), {
  message: `must be a CloudWatch Logs retention period: one of ${LOG_RETENTION_DAYS.join(', ')}`,
});

export const tier = z.enum(ENVIRONMENT_TIERS);

// Field metadata besides `description` (`.meta({ description, tierDefault })`), read by the configuration reference
// (src/config/reference/fields.ts).
declare module 'zod' {
  interface GlobalMeta {
    /**
     * The default of a field whose default depends on the environment's tier (the schema leaves it optional and a
     * transform fills it in), read from the table that decides it, e.g. `(tier) => RUNNER_DEFAULTS[tier].concurrency`.
     */
    tierDefault?: (tier: EnvironmentTier) => unknown;
  }
}

/** A documented decision to run below the production baseline. Shown in the policy report. */
export const riskAcceptance = z
  .object({
    reason: z
      .string()
      .min(20, 'must explain the accepted risk in at least 20 characters')
      .describe('Why the risk is acceptable; shown in the policy report.'),
    acceptedBy: z.string().min(1, 'must name who accepted the risk').describe('Who accepted the risk; shown in the policy report.'),
    expires: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be an ISO date (yyyy-mm-dd) after which the acceptance lapses')
      .describe('Day after which the acceptance lapses: the finding fails the check again.'),
  })
  .strict();
export type RiskAcceptance = z.infer<typeof riskAcceptance>;

/** Minutes since the start of the week (Monday 00:00 UTC) for each end of a weekly window. */
export function weeklyWindowMinutes(window: string): [number, number] {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const [start, end] = window.split('-').map((part) => {
    const [day, hour, minute] = part.split(':');
    return days.indexOf(day) * 1440 + Number(hour) * 60 + Number(minute);
  });
  return [start, end];
}
