import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runPolicies } from '../../../src/checks/policy/engine';
import type { PolicyRule } from '../../../src/checks/policy/rule';
import albAccessLogs from '../../../src/checks/policy/rules/edge-alb-access-logs';
import albIngress from '../../../src/checks/policy/rules/edge-alb-ingress-cloudflare-only';
import albTls from '../../../src/checks/policy/rules/edge-alb-tls-policy';
import s3Reads from '../../../src/checks/policy/rules/edge-s3-cloudflare-only-reads';
import sesDkim from '../../../src/checks/policy/rules/edge-ses-dkim';
import type { TerraformJson } from '../../../src/checks/terraform-json';
import { configOfTier, exampleOfTier, exampleStacks, stack, synthesizeLayer } from '../../support/synth';
import { clone, stackOf } from '../fixtures';

const PRODUCTION_EDGE = `${exampleOfTier('production').name}-edge`;
const dataSourceStack = stack(exampleStacks(), PRODUCTION_EDGE) as unknown as TerraformJson;
const fallbackStack = synthesizeLayer(
  configOfTier('development', (r) => (r.environment.edge.cloudflareIpRanges.source = 'fallback')),
  'edge',
) as unknown as TerraformJson;

function findings(rule: PolicyRule, doc: TerraformJson): string[] {
  return runPolicies([stackOf(doc, PRODUCTION_EDGE)], [rule]).findings.map((f) => `${f.address}: ${f.message}`);
}

/** The one resource of `type` whose name contains `part`, in a mutable copy. */
function only(doc: any, type: string, part: string): any {
  const matches = Object.entries(doc.resource?.[type] ?? doc.data?.[type] ?? {}).filter(([name]) => name.includes(part));
  assert.equal(matches.length, 1, `${type} *${part}*`);
  return matches[0]![1];
}

const mediaDocument = (doc: any) => only(doc, 'aws_iam_policy_document', 'media_policy-document');

describe('edge policy rules', () => {
  describe('EDGE_001 anonymous S3 reads only from Cloudflare', () => {
    it('passes the data-source and the fallback media policies', () => {
      assert.deepEqual(findings(s3Reads, dataSourceStack), []);
      assert.deepEqual(findings(s3Reads, fallbackStack), []);
    });
    it('fails a public read without an IP condition', () => {
      const doc = clone(fallbackStack) as any;
      delete mediaDocument(doc).statement[0].condition;
      assert.match(findings(s3Reads, doc).join('\n'), /without an IpAddress aws:SourceIp condition/);
    });
    it('fails a range outside Cloudflare, one S3 would treat as public, and write actions', () => {
      const doc = clone(fallbackStack) as any;
      const statement = mediaDocument(doc).statement[0];
      statement.condition[0].values = ['203.0.113.0/24', '2a06:98c0::/29'];
      statement.actions = ['s3:GetObject', 's3:PutObject'];
      const found = findings(s3Reads, doc).join('\n');
      assert.match(found, /"203\.0\.113\.0\/24" is not inside Cloudflare's published ranges/);
      assert.match(found, /"2a06:98c0::\/29" is broader than \/32/);
      assert.match(found, /allows s3:PutObject to every principal/);
    });
    it('fails an anonymous read of the whole bucket (bucket/*), of a wildcard prefix, and via NotResource', () => {
      for (const source of [fallbackStack, dataSourceStack]) {
        const doc = clone(source) as any;
        const statement = mediaDocument(doc).statement[0];
        assert.match(statement.resources[0], /\/public\/\*$/);
        statement.resources = statement.resources.map((r: string) => r.replace(/\/public\/\*$/, '/*'));
        assert.match(findings(s3Reads, doc).join('\n'), /resource \$\{aws_s3_bucket\.media\.arn\}\/\* is not limited to a key prefix/);
      }
      const doc = clone(fallbackStack) as any;
      const statement = mediaDocument(doc).statement[0];
      statement.resources = ['arn:aws:s3:::media/*/x', 'arn:aws:s3:::media/public/*'];
      statement.not_resources = ['arn:aws:s3:::media/private/*'];
      const found = findings(s3Reads, doc);
      assert.equal(found.length, 2, found.join('\n'));
      assert.match(found.join('\n'), /arn:aws:s3:::media\/\*\/x is not limited to a key prefix/);
      assert.match(found.join('\n'), /uses NotResource/);
    });
    it('fails an expression that does not come from the data source', () => {
      const doc = clone(dataSourceStack) as any;
      mediaDocument(doc).statement[0].condition[0].values = '${var.allowed}';
      assert.match(findings(s3Reads, doc).join('\n'), /does not come from data\.cloudflare_ip_ranges/);
    });
  });

  describe('EDGE_002 listener TLS', () => {
    it('passes the edge listeners', () => assert.deepEqual(findings(albTls, dataSourceStack), []));
    it('fails an old TLS policy and an HTTP listener that forwards', () => {
      const doc = clone(dataSourceStack) as any;
      only(doc, 'aws_lb_listener', 'https').ssl_policy = 'ELBSecurityPolicy-2016-08';
      only(doc, 'aws_lb_listener', 'http-redirect').default_action = [{ type: 'forward', target_group_arn: 'x' }];
      const found = findings(albTls, doc).join('\n');
      assert.match(found, /ELBSecurityPolicy-2016-08 allows TLS versions older than 1\.2/);
      assert.match(found, /must only redirect to HTTPS/);
    });
  });

  describe('EDGE_003 load balancer logs and header hygiene', () => {
    it('passes the edge load balancer', () => assert.deepEqual(findings(albAccessLogs, dataSourceStack), []));
    it('fails without access logs or with invalid headers passed through', () => {
      const doc = clone(dataSourceStack) as any;
      const lb = only(doc, 'aws_lb', 'public-lb');
      lb.access_logs.enabled = false;
      lb.drop_invalid_header_fields = false;
      const found = findings(albAccessLogs, doc).join('\n');
      assert.match(found, /access_logs is not enabled/);
      assert.match(found, /drop_invalid_header_fields is not true/);
    });
  });

  describe('EDGE_004 load balancer ingress only from Cloudflare', () => {
    it('passes the data-source and the fallback security groups', () => {
      assert.deepEqual(findings(albIngress, dataSourceStack), []);
      assert.deepEqual(findings(albIngress, fallbackStack), []);
    });
    it('fails a literal range outside Cloudflare and a for_each over something else', () => {
      const fromFallback = clone(fallbackStack) as any;
      const [name] = Object.keys(fromFallback.resource.aws_vpc_security_group_ingress_rule).filter((n) =>
        n.includes('in-443-104-16-0-0-13'),
      );
      fromFallback.resource.aws_vpc_security_group_ingress_rule[name!].cidr_ipv4 = '0.0.0.0/0';
      assert.match(findings(albIngress, fromFallback).join('\n'), /source 0\.0\.0\.0\/0 is not inside Cloudflare's published ranges/);
      const fromData = clone(dataSourceStack) as any;
      only(fromData, 'aws_vpc_security_group_ingress_rule', 'in-443-ipv4').for_each = '${toset(var.office_ranges)}';
      assert.match(findings(albIngress, fromData).join('\n'), /does not come from data\.cloudflare_ip_ranges/);
    });
    it('ignores security groups not attached to an internet-facing load balancer', () => {
      const doc = clone(fallbackStack) as any;
      only(doc, 'aws_lb', 'public-lb').internal = true;
      const [name] = Object.keys(doc.resource.aws_vpc_security_group_ingress_rule).filter((n) => n.includes('in-443-104-16-0-0-13'));
      doc.resource.aws_vpc_security_group_ingress_rule[name!].cidr_ipv4 = '10.0.0.0/8';
      assert.deepEqual(findings(albIngress, doc), []);
    });
  });

  describe('EDGE_005 SES DKIM', () => {
    it('passes the mail identity', () => assert.deepEqual(findings(sesDkim, dataSourceStack), []));
    it('fails an identity that turns DKIM signing off', () => {
      const doc = clone(dataSourceStack) as any;
      for (const identity of Object.values(doc.resource.aws_sesv2_email_identity) as any[])
        identity.dkim_signing_attributes = { signing_enabled: false };
      assert.match(findings(sesDkim, doc).join('\n'), /turns DKIM signing off/);
    });
  });
});
