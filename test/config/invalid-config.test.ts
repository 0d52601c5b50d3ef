import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, formatProblem, loadConfig } from '../../src/config/load';
import { defaultZones } from '../../src/config/network-plan';
import { ALARM_THRESHOLDS_BY_TIER } from '../../src/config/schema/observability';
import type { EnvironmentTier } from '../../src/environment-tiers';
import { CONFIG_DIR, configOfTier, configWith, exampleEnvironmentNames, rawConfigOfTier } from '../support/synth';

interface InvalidCase {
  readonly name: string;
  /** @default 'production' */
  readonly tier?: EnvironmentTier;
  readonly mutate: (raw: { project: any; environment: any }) => void;
  /** The field path the error must name. */
  readonly path: string;
  /** A fragment of the message saying what is allowed. */
  readonly message: RegExp;
}

/** Production's file as written: its account id (its role ARNs must carry it), region and zone count. */
const PROD_FILE = rawConfigOfTier('production').environment;
const PROD_ACCOUNT: string = PROD_FILE.accountId;
const PROD_REGION: string = PROD_FILE.region;
const PROD_ZONES: number = PROD_FILE.network.azCount;

/** The environment's `ci.runner`, created when the file leaves it out. */
const runner = (raw: { environment: any }) => (raw.environment.ci.runner ??= {});

/** `observability` of the environment file. */
const observability = (raw: { environment: any }) => raw.environment.observability;

/** A negative value for every alarm threshold: each field must be named on its own. */
const NEGATIVE_THRESHOLD_CASES: readonly InvalidCase[] = Object.entries(ALARM_THRESHOLDS_BY_TIER.production).flatMap(([group, fields]) =>
  Object.keys(fields).map((field) => ({
    name: `negative ${group}.${field} threshold`,
    mutate: (r: { environment: any }) => (observability(r).thresholds = { [group]: { [field]: -5 } }),
    path: `observability.thresholds.${group}.${field}`,
    message: /must be (a percentage from 0 to 100|0 or more|greater than 0)/,
  })),
);

const OBSERVABILITY_CASES: readonly InvalidCase[] = [
  {
    name: 'alarm topic without subscribers',
    mutate: (r) => (observability(r).notifications = { emails: [] }),
    path: 'observability.notifications',
    message: /at least one e-mail address or a Slack channel/,
  },
  {
    name: 'missing notifications',
    mutate: (r) => delete observability(r).notifications,
    path: 'observability.notifications',
    message: /./,
  },
  {
    name: 'subscriber not an e-mail address',
    mutate: (r) => (observability(r).notifications.emails = ['oncall']),
    path: 'observability.notifications.emails.0',
    message: /e-mail address/,
  },
  {
    name: 'subscriber twice, in another case',
    mutate: (r) => (observability(r).notifications.emails = ['oncall@example.com', 'OnCall@example.com']),
    path: 'observability.notifications.emails.1',
    message: /must not repeat an address/,
  },
  {
    name: 'Slack workspace id malformed',
    mutate: (r) => (observability(r).notifications.slack = { workspaceId: 'my-team', channelId: 'C07EZ1ABC23' }),
    path: 'observability.notifications.slack.workspaceId',
    message: /Slack workspace id/,
  },
  {
    name: 'Slack channel id malformed',
    mutate: (r) => (observability(r).notifications.slack = { workspaceId: 'T07EA123LEP', channelId: '#alerts' }),
    path: 'observability.notifications.slack.channelId',
    message: /Slack channel id/,
  },
  ...NEGATIVE_THRESHOLD_CASES,
  {
    name: 'database free-storage threshold at the autoscaling trigger',
    mutate: (r) => (observability(r).thresholds = { postgres: { freeStoragePercent: 10 } }),
    path: 'observability.thresholds.postgres.freeStoragePercent',
    message: /below 10: storage autoscaling/,
  },
  {
    name: 'percentage threshold above 100',
    mutate: (r) => (observability(r).thresholds = { cache: { memoryPercent: 120 } }),
    path: 'observability.thresholds.cache.memoryPercent',
    message: /0 to 100/,
  },
  {
    name: 'fractional count threshold',
    mutate: (r) => (observability(r).thresholds = { cluster: { failedNodes: 0.5 } }),
    path: 'observability.thresholds.cluster.failedNodes',
    message: /whole number/,
  },
  {
    name: 'unknown threshold group',
    mutate: (r) => (observability(r).thresholds = { redis: {} }),
    path: 'observability.thresholds.redis',
    message: /^unknown field; the allowed ones are in docs\/configuration\.md$/,
  },
  {
    name: 'unknown threshold field',
    mutate: (r) => (observability(r).thresholds = { postgres: { cpu: 80 } }),
    path: 'observability.thresholds.postgres.cpu',
    message: /^unknown field; the allowed ones are in docs\/configuration\.md$/,
  },
  {
    name: 'budget of 0 USD',
    mutate: (r) => (observability(r).budget.monthlyLimitUsd = 0),
    path: 'observability.budget.monthlyLimitUsd',
    message: /greater than 0/,
  },
  { name: 'missing budget', mutate: (r) => delete observability(r).budget, path: 'observability.budget', message: /./ },
  {
    name: 'forecast alert at 0 %',
    mutate: (r) => (observability(r).budget.forecastAlertPercents = [0]),
    path: 'observability.budget.forecastAlertPercents.0',
    message: /1–1000 %/,
  },
  {
    name: 'forecast alert twice',
    mutate: (r) => (observability(r).budget.forecastAlertPercents = [80, 80]),
    path: 'observability.budget.forecastAlertPercents.1',
    message: /must not repeat a share/,
  },
  {
    name: 'no forecast alert',
    mutate: (r) => (observability(r).budget.forecastAlertPercents = []),
    path: 'observability.budget.forecastAlertPercents',
    message: /at least one share/,
  },
  {
    name: 'organization trail not a trail ARN',
    mutate: (r) => (observability(r).audit.organizationTrailArn = 'arn:aws:s3:::org-trail-bucket'),
    path: 'observability.audit.organizationTrailArn',
    message: /CloudTrail trail ARN/,
  },
  {
    name: 'audit logs kept a month',
    mutate: (r) => (observability(r).audit.logRetentionDays = 30),
    path: 'observability.audit.logRetentionDays',
    message: /at least 90 days/,
  },
  {
    name: 'break-glass role of another account',
    mutate: (r) => (observability(r).audit.breakGlassRoleArns = ['arn:aws:iam::111111111111:role/platform-break-glass']),
    path: 'observability.audit.breakGlassRoleArns.0',
    message: new RegExp(`must be a role of this environment's account \\(${PROD_ACCOUNT}\\)`),
  },
  {
    name: 'break-glass role twice',
    mutate: (r) => observability(r).audit.breakGlassRoleArns.push(observability(r).audit.breakGlassRoleArns[0]),
    path: 'observability.audit.breakGlassRoleArns.1',
    message: /must not repeat a role/,
  },
  {
    name: 'break-glass principal not a role',
    mutate: (r) => (observability(r).audit.breakGlassRoleArns = [`arn:aws:iam::${PROD_ACCOUNT}:user/admin`]),
    path: 'observability.audit.breakGlassRoleArns.0',
    message: /IAM role ARN/,
  },
  {
    name: 'unknown observability field',
    mutate: (r) => (observability(r).alarms = {}),
    path: 'observability.alarms',
    message: /^unknown field; the allowed ones are in docs\/configuration\.md$/,
  },
  {
    name: 'Container Insights add-on version malformed',
    mutate: (r) => (r.environment.platform.addons.cloudwatchObservability = '4.10.3'),
    path: 'platform.addons.cloudwatchObservability',
    message: /EKS add-on version/,
  },
  {
    name: 'Container Insights add-on without Pod Identity support',
    mutate: (r) => (r.environment.platform.addons.cloudwatchObservability = 'v2.6.0-eksbuild.1'),
    path: 'platform.addons.cloudwatchObservability',
    message: /v3\.1\.0 or later: earlier builds cannot use EKS Pod Identity/,
  },
];

/**
 * Positions in the example's `services` of the ones the cases below change, found by what they declare rather than by
 * position or name, so that adding, moving or removing other services in config/project.json leaves the corpus intact.
 */
const SERVICES: readonly any[] = rawConfigOfTier('development').project.services;
function serviceWhere(what: string, test: (service: any) => boolean, after = -1): number {
  const at = SERVICES.findIndex((service, i) => i > after && test(service));
  if (at < 0) throw new Error(`the example's config/project.json has no ${what}, which the invalid-config corpus changes`);
  return at;
}
const has = (service: any, capability: string) => service.capabilities.includes(capability);
/** Owns secrets and cache keyspaces and sends email (svc-idt). */
const OWNER = serviceWhere('service owning secrets and cache keyspaces that sends email', (s) =>
  Boolean(s.secrets?.length && s.cacheKeyspaces?.length && has(s, 'email-send')),
);
const OWNER_NAME: string = SERVICES[OWNER].name;
const OWNED_KEYSPACE: string = SERVICES[OWNER].cacheKeyspaces.map((k: any) => (typeof k === 'string' ? k : k.name))[0];
const OWNER_FROM: string = SERVICES[OWNER].emailFrom[0];
/** Sends email too, listed after the owner, so that a clash is reported on it. */
const SENDER = serviceWhere('second email-sending service after it', (s) => has(s, 'email-send'), OWNER);
/** Has the cache capability and is listed after the owner. */
const CACHED_AFTER_OWNER = serviceWhere('cache service after it', (s) => has(s, 'cache'), OWNER);
const NO_CACHE = serviceWhere('service without the cache capability', (s) => !has(s, 'cache'));
const NO_EMAIL = serviceWhere('service without the email-send capability', (s) => !has(s, 'email-send'));
const PUBLIC = serviceWhere('public service', (s) => Boolean(s.publicHost));
const AFTER_PUBLIC = serviceWhere('service after a public one', () => true, PUBLIC);
/** Another service's name, for fields that must name an existing service. */
const OTHER_NAME: string = SERVICES[serviceWhere('second service', (s) => s.name !== OWNER_NAME && s !== SERVICES[0])].name;

/** The explicit subnet cases state the layout they need: dev's VPC block fixed to 10.10.0.0/16 over two zones. */
const explicitSubnets = (r: { environment: any }, subnetCidrs: Record<string, string[]>) =>
  Object.assign(r.environment.network, { vpcCidr: '10.10.0.0/16', azCount: 2, subnetCidrs });

const CASES: readonly InvalidCase[] = [
  { name: 'short account id', mutate: (r) => (r.environment.accountId = '12345'), path: 'accountId', message: /12-digit/ },
  { name: 'missing account id', mutate: (r) => delete r.environment.accountId, path: 'accountId', message: /./ },
  { name: 'region not a region code', mutate: (r) => (r.environment.region = 'europe-1'), path: 'region', message: /region code/ },
  { name: 'tier outside the enum', mutate: (r) => (r.environment.tier = 'prod'), path: 'tier', message: /development|production/ },
  {
    name: 'malformed assume-role ARN',
    mutate: (r) => (r.environment.assumeRoleArn = 'arn:aws:iam::1:user/x'),
    path: 'assumeRoleArn',
    message: /IAM role ARN/,
  },
  {
    name: 'assume-role ARN in another account',
    mutate: (r) =>
      (r.environment.assumeRoleArn = `arn:aws:iam::${r.environment.accountId === '999999999999' ? '1' : '9'}99999999999:role/x`),
    path: 'assumeRoleArn',
    message: /must be a role in accountId \(\d{12}\)/,
  },
  { name: 'uppercase domain', mutate: (r) => (r.environment.domain = 'Example.COM'), path: 'domain', message: /lowercase/ },
  {
    name: 'domain outside the Cloudflare zone',
    mutate: (r) => (r.environment.domain = 'example.org'),
    path: 'domain',
    message: /cloudflareZone/,
  },
  {
    name: 'CIDR prefix out of range',
    mutate: (r) => (r.environment.network.vpcCidr = '10.0.0.0/33'),
    path: 'network.vpcCidr',
    message: /IPv4 CIDR/,
  },
  {
    name: 'CIDR with host bits set',
    mutate: (r) => (r.environment.network.vpcCidr = '10.0.0.1/16'),
    path: 'network.vpcCidr',
    message: /host bits zero/,
  },
  {
    name: 'VPC block too small',
    mutate: (r) => (r.environment.network.vpcCidr = '10.0.0.0/24'),
    path: 'network.vpcCidr',
    message: /\/16 to \/22/,
  },
  { name: 'production with two zones', mutate: (r) => (r.environment.network.azCount = 2), path: 'network.azCount', message: /at least 3/ },
  {
    name: 'AZ count above six',
    tier: 'development',
    mutate: (r) => (r.environment.network.azCount = 7),
    path: 'network.azCount',
    message: /2–6/,
  },
  {
    name: 'production with a single NAT gateway',
    mutate: (r) => (r.environment.network.natGateways = 'single'),
    path: 'network.natGateways',
    message: /per-az/,
  },
  {
    name: 'subnets do not fit the VPC',
    mutate: (r) => (r.environment.network.vpcCidr = '10.30.0.0/20'),
    path: 'network.subnetPrefixLength',
    message: /need \d+ addresses but vpcCidr 10\.30\.0\.0\/20 has 4096/,
  },
  {
    name: 'overlapping explicit subnets',
    tier: 'development',
    mutate: (r) =>
      explicitSubnets(r, {
        public: ['10.10.0.0/24', '10.10.1.0/24'],
        private: ['10.10.32.0/19', '10.10.64.0/19'],
        data: ['10.10.2.0/24', '10.10.1.128/25'],
      }),
    path: 'network.subnetCidrs.data.1',
    message: /must not overlap 10\.10\.1\.0\/24/,
  },
  {
    name: 'explicit subnet outside the VPC',
    tier: 'development',
    mutate: (r) =>
      explicitSubnets(r, {
        public: ['10.10.0.0/24', '10.99.1.0/24'],
        private: ['10.10.32.0/19', '10.10.64.0/19'],
        data: ['10.10.2.0/24', '10.10.3.0/24'],
      }),
    path: 'network.subnetCidrs.public.1',
    message: /inside vpcCidr/,
  },
  {
    name: 'explicit subnets missing a zone',
    tier: 'development',
    mutate: (r) =>
      explicitSubnets(r, {
        public: ['10.10.0.0/24'],
        private: ['10.10.32.0/19', '10.10.64.0/19'],
        data: ['10.10.2.0/24', '10.10.3.0/24'],
      }),
    path: 'network.subnetCidrs.public',
    message: /one block per zone \(2\)/,
  },
  {
    name: 'zone of another region',
    mutate: (r) =>
      (r.environment.network.availabilityZones = [
        ...defaultZones(PROD_REGION, PROD_ZONES - 1),
        `${PROD_REGION === 'us-east-1' ? 'us-west-2' : 'us-east-1'}a`,
      ]),
    path: `network.availabilityZones.${PROD_ZONES - 1}`,
    message: new RegExp(`zone of region ${PROD_REGION}`),
  },
  {
    name: 'zone list shorter than azCount',
    mutate: (r) => (r.environment.network.availabilityZones = defaultZones(PROD_REGION, PROD_ZONES - 1)),
    path: 'network.availabilityZones',
    message: new RegExp(`exactly azCount \\(${PROD_ZONES}\\)`),
  },
  {
    name: 'unknown field',
    mutate: (r) => (r.environment.network.natGateway = 'per-az'),
    path: 'network.natGateway',
    message: /^unknown field; the allowed ones are in docs\/configuration\.md$/,
  },
  {
    name: 'log retention CloudWatch does not offer',
    mutate: (r) => (r.environment.network.flowLogs.retentionDays = 42),
    path: 'network.flowLogs.retentionDays',
    message: /one of 1, 3, 5/,
  },
  {
    name: 'state versions kept too briefly',
    mutate: (r) => (r.environment.stateBackend.noncurrentVersionRetentionDays = 1),
    path: 'stateBackend.noncurrentVersionRetentionDays',
    message: /at least 7 days/,
  },
  {
    name: 'service name not a namespace',
    mutate: (r) => (r.project.services[3].name = 'Svc_Idt'),
    path: 'services.3.name',
    message: /Kubernetes namespace name/,
  },
  {
    name: 'duplicate service name',
    mutate: (r) => (r.project.services[4].name = r.project.services[3].name),
    path: 'services.4.name',
    message: /unique; services\[3\]/,
  },
  {
    name: 'two services from one repository',
    mutate: (r) => (r.project.services[5].repository = r.project.services[4].repository),
    path: 'services.5.repository',
    message: /unique/,
  },
  {
    name: 'unknown capability',
    mutate: (r) => (r.project.services[0].capabilities = ['s3']),
    path: 'services.0.capabilities.0',
    message: /postgres, cache/,
  },
  { name: 'reserved namespace', mutate: (r) => (r.project.services[0].name = 'kube-system'), path: 'services.0.name', message: /reserved/ },
  {
    name: 'secret reader not a service',
    mutate: (r) => (r.project.services[OWNER].secrets = [{ name: 'k', readers: ['gw-apy'] }]),
    path: `services.${OWNER}.secrets.0.readers.0`,
    message: new RegExp(`must name a service in "services"; known: ${SERVICES[0].name}`),
  },
  {
    name: 'secret owner as its own reader',
    mutate: (r) => (r.project.services[OWNER].secrets = [{ name: 'k', readers: [OWNER_NAME] }]),
    path: `services.${OWNER}.secrets.0.readers.0`,
    message: /must not name the owner/,
  },
  {
    name: 'secret reader twice',
    mutate: (r) => (r.project.services[OWNER].secrets = [{ name: 'k', readers: [OTHER_NAME, OTHER_NAME] }]),
    path: `services.${OWNER}.secrets.0.readers.1`,
    message: /must not repeat a reader/,
  },
  {
    name: 'secret declared twice',
    mutate: (r) => (r.project.services[OWNER].secrets = ['k', 'k']),
    path: `services.${OWNER}.secrets.1.name`,
    message: new RegExp(`must be unique within ${OWNER_NAME}`),
  },
  {
    name: 'secret name with an underscore',
    mutate: (r) => (r.project.services[OWNER].secrets = ['jwt_key']),
    path: `services.${OWNER}.secrets.0`,
    message: /lowercase letters, digits or "-"/,
  },
  {
    name: 'keyspace of a service without cache',
    mutate: (r) => (r.project.services[NO_CACHE].cacheKeyspaces = ['moderation']),
    path: `services.${NO_CACHE}.cacheKeyspaces`,
    message: /needs the "cache" capability/,
  },
  {
    name: 'keyspace reader without cache',
    mutate: (r) => (r.project.services[OWNER].cacheKeyspaces = [{ name: OWNED_KEYSPACE, readers: [SERVICES[NO_CACHE].name] }]),
    path: `services.${OWNER}.cacheKeyspaces.0.readers.0`,
    message: new RegExp(`"${SERVICES[NO_CACHE].name}" has no "cache" capability`),
  },
  {
    name: 'keyspace owned twice',
    mutate: (r) => (r.project.services[CACHED_AFTER_OWNER].cacheKeyspaces = [OWNED_KEYSPACE]),
    path: `services.${CACHED_AFTER_OWNER}.cacheKeyspaces.0.name`,
    message: new RegExp(`unique across services; services\\[${OWNER}\\] owns "${OWNED_KEYSPACE}"`),
  },
  {
    name: 'keyspace reader not a service',
    mutate: (r) => (r.project.services[OWNER].cacheKeyspaces = [{ name: OWNED_KEYSPACE, readers: ['gateway'] }]),
    path: `services.${OWNER}.cacheKeyspaces.0.readers.0`,
    message: /must name a service/,
  },
  {
    name: 'email-send without From addresses',
    mutate: (r) => delete r.project.services[SENDER].emailFrom,
    path: `services.${SENDER}.emailFrom`,
    message: /at least one From local part/,
  },
  {
    name: 'From addresses without email-send',
    mutate: (r) => (r.project.services[NO_EMAIL].emailFrom = ['web']),
    path: `services.${NO_EMAIL}.emailFrom`,
    message: /only a service with the "email-send" capability/,
  },
  {
    name: 'From address of another service',
    mutate: (r) => (r.project.services[SENDER].emailFrom = [OWNER_FROM]),
    path: `services.${SENDER}.emailFrom.0`,
    message: new RegExp(`services\\[${OWNER}\\] already sends as "${OWNER_FROM}"`),
  },
  {
    name: 'From address with a domain',
    mutate: (r) => (r.project.services[SENDER].emailFrom = ['moderation@example.com']),
    path: `services.${SENDER}.emailFrom.0`,
    message: /local part/,
  },
  {
    name: 'shared cache node type not a node type',
    mutate: (r) => (r.environment.data.cache.sharedNodeType = 'm7g.large'),
    path: 'data.cache.sharedNodeType',
    message: /ElastiCache node type/,
  },
  { name: 'project prefix with uppercase', mutate: (r) => (r.project.project = 'Social'), path: 'project', message: /lowercase/ },
  {
    name: 'node pool lifetime above 21 days',
    mutate: (r) => (r.environment.cluster.nodePools.workload.expireAfterHours = 720),
    path: 'cluster.nodePools.workload.expireAfterHours',
    message: /at most 504 hours/,
  },
  {
    name: 'node pool without a ceiling',
    mutate: (r) => delete r.environment.cluster.nodePools.system.limits,
    path: 'cluster.nodePools.system.limits',
    message: /./,
  },
  {
    name: 'ephemeral storage too small',
    mutate: (r) => (r.environment.cluster.nodeEphemeralStorageGiB = 8),
    path: 'cluster.nodeEphemeralStorageGiB',
    message: /./,
  },
  {
    name: 'two services on one public host',
    mutate: (r) => (r.project.services[AFTER_PUBLIC].publicHost = SERVICES[PUBLIC].publicHost),
    path: `services.${AFTER_PUBLIC}.publicHost`,
    message: new RegExp(`unique; services\\[${PUBLIC}\\] already serves "${SERVICES[PUBLIC].publicHost}"`),
  },
  {
    name: 'relative health check path',
    mutate: (r) => (r.project.services[0].healthCheckPath = 'healthz'),
    path: 'services.0.healthCheckPath',
    message: /absolute URL path/,
  },
  {
    name: 'storage ceiling below allocation',
    mutate: (r) => (r.environment.data.postgres.maxAllocatedStorageGiB = 50),
    path: 'data.postgres.maxAllocatedStorageGiB',
    message: /at least allocatedStorageGiB/,
  },
  {
    name: 'production without a recovery region',
    mutate: (r) => delete r.environment.recovery,
    path: 'recovery.region',
    message: /required in production/,
  },
  {
    name: 'recovery region equal to the home region',
    mutate: (r) => (r.environment.recovery.region = r.environment.region),
    path: 'recovery.region',
    message: new RegExp(`must differ from region \\(${PROD_REGION}\\)`),
  },
  {
    name: 'recovery region not a region code',
    mutate: (r) => (r.environment.recovery.region = 'frankfurt'),
    path: 'recovery.region',
    message: /region code/,
  },
  {
    name: 'recovery account equal to the environment account',
    mutate: (r) => (r.environment.recovery.accountId = r.environment.accountId),
    path: 'recovery.accountId',
    message: /must differ from accountId/,
  },
  {
    name: 'recovery account not an account id',
    mutate: (r) => (r.environment.recovery.accountId = '4444'),
    path: 'recovery.accountId',
    message: /12-digit/,
  },
  {
    name: 'recovery retention below the Vault Lock minimum',
    mutate: (r) => (r.environment.recovery.retentionDays = 3),
    path: 'recovery.retentionDays',
    message: /at least 7 days/,
  },
  {
    name: 'unknown recovery field',
    mutate: (r) => (r.environment.recovery.vault = 'x'),
    path: 'recovery.vault',
    message: /^unknown field; the allowed ones are in docs\/configuration\.md$/,
  },
  {
    name: 'mail domain outside the zone',
    mutate: (r) => (r.environment.edge.email.domain = 'mail.example.net'),
    path: 'edge.email.domain',
    message: /cloudflareZone/,
  },
  {
    name: 'platform namespace as a service name',
    mutate: (r) => (r.project.services[0].name = 'platform-system'),
    path: 'services.0.name',
    message: /reserved namespace/,
  },
  {
    name: 'privileged service port',
    mutate: (r) => (r.project.services[0].port = 80),
    path: 'services.0.port',
    message: /unprivileged port/,
  },
  {
    name: 'call to an unknown service',
    mutate: (r) => (r.project.services[0].calls = ['svc-nope']),
    path: 'services.0.calls.0',
    message: /must name a service of this file/,
  },
  {
    name: 'service calling itself',
    mutate: (r) => (r.project.services[0].calls = [r.project.services[0].name]),
    path: 'services.0.calls.0',
    message: /not name the service itself/,
  },
  {
    name: 'repeated callee',
    mutate: (r) => (r.project.services[0].calls = [OTHER_NAME, OTHER_NAME]),
    path: 'services.0.calls.1',
    message: /not repeat/,
  },
  {
    name: 'quota quantity malformed',
    mutate: (r) => (r.environment.cluster.namespaces = { quota: { requestsCpu: 'two' } }),
    path: 'cluster.namespaces.quota.requestsCpu',
    message: /Kubernetes quantity/,
  },
  {
    name: 'quota pods out of range',
    mutate: (r) => (r.environment.cluster.namespaces = { quota: { pods: 0 } }),
    path: 'cluster.namespaces.quota.pods',
    message: /./,
  },
  {
    name: 'unknown sizing field',
    mutate: (r) => (r.environment.cluster.namespaces = { quota: { cpu: '2' } }),
    path: 'cluster.namespaces.quota.cpu',
    message: /^unknown field; the allowed ones are in docs\/configuration\.md$/,
  },
  {
    name: 'override for an unknown service',
    mutate: (r) => (r.environment.cluster.serviceNamespaces = { 'svc-nope': {} }),
    path: 'cluster.serviceNamespaces.svc-nope',
    message: /must be a service of project.json/,
  },
  {
    name: 'default memory request above the default limit',
    mutate: (r) => (r.environment.cluster.namespaces = { containerDefaults: { memoryRequest: '2Gi', memoryLimit: '1Gi' } }),
    path: 'cluster.namespaces.containerDefaults.memoryRequest',
    message: /must not exceed containerDefaults.memoryLimit \(1Gi in effect\)/,
  },
  {
    name: 'service quota below its container default',
    mutate: (r) => (r.environment.cluster.serviceNamespaces = { [OTHER_NAME]: { quota: { requestsCpu: '100m' } } }),
    path: `cluster.serviceNamespaces.${OTHER_NAME}.containerDefaults.cpuRequest`,
    message: /must not exceed quota.requestsCpu \(100m in effect\)/,
  },
  {
    name: 'runner compute type CodeBuild does not offer',
    mutate: (r) => (runner(r).computeType = 'BUILD_GENERAL1_HUGE'),
    path: 'ci.runner.computeType',
    message: /one of BUILD_GENERAL1_SMALL, .*BUILD_GENERAL1_2XLARGE/,
  },
  { name: 'runner with no concurrent build', mutate: (r) => (runner(r).concurrency = 0), path: 'ci.runner.concurrency', message: /1–20/ },
  { name: 'runner concurrency above the cap', mutate: (r) => (runner(r).concurrency = 21), path: 'ci.runner.concurrency', message: /cap/ },
  { name: 'runner concurrency fraction', mutate: (r) => (runner(r).concurrency = 2.5), path: 'ci.runner.concurrency', message: /whole/ },
  {
    name: 'unknown runner field',
    mutate: (r) => (runner(r).image = 'ubuntu'),
    path: 'ci.runner.image',
    message: /^unknown field; the allowed/,
  },
  ...OBSERVABILITY_CASES,
];

describe('invalid configuration is rejected with the field, the value and what is allowed', () => {
  it('the corpus holds at least 20 distinct invalid configurations', () => {
    assert.ok(CASES.length >= 20, `only ${CASES.length} cases`);
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
  });

  for (const testCase of CASES) {
    it(testCase.name, () => {
      let error: unknown;
      try {
        configOfTier(testCase.tier ?? 'production', testCase.mutate);
      } catch (caught) {
        error = caught;
      }
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      const problem = error.problems.find((p) => p.path === testCase.path);
      assert.ok(problem, `no problem at ${testCase.path}; got ${error.problems.map((p) => `${p.path}: ${p.message}`).join(' | ')}`);
      assert.match(problem.message, testCase.message);
      const line = formatProblem(problem);
      assert.ok(line.includes(testCase.path), line);
      assert.match(line, /\(got .+\)$/);
    });
  }

  it('the bundled examples are valid', () => {
    for (const env of exampleEnvironmentNames()) assert.doesNotThrow(() => configWith(env, () => undefined));
  });
});

describe('configuration files that cannot be read', () => {
  const folderWith = (environments: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'platform-infra-config-'));
    cpSync(join(CONFIG_DIR, 'project.json'), join(dir, 'project.json'));
    mkdirSync(join(dir, 'environments'));
    for (const [name, text] of Object.entries(environments)) writeFileSync(join(dir, 'environments', `${name}.json`), text);
    return dir;
  };
  const problemsOf = (dir: string) => {
    try {
      loadConfig(dir);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems.map(formatProblem);
      throw error;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.fail('expected a ConfigError');
  };

  for (const [what, text, line, column] of [
    ['a missing comma', '{\n  "name": "dev"\n  "tier": "development"\n}\n', 3, 3],
    ['a trailing comma', '{\n  "name": "dev",\n}\n', 3, 1],
    ['a file that ends early', '{\n  "name": "dev",\n', 3, 1],
  ] as const) {
    it(`a JSON syntax error (${what}) is one line naming file:line:column`, () => {
      const [problem, ...others] = problemsOf(folderWith({ dev: text }));
      assert.deepEqual(others, []);
      assert.match(problem!, new RegExp(`^  \\S*environments/dev\\.json:${line}:${column}: is not valid JSON: [^\\n]+$`));
      assert.doesNotMatch(problem!, /position|got/);
    });
  }

  it('an environments folder without environment files is an error, not an empty synth', () => {
    assert.deepEqual(
      problemsOf(folderWith({})).map((p) => p.replace(/^.*environments:/, 'environments:')),
      ['environments: has no environment files (<name>.json)'],
    );
  });
});
