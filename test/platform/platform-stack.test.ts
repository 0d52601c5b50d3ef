import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runnerLabelPrefix } from '../../src/constructs/ci/github-actions-runner';
import { outputsFor } from '../../src/contract/catalog';
import { Naming } from '../../src/naming';
import {
  configOfTier,
  exampleEnvironments,
  exampleStacks,
  policyOf,
  resourceAt,
  resourcesOf,
  stack,
  synthesizeLayer,
  type TerraformJson,
  projectPrefix,
  exampleOfTier,
} from '../support/synth';
const PROD = exampleOfTier('production').name;
const DEV = exampleOfTier('development').name;

const PREFIX = projectPrefix();

const prod = stack(exampleStacks(), `${PROD}-platform`);
const dev = stack(exampleStacks(), `${DEV}-platform`);
const prodConfig = exampleOfTier('production');
const PROD_ACCOUNT = prodConfig.accountId;
const PROD_REGION = prodConfig.region;
const cluster = resourceAt(prod, 'aws_eks_cluster', 'eks/cluster');
const bodies = (doc: TerraformJson, type: string) => resourcesOf(doc, type).map(([, body]) => body);
const ref = (doc: TerraformJson, type: string, pathSuffix: string) => {
  const [name] = resourcesOf(doc, type).find(([, body]) => String(body['//'].metadata.path).endsWith(pathSuffix))!;
  return `${type}.${name}`;
};
const statementsOf = (text: string) => policyOf(text).Statement;

describe('platform layer: cluster', () => {
  it('runs the configured version on standard support, authenticating through access entries only', () => {
    assert.equal(cluster.name, `${PREFIX}-${PROD}-eks`);
    assert.equal(cluster.version, '1.36');
    assert.deepEqual(cluster.upgrade_policy, { support_type: 'STANDARD' });
    assert.deepEqual(cluster.access_config, { authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    assert.equal(cluster.bootstrap_self_managed_addons, false);
  });

  it('opts into extended support only when the config does', () => {
    const config = configOfTier('development', (r) => {
      r.environment.platform.kubernetesVersion = '1.33';
      r.environment.platform.extendedSupport = true;
    });
    const doc = synthesizeLayer(config, 'platform');
    assert.deepEqual(resourceAt(doc, 'aws_eks_cluster', 'eks/cluster').upgrade_policy, { support_type: 'EXTENDED' });
  });

  it('has a private endpoint only, in the private subnets of every zone', () => {
    assert.equal(cluster.vpc_config.endpoint_private_access, true);
    assert.equal(cluster.vpc_config.endpoint_public_access, false);
    assert.equal(cluster.vpc_config.public_access_cidrs, undefined);
    assert.equal(cluster.vpc_config.subnet_ids.length, 3);
    assert.ok(cluster.vpc_config.subnet_ids.every((id: string) => new RegExp(`vpc_private-${PROD_REGION}[a-z]_`).test(id)));
  });

  it('opens the public endpoint only to the configured CIDRs', () => {
    const config = configOfTier(
      'development',
      (r) => (r.environment.platform.publicEndpoint = { enabled: true, cidrs: ['203.0.113.0/24'] }),
    );
    const vpc = resourceAt(synthesizeLayer(config, 'platform'), 'aws_eks_cluster', 'eks/cluster').vpc_config;
    assert.equal(vpc.endpoint_public_access, true);
    assert.deepEqual(vpc.public_access_cidrs, ['203.0.113.0/24']);
  });

  it('envelope-encrypts Secrets with the platform key, which rotates', () => {
    assert.deepEqual(cluster.encryption_config, {
      provider: { key_arn: `\${${ref(prod, 'aws_kms_key', 'key/key')}.arn}` },
      resources: ['secrets'],
    });
    assert.equal(resourceAt(prod, 'aws_kms_key', 'key/key').enable_key_rotation, true);
  });

  it('sends all five control-plane log types to an encrypted log group created first', () => {
    assert.deepEqual(cluster.enabled_cluster_log_types, ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    const group = resourceAt(prod, 'aws_cloudwatch_log_group', 'eks/logs/log-group');
    assert.equal(group.name, `/aws/eks/${PREFIX}-${PROD}-eks/cluster`);
    assert.equal(group.retention_in_days, prodConfig.platform.controlPlaneLogRetentionDays);
    assert.match(group.kms_key_id, /aws_kms_key\.platform\./);
    assert.ok(cluster.depends_on.includes(ref(prod, 'aws_cloudwatch_log_group', 'eks/logs/log-group')));
  });

  it('is protected from deletion in prod only', () => {
    assert.equal(cluster.deletion_protection, true);
    assert.equal(resourceAt(dev, 'aws_eks_cluster', 'eks/cluster').deletion_protection, false);
  });

  it('runs EKS Auto Mode: compute, load balancing and block storage on, no built-in node pools', () => {
    assert.deepEqual(cluster.compute_config, { enabled: true });
    assert.deepEqual(cluster.kubernetes_network_config, { elastic_load_balancing: { enabled: true } });
    assert.deepEqual(cluster.storage_config, { block_storage: { enabled: true } });
    for (const doc of exampleStacks().values()) {
      for (const type of ['aws_eks_node_group', 'aws_launch_template', 'aws_autoscaling_group'])
        assert.deepEqual(resourcesOf(doc, type), [], type);
    }
  });

  it('gives the cluster role the Auto Mode policies and use of the platform key, nothing else', () => {
    const trust = statementsOf(resourceAt(prod, 'aws_iam_role', 'eks/role/role').assume_role_policy);
    assert.deepEqual(trust[0].Principal, { Service: 'eks.amazonaws.com' });
    assert.deepEqual(trust[0].Action, ['sts:AssumeRole', 'sts:TagSession']);
    // As EKS documents it: a condition on a key EKS may not send would keep the control plane from its role.
    assert.equal(trust.length, 1);
    assert.equal(trust[0].Condition, undefined);
    const attached = bodies(prod, 'aws_iam_role_policy_attachment').filter((a) =>
      a.role.includes(ref(prod, 'aws_iam_role', 'eks/role/role')),
    );
    assert.deepEqual(
      attached.map((a) => a.policy_arn).sort(),
      ['Cluster', 'Compute', 'BlockStorage', 'LoadBalancing', 'Networking']
        .map((p) => `arn:aws:iam::aws:policy/AmazonEKS${p}Policy`)
        .sort(),
    );
    const statements = statementsOf(resourceAt(prod, 'aws_iam_role_policy', 'eks/role/policy').policy);
    assert.deepEqual(
      statements.map((s: any) => s.Sid),
      ['SecretsEnvelopeEncryption', 'NodeVolumeEncryption', 'NodeVolumeAttachment'],
    );
    for (const statement of statements) assert.match(statement.Resource, /^\$\{aws_kms_key\.platform\.arn\}$/);
    assert.deepEqual(statements[2].Condition, { Bool: { 'kms:GrantIsForAWSResource': true } });
  });

  it('gives Auto Mode nodes a minimal role with its EC2 access entry and the Auto Mode node policy', () => {
    // Trusted by EC2 as EKS documents it, without aws:SourceAccount, which EC2 is not documented to send.
    const trust = statementsOf(resourceAt(prod, 'aws_iam_role', 'eks/node-role/role').assume_role_policy);
    assert.deepEqual(trust, [
      { Sid: 'AssumedByService', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    const attached = bodies(prod, 'aws_iam_role_policy_attachment').filter((a) =>
      a.role.includes(ref(prod, 'aws_iam_role', 'eks/node-role/role')),
    );
    assert.deepEqual(attached.map((a) => a.policy_arn).sort(), [
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy',
    ]);
    assert.deepEqual(
      resourcesOf(prod, 'aws_iam_role_policy').filter(([, p]) => String(p.role).includes('node-role')),
      [],
    );
    const entry = resourceAt(prod, 'aws_eks_access_entry', 'eks/nodes-entry');
    assert.equal(entry.type, 'EC2');
    assert.equal(entry.principal_arn, `\${${ref(prod, 'aws_iam_role', 'eks/node-role/role')}.arn}`);
    const policy = resourceAt(prod, 'aws_eks_access_policy_association', 'eks/nodes-policy');
    assert.equal(policy.policy_arn, 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy');
  });

  it('gives admin roles cluster admin and read-only roles the view policy, cluster-wide', () => {
    const admin = resourceAt(prod, 'aws_eks_access_policy_association', 'eks/admin-0-policy');
    assert.equal(admin.policy_arn, 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
    assert.deepEqual(admin.access_scope, { type: 'cluster' });
    assert.equal(resourceAt(prod, 'aws_eks_access_entry', 'eks/admin-0-entry').principal_arn, prodConfig.platform.adminRoleArns[0]);
    const view = resourceAt(prod, 'aws_eks_access_policy_association', 'eks/read-only-0-policy');
    assert.equal(view.policy_arn, 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy');
    assert.equal(resourceAt(prod, 'aws_eks_access_entry', 'eks/read-only-0-entry').principal_arn, prodConfig.platform.readOnlyRoleArns[0]);
  });
});

describe('platform layer: security groups', () => {
  const clusterSg = `\${${ref(prod, 'aws_security_group', 'eks/cluster-sg')}.id}`;
  const nodeSg = `\${${ref(prod, 'aws_security_group', 'eks/node-sg')}.id}`;
  const workloadSg = `\${${ref(prod, 'aws_security_group', 'workload-sg')}.id}`;
  const runnerSg = `\${${ref(prod, 'aws_security_group', 'ci-runner/sg')}.id}`;
  const peer = (r: any) =>
    ({ [clusterSg]: 'cluster', [nodeSg]: 'nodes', [runnerSg]: 'runner' })[r.referenced_security_group_id as string] ?? r.cidr_ipv4;
  const rules = (type: string, group: string) =>
    bodies(prod, type)
      .filter((r) => r.security_group_id === group)
      .map((r) => `${r.ip_protocol}:${r.from_port ?? '*'}-${r.to_port ?? '*'}:${peer(r)}`)
      .sort();

  it('admits to the control plane only the nodes and the CI runner, on 443', () => {
    assert.deepEqual(rules('aws_vpc_security_group_ingress_rule', clusterSg), ['tcp:443-443:nodes', 'tcp:443-443:runner']);
    assert.deepEqual(rules('aws_vpc_security_group_egress_rule', clusterSg), [
      'tcp:10250-10250:nodes',
      'tcp:10251-10251:nodes',
      'tcp:443-443:nodes',
    ]);
  });

  it('lets nodes talk to each other, take control-plane calls and reach HTTPS', () => {
    // 10251: the API server reaches metrics-server, which HorizontalPodAutoscalers depend on.
    assert.deepEqual(rules('aws_vpc_security_group_ingress_rule', nodeSg), [
      '-1:*-*:nodes',
      'tcp:10250-10250:cluster',
      'tcp:10251-10251:cluster',
      'tcp:443-443:cluster',
    ]);
    assert.deepEqual(rules('aws_vpc_security_group_egress_rule', nodeSg), ['-1:*-*:nodes', 'tcp:443-443:0.0.0.0/0']);
  });

  it('lets workloads out only towards the data subnets; the data layer admits them by group', () => {
    const storePorts = prodConfig.networkPlan.subnetCidrs.data.flatMap((cidr) =>
      [443, 5432, 6379].map((port) => `tcp:${port}-${port}:${cidr}`),
    );
    assert.deepEqual(rules('aws_vpc_security_group_egress_rule', workloadSg), storePorts.sort());
    assert.deepEqual(rules('aws_vpc_security_group_ingress_rule', workloadSg), []);
    assert.deepEqual(resourceAt(prod, 'aws_security_group', 'workload-sg').ingress, undefined);
  });

  it('admits configured networks to the private endpoint', () => {
    const config = configOfTier('development', (r) => (r.environment.platform.privateEndpointSourceCidrs = ['10.99.0.0/16']));
    const doc = synthesizeLayer(config, 'platform');
    const rule = resourceAt(doc, 'aws_vpc_security_group_ingress_rule', 'eks/cluster-from-network-0');
    assert.deepEqual([rule.cidr_ipv4, rule.from_port, rule.to_port], ['10.99.0.0/16', 443, 443]);
  });
});

describe('platform layer: CI runner', () => {
  const environments = exampleEnvironments();
  const namesOf = (env: (typeof environments)[number]) =>
    new Naming({ project: env.project.project, environment: env.name, accountId: env.accountId, region: env.region }).ciRunner;

  it('has exactly one runner per configured environment, sized by its config', () => {
    for (const env of environments) {
      const doc = stack(exampleStacks(), `${env.name}-platform`);
      const [project, ...others] = bodies(doc, 'aws_codebuild_project');
      assert.deepEqual(others, [], `${env.name}: one project`);
      assert.equal(project.name, namesOf(env).projectName);
      assert.equal(project.environment.compute_type, env.ci.runner.computeType);
      assert.equal(project.concurrent_build_limit, env.ci.runner.concurrency);
      assert.equal(project.environment.privileged_mode, false);
      assert.equal(bodies(doc, 'aws_codebuild_webhook').length, 1);
      assert.equal(bodies(doc, 'aws_codeconnections_connection').length, 1);
    }
  });

  it('runs builds in the private subnets of its own environment, in its own security group', () => {
    for (const env of environments) {
      const doc = stack(exampleStacks(), `${env.name}-platform`);
      const { vpc_config: vpc } = resourceAt(doc, 'aws_codebuild_project', 'ci-runner/project');
      const network = `data\\.terraform_remote_state\\.cross-stack-reference-input-${env.name}-network\\.outputs`;
      const privateSubnet = new RegExp(`^\\$\\{${network}\\.cross-stack-output-aws_subnetvpc_private-([a-z0-9-]+)_[A-F0-9]+id\\}$`);
      const zones = vpc.subnets.map((subnet: string) => privateSubnet.exec(subnet)?.[1]);
      assert.deepEqual(zones, [...env.networkPlan.availabilityZones], `${env.name}: one private subnet per zone`);
      assert.match(vpc.vpc_id, new RegExp(`^\\$\\{${network}\\.cross-stack-output-aws_vpcvpc_`));
      assert.deepEqual(vpc.security_group_ids, [`\${${ref(doc, 'aws_security_group', 'ci-runner/sg')}.id}`]);
    }
  });

  it('takes queued workflow jobs of this repository and the consumer repositories, organization-wide', () => {
    const webhook = resourceAt(prod, 'aws_codebuild_webhook', 'ci-runner/webhook');
    const { github, services } = prodConfig.project;
    assert.deepEqual(webhook.scope_configuration, { name: github.organization, scope: 'GITHUB_ORGANIZATION' });
    assert.equal(webhook.build_type, 'BUILD');
    const [group, ...otherGroups] = webhook.filter_group;
    assert.deepEqual(otherGroups, []);
    const [event, repositories] = group.filter;
    assert.deepEqual(event, { type: 'EVENT', pattern: 'WORKFLOW_JOB_QUEUED' });
    assert.equal(repositories.type, 'REPOSITORY_NAME');
    const pattern = new RegExp(repositories.pattern);
    for (const repository of [github.infraRepository, ...services.map((s) => s.repository)]) assert.match(repository, pattern);
    assert.doesNotMatch('some-other-repository', pattern);
    const project = resourceAt(prod, 'aws_codebuild_project', 'ci-runner/project');
    assert.deepEqual(project.source, {
      type: 'GITHUB',
      location: 'CODEBUILD_DEFAULT_WEBHOOK_SOURCE_LOCATION',
      auth: { type: 'CODECONNECTIONS', resource: `\${${ref(prod, 'aws_codeconnections_connection', 'ci-runner/connection')}.arn}` },
    });
  });

  it('gives the build role exactly the log, network-interface and connection actions, on its own resources', () => {
    const role = ref(prod, 'aws_iam_role', 'ci-runner/role/role');
    const [trust] = statementsOf(resourceAt(prod, 'aws_iam_role', 'ci-runner/role/role').assume_role_policy);
    assert.deepEqual(trust.Principal, { Service: 'codebuild.amazonaws.com' });
    assert.deepEqual(trust.Condition, { StringEquals: { 'aws:SourceAccount': prodConfig.accountId } });
    assert.ok(!bodies(prod, 'aws_iam_role_policy_attachment').some((a) => a.role.includes(role)), 'no managed policies');
    const policies = bodies(prod, 'aws_iam_role_policy').filter((p) => p.role.includes(role));
    assert.equal(policies.length, 1);
    const bySid = Object.fromEntries(statementsOf(policies[0].policy).map((s: any) => [s.Sid, s]));
    const actions = Object.fromEntries(Object.entries(bySid).map(([sid, s]: [string, any]) => [sid, [s.Action].flat().sort()]));
    assert.deepEqual(actions, {
      WriteBuildLogs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      DescribeBuildNetwork: [
        'ec2:DescribeDhcpOptions',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
      ],
      CreateBuildNetworkInterfaces: ['ec2:CreateNetworkInterface'],
      DeleteBuildNetworkInterfaces: ['ec2:DeleteNetworkInterface'],
      LetCodeBuildAttachNetworkInterfaces: ['ec2:CreateNetworkInterfacePermission'],
      UseGithubConnection: ['codeconnections:GetConnection', 'codeconnections:GetConnectionToken'],
    });
    for (const statement of Object.values<any>(bySid)) {
      assert.equal(statement.Effect, 'Allow');
      const actions: string[] = [statement.Action].flat();
      assert.ok(!actions.some((a) => a.includes('*') || a.startsWith('sts:') || a.startsWith('iam:')), statement.Sid);
    }
    const { subnets: subnetIds } = resourceAt(prod, 'aws_codebuild_project', 'ci-runner/project').vpc_config;
    const subnets = subnetIds.map((id: string) => `arn:aws:ec2:${PROD_REGION}:${PROD_ACCOUNT}:subnet/${id}`);
    const interfaces = `arn:aws:ec2:${PROD_REGION}:${PROD_ACCOUNT}:network-interface/*`;
    assert.equal(bySid.WriteBuildLogs.Resource, `\${${ref(prod, 'aws_cloudwatch_log_group', 'ci-runner/logs/log-group')}.arn}:*`);
    assert.equal(bySid.DescribeBuildNetwork.Resource, '*');
    const runnerGroup = `\${${ref(prod, 'aws_security_group', 'ci-runner/sg')}.arn}`;
    assert.deepEqual(bySid.CreateBuildNetworkInterfaces.Resource, [interfaces, ...subnets, runnerGroup]);
    const { DeleteBuildNetworkInterfaces: deletes, LetCodeBuildAttachNetworkInterfaces: attach } = bySid;
    assert.deepEqual([deletes.Resource, deletes.Condition], [interfaces, { StringEquals: { 'ec2:Subnet': subnets } }]);
    assert.deepEqual(attach.Condition, { StringEquals: { 'ec2:Subnet': subnets, 'ec2:AuthorizedService': 'codebuild.amazonaws.com' } });
    assert.equal(bySid.UseGithubConnection.Resource, `\${${ref(prod, 'aws_codeconnections_connection', 'ci-runner/connection')}.arn}`);
  });

  it('lets builds out on HTTPS only and in not at all', () => {
    const group = `\${${ref(prod, 'aws_security_group', 'ci-runner/sg')}.id}`;
    const egress = bodies(prod, 'aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === group);
    assert.deepEqual(
      egress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4]),
      [['tcp', 443, 443, '0.0.0.0/0']],
    );
    assert.deepEqual(
      bodies(prod, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === group),
      [],
    );
    const sg = resourceAt(prod, 'aws_security_group', 'ci-runner/sg');
    assert.deepEqual([sg.ingress, sg.egress], [undefined, undefined]);
  });

  it('logs to its own log group, encrypted with the platform key, whose policy admits it', () => {
    const names = namesOf(prodConfig);
    const group = resourceAt(prod, 'aws_cloudwatch_log_group', 'ci-runner/logs/log-group');
    assert.equal(group.name, names.logGroupName);
    assert.equal(group.kms_key_id, `\${${ref(prod, 'aws_kms_key', 'key/key')}.arn}`);
    assert.deepEqual(resourceAt(prod, 'aws_codebuild_project', 'ci-runner/project').logs_config, {
      cloudwatch_logs: { status: 'ENABLED', group_name: `\${${ref(prod, 'aws_cloudwatch_log_group', 'ci-runner/logs/log-group')}.name}` },
      s3_logs: { status: 'DISABLED' },
    });
    const logs = statementsOf(resourceAt(prod, 'aws_kms_key', 'key/key').policy).find((s: any) => s.Sid === 'AllowCloudWatchLogs');
    const admitted: string[] = logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'];
    assert.ok(admitted.includes(`arn:aws:logs:${PROD_REGION}:${PROD_ACCOUNT}:log-group:${names.logGroupName}`));
  });

  it('publishes the label prefix jobs name, identically as output and SSM parameter', () => {
    for (const env of environments) {
      const doc = stack(exampleStacks(), `${env.name}-platform`);
      const expected = runnerLabelPrefix(namesOf(env).projectName);
      assert.equal(doc.output?.ci_runner_label_prefix.value, expected);
      const parameter = bodies(doc, 'aws_ssm_parameter').find((p) => p.name === `/${PREFIX}/${env.name}/ci_runner_label_prefix`);
      assert.equal(parameter.value, expected);
    }
  });
});

describe('platform layer: target groups', () => {
  it("has one IP target group per public service, on its port and health check, tagged for the cluster's controller", () => {
    const groups = bodies(prod, 'aws_lb_target_group');
    const publicServices = prodConfig.project.services.filter((s) => s.publicHost);
    assert.equal(groups.length, publicServices.length);
    for (const service of publicServices) {
      const group = resourceAt(prod, 'aws_lb_target_group', `target-group-${service.publicHost}/target-group`);
      assert.equal(group.target_type, 'ip');
      assert.equal(group.port, service.port);
      assert.equal(group.health_check.path, service.healthCheckPath);
      assert.equal(group.tags['eks:eks-cluster-name'], cluster.name);
    }
    assert.deepEqual(Object.keys(prod.output!.alb_target_group_arns.value).sort(), publicServices.map((s) => s.publicHost).sort());
  });

  it('derives the target groups from publicHost only', () => {
    const config = configOfTier('development', (r) => {
      delete r.project.services.find((s: any) => s.publicHost === 'admin').publicHost;
      r.project.services.find((s: any) => s.name === 'svc-idt').publicHost = 'admin';
      r.project.services.find((s: any) => s.name === 'svc-idt').port = 9090;
    });
    const group = resourceAt(synthesizeLayer(config, 'platform'), 'aws_lb_target_group', 'target-group-admin/target-group');
    assert.equal(group.port, 9090);
    const [binding] = bodies(synthesizeLayer(config, 'cluster'), 'kubernetes_manifest').filter(
      (m) => m.manifest.spec?.serviceRef?.name === 'svc-idt',
    );
    assert.deepEqual(binding.manifest.spec.serviceRef, { name: 'svc-idt', port: 9090 });
  });
});

describe('platform layer: workload identities', () => {
  it('associates every service account with its own role, trusted only for that service account', () => {
    const associations = bodies(prod, 'aws_eks_pod_identity_association');
    assert.equal(associations.length, prodConfig.project.services.length);
    for (const service of prodConfig.project.services) {
      const association = resourceAt(prod, 'aws_eks_pod_identity_association', `service-${service.name}/association`);
      assert.equal(association.namespace, service.name);
      assert.equal(association.service_account, service.name);
      assert.match(association.role_arn, new RegExp(`aws_iam_role\\.service-${service.name}_identity_role_`));
      const role = resourceAt(prod, 'aws_iam_role', `service-${service.name}/identity/role`);
      assert.equal(role.name, `${PREFIX}-${PROD}-svc-${service.name}`);
      const [trust] = statementsOf(role.assume_role_policy);
      assert.deepEqual(trust.Principal, { Service: 'pods.eks.amazonaws.com' });
      assert.deepEqual(trust.Action, ['sts:AssumeRole', 'sts:TagSession']);
      assert.deepEqual(trust.Condition.StringEquals, {
        'aws:SourceAccount': `${PROD_ACCOUNT}`,
        'aws:RequestTag/eks-cluster-name': association.cluster_name,
        'aws:RequestTag/kubernetes-namespace': service.name,
        'aws:RequestTag/kubernetes-service-account': service.name,
      });
    }
  });
});

describe('platform layer: images and deploy roles', () => {
  it('one immutable, scanned, KMS-encrypted repository per service with a lifecycle policy', () => {
    const repositories = bodies(prod, 'aws_ecr_repository');
    assert.deepEqual(repositories.map((r) => r.name).sort(), prodConfig.project.services.map((s) => `${PREFIX}-${PROD}-${s.name}`).sort());
    for (const repository of repositories) {
      assert.equal(repository.image_tag_mutability, 'IMMUTABLE');
      assert.deepEqual(repository.image_scanning_configuration, { scan_on_push: true });
      assert.equal(repository.encryption_configuration[0].encryption_type, 'KMS');
      assert.match(repository.encryption_configuration[0].kms_key, /aws_kms_key\.platform\./);
      assert.equal(repository.force_delete, false);
    }
    const policy = JSON.parse(resourceAt(prod, 'aws_ecr_lifecycle_policy', 'images-svc-feed/lifecycle').policy);
    assert.deepEqual(
      policy.rules.map((r: any) => r.selection),
      [
        { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
        { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 30 },
      ],
    );
  });

  for (const service of prodConfig.project.services.filter((s) => ['svc-feed', 'svc-admin', 'app-web'].includes(s.name))) {
    it(`${service.name}: deploy role trusted by its repository's configured refs only`, () => {
      const role = resourceAt(prod, 'aws_iam_role', `deploy-${service.name}/role/role`);
      assert.equal(role.name, `${PREFIX}-${PROD}-deploy-${service.name}`);
      const [trust] = statementsOf(role.assume_role_policy);
      assert.deepEqual(trust.Principal, { Federated: `arn:aws:iam::${PROD_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` });
      // Production: only jobs in the reviewed "prod" GitHub environment, never a bare branch.
      assert.deepEqual(trust.Condition.StringEquals['token.actions.githubusercontent.com:sub'], [
        `repo:${prodConfig.project.github.organization}/${service.repository}:environment:prod`,
      ]);
    });

    it(`${service.name}: deploy role pushes to its repository, reads its contract, maps to its own Kubernetes group`, () => {
      const statements = statementsOf(resourceAt(prod, 'aws_iam_role_policy', `deploy-${service.name}/role/policy`).policy);
      const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
      assert.deepEqual(Object.keys(bySid).sort(), ['EcrLogin', 'FindCluster', 'PushOwnImages', 'ReadContract']);
      assert.equal(bySid.PushOwnImages.Resource, `\${${ref(prod, 'aws_ecr_repository', `images-${service.name}/repository`)}.arn}`);
      assert.ok(!bySid.PushOwnImages.Action.some((a: string) => /Delete|Policy|\*/.test(a)));
      assert.equal(bySid.EcrLogin.Action, 'ecr:GetAuthorizationToken');
      assert.equal(bySid.FindCluster.Resource, `\${${ref(prod, 'aws_eks_cluster', 'eks/cluster')}.arn}`);
      assert.deepEqual(
        [bySid.ReadContract.Resource].flat().sort(),
        outputsFor(service)
          .map((e) => `arn:aws:ssm:${PROD_REGION}:${PROD_ACCOUNT}:parameter/${PREFIX}/${PROD}/${e.name}`)
          .sort(),
      );
      // Its Kubernetes rights are the cluster layer's Role for this group (test/cluster), no EKS access policy.
      const entry = resourceAt(prod, 'aws_eks_access_entry', `eks/deploy-${service.name}-entry`);
      assert.equal(entry.type, 'STANDARD');
      assert.deepEqual(entry.kubernetes_groups, [`${prodConfig.project.project}:deploy-${service.name}`]);
      assert.equal(
        resourcesOf(prod, 'aws_eks_access_policy_association').filter(([, a]) =>
          String(a.principal_arn).includes(`deploy-${service.name}_`),
        ).length,
        0,
      );
    });
  }

  it('reads no contract output another service consumes alone', () => {
    const feed = statementsOf(resourceAt(prod, 'aws_iam_role_policy', 'deploy-svc-feed/role/policy').policy).find(
      (s: any) => s.Sid === 'ReadContract',
    );
    assert.ok(![feed.Resource].flat().some((arn: string) => /opensearch|ses_|media_|alb_target/.test(arn)));
  });
});

describe('platform layer: contract outputs', () => {
  it('publishes the cluster, repositories and identities', () => {
    const outputs = prod.output ?? {};
    assert.equal(outputs.eks_cluster_name.value, `\${${ref(prod, 'aws_eks_cluster', 'eks/cluster')}.name}`);
    assert.match(outputs.eks_cluster_endpoint.value, /\.endpoint\}$/);
    assert.match(outputs.eks_cluster_certificate_authority_data.value, /certificate_authority\[0\]\.data\}$/);
    const names = prodConfig.project.services.map((s) => s.name).sort();
    for (const name of ['ecr_repository_urls', 'service_role_arns', 'deploy_role_arns', 'service_namespaces'])
      assert.deepEqual(Object.keys(outputs[name].value).sort(), names, name);
    assert.equal(outputs.service_namespaces.value['svc-feed'], 'svc-feed');
    assert.match(outputs.ecr_repository_urls.value['svc-feed'], /aws_ecr_repository\.svc-feed\.repository_url/);
  });
});
