import { CloudwatchLogResourcePolicy } from '@cdktn/provider-aws/lib/cloudwatch-log-resource-policy';
import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { OpensearchDomain } from '@cdktn/provider-aws/lib/opensearch-domain';
import { TerraformStack } from 'cdktn';
import { Construct } from 'constructs';
import type { SearchThresholds } from '../../config/schema/observability';
import { EncryptedLogGroup } from '../observability/encrypted-log-group';
import { MetricAlarm, type AlarmDestination, type MetricAlarmProps } from '../observability/metric-alarm';
import { formatArn, partitionOf, iamArn } from '../../naming';
import { policyDocument, type PolicyStatement } from '../security/policy-document';
import { ServiceGrant } from '../security/service-grant';
import { StoreSecurityGroup } from './store-security-group';
import { invalidProp } from '../invalid-prop';
import { stableAddress } from '../stable-address';

export const SEARCH_PORT = 443;
const TLS_SECURITY_POLICY = 'Policy-Min-TLS-1-2-PFS-2023-10';
const LOG_TYPES = {
  INDEX_SLOW_LOGS: 'index-slow',
  SEARCH_SLOW_LOGS: 'search-slow',
  ES_APPLICATION_LOGS: 'application',
  AUDIT_LOGS: 'audit',
} as const;
/** Burstable instances do not support Auto-Tune. */
const NO_AUTO_TUNE = /^t[23]\./;
/**
 * The one list of HTTP actions per search capability: the `search-read`/`search-write` grants and
 * the domain's access policy both use these, so the resource policy never allows more than the
 * grants (a same-account resource policy authorizes on its own). POST is read: `_search` and
 * `_msearch` are sent as POST.
 */
export const SEARCH_READ_ACTIONS: readonly string[] = ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'];
export const SEARCH_WRITE_ACTIONS: readonly string[] = ['es:ESHttpPut', 'es:ESHttpPost', 'es:ESHttpPatch', 'es:ESHttpDelete'];

/**
 * The indexes a service owns: `<service>_*`. Service names are DNS labels, which never contain "_",
 * so one service's pattern never matches another's indexes (with "-", `svc-a-*` would match `svc-a-b`'s).
 */
export function searchIndexPattern(service: string): string {
  return `${service}_*`;
}

export interface SearchDomainProps {
  /** Domain name, from `Naming.name('search')`: 3–28 lowercase letters, digits or "-". */
  readonly domainName: string;
  /** Name of the IAM master role of fine-grained access control, from `Naming.roleName(...)`. */
  readonly masterRoleName: string;
  /** Principals that may assume the master role (administrators). */
  readonly adminPrincipalArns: readonly string[];
  /** Roles granted `search-read`: the access policy allows them `SEARCH_READ_ACTIONS`. */
  readonly readRoleArns: readonly string[];
  /** Roles granted `search-write`: the access policy allows them `SEARCH_WRITE_ACTIONS` (a role in both lists gets both). */
  readonly writeRoleArns: readonly string[];
  readonly accountId: string;
  readonly region: string;
  /** e.g. "OpenSearch_2.19". */
  readonly engineVersion: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  /**
   * Type of the three dedicated master nodes.
   * @default - no dedicated masters
   */
  readonly dedicatedMasterType?: string;
  readonly volumeSizeGiB: number;
  /** Data subnets, one per zone; the domain uses one per zone it spreads over (at most 3). */
  readonly subnetIds: readonly string[];
  readonly vpcId: string;
  /** The only security group admitted on port 443. */
  readonly clientSecurityGroupId: string;
  /** Customer-managed key for data at rest and the log groups. */
  readonly kmsKeyArn: string;
  /** Log groups are created as `<logGroupPrefix>/<type>`. */
  readonly logGroupPrefix: string;
  readonly logRetentionDays: number;
  /**
   * Publish audit logs (who read and changed what).
   * @default true
   */
  readonly auditLogs?: boolean;
  /**
   * Hour (UTC) of the daily automated snapshot.
   * @default 2
   */
  readonly snapshotHour?: number;
  /**
   * Start hour (UTC) of the 10-hour off-peak window for updates and Auto-Tune.
   * @default 22
   */
  readonly offPeakStartHour?: number;
  /**
   * Terraform refuses any plan that destroys the domain.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * An OpenSearch domain inside the VPC: encrypted at rest and between nodes, HTTPS with TLS 1.2+
 * only, fine-grained access control with an IAM master role (no internal users, no anonymous
 * access), an access policy that allows each named role only its capability's actions, and its logs
 * in KMS-encrypted log groups.
 */
export class SearchDomain extends Construct {
  readonly domain: OpensearchDomain;
  readonly masterRole: IamRole;
  /** The master role's ARN as text, known at plan time (policies that name it need no reference). */
  readonly masterRoleArn: string;
  readonly securityGroup: StoreSecurityGroup;
  readonly domainName: string;
  /** Who may assume the master role: the administrators, then what `grantMasterRole` adds. */
  private readonly masterTrust: PolicyStatement[];
  private readonly sizing: { readonly accountId: string; readonly instanceCount: number; readonly volumeSizeGiB: number };

  constructor(scope: Construct, id: string, props: SearchDomainProps) {
    super(scope, id);
    const fail = (prop: string, allowed: string, got: unknown) => invalidProp(`SearchDomain ${props.domainName}`, prop, allowed, got);
    if (!/^[a-z][a-z0-9-]{2,27}$/.test(props.domainName))
      fail('domainName', '3–28 lowercase letters, digits or "-", starting with a letter', props.domainName);
    if (props.adminPrincipalArns.length === 0)
      fail('adminPrincipalArns', 'at least one principal (who administers the domain)', props.adminPrincipalArns);
    const zones = Math.min(props.instanceCount, props.subnetIds.length, 3);
    if (zones < 1) fail('subnetIds', 'at least one subnet', props.subnetIds);
    if (props.instanceCount % zones !== 0) fail('instanceCount', `a multiple of the zones it spreads over (${zones})`, props.instanceCount);

    this.securityGroup = new StoreSecurityGroup(this, 'security-group', {
      name: props.domainName,
      store: 'OpenSearch',
      vpcId: props.vpcId,
      port: SEARCH_PORT,
      sourceSecurityGroupId: props.clientSecurityGroupId,
    });
    this.domainName = props.domainName;
    this.sizing = { accountId: props.accountId, instanceCount: props.instanceCount, volumeSizeGiB: props.volumeSizeGiB };
    this.masterTrust = [{ sid: 'Administrators', principals: { AWS: [...props.adminPrincipalArns] }, actions: ['sts:AssumeRole'] }];
    this.masterRole = new IamRole(this, 'master-role', {
      name: props.masterRoleName,
      description: `Master user of ${props.domainName} (fine-grained access control): maps roles to OpenSearch permissions`,
      assumeRolePolicy: policyDocument(this.masterTrust),
    });

    const partition = partitionOf(props.region);
    const domainArn = formatArn(partition, 'es', props.region, props.accountId, `domain/${props.domainName}`);
    this.masterRoleArn = iamArn(partition, props.accountId, `role/${props.masterRoleName}`);
    const logTypes = (Object.keys(LOG_TYPES) as (keyof typeof LOG_TYPES)[]).filter(
      (type) => type !== 'AUDIT_LOGS' || (props.auditLogs ?? true),
    );
    const logGroups = logTypes.map(
      (type) =>
        [
          type,
          new EncryptedLogGroup(this, `log-${LOG_TYPES[type]}`, {
            name: `${props.logGroupPrefix}/${LOG_TYPES[type]}`,
            kmsKeyArn: props.kmsKeyArn,
            retentionInDays: props.logRetentionDays,
          }),
        ] as const,
    );
    // OpenSearch, unlike vended-log services, writes only where a log resource policy lets it.
    const logPolicy = new CloudwatchLogResourcePolicy(this, 'log-policy', {
      policyName: `${props.domainName}-opensearch-logs`,
      policyDocument: policyDocument([
        {
          sid: 'OpenSearchWritesDomainLogs',
          principals: { Service: 'es.amazonaws.com' },
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: logGroups.map(([, group]) => `${group.arn}:*`),
          conditions: { StringEquals: { 'aws:SourceAccount': props.accountId }, ArnLike: { 'aws:SourceArn': domainArn } },
        },
      ]),
    });

    const autoTune = !NO_AUTO_TUNE.test(props.instanceType);
    this.domain = new OpensearchDomain(this, 'domain', {
      domainName: props.domainName,
      engineVersion: props.engineVersion,
      clusterConfig: {
        instanceType: props.instanceType,
        instanceCount: props.instanceCount,
        zoneAwarenessEnabled: zones > 1,
        ...(zones > 1 ? { zoneAwarenessConfig: { availabilityZoneCount: zones } } : {}),
        dedicatedMasterEnabled: props.dedicatedMasterType !== undefined,
        ...(props.dedicatedMasterType ? { dedicatedMasterType: props.dedicatedMasterType, dedicatedMasterCount: 3 } : {}),
      },
      vpcOptions: { subnetIds: props.subnetIds.slice(0, zones), securityGroupIds: [this.securityGroup.id] },
      ebsOptions: { ebsEnabled: true, volumeType: 'gp3', volumeSize: props.volumeSizeGiB },
      encryptAtRest: { enabled: true, kmsKeyId: props.kmsKeyArn },
      nodeToNodeEncryption: { enabled: true },
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: TLS_SECURITY_POLICY },
      advancedSecurityOptions: {
        enabled: true,
        anonymousAuthEnabled: false,
        internalUserDatabaseEnabled: false,
        masterUserOptions: { masterUserArn: this.masterRole.arn },
      },
      accessPolicies: policyDocument([
        { sid: 'MasterRole', principals: { AWS: [this.masterRole.arn] }, actions: ['es:ESHttp*'], resources: [`${domainArn}/*`] },
        ...accessLevel('SearchReadRoles', props.readRoleArns, SEARCH_READ_ACTIONS, domainArn),
        ...accessLevel('SearchWriteRoles', props.writeRoleArns, SEARCH_WRITE_ACTIONS, domainArn),
      ]),
      logPublishingOptions: logGroups.map(([type, group]) => ({ logType: type, cloudwatchLogGroupArn: group.arn, enabled: true })),
      autoTuneOptions: { desiredState: autoTune ? 'ENABLED' : 'DISABLED', rollbackOnDisable: 'NO_ROLLBACK', useOffPeakWindow: autoTune },
      offPeakWindowOptions: { enabled: true, offPeakWindow: { windowStartTime: { hours: props.offPeakStartHour ?? 22, minutes: 0 } } },
      snapshotOptions: { automatedSnapshotStartHour: props.snapshotHour ?? 2 },
      softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
      dependsOn: [logPolicy],
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    stableAddress(this.domain, props.domainName);
  }

  /**
   * Lets a pod-identity role act as the master user: its trust lets the role assume the master role,
   * with `sts:TagSession` because the tags EKS Pod Identity puts on the role's sessions are transitive
   * and so pass on to the chained session (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html);
   * the role may assume the master role and find the domain's endpoint (`DescribeDomain`), nothing else.
   */
  grantMasterRole(id: string, roleName: string, roleArn: string): IamRolePolicy {
    this.masterTrust.push({
      sid: `PodIdentity${this.masterTrust.length}`,
      principals: { AWS: [roleArn] },
      actions: ['sts:AssumeRole', 'sts:TagSession'],
    });
    this.masterRole.assumeRolePolicy = policyDocument(this.masterTrust);
    return new IamRolePolicy(this, `master-role-${id}`, {
      name: 'search-master-role',
      role: roleName,
      policy: policyDocument([
        { sid: 'ActAsTheMasterUser', actions: ['sts:AssumeRole'], resources: [this.masterRoleArn] },
        { sid: 'FindTheEndpoint', actions: ['es:DescribeDomain'], resources: [this.arn] },
      ]),
    });
  }

  /** Lets a service's role send the domain signed requests of its search capability: `SEARCH_READ_ACTIONS` or `SEARCH_WRITE_ACTIONS`. */
  grantRequests(service: string, roleName: string, access: 'read' | 'write'): ServiceGrant {
    const read = access === 'read';
    return new ServiceGrant(TerraformStack.of(this), {
      service,
      roleName,
      capability: read ? 'search-read' : 'search-write',
      statements: [
        {
          sid: read ? 'SignedSearchRequests' : 'SignedIndexRequests',
          actions: read ? SEARCH_READ_ACTIONS : SEARCH_WRITE_ACTIONS,
          resources: [`${this.arn}/*`],
        },
      ],
    });
  }

  /**
   * The alarms AWS recommends for a domain, each to `destination`: cluster status red and (with more
   * than one node, where replica shards have somewhere to go) yellow, free storage of the fullest node,
   * JVM memory pressure, blocked index writes and a master node unreachable from the data nodes.
   * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cloudwatch-alarms.html
   */
  addAlarms(destination: AlarmDestination, thresholds: SearchThresholds): MetricAlarm[] {
    const { accountId, instanceCount, volumeSizeGiB } = this.sizing;
    // OpenSearch Service publishes domain metrics under AWS/ES, by domain and owning account.
    const dimensions = { DomainName: this.domain.domainName, ClientId: accountId };
    const metric = (metricName: string, statistic: string) => ({ namespace: 'AWS/ES', metricName, dimensions, statistic });
    const alarm = (signal: string, props: Omit<MetricAlarmProps, 'name' | 'runbook' | 'destination'>) =>
      new MetricAlarm(this, `alarm-${signal}`, {
        name: `${this.domainName}-${signal}`,
        runbook: `search-${signal}`,
        destination,
        ...props,
      });
    const id = this.domainName;
    const freeMiB = (volumeSizeGiB * 1024 * thresholds.freeStoragePercent) / 100;
    const status = (color: 'red' | 'yellow', minutes: number, meaning: string) =>
      alarm(`status-${color}`, {
        summary: `Cluster status of ${id} has been ${color} for ${minutes} minute${minutes > 1 ? 's' : ''}: ${meaning}.`,
        metric: metric(`ClusterStatus.${color}`, 'Maximum'),
        comparison: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
        periodSeconds: 60,
        evaluationPeriods: minutes,
        treatMissingData: 'missing',
      });
    return [
      status('red', 1, 'at least one primary shard and its replicas are not allocated, so some data cannot be searched or written'),
      // A single node never places replica shards, so it is yellow for as long as an index has replicas.
      ...(instanceCount > 1 ? [status('yellow', 5, 'at least one replica shard is not allocated, so a node loss would lose data')] : []),
      alarm('free-storage', {
        summary: `A data node of ${id} has ${freeMiB} MiB or less free (${thresholds.freeStoragePercent} % of its ${volumeSizeGiB} GiB).`,
        metric: metric('FreeStorageSpace', 'Minimum'),
        comparison: 'LessThanOrEqualToThreshold',
        threshold: freeMiB,
        periodSeconds: 60,
        evaluationPeriods: 1,
        treatMissingData: 'missing',
      }),
      alarm('jvm-memory-pressure', {
        summary: `JVM memory pressure of a node of ${id} has been ${thresholds.jvmMemoryPressurePercent} % or more for 3 minutes.`,
        metric: metric('JVMMemoryPressure', 'Maximum'),
        comparison: 'GreaterThanOrEqualToThreshold',
        threshold: thresholds.jvmMemoryPressurePercent,
        periodSeconds: 60,
        evaluationPeriods: 3,
        treatMissingData: 'missing',
      }),
      alarm('writes-blocked', {
        summary: `${id} is blocking index writes (ClusterBlockException), usually for lack of storage or memory.`,
        metric: metric('ClusterIndexWritesBlocked', 'Maximum'),
        comparison: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
        periodSeconds: 300,
        evaluationPeriods: 1,
        treatMissingData: 'missing',
      }),
      alarm('master-unreachable', {
        summary: `The data nodes of ${id} have not reached a master node for 5 minutes.`,
        metric: metric('MasterReachableFromNode', 'Maximum'),
        comparison: 'LessThanThreshold',
        threshold: 1,
        periodSeconds: 60,
        evaluationPeriods: 5,
        treatMissingData: 'breaching',
      }),
    ];
  }

  /** ARN of the domain's HTTP API, for IAM grants (`SEARCH_READ_ACTIONS`/`SEARCH_WRITE_ACTIONS` on `<arn>/*`). */
  get arn(): string {
    return this.domain.arn;
  }
}

/** A statement with no principal is invalid, so an access level nobody holds has none. */
function accessLevel(sid: string, roleArns: readonly string[], actions: readonly string[], domainArn: string): PolicyStatement[] {
  return roleArns.length === 0 ? [] : [{ sid, principals: { AWS: [...roleArns] }, actions, resources: [`${domainArn}/*`] }];
}
