import type { PolicyStatement } from '../security/policy-document';
import { partitionOf, iamArn } from '../../naming';

/**
 * Elastic Load Balancing account per region opened before August 2022: in these regions ALB access
 * logs are delivered by this account, which the bucket policy must name. Regions opened later deliver
 * as the `logdelivery.elasticloadbalancing.amazonaws.com` service principal instead.
 */
const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-southeast-3': '589379963580',
  'ap-south-1': '718504428378',
  'ap-northeast-3': '383597477331',
  'ap-northeast-2': '600734575887',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-northeast-1': '582318560864',
  'ca-central-1': '985666609251',
  'eu-central-1': '054676820928',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-south-1': '635631232127',
  'eu-west-3': '009996457667',
  'eu-north-1': '897822967062',
  'me-south-1': '076674570225',
  'sa-east-1': '507241528517',
};

const ELB_LOG_DELIVERY_SERVICE = 'logdelivery.elasticloadbalancing.amazonaws.com';

/** Bucket-policy statement letting ALB access logs of `accountId` be written under `prefix`. */
export function allowAlbLogDelivery(region: string, accountId: string, bucketArn: string, prefix: string): PolicyStatement {
  const elbAccount = ELB_LOG_DELIVERY_ACCOUNTS[region];
  return {
    sid: 'AlbAccessLogDelivery',
    principals: elbAccount ? { AWS: iamArn(partitionOf(region), elbAccount, 'root') } : { Service: ELB_LOG_DELIVERY_SERVICE },
    actions: ['s3:PutObject'],
    resources: [`${bucketArn}/${prefix}AWSLogs/${accountId}/*`],
  };
}
