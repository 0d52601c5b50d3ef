import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runnerLabelPrefix } from '../../src/constructs/ci/github-actions-runner';
import { outputsFor } from '../../src/contract/catalog';
import { Naming } from '../../src/naming';
import { configWith, exampleEnvironments, exampleStacks, policyOf, resourceAt, resourcesOf, stack, synthesize, type TerraformJson } from '../support/synth';

const prod = stack(exampleStacks(), 'prod-platform');
const dev = stack(exampleStacks(), 'dev-platform');
const prodConfig = exampleEnvironments().find((e) => e.name === 'prod')!;
const bodies = (doc: TerraformJson, type: string) => resourcesOf(doc, type).map(([, body]) => body);
const ref = (doc: TerraformJson, type: string, pathSuffix: string) => {
  const [name] = resourcesOf(doc, type).find(([, body]) => String(body['//'].metadata.path).endsWith(pathSuffix))!;
  return `${type}.${name}`;
};
const statementsOf = (text: string) => policyOf(text).Statement;

describe('platform layer: cluster', () => {
  const cluster = resourceAt(prod, 'aws_eks_cluster', 'eks/cluster');

  it('runs the configured version on standard support, authenticating through access entries only', () => {
    assert.equal(cluster.name, 'social-prod-eks');
    assert.equal(cluster.version, '1.35');
    assert.deepEqual(cluster.upgrade_policy, { support_type: 'STANDARD' });
    assert.deepEqual(cluster.access_config, { authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    assert.equal(cluster.bootstrap_self_managed_addons, false);
  });

  it('opts into extended support only when the config does', () => {
    const config = configWith('dev', (r) => {
      r.environment.platform.kubernetesVersion = '1.33';
      r.environment.platform.addons.kubeProxy = 'v1.33.3-eksbuild.1';
      r.environment.platform.extendedSupport = true;
    });
    const doc = stack(synthesize([config]), 'dev-platform');
    assert.deepEqual(resourceAt(doc, 'aws_eks_cluster', 'eks/cluster').upgrade_policy, { support_type: 'EXTENDED' });
  });

  it('has a private endpoint only, in the private subnets of every zone', () => {
    assert.equal(cluster.vpc_config.endpoint_private_access, true);
    assert.equal(cluster.vpc_config.endpoint_public_access, false);
    assert.equal(cluster.vpc_config.public_access_cidrs, undefined);
    assert.equal(cluster.vpc_config.subnet_ids.length, 3);
    assert.ok(cluster.vpc_config.subnet_ids.every((id: string) => /vpc_private-eu-west-1[abc]_/.test(id)));
  });

  it('opens the public endpoint only to the configured CIDRs', () => {
    const config = configWith('dev', (r) => (r.environment.platform.publicEndpoint = { enabled: true, cidrs: ['203.0.113.0/24'] }));
    const vpc = resourceAt(stack(synthesize([config]), 'dev-platform'), 'aws_eks_cluster', 'eks/cluster').vpc_config;
    assert.equal(vpc.endpoint_public_access, true);
    assert.deepEqual(vpc.public_access_cidrs, ['203.0.113.0/24']);
  });

  it('envelope-encrypts Secrets with the platform key, which rotates', () => {
    assert.deepEqual(cluster.encryption_config, { provider: { key_arn: `\${${ref(prod, 'aws_kms_key', 'key/key')}.arn}` }, resources: ['secrets'] });
    assert.equal(resourceAt(prod, 'aws_kms_key', 'key/key').enable_key_rotation, true);
  });

  it('sends all five control-plane log types to an encrypted log group created first', () => {
    assert.deepEqual(cluster.enabled_cluster_log_types, ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    const group = resourceAt(prod, 'aws_cloudwatch_log_group', 'eks/logs/log-group');
    assert.equal(group.name, '/aws/eks/social-prod-eks/cluster');
    assert.equal(group.retention_in_days, 365);
    assert.match(group.kms_key_id, /aws_kms_key\.key_/);
    assert.ok(cluster.depends_on.includes(ref(prod, 'aws_cloudwatch_log_group', 'eks/logs/log-group')));
  });

  it('is protected from deletion in prod only', () => {
    assert.equal(cluster.deletion_protection, true);
    assert.equal(resourceAt(dev, 'aws_eks_cluster', 'eks/cluster').deletion_protection, false);
  });

  it('gives the cluster role the EKS cluster policy and use of the key, nothing else', () => {
    const trust = statementsOf(resourceAt(prod, 'aws_iam_role', 'eks/role/role').assume_role_policy);
    assert.deepEqual(trust[0].Principal, { Service: 'eks.amazonaws.com' });
    const attached = bodies(prod, 'aws_iam_role_policy_attachment').filter((a) => a.role.includes(ref(prod, 'aws_iam_role', 'eks/role/role')));
    assert.deepEqual(attached.map((a) => a.policy_arn), ['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy']);
    const [statement] = statementsOf(resourceAt(prod, 'aws_iam_role_policy', 'eks/role/policy').policy);
    assert.deepEqual(statement.Action, ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey']);
    assert.match(statement.Resource, /^\$\{aws_kms_key\.key_[A-F0-9]+\.arn\}$/);
  });

  it('gives admin roles cluster admin and read-only roles the view policy, cluster-wide', () => {
    const admin = resourceAt(prod, 'aws_eks_access_policy_association', 'eks/admin-0-policy');
    assert.equal(admin.policy_arn, 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
    assert.deepEqual(admin.access_scope, { type: 'cluster' });
    assert.equal(resourceAt(prod, 'aws_eks_access_entry', 'eks/admin-0-entry').principal_arn, 'arn:aws:iam::333333333333:role/platform-admin');
    const view = resourceAt(prod, 'aws_eks_access_policy_association', 'eks/read-only-0-policy');
    assert.equal(view.policy_arn, 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy');
    assert.equal(resourceAt(prod, 'aws_eks_access_entry', 'eks/read-only-0-entry').principal_arn, 'arn:aws:iam::333333333333:role/platform-oncall');
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
    assert.deepEqual(rules('aws_vpc_security_group_egress_rule', clusterSg), ['tcp:10250-10250:nodes', 'tcp:443-443:nodes', 'tcp:9443-9443:nodes']);
  });

  it('lets nodes talk to each other, take control-plane calls and reach HTTPS', () => {
    assert.deepEqual(rules('aws_vpc_security_group_ingress_rule', nodeSg), ['-1:*-*:nodes', 'tcp:10250-10250:cluster', 'tcp:443-443:cluster', 'tcp:9443-9443:cluster']);
    assert.deepEqual(rules('aws_vpc_security_group_egress_rule', nodeSg), ['-1:*-*:nodes', 'tcp:443-443:0.0.0.0/0']);
  });

  it('lets workloads out only towards the data subnets; the data layer admits them by group', () => {
    const storePorts = prodConfig.networkPlan.subnetCidrs.data.flatMap((cidr) => [443, 5432, 6379].map((port) => `tcp:${port}-${port}:${cidr}`));
    assert.deepEqual(rules('aws_vpc_security_group_egress_rule', workloadSg), storePorts.sort());
    assert.deepEqual(rules('aws_vpc_security_group_ingress_rule', workloadSg), []);
    assert.deepEqual(resourceAt(prod, 'aws_security_group', 'workload-sg').ingress, undefined);
  });

  it('admits configured networks to the private endpoint', () => {
    const config = configWith('dev', (r) => (r.environment.platform.privateEndpointSourceCidrs = ['10.99.0.0/16']));
    const doc = stack(synthesize([config]), 'dev-platform');
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
    const subnets = subnetIds.map((id: string) => `arn:aws:ec2:eu-west-1:333333333333:subnet/${id}`);
    const interfaces = 'arn:aws:ec2:eu-west-1:333333333333:network-interface/*';
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
    assert.deepEqual(egress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4]), [['tcp', 443, 443, '0.0.0.0/0']]);
    assert.deepEqual(bodies(prod, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === group), []);
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
    assert.ok(admitted.includes(`arn:aws:logs:eu-west-1:333333333333:log-group:${names.logGroupName}`));
  });

  it('publishes the label prefix jobs name, identically as output and SSM parameter', () => {
    for (const env of environments) {
      const doc = stack(exampleStacks(), `${env.name}-platform`);
      const expected = runnerLabelPrefix(namesOf(env).projectName);
      assert.equal(doc.output?.ci_runner_label_prefix.value, expected);
      const parameter = bodies(doc, 'aws_ssm_parameter').find((p) => p.name === `/social/${env.name}/ci_runner_label_prefix`);
      assert.equal(parameter.value, expected);
    }
  });
});

describe('platform layer: nodes', () => {
  const system = resourceAt(prod, 'aws_eks_node_group', 'nodes-system/node-group');
  const workload = resourceAt(prod, 'aws_eks_node_group', 'nodes-workload/node-group');

  it('has a tainted, labelled system group and a workload group with sizes from config', () => {
    assert.deepEqual(system.taint, [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }]);
    assert.deepEqual(system.labels, { role: 'system' });
    assert.deepEqual(system.scaling_config, { min_size: 3, desired_size: 3, max_size: 6 });
    assert.equal(workload.taint, undefined);
    assert.deepEqual(workload.scaling_config, { min_size: 3, desired_size: 6, max_size: 24 });
    assert.deepEqual(workload.instance_types, ['m7g.2xlarge', 'm6g.2xlarge']);
    assert.deepEqual(workload.update_config, { max_unavailable: 1 });
  });

  it('spreads both groups over the private subnets of every zone with the configured AMI', () => {
    for (const group of [system, workload]) {
      assert.equal(group.subnet_ids.length, 3);
      assert.equal(group.ami_type, 'AL2023_ARM_64_STANDARD');
      assert.equal(group.version, '1.35');
      assert.equal(group.remote_access, undefined);
      assert.equal(group.disk_size, undefined);
    }
  });

  it('maps Bottlerocket on x86 to its AMI type and encrypts both of its volumes', () => {
    const config = configWith('dev', (r) => {
      const p = r.environment.platform;
      p.amiType = 'BOTTLEROCKET';
      p.architecture = 'x86_64';
      p.nodeGroups.system.instanceTypes = ['m7i.large'];
      p.nodeGroups.workload.instanceTypes = ['m7i.large'];
    });
    const doc = stack(synthesize([config]), 'dev-platform');
    assert.equal(resourceAt(doc, 'aws_eks_node_group', 'nodes-workload/node-group').ami_type, 'BOTTLEROCKET_x86_64');
    const devices = resourceAt(doc, 'aws_launch_template', 'nodes-workload/launch-template').block_device_mappings;
    assert.deepEqual(devices.map((d: any) => [d.device_name, d.ebs.encrypted]), [['/dev/xvda', 'true'], ['/dev/xvdb', 'true']]);
  });

  it('launch templates require IMDSv2 with hop limit 1, encrypt gp3 root volumes with the key, have no SSH key', () => {
    for (const group of ['system', 'workload']) {
      const template = resourceAt(prod, 'aws_launch_template', `nodes-${group}/launch-template`);
      assert.deepEqual(template.metadata_options, { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled' });
      const [root] = template.block_device_mappings;
      assert.equal(root.device_name, '/dev/xvda');
      assert.deepEqual({ ...root.ebs, kms_key_id: undefined }, { volume_size: 50, volume_type: 'gp3', encrypted: 'true', kms_key_id: undefined, delete_on_termination: 'true' });
      assert.match(root.ebs.kms_key_id, /aws_kms_key\.key_/);
      assert.equal(template.key_name, undefined);
      assert.equal(template.image_id, undefined);
    }
  });

  it('puts only workload nodes in the workload security group', () => {
    const groupsOf = (name: string) => resourceAt(prod, 'aws_launch_template', `nodes-${name}/launch-template`).vpc_security_group_ids.map((id: string) => id.replace(/(_[A-F0-9]{8})?\.id\}$/, '').replace('${aws_security_group.', ''));
    assert.deepEqual(groupsOf('system'), ['eks_node-sg']);
    assert.deepEqual(groupsOf('workload'), ['eks_node-sg', 'workload-sg']);
  });

  it('gives the node role only the worker and image-pull policies (no CNI policy)', () => {
    const role = ref(prod, 'aws_iam_role', 'node-role/role');
    const attached = bodies(prod, 'aws_iam_role_policy_attachment').filter((a) => a.role.includes(role)).map((a) => a.policy_arn).sort();
    assert.deepEqual(attached, ['arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly', 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy']);
    assert.ok(!bodies(prod, 'aws_iam_role_policy').some((p) => p.role.includes(role)));
  });

  it('lets the Auto Scaling service-linked role use the key for node volumes', () => {
    const statements = statementsOf(resourceAt(prod, 'aws_kms_key', 'key/key').policy);
    const asg = statements.filter((s: any) => s.Principal?.AWS === 'arn:aws:iam::333333333333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling');
    assert.deepEqual(asg.map((s: any) => s.Action).flat().sort(), ['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']);
    assert.deepEqual(asg.find((s: any) => s.Action === 'kms:CreateGrant').Condition, { Bool: { 'kms:GrantIsForAWSResource': true } });
    assert.ok(statements.some((s: any) => s.Sid === 'AllowCloudWatchLogs'));
  });
});

describe('platform layer: add-ons', () => {
  const addon = (name: string) => bodies(prod, 'aws_eks_addon').find((a) => a.addon_name === name);
  const nodeGroups = [ref(prod, 'aws_eks_node_group', 'nodes-system/node-group'), ref(prod, 'aws_eks_node_group', 'nodes-workload/node-group')];

  it('installs the five add-ons at the pinned versions', () => {
    const versions = Object.fromEntries(bodies(prod, 'aws_eks_addon').map((a) => [a.addon_name, a.addon_version]));
    assert.deepEqual(versions, {
      'vpc-cni': 'v1.21.1-eksbuild.1',
      coredns: 'v1.12.4-eksbuild.1',
      'kube-proxy': 'v1.35.0-eksbuild.2',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.1',
      'aws-ebs-csi-driver': 'v1.53.0-eksbuild.1',
    });
  });

  it('creates the CNI, kube-proxy and pod identity agent before the nodes, CoreDNS and EBS CSI after', () => {
    for (const group of nodeGroups) {
      const dependsOn = resourcesOf(prod, 'aws_eks_node_group').find(([name]) => group.endsWith(name))![1].depends_on;
      for (const name of ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent']) {
        assert.ok(dependsOn.some((d: string) => d === ref(prod, 'aws_eks_addon', `addon-${name === 'eks-pod-identity-agent' ? 'pod-identity-agent' : name}/addon`)), `${group} waits for ${name}`);
      }
    }
    for (const name of ['coredns', 'aws-ebs-csi-driver']) for (const group of nodeGroups) assert.ok(addon(name).depends_on.includes(group), `${name} after ${group}`);
  });

  it('configures the CNI for network policies and prefix delegation, with its own pod identity', () => {
    const cni = addon('vpc-cni');
    assert.deepEqual(JSON.parse(cni.configuration_values), { enableNetworkPolicy: 'true', env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } });
    assert.equal(cni.pod_identity_association[0].service_account, 'aws-node');
    const trust = statementsOf(resourceAt(prod, 'aws_iam_role', 'addon-vpc-cni/identity/role').assume_role_policy)[0];
    assert.deepEqual(trust.Condition.StringEquals['aws:RequestTag/kubernetes-service-account'], 'aws-node');
    assert.equal(resourceAt(prod, 'aws_iam_role_policy_attachment', 'addon-vpc-cni/identity/managed-0').policy_arn, 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy');
  });

  it('pins CoreDNS and the EBS CSI controller to the system nodes', () => {
    const onSystem = { nodeSelector: { role: 'system' }, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' }] };
    assert.deepEqual(JSON.parse(addon('coredns').configuration_values), onSystem);
    assert.deepEqual(JSON.parse(addon('aws-ebs-csi-driver').configuration_values), { controller: onSystem });
  });

  it('gives the EBS CSI driver its own role with the managed policy and use of the key only', () => {
    assert.equal(addon('aws-ebs-csi-driver').pod_identity_association[0].service_account, 'ebs-csi-controller-sa');
    assert.equal(resourceAt(prod, 'aws_iam_role_policy_attachment', 'addon-ebs-csi-driver/identity/managed-0').policy_arn, 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy');
    const statements = statementsOf(resourceAt(prod, 'aws_iam_role_policy', 'addon-ebs-csi-driver/identity/policy').policy);
    assert.ok(statements.every((s: any) => /^\$\{aws_kms_key\.key_[A-F0-9]+\.arn\}$/.test(s.Resource)));
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
      assert.equal(role.name, `social-prod-svc-${service.name}`);
      const [trust] = statementsOf(role.assume_role_policy);
      assert.deepEqual(trust.Principal, { Service: 'pods.eks.amazonaws.com' });
      assert.deepEqual(trust.Action, ['sts:AssumeRole', 'sts:TagSession']);
      assert.deepEqual(trust.Condition.StringEquals, {
        'aws:SourceAccount': '333333333333',
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
    assert.deepEqual(repositories.map((r) => r.name).sort(), prodConfig.project.services.map((s) => `social-prod-${s.name}`).sort());
    for (const repository of repositories) {
      assert.equal(repository.image_tag_mutability, 'IMMUTABLE');
      assert.deepEqual(repository.image_scanning_configuration, { scan_on_push: true });
      assert.equal(repository.encryption_configuration[0].encryption_type, 'KMS');
      assert.match(repository.encryption_configuration[0].kms_key, /aws_kms_key\.key_/);
      assert.equal(repository.force_delete, false);
    }
    const policy = JSON.parse(resourceAt(prod, 'aws_ecr_lifecycle_policy', 'images-svc-feed/lifecycle').policy);
    assert.deepEqual(policy.rules.map((r: any) => r.selection), [
      { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
      { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 30 },
    ]);
  });

  for (const service of prodConfig.project.services.filter((s) => ['svc-feed', 'svc-admin', 'app-web'].includes(s.name))) {
    it(`${service.name}: deploy role trusted by its repository's configured refs only`, () => {
      const role = resourceAt(prod, 'aws_iam_role', `deploy-${service.name}/role/role`);
      assert.equal(role.name, `social-prod-deploy-${service.name}`);
      const [trust] = statementsOf(role.assume_role_policy);
      assert.deepEqual(trust.Principal, { Federated: 'arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com' });
      // Production: only jobs in the reviewed "prod" GitHub environment, never a bare branch.
      assert.deepEqual(trust.Condition.StringEquals['token.actions.githubusercontent.com:sub'], [`repo:example-social/${service.repository}:environment:prod`]);
    });

    it(`${service.name}: deploy role pushes to its repository, reads its contract, maps to its own Kubernetes group`, () => {
      const statements = statementsOf(resourceAt(prod, 'aws_iam_role_policy', `deploy-${service.name}/role/policy`).policy);
      const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
      assert.deepEqual(Object.keys(bySid).sort(), ['EcrLogin', 'FindCluster', 'PushOwnImages', 'ReadContract']);
      assert.equal(bySid.PushOwnImages.Resource, `\${${ref(prod, 'aws_ecr_repository', `images-${service.name}/repository`)}.arn}`);
      assert.ok(!bySid.PushOwnImages.Action.some((a: string) => /Delete|Policy|\*/.test(a)));
      assert.equal(bySid.EcrLogin.Action, 'ecr:GetAuthorizationToken');
      assert.equal(bySid.FindCluster.Resource, `\${${ref(prod, 'aws_eks_cluster', 'eks/cluster')}.arn}`);
      assert.deepEqual([bySid.ReadContract.Resource].flat().sort(), outputsFor(service).map((e) => `arn:aws:ssm:eu-west-1:333333333333:parameter/social/prod/${e.name}`).sort());
      // Its Kubernetes rights are the cluster layer's Role for this group (test/cluster), no EKS access policy.
      const entry = resourceAt(prod, 'aws_eks_access_entry', `eks/deploy-${service.name}-entry`);
      assert.equal(entry.type, 'STANDARD');
      assert.deepEqual(entry.kubernetes_groups, [`${prodConfig.project.project}:deploy-${service.name}`]);
      assert.equal(resourcesOf(prod, 'aws_eks_access_policy_association').filter(([, a]) => String(a.principal_arn).includes(`deploy-${service.name}_`)).length, 0);
    });
  }

  it('reads no contract output another service consumes alone', () => {
    const feed = statementsOf(resourceAt(prod, 'aws_iam_role_policy', 'deploy-svc-feed/role/policy').policy).find((s: any) => s.Sid === 'ReadContract');
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
    for (const name of ['ecr_repository_urls', 'service_role_arns', 'deploy_role_arns', 'service_namespaces']) assert.deepEqual(Object.keys(outputs[name].value).sort(), names, name);
    assert.equal(outputs.service_namespaces.value['svc-feed'], 'svc-feed');
    assert.match(outputs.ecr_repository_urls.value['svc-feed'], /aws_ecr_repository\.images-svc-feed_repository_[A-F0-9]+\.repository_url/);
  });
});
