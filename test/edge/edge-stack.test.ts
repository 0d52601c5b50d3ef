import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SchemaSet } from '../../src/checks/schema/provider-schema';
import { validateStack } from '../../src/checks/schema/validate';
import { resolvePolicyDocument, stackDocument } from '../../src/checks/terraform-json';
import type { EnvironmentConfig } from '../../src/config/load';
import { CLOUDFLARE_PLAN_FEATURES } from '../../src/config/schema/cloudflare';
import { PUBLIC_HOSTS } from '../../src/config/schema/project';
import { DEFAULT_API_RATE_LIMIT } from '../../src/config/schema/edge';
import { splitToSlash32 } from '../../src/constructs/edge/ipv6-cidr';
import { AMAZON_CAA_DOMAIN, CLOUDFLARE_EDGE_CAS, MANAGED_WAF_RULESET_IDS } from '../../src/constructs/edge/zone-baseline';
import {
  CONFIG_DIR,
  configOfTier,
  exampleEnvironments,
  exampleStacks,
  policyOf,
  REPO_ROOT,
  resourceAt,
  resourcesOf,
  stack,
  synthesizeLayer,
  type TerraformJson,
  exampleEnvironmentNames,
} from '../support/synth';

const environments = exampleEnvironments();
const edgeOf = (env: string) => stack(exampleStacks(), `${env}-edge`);
const config = (env: string) => environments.find((e) => e.name === env)!;
/** The public hosts a service serves through the load balancer (`publicHost`), in PUBLIC_HOSTS order. */
const loadBalanced = (cfg: EnvironmentConfig) => PUBLIC_HOSTS.filter((h) => cfg.project.services.some((s) => s.publicHost === h));

const records = (doc: TerraformJson) => resourcesOf(doc, 'cloudflare_dns_record').map(([, r]) => r);
const recordNamed = (doc: TerraformJson, name: string, type: string) => records(doc).filter((r) => r.name === name && r.type === type);
const mediaPolicy = (doc: TerraformJson) =>
  resolvePolicyDocument(doc as any, resourceAt(doc, 'aws_s3_bucket_policy', 'media/bucket/policy').policy)!;
/** `${aws_s3_bucket.<media bucket>.arn}`, the reference every media policy resource starts with. */
const mediaBucketArn = (doc: TerraformJson) => {
  const [match] = resourcesOf(doc, 'aws_s3_bucket').filter(([, b]) => String(b['//']?.metadata?.path).endsWith('media/bucket/bucket'));
  return `\${aws_s3_bucket.${match![0]}.arn}`;
};
const anonymousAllows = (doc: TerraformJson) =>
  mediaPolicy(doc).filter((s) => s.effect === 'Allow' && s.principals.some((p) => p.identifiers.includes('*')));

const APP_ZONE = '${data.cloudflare_zone.zone.id}';
const USER_CONTENT_ZONE = '${data.cloudflare_zone.user-content-zone.id}';
const inZone = (doc: TerraformJson, type: string, zoneId: string) =>
  resourcesOf(doc, type)
    .map(([, r]) => r)
    .filter((r) => r.zone_id === zoneId);

const enterpriseConfig = configOfTier('production', (raw) => (raw.environment.edge.userContentZonePlan = 'enterprise'));
const enterpriseMedia = synthesizeLayer(enterpriseConfig, 'edge');

const fallbackConfig = configOfTier('production', (raw) => {
  raw.environment.edge.cloudflareIpRanges.source = 'fallback';
});
const fallback = synthesizeLayer(fallbackConfig, 'edge');
const published = fallbackConfig.project.cloudflareIpRangesFallback;

describe('edge layer', () => {
  for (const env of exampleEnvironmentNames()) {
    describe(env, () => {
      const doc = edgeOf(env);
      const cfg = config(env);
      const domain = cfg.domain;
      const mail = cfg.edge.email.domain;

      it('uses the Cloudflare provider from the environment (no token in the JSON) and looks the zone up by name', () => {
        assert.deepEqual(doc.provider?.cloudflare, [{}]);
        assert.equal(doc.terraform?.required_providers?.cloudflare?.source, 'cloudflare/cloudflare');
        assert.deepEqual(doc.data?.cloudflare_zone?.zone?.filter, { name: cfg.cloudflareZone, status: 'active' });
      });

      it(
        'the media bucket grants anonymous reads only to the Cloudflare ranges of the data source, ' + 'only GetObject, only under public/',
        () => {
          const allows = anonymousAllows(doc);
          assert.equal(allows.length, 1);
          assert.deepEqual(allows[0]!.actions, ['s3:GetObject']);
          assert.deepEqual(allows[0]!.resources, [`${mediaBucketArn(doc)}/public/*`]);
          assert.deepEqual(allows[0]!.notResources, []);
          assert.deepEqual(
            allows[0]!.conditions.map((c) => [c.test, c.variable]),
            [['IpAddress', 'aws:SourceIp']],
          );
          assert.match(
            allows[0]!.conditions[0]!.values[0]!,
            /^\$\{concat\(data\.cloudflare_ip_ranges\.[^.]+\.ipv4_cidrs, flatten\(\[for c in data\.cloudflare_ip_ranges\.[^.]+\.ipv6_cidrs/,
          );
          const pab = resourceAt(doc, 'aws_s3_bucket_public_access_block', 'media/bucket/public-access-block');
          assert.deepEqual(
            [pab.block_public_acls, pab.block_public_policy, pab.ignore_public_acls, pab.restrict_public_buckets],
            [true, true, true, true],
          );
        },
      );

      it('only media-write roles may change media objects; TLS is required', () => {
        const statements = mediaPolicy(doc);
        const guard = statements.find((s) => s.sid === 'OnlyWriterRolesChangeObjects')!;
        assert.equal(guard.effect, 'Deny');
        assert.deepEqual(guard.resources, [`${mediaBucketArn(doc)}/*`]);
        const writers = cfg.project.services.filter((s) => s.capabilities.includes('media-write')).map((s) => s.name);
        assert.equal(guard.conditions.length, 1);
        const [condition] = guard.conditions;
        assert.deepEqual([condition!.test, condition!.variable], ['ArnNotEquals', 'aws:PrincipalArn']);
        const exempted = condition!.values.map((arn) => /service-([a-z0-9-]+)_identity_role/.exec(arn)?.[1]).sort();
        assert.deepEqual(exempted, [...writers].sort());
        assert.ok(statements.some((s) => s.sid === 'DenyInsecureTransport'));
      });

      it('the media bucket has CORS for the app origins, SSE-S3, versioning, logging and the lifecycle rules', () => {
        const cors = resourceAt(doc, 'aws_s3_bucket_cors_configuration', 'media/cors');
        assert.deepEqual(cors.cors_rule[0].allowed_origins, cfg.edge.corsOrigins);
        const sse = resourceAt(doc, 'aws_s3_bucket_server_side_encryption_configuration', 'media/bucket/encryption');
        assert.equal(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm, 'AES256');
        assert.equal(resourceAt(doc, 'aws_s3_bucket_versioning', 'media/bucket/versioning').versioning_configuration.status, 'Enabled');
        assert.equal(resourceAt(doc, 'aws_s3_bucket_logging', 'media/bucket/logging').target_prefix, 's3/media-bucket/');
        const rules = resourceAt(doc, 'aws_s3_bucket_lifecycle_configuration', 'media/bucket/lifecycle').rule;
        const byId = Object.fromEntries(rules.map((r: any) => [r.id, r]));
        assert.equal(byId['transition-cold-objects'].transition[0].days, cfg.edge.mediaColdAfterDays);
        assert.equal(
          byId['expire-noncurrent-versions'].noncurrent_version_expiration[0].noncurrent_days,
          cfg.edge.mediaNoncurrentRetentionDays,
        );
        assert.ok(byId['abort-incomplete-uploads']);
      });

      it('creates every DNS record the hosts, the certificate and the mail identity need, each with a ttl', () => {
        for (const [host, name, zoneId] of [
          ['app', `${cfg.edge.hosts.app}.${domain}`, APP_ZONE],
          ['api', `${cfg.edge.hosts.api}.${domain}`, APP_ZONE],
          ['admin', `${cfg.edge.hosts.admin}.${domain}`, APP_ZONE],
          ['media', `${cfg.edge.hosts.media}.${cfg.edge.userContentDomain}`, USER_CONTENT_ZONE],
        ]) {
          const [record] = recordNamed(doc, name!, 'CNAME');
          assert.ok(record, `no CNAME for ${host}`);
          assert.equal(record.proxied, true);
          assert.equal(record.ttl, 1);
          assert.equal(record.zone_id, zoneId, host);
        }
        const validations = records(doc).filter((r) => /domain_validation_options/.test(r.name));
        assert.deepEqual(
          validations.map((r) => /\["([^"]+)"\]/.exec(r.name)![1]).sort(),
          loadBalanced(cfg)
            .map((h) => `${cfg.edge.hosts[h]}.${domain}`)
            .sort(),
        );
        assert.ok(validations.every((r) => r.type === 'CNAME' && r.proxied === false));
        // A SESv2 domain identity is verified by its DKIM records; there is no _amazonses TXT record.
        assert.equal(recordNamed(doc, `_amazonses.${mail}`, 'TXT').length, 0);
        const dkim = records(doc).filter((r) => r.type === 'CNAME' && r.name.endsWith(`._domainkey.${mail}`));
        assert.equal(dkim.length, 3);
        assert.ok(dkim.every((r) => r.content.endsWith('.dkim.amazonses.com') && r.proxied === false));
        const mailFrom = `${cfg.edge.email.mailFromLabel}.${mail}`;
        assert.equal(recordNamed(doc, mailFrom, 'MX')[0].content, `feedback-smtp.${cfg.region}.amazonses.com`);
        assert.match(recordNamed(doc, mailFrom, 'TXT')[0].content, /^v=spf1 include:amazonses\.com -all$/);
        assert.match(recordNamed(doc, `_dmarc.${mail}`, 'TXT')[0].content, /^v=DMARC1; p=reject;/);
        assert.deepEqual(
          recordNamed(doc, mail, 'TXT').map((r) => r.content),
          ['v=spf1 -all'],
        );
        assert.ok(records(doc).every((r) => typeof r.ttl === 'number'));
        const userContentRecords = records(doc).filter((r) => r.zone_id === USER_CONTENT_ZONE);
        const userContentNames = [cfg.edge.userContentDomain, `${cfg.edge.hosts.media}.${cfg.edge.userContentDomain}`];
        assert.ok(userContentRecords.every((r) => userContentNames.includes(r.name)));
        assert.ok(records(doc).every((r) => r.zone_id === APP_ZONE || r.zone_id === USER_CONTENT_ZONE));
      });

      it('both zones: SSL Full (strict), HTTPS only, TLS 1.2+ and 1.3, HSTS with nosniff, automatic HTTPS rewrites', () => {
        for (const zoneId of [APP_ZONE, USER_CONTENT_ZONE]) {
          const settings = Object.fromEntries(inZone(doc, 'cloudflare_zone_setting', zoneId).map((z) => [z.setting_id, z.value]));
          assert.deepEqual(settings, {
            ssl: 'strict',
            always_use_https: 'on',
            automatic_https_rewrites: 'on',
            min_tls_version: '1.2',
            tls_1_3: 'on',
            security_header: {
              strict_transport_security: { enabled: true, max_age: 31536000, include_subdomains: true, preload: false, nosniff: true },
            },
          });
        }
      });

      it('each zone runs the managed WAF ruleset its plan allows', () => {
        for (const [zoneId, plan] of [
          [APP_ZONE, cfg.edge.zonePlan],
          [USER_CONTENT_ZONE, cfg.edge.userContentZonePlan],
        ] as const) {
          const [waf, ...others] = inZone(doc, 'cloudflare_ruleset', zoneId).filter((r) => r.phase === 'http_request_firewall_managed');
          assert.equal(others.length, 0);
          const rulesetId = MANAGED_WAF_RULESET_IDS[CLOUDFLARE_PLAN_FEATURES[plan].managedWafRuleset];
          assert.deepEqual(
            waf.rules.map((r: any) => [r.action, r.expression, r.action_parameters.id]),
            [['execute', 'true', rulesetId]],
          );
        }
      });

      it('rate-limits the api host where the plan can match hosts, and nothing else', () => {
        const limits = resourcesOf(doc, 'cloudflare_ruleset')
          .map(([, r]) => r)
          .filter((r) => r.phase === 'http_ratelimit');
        if (!CLOUDFLARE_PLAN_FEATURES[cfg.edge.zonePlan].rateLimitByHost) {
          assert.deepEqual(limits, []);
          return;
        }
        const limit = cfg.edge.apiRateLimit ?? DEFAULT_API_RATE_LIMIT;
        assert.equal(limits.length, 1);
        assert.equal(limits[0].zone_id, APP_ZONE);
        assert.deepEqual(
          limits[0].rules.map((r: any) => [r.expression, r.action, r.ratelimit]),
          [
            [
              `http.host eq "${cfg.edge.hosts.api}.${domain}"`,
              'block',
              {
                characteristics: ['ip.src', 'cf.colo.id'],
                period: limit.periodSeconds,
                requests_per_period: limit.requestsPerPeriod,
                mitigation_timeout: limit.mitigationTimeoutSeconds,
              },
            ],
          ],
        );
      });

      it('routes the media host to the bucket by its own Host header (Cloud Connector below Enterprise)', () => {
        const [connector, ...more] = inZone(doc, 'cloudflare_cloud_connector_rules', USER_CONTENT_ZONE);
        assert.equal(more.length, 0);
        const bucket = resourcesOf(doc, 'aws_s3_bucket').find(([, b]) => b['//'].metadata.path.endsWith('media/bucket/bucket'))![0];
        assert.deepEqual(connector.rules, [
          {
            description: `${cfg.edge.hosts.media}.${cfg.edge.userContentDomain}: the media bucket by its own Host and SNI`,
            enabled: true,
            expression: `http.host eq "${cfg.edge.hosts.media}.${cfg.edge.userContentDomain}"`,
            provider: 'aws_s3',
            parameters: { host: `\${aws_s3_bucket.${bucket}.bucket_regional_domain_name}` },
          },
        ]);
        assert.equal(resourcesOf(doc, 'cloudflare_ruleset').filter(([, r]) => r.phase === 'http_request_origin').length, 0);
      });

      it("CAA records allow only Cloudflare's edge CAs in both zones, and Amazon's for ACM in the app zone", () => {
        const caa = (zoneId: string) => inZone(doc, 'cloudflare_dns_record', zoneId).filter((r) => r.type === 'CAA');
        const edgeCas = CLOUDFLARE_EDGE_CAS.flatMap((ca) => [`issue ${ca}`, `issuewild ${ca}`]);
        const shown = (zoneId: string) =>
          caa(zoneId)
            .map((r) => `${r.data.tag} ${r.data.value}`)
            .sort();
        assert.deepEqual(shown(APP_ZONE), [...edgeCas, `issue ${AMAZON_CAA_DOMAIN}`].sort());
        assert.deepEqual(shown(USER_CONTENT_ZONE), [...edgeCas].sort());
        assert.ok(caa(APP_ZONE).every((r) => r.name === cfg.cloudflareZone && r.data.flags === 0 && r.content === undefined));
        assert.ok(caa(USER_CONTENT_ZONE).every((r) => r.name === cfg.edge.userContentDomain));
      });

      it('the HTTPS listener verifies client certificates against the trust store of the configured CAs', () => {
        const trustStore = resourcesOf(doc, 'aws_lb_trust_store');
        assert.equal(trustStore.length, 1);
        const [storeName, store] = trustStore[0]!;
        assert.deepEqual(resourceAt(doc, 'aws_lb_listener', 'public-lb/https').mutual_authentication, {
          mode: 'verify',
          trust_store_arn: `\${aws_lb_trust_store.${storeName}.arn}`,
          ignore_client_certificate_expiry: false,
          advertise_trust_store_ca_names: 'off',
        });
        const [objectName, bundle] = resourcesOf(doc, 'aws_s3_object')[0]!;
        assert.equal(bundle.content, cfg.originPull.caBundlePem);
        assert.ok(!/PRIVATE KEY/.test(JSON.stringify(doc)));
        assert.equal(store.ca_certificates_bundle_s3_key, `\${aws_s3_object.${objectName}.key}`);
        assert.equal(store.ca_certificates_bundle_s3_object_version, `\${aws_s3_object.${objectName}.version_id}`);
        const bucket = resourceAt(doc, 'aws_s3_bucket', 'origin-pull/bucket/bucket');
        assert.equal(store.ca_certificates_bundle_s3_bucket, bundle.bucket.replace('.id}', '.bucket}'));
        assert.equal(bucket.bucket, `${cfg.project.project}-${env}-origin-pull-${cfg.accountId}-${cfg.region}`);
      });

      it('every load-balanced host presents the configured client certificate, only once the trust store has its CA', () => {
        const pulls = inZone(doc, 'cloudflare_authenticated_origin_pulls', APP_ZONE);
        const { certificateId } = cfg.edge.originPull;
        const association = (host: string) => [{ hostname: `${host}.${domain}`, cert_id: certificateId, enabled: true }];
        const byHostname = (configs: any[][]) => [...configs].sort((x, y) => x[0].hostname.localeCompare(y[0].hostname));
        assert.deepEqual(byHostname(pulls.map((p) => p.config)), byHostname(loadBalanced(cfg).map((h) => association(cfg.edge.hosts[h]))));
        const body = cfg.originPull.certificatePem.replace(/-----[A-Z ]+-----|\s/g, '');
        for (const pull of pulls) {
          assert.deepEqual(
            pull.depends_on.map((d: string) => d.split('.')[0]),
            ['aws_lb_trust_store'],
          );
          assert.ok(pull.lifecycle.postcondition[0].condition.endsWith(`== "${body}"}`));
        }
        assert.equal(resourcesOf(doc, 'cloudflare_authenticated_origin_pulls').length, 3);
      });

      it('the load balancer is internet-facing with TLS 1.2+, an HTTPS redirect, dropped invalid headers and access logs', () => {
        const lb = resourceAt(doc, 'aws_lb', 'public-lb/lb');
        assert.equal(lb.internal, false);
        assert.equal(lb.drop_invalid_header_fields, true);
        assert.equal(lb.enable_deletion_protection, cfg.tier === 'production');
        assert.equal(lb.access_logs.enabled, true);
        assert.match(lb.access_logs.bucket, /aws_s3_bucket\.edge-logs\./);
        assert.deepEqual(
          lb.depends_on.map((d: string) => d.replace(/_[0-9A-F]{8}$/, '')),
          ['aws_s3_bucket_policy.edge-logs_bucket_policy'],
        );
        assert.equal(lb.subnets.length, cfg.network.azCount);
        assert.equal(resourceAt(doc, 'aws_lb_listener', 'public-lb/https').ssl_policy, 'ELBSecurityPolicy-TLS13-1-2-2021-06');
        assert.deepEqual(resourceAt(doc, 'aws_lb_listener', 'public-lb/http-redirect').default_action[0].redirect, {
          port: '443',
          protocol: 'HTTPS',
          status_code: 'HTTP_301',
        });
      });

      it("routes each public service's host to that service's target group in the platform layer", () => {
        const publicServices = cfg.project.services.filter((s) => s.publicHost);
        assert.equal(resourcesOf(doc, 'aws_lb_target_group').length, 0, 'target groups live in the platform layer');
        const rules = resourcesOf(doc, 'aws_lb_listener_rule').map(([, r]) => r);
        assert.deepEqual(
          rules.map((r) => r.condition[0].host_header.values[0]).sort(),
          publicServices.map((s) => `${cfg.edge.hosts[s.publicHost!]}.${domain}`).sort(),
        );
        for (const rule of rules)
          assert.match(
            rule.action[0].target_group_arn,
            /terraform_remote_state\.cross-stack-reference-input-[a-z]+-platform.*target-group-/,
          );
      });

      it('admits 443 and 80 only from the Cloudflare ranges, and pods only from the load balancer', () => {
        const ingress = resourcesOf(doc, 'aws_vpc_security_group_ingress_rule').map(([, r]) => r);
        const lbRules = ingress.filter((r) => /public-lb_sg/.test(r.security_group_id));
        assert.deepEqual(lbRules.map((r) => r.from_port).sort(), [443, 443, 80, 80]);
        assert.ok(lbRules.every((r) => /^\$\{toset\(data\.cloudflare_ip_ranges\.[^.]+\.ipv[46]_cidrs\)\}$/.test(r.for_each)));
        const pods = ingress.filter((r) => !/public-lb_sg/.test(r.security_group_id));
        const ports = [...new Set(cfg.project.services.filter((s) => s.publicHost).map((s) => s.port))].sort((a, b) => a - b);
        assert.deepEqual(
          pods.map((r) => r.from_port),
          ports,
          'one rule per port the public services listen on',
        );
        for (const rule of pods)
          assert.match(rule.security_group_id, /terraform_remote_state\.cross-stack-reference-input-[a-z]+-platform/);
      });

      it('grants media and email capabilities to exactly the services that have them', () => {
        const grants = resourcesOf(doc, 'aws_iam_role_policy').map(([, p]) => ({
          service: /grant-([a-z0-9-]+)-(media|email)/.exec(p['//'].metadata.path)!,
          policy: p,
        }));
        for (const capability of ['media-read', 'media-write', 'email-send']) {
          const expected = cfg.project.services
            .filter((s) => s.capabilities.includes(capability as never))
            .map((s) => s.name)
            .sort();
          const actual = grants
            .filter((g) => g.policy.name === `capability-${capability}`)
            .map((g) => g.service[1])
            .sort();
          assert.deepEqual(actual, expected, capability);
        }
        const checked = new Set<string>();
        for (const { service, policy } of grants) {
          const statements = policyOf(policy.policy).Statement;
          const [statement] = statements;
          checked.add(policy.name);
          if (policy.name === 'capability-media-read') {
            assert.equal(statements.length, 1);
            assert.equal(statement.Action, 's3:GetObject');
            assert.deepEqual(statement.Resource, [`${mediaBucketArn(doc)}/public/*`, `${mediaBucketArn(doc)}/private/${service[1]}/*`]);
          } else if (policy.name === 'capability-media-write') {
            assert.equal(statements.length, 1);
            assert.deepEqual(statement.Action, ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject']);
            assert.deepEqual(statement.Resource, [
              `${mediaBucketArn(doc)}/public/${service[1]}/*`,
              `${mediaBucketArn(doc)}/private/${service[1]}/*`,
            ]);
          } else if (policy.name === 'capability-email-send') {
            assert.deepEqual(statement.Action, ['ses:SendEmail', 'ses:SendRawEmail']);
            const own = cfg.project.services.find((s) => s.name === service[1])!.emailFrom.map((local) => `${local}@${mail}`);
            assert.ok(own.length > 0, `${service[1]} has From addresses`);
            assert.deepEqual(statement.Condition, { StringEquals: { 'ses:FromAddress': own } });
            assert.deepEqual(doc.output?.email_from_addresses.value[service[1]], own.join(','));
          } else {
            assert.fail(`unexpected grant ${policy.name}`);
          }
        }
        assert.deepEqual([...checked].sort(), ['capability-email-send', 'capability-media-read', 'capability-media-write']);
      });

      it(
        'SES: DKIM, MAIL FROM, a default configuration set requiring TLS, ' +
          'with reputation metrics and its delivery problems on EventBridge',
        () => {
          const identity = resourceAt(doc, 'aws_sesv2_email_identity', 'mail/identity');
          assert.equal(identity.email_identity, mail);
          assert.equal(identity.dkim_signing_attributes, undefined, 'Easy DKIM: SES keys, signing on');
          const configurationSet = resourceAt(doc, 'aws_sesv2_configuration_set', 'mail/configuration-set');
          assert.match(
            identity.configuration_set_name,
            /aws_sesv2_configuration_set\.mail_configuration-set_[A-F0-9]+\.configuration_set_name/,
            'every send goes through it',
          );
          assert.deepEqual(configurationSet.delivery_options, { tls_policy: 'REQUIRE' });
          assert.equal(
            resourceAt(doc, 'aws_sesv2_email_identity_mail_from_attributes', 'mail/mail-from').mail_from_domain,
            `${cfg.edge.email.mailFromLabel}.${mail}`,
          );
          assert.equal(configurationSet.reputation_options.reputation_metrics_enabled, true);
          const dkim = resourcesOf(doc, 'cloudflare_dns_record').filter(([, r]) => String(r.name).includes('._domainkey.'));
          assert.equal(dkim.length, 3);
          assert.ok(
            dkim.every(([, r]) => /aws_sesv2_email_identity\.mail_identity_[A-F0-9]+\.dkim_signing_attributes\[0\]\.tokens/.test(r.name)),
          );
          const destination = resourceAt(doc, 'aws_sesv2_configuration_set_event_destination', 'mail/bounces-complaints').event_destination;
          assert.deepEqual(destination.matching_event_types, ['BOUNCE', 'COMPLAINT', 'REJECT', 'DELIVERY_DELAY']);
          assert.equal(
            destination.event_bridge_destination.event_bus_arn,
            `arn:aws:events:${cfg.region}:${cfg.accountId}:event-bus/default`,
          );
        },
      );

      it('publishes the edge contract outputs', () => {
        for (const name of [
          'media_bucket_name',
          'media_public_base_url',
          'ses_identity_arn',
          'ses_configuration_set_name',
          'email_from_domain',
          'public_hostnames',
        ]) {
          assert.ok(doc.output?.[name], `missing output ${name}`);
        }
        const media = `${cfg.edge.hosts.media}.${cfg.edge.userContentDomain}`;
        const hostnames = { ...Object.fromEntries(PUBLIC_HOSTS.map((h) => [h, `${cfg.edge.hosts[h]}.${domain}`])), media };
        assert.deepEqual(doc.output!.public_hostnames.value, hostnames);
        assert.equal(doc.output!.media_public_base_url.value, `https://${media}`);
      });

      it('validates against the committed Cloudflare v5 schema', () => {
        const schemas = SchemaSet.fromFiles([join(REPO_ROOT, 'schemas', 'cloudflare-provider-v5.json')]);
        assert.deepEqual(validateStack(stackDocument(`${env}-edge`, doc as any), schemas), []);
      });
    });
  }

  it('on Enterprise, routes media with an Origin Rule overriding the Host header instead of Cloud Connector', () => {
    assert.deepEqual(resourcesOf(enterpriseMedia, 'cloudflare_cloud_connector_rules'), []);
    const [origin, ...more] = resourcesOf(enterpriseMedia, 'cloudflare_ruleset')
      .map(([, r]) => r)
      .filter((r) => r.phase === 'http_request_origin');
    assert.equal(more.length, 0);
    assert.equal(origin.zone_id, USER_CONTENT_ZONE);
    assert.deepEqual(
      origin.rules.map((r: any) => [r.action, Object.keys(r.action_parameters)]),
      [['route', ['host_header']]],
    );
    assert.match(origin.rules[0].action_parameters.host_header, /^\$\{aws_s3_bucket\.media\.bucket_regional_domain_name\}$/);
  });

  describe('with the dated fallback list instead of the data source', () => {
    it('reads no cloudflare_ip_ranges', () => {
      assert.equal(fallback.data?.cloudflare_ip_ranges, undefined);
    });

    it('the media policy grants reads to exactly the published ranges (IPv6 split to /32), and nothing public', () => {
      const allows = anonymousAllows(fallback);
      assert.equal(allows.length, 1);
      assert.deepEqual(allows[0]!.resources, [`${mediaBucketArn(fallback)}/public/*`]);
      const expected = [...published.ipv4, ...published.ipv6.flatMap(splitToSlash32)];
      assert.deepEqual(allows[0]!.conditions[0]!.values, expected);
      assert.ok(expected.every((cidr) => Number(cidr.split('/')[1]) >= (cidr.includes(':') ? 32 : 8)));
      assert.ok(expected.includes('2a06:98c7::/32') && !expected.includes('2a06:98c0::/29'));
    });

    it('admits 443 and 80 from exactly the published ranges', () => {
      const lbRules = resourcesOf(fallback, 'aws_vpc_security_group_ingress_rule')
        .map(([, r]) => r)
        .filter((r) => /public-lb_sg/.test(r.security_group_id));
      for (const port of [443, 80]) {
        const sources = lbRules.filter((r) => r.from_port === port).map((r) => r.cidr_ipv4 ?? r.cidr_ipv6);
        assert.deepEqual(sources.sort(), [...published.ipv4, ...published.ipv6].sort());
      }
    });
  });

  it('splits IPv6 ranges broader than /32 into /32s', () => {
    assert.deepEqual(splitToSlash32('2a06:98c0::/29'), [
      '2a06:98c0::/32',
      '2a06:98c1::/32',
      '2a06:98c2::/32',
      '2a06:98c3::/32',
      '2a06:98c4::/32',
      '2a06:98c5::/32',
      '2a06:98c6::/32',
      '2a06:98c7::/32',
    ]);
    assert.deepEqual(splitToSlash32('2400:cb00::/32'), ['2400:cb00::/32']);
    assert.throws(() => splitToSlash32('2a06:98c1::/29'), /cidr must be a block with no host bits set within its first 32 bits/);
  });

  it('no config file holds a secret (the Cloudflare token comes from CLOUDFLARE_API_TOKEN)', () => {
    const files = ['project.json', ...readdirSync(join(CONFIG_DIR, 'environments')).map((f) => join('environments', f))];
    for (const file of files) {
      const text = readFileSync(join(CONFIG_DIR, file), 'utf8');
      // `secrets` (a service's list of secret names, values set out of band) is the one such key allowed.
      assert.doesNotMatch(text, /"(?!secrets")[^"]*(token|secret|password|api[_-]?key|credential)[^"]*"\s*:/i, file);
      assert.doesNotMatch(text, /\b[A-Za-z0-9_-]{40}\b/, `${file} holds a value shaped like an API token`);
    }
    for (const env of exampleEnvironmentNames()) assert.doesNotMatch(JSON.stringify(edgeOf(env)), /api_token|api_key/);
  });
});
