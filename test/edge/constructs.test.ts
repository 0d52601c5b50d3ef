import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { App, TerraformStack } from 'cdktn';
import { allowAlbLogDelivery } from '../../src/constructs/edge/alb-log-delivery';
import { CloudflareRanges } from '../../src/constructs/edge/cloudflare-ranges';
import { DnsValidatedCertificate } from '../../src/constructs/edge/dns-validated-certificate';
import { MediaBucket, type MediaBucketProps } from '../../src/constructs/edge/media-bucket';
import { PublicLoadBalancer, type PublicLoadBalancerProps } from '../../src/constructs/edge/public-load-balancer';
import { SesMailDomain } from '../../src/constructs/edge/ses-mail-domain';
import { SecureBucket } from '../../src/constructs/storage/secure-bucket';

function inStack(build: (stack: TerraformStack) => void): void {
  const outdir = mkdtempSync(join(tmpdir(), 'edge-constructs-'));
  try {
    build(new TerraformStack(new App({ outdir, stackTraces: false }), 's'));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const media: MediaBucketProps = {
  bucketName: 'media',
  accessLogging: { targetBucket: 'logs', targetPrefix: 'media/' },
  readerSourceIps: ['104.16.0.0/13'],
  writerRoleArns: [],
  corsOrigins: ['https://app.example.com'],
  coldAfterDays: 90,
  noncurrentRetentionDays: 30,
};
const lb: PublicLoadBalancerProps = {
  name: 'p-dev-public',
  vpcId: 'vpc',
  subnetIds: ['a', 'b'],
  certificateArn: 'arn',
  clientTrustStoreArn: 'arn:trust-store',
  allowedIpv4Cidrs: ['104.16.0.0/13'],
  allowedIpv6Cidrs: ['2400:cb00::/32'],
  accessLogs: { bucket: 'logs', prefix: 'alb/' },
  targets: [{ name: 'app', host: 'app.example.com', targetGroupArn: 'arn:tg', port: 8080 }],
  targetSecurityGroupId: 'sg',
};

describe('edge constructs reject invalid props', () => {
  it('MediaBucket: cold transition before 30 days, no CORS origin', () => {
    inStack((s) =>
      assert.throws(
        () => new MediaBucket(s, 'm', { ...media, coldAfterDays: 10 }),
        /coldAfterDays must be at least 30 \(the STANDARD_IA minimum\) \(got 10\)/,
      ),
    );
    inStack((s) =>
      assert.throws(
        () => new MediaBucket(s, 'm', { ...media, corsOrigins: [] }),
        /corsOrigins must be at least one https origin \(got \[\]\)/,
      ),
    );
  });

  it('SesMailDomain: a send grant without addresses, with a wildcard or at another domain', () => {
    inStack((s) => {
      const mail = new SesMailDomain(s, 'mail', {
        domain: 'example.com',
        mailFromLabel: 'mail',
        zoneId: 'z',
        region: 'eu-west-1',
        configurationSetName: 'c',
        eventBusArn: 'arn:bus',
      });
      assert.throws(() => mail.grantSend('svc-a', 'role-a', []), /fromAddresses must be at least one address for svc-a/);
      assert.throws(
        () => mail.grantSend('svc-a', 'role-a', ['*@example.com']),
        /fromAddresses must be literal addresses at example.com \(no wildcards\)/,
      );
      assert.throws(() => mail.grantSend('svc-a', 'role-a', ['a@example.net']), /literal addresses at example.com/);
      assert.doesNotThrow(() => mail.grantSend('svc-a', 'role-a', ['a@example.com']));
    });
  });

  it('PublicLoadBalancer: a TLS policy below 1.2, a name over 32 characters, no targets', () => {
    inStack((s) =>
      assert.throws(
        () => new PublicLoadBalancer(s, 'l', { ...lb, tlsPolicy: 'ELBSecurityPolicy-2016-08' }),
        /tlsPolicy must be one of ELBSecurityPolicy-TLS13-1-2-2021-06/,
      ),
    );
    inStack((s) =>
      assert.throws(
        () => new PublicLoadBalancer(s, 'l', { ...lb, name: 'a-very-long-load-balancer-name-xy' }),
        /name must be at most 32 characters/,
      ),
    );
    inStack((s) => assert.throws(() => new PublicLoadBalancer(s, 'l', { ...lb, targets: [] }), /targets must be at least one host/));
  });

  it('PublicLoadBalancer: deletion protection is on unless turned off', () => {
    inStack((s) => assert.equal(new PublicLoadBalancer(s, 'l', lb).loadBalancer.enableDeletionProtectionInput, true));
  });

  it('DnsValidatedCertificate: no or repeated host names', () => {
    inStack((s) =>
      assert.throws(() => new DnsValidatedCertificate(s, 'c', { hostNames: [], zoneId: 'z' }), /hostNames must be at least one host name/),
    );
    inStack((s) =>
      assert.throws(
        () => new DnsValidatedCertificate(s, 'c', { hostNames: ['a.example.com', 'a.example.com'], zoneId: 'z' }),
        /hostNames must be host names without repeats/,
      ),
    );
  });

  it('CloudflareRanges: an empty fallback', () => {
    inStack((s) =>
      assert.throws(
        () => new CloudflareRanges(s, 'r', { source: 'fallback', ipv4: [], ipv6: ['2400:cb00::/32'] }),
        /ipv4 must be at least one range/,
      ),
    );
    inStack((s) =>
      assert.throws(
        () => new CloudflareRanges(s, 'r', { source: 'fallback', ipv4: ['173.245.48.0/20'], ipv6: [] }),
        /ipv6 must be at least one range/,
      ),
    );
  });

  it('SecureBucket: SSE-S3 together with a KMS key, or neither without saying so', () => {
    inStack((s) =>
      assert.throws(
        () => new SecureBucket(s, 'b', { bucketName: 'b', encryption: 'sse-s3', kmsKeyArn: 'k', accessLogging: 'is-log-destination' }),
        /SecureBucket b: kmsKeyArn must be absent when encryption is 'sse-s3' \(S3 managed keys\) \(got "k"\)/,
      ),
    );
    inStack((s) =>
      assert.throws(
        () => new SecureBucket(s, 'b', { bucketName: 'b', accessLogging: { targetBucket: 'l', targetPrefix: 'p/' } }),
        /kmsKeyArn must be a key ARN unless accessLogging is 'is-log-destination' or encryption is 'sse-s3'/,
      ),
    );
  });

  it('ALB log delivery: account principal in older regions, service principal in newer ones', () => {
    assert.deepEqual(allowAlbLogDelivery('eu-west-1', '111111111111', 'arn:aws:s3:::logs', 'alb/').principals, {
      AWS: 'arn:aws:iam::156460612806:root',
    });
    assert.deepEqual(allowAlbLogDelivery('eu-central-2', '111111111111', 'arn:aws:s3:::logs', 'alb/').principals, {
      Service: 'logdelivery.elasticloadbalancing.amazonaws.com',
    });
    assert.deepEqual(allowAlbLogDelivery('eu-west-1', '111111111111', 'arn:aws:s3:::logs', 'alb/').resources, [
      'arn:aws:s3:::logs/alb/AWSLogs/111111111111/*',
    ]);
  });
});
