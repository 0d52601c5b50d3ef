import type { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load';
import { CLOUDFLARE_PLAN_FEATURES } from '../config/schema/cloudflare';
import { DEFAULT_API_RATE_LIMIT } from '../config/schema/edge';
import { PUBLIC_HOSTS, type Capability, type PublicHost } from '../config/schema/project';
import { CloudflareAuthenticatedOriginPulls } from '../constructs/cloudflare/authenticated-origin-pulls';
import { CloudflareDnsRecord, AUTOMATIC_TTL } from '../constructs/cloudflare/dns-record';
import { CloudflareProvider } from '../constructs/cloudflare/provider';
import { DataCloudflareZone } from '../constructs/cloudflare/zone';
import { allowAlbLogDelivery } from '../constructs/edge/alb-log-delivery';
import { CloudflareRanges } from '../constructs/edge/cloudflare-ranges';
import { DnsValidatedCertificate } from '../constructs/edge/dns-validated-certificate';
import { MediaBucket } from '../constructs/edge/media-bucket';
import { MediaOriginRoute } from '../constructs/edge/media-origin-route';
import { OriginPullTrustStore } from '../constructs/edge/origin-pull-trust-store';
import { PublicLoadBalancer } from '../constructs/edge/public-load-balancer';
import { SesMailDomain } from '../constructs/edge/ses-mail-domain';
import { AMAZON_CAA_DOMAIN, ZoneBaseline } from '../constructs/edge/zone-baseline';
import { allowCloudWatchLogs, EncryptionKey } from '../constructs/security/kms-key';
import { AccessLogBucket } from '../constructs/storage/access-log-bucket';
import { LayerStack } from './layer-stack';
import type { NetworkStack } from './network-stack';
import type { PlatformStack } from './platform-stack';

const ALB_LOG_PREFIX = 'alb/';
/** S3 server access logs of the edge's buckets, one folder per bucket below it. */
const S3_LOG_PREFIX = 's3/';
/**
 * Everything the internet reaches, all through the environment's own Cloudflare zones: the app zone (DNS,
 * load balancer, email) and the user-content zone (media bucket), each with its baseline settings and WAF.
 */
export class EdgeStack extends LayerStack {
  constructor(scope: Construct, config: EnvironmentConfig, network: NetworkStack, platform: PlatformStack) {
    super(scope, config, 'edge');
    const { naming } = this;
    const { edge } = config;
    new CloudflareProvider(this, 'cloudflare');
    const zone = new DataCloudflareZone(this, 'zone', { name: config.cloudflareZone });
    const userContentZone = new DataCloudflareZone(this, 'user-content-zone', { name: edge.userContentDomain });
    const { source } = edge.cloudflareIpRanges;
    const fallback = config.project.cloudflareIpRangesFallback;
    const ranges = new CloudflareRanges(
      this,
      'cloudflare-ranges',
      source === 'fallback' ? { source, ipv4: fallback.ipv4, ipv6: fallback.ipv6 } : { source },
    );
    const hostName = (host: PublicHost) => `${edge.hosts[host]}.${config.domain}`;
    const mediaHost = `${edge.hosts.media}.${edge.userContentDomain}`;
    const canLimitHosts = CLOUDFLARE_PLAN_FEATURES[edge.zonePlan].rateLimitByHost;
    const apiRateLimit = edge.apiRateLimit ?? (canLimitHosts ? DEFAULT_API_RATE_LIMIT : undefined);
    new ZoneBaseline(this, 'zone-baseline', {
      zoneId: zone.zoneId,
      zoneName: config.cloudflareZone,
      plan: edge.zonePlan,
      originCertificateAuthorities: [AMAZON_CAA_DOMAIN],
      hostRateLimit: apiRateLimit && { host: hostName('api'), ...apiRateLimit },
    });
    new ZoneBaseline(this, 'user-content-zone-baseline', {
      zoneId: userContentZone.zoneId,
      zoneName: edge.userContentDomain,
      plan: edge.userContentZonePlan,
    });
    const rolesWith = (capability: Capability): [string, IamRole][] =>
      config.project.services.filter((s) => s.capabilities.includes(capability)).map((s) => [s.name, platform.serviceRoles.get(s.name)!]);

    // Server access logs of the edge's buckets and ALB access logs; both need SSE-S3.
    const logs = new AccessLogBucket(this, 'edge-logs', {
      bucketName: naming.bucketName('edge-logs'),
      accountId: config.accountId,
      retentionDays: edge.accessLogRetentionDays,
      s3AccessLogPrefix: S3_LOG_PREFIX,
      deliveryStatements: (bucket) => [allowAlbLogDelivery(config.region, config.accountId, bucket.arn, ALB_LOG_PREFIX)],
    });

    const writers = rolesWith('media-write');
    const media = new MediaBucket(this, 'media', {
      bucketName: naming.bucketName('media'),
      accessLogging: { targetBucket: logs.name, targetPrefix: `${S3_LOG_PREFIX}media-bucket/` },
      readerSourceIps: ranges.forSourceIpCondition,
      writerRoleArns: writers.map(([, role]) => role.arn),
      corsOrigins: edge.corsOrigins,
      coldAfterDays: edge.mediaColdAfterDays,
      noncurrentRetentionDays: edge.mediaNoncurrentRetentionDays,
    });
    // AWS Backup keeps locked daily copies of the media bucket, in the recovery region too.
    this.backUp('media', [media.bucket.arn]);
    for (const [service, role] of rolesWith('media-read')) media.grantRead(service, role.name);
    for (const [service, role] of writers) media.grantWrite(service, role.name);

    new MediaOriginRoute(this, 'media-origin', {
      zoneId: userContentZone.zoneId,
      plan: edge.userContentZonePlan,
      host: mediaHost,
      bucketHost: media.regionalDomainName,
    });

    // Only Cloudflare presenting our zone's own client certificate completes a TLS handshake with the load balancer.
    const trustStore = new OriginPullTrustStore(this, 'origin-pull', {
      name: naming.name('origin-pull'),
      bucketName: naming.originPullBucket,
      accessLogging: { targetBucket: logs.name, targetPrefix: `${S3_LOG_PREFIX}origin-pull-bucket/` },
      caBundlePem: config.originPull.caBundlePem,
    });
    // The hosts the load balancer serves: exactly those a service's publicHost names, in PUBLIC_HOSTS order.
    const lbHosts = PUBLIC_HOSTS.filter((host) => platform.targetGroups.has(host));
    const certificate = new DnsValidatedCertificate(this, 'certificate', { hostNames: lbHosts.map(hostName), zoneId: zone.zoneId });
    const lb = new PublicLoadBalancer(this, 'public-lb', {
      name: naming.name('public'),
      vpcId: network.vpc.vpc.id,
      subnetIds: network.vpc.subnetIds('public'),
      certificateArn: certificate.arn,
      clientTrustStoreArn: trustStore.arn,
      allowedIpv4Cidrs: ranges.ipv4,
      allowedIpv6Cidrs: ranges.ipv6,
      accessLogs: { bucket: logs.name, prefix: ALB_LOG_PREFIX, dependsOn: [logs.bucket.policy] },
      targets: lbHosts.map((host) => {
        const { targetGroup } = platform.targetGroups.get(host)!;
        return { name: host, host: hostName(host), targetGroupArn: targetGroup.arn, port: targetGroup.port };
      }),
      targetSecurityGroupId: platform.workloadSecurityGroup.id,
      deletionProtection: this.protection.deletionProtection,
    });

    for (const host of lbHosts) {
      new CloudflareDnsRecord(this, `host-${host}`, {
        zoneId: zone.zoneId,
        name: hostName(host),
        type: 'CNAME',
        content: lb.loadBalancer.dnsName,
        ttl: AUTOMATIC_TTL,
        proxied: true,
        comment: `${host}: public load balancer`,
      });
      // After the trust store: a new certificate is presented only once the load balancer trusts its CA.
      new CloudflareAuthenticatedOriginPulls(this, `origin-pull-${host}`, {
        zoneId: zone.zoneId,
        hostname: hostName(host),
        certificateId: config.originPull.certificateId,
        expectedCertificatePem: config.originPull.certificatePem,
        dependsOn: [trustStore.trustStore],
      });
    }
    new CloudflareDnsRecord(this, 'host-media', {
      zoneId: userContentZone.zoneId,
      name: mediaHost,
      type: 'CNAME',
      content: media.regionalDomainName,
      ttl: AUTOMATIC_TTL,
      proxied: true,
      comment: 'media: S3 media bucket',
    });

    const mail = new SesMailDomain(this, 'mail', {
      domain: edge.email.domain,
      mailFromLabel: edge.email.mailFromLabel,
      dmarcReportAddress: edge.email.dmarcReportAddress,
      zoneId: zone.zoneId,
      region: config.region,
      configurationSetName: naming.name('mail'),
      eventBusArn: naming.arn('events', 'event-bus/default'),
    });
    const senders = new Map(
      config.project.services
        .filter((s) => s.emailFrom.length > 0)
        .map((s) => [s.name, s.emailFrom.map((localPart) => `${localPart}@${edge.email.domain}`)]),
    );
    for (const [service, role] of rolesWith('email-send')) mail.grantSend(service, role.name, senders.get(service)!);

    const alarms = network.alarmTopic.destination(this.runbookBaseUrl);
    lb.addAlarms(alarms, config.observability.thresholds.loadBalancer);
    mail.addAlarms(alarms, config.observability.thresholds.email);
    // Delivery-problem events name their recipients: kept encrypted with the edge layer's own key.
    const mailEventLog = naming.logGroupName('ses-events');
    const key = new EncryptionKey(this, 'key', {
      aliasName: naming.name('edge'),
      preventDestroy: this.protection.preventDestroy,
      description: `Encrypts ${config.name} mail delivery events`,
      accountId: config.accountId,
      partition: naming.partition,
      administratorArns: config.platform.adminRoleArns,
      additionalStatements: [allowCloudWatchLogs(config.accountId, config.region, [mailEventLog])],
    });
    mail.logEvents({
      ruleName: naming.name('mail-events'),
      logGroupName: mailEventLog,
      kmsKeyArn: key.arn,
      retentionInDays: config.defaultLogRetentionDays,
    });

    this.publish('media_bucket_name', media.name);
    // The host alone: URLs carry the full key, so public objects are at `<base>/public/<service>/<key>`.
    this.publish('media_public_base_url', `https://${mediaHost}`);
    this.publish('ses_identity_arn', mail.identity.arn);
    this.publish('ses_configuration_set_name', mail.configurationSet.configurationSetName);
    this.publish('email_from_domain', edge.email.domain);
    this.publish('email_from_addresses', Object.fromEntries([...senders].map(([service, addresses]) => [service, addresses.join(',')])));
    this.publish('public_hostnames', { ...Object.fromEntries(lbHosts.map((host) => [host, hostName(host)])), media: mediaHost });
  }
}
