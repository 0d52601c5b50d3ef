import { IamPolicy } from '@cdktn/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { type IAspect, Token } from 'cdktn';
import { Construct, type IConstruct } from 'constructs';
import {
  auditRecordDenies,
  CLUSTER_ACCESS_ACTIONS,
  IAM_WRITE_ACTIONS,
  ORGANIZATION_ACTIONS,
  recoveryAndKeyDenies,
  type AuditRecord,
} from './guardrails';
import { managedPolicyDocument, type PolicyStatement } from './policy-document';
import { iamArn } from '../../naming';
import { invalidProp } from '../invalid-prop';

export interface PermissionsBoundaryProps {
  /** Policy name; the ARN other layers attach is derived from it. */
  readonly policyName: string;
  readonly accountId: string;
  /** ARN partition of the environment's region (`Naming.partition`). */
  readonly partition: string;
  /** The EKS cluster role: the one bounded role that may manage instance profiles and pass the node role. */
  readonly clusterRoleArn: string;
  /** The role of the cluster's nodes, which the cluster role passes to EC2 (EKS Auto Mode). */
  readonly nodeRoleArn: string;
  /**
   * The one role assumption a bounded role may make: the search role-mapping Job's role acting as the
   * OpenSearch master role (the security plugin API answers only to the master).
   */
  readonly roleAssumption: { readonly from: string; readonly to: string };
  /**
   * ARNs or ARN patterns covering the state bucket, its replica and their access-log buckets, whose history and logging
   * no bounded role may touch.
   */
  readonly stateBucketArns: readonly string[];
  /**
   * The account's audit trail and its log bucket, which no bounded role may stop, narrow or rewrite.
   * @default - none: the organization's trail records the account, and is not this account's to change
   */
  readonly audit?: AuditRecord;
}

/**
 * The managed policy every role of the upper layers carries as its permissions boundary: a ceiling
 * that allows what the role's own policies allow, minus every IAM write, role assumption, cluster
 * access change, destruction of recovery data, key administration and change to the audit trail. It
 * also caps any role the CI apply role creates (it may create roles only with this boundary), so an
 * inline `Allow *` on such a role reaches none of these.
 */
export class PermissionsBoundary extends Construct {
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    this.policy = new IamPolicy(this, 'policy', {
      name: props.policyName,
      description: 'Permissions boundary of every platform role: no IAM writes, role assumption, cluster access or recovery-data changes',
      policy: managedPolicyDocument(`PermissionsBoundary ${props.policyName}`, 'policy', boundaryStatements(props)),
    });
  }
}

function boundaryStatements(props: Omit<PermissionsBoundaryProps, 'policyName'>): PolicyStatement[] {
  const notTheClusterRole = { ArnNotEquals: { 'aws:PrincipalArn': props.clusterRoleArn } };
  // What EKS Auto Mode's cluster role writes in IAM: the nodes' instance profiles, which AWS names eks*,
  // and the EC2 Spot service-linked role (AmazonEKSComputePolicy v3,
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEKSComputePolicy.html), and the
  // Elastic Load Balancing one (AmazonEKSLoadBalancingPolicy v4, .../AmazonEKSLoadBalancingPolicy.html).
  const autoModeIamResources = [
    'instance-profile/eks*',
    'role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot',
    'role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing',
  ].map((resource) => iamArn(props.partition, props.accountId, resource));
  return [
    // A boundary grants nothing by itself; this only sets the ceiling for the roles' own policies.
    { sid: 'Ceiling', actions: ['*'], resources: ['*'] },
    { sid: 'NoIamWrites', effect: 'Deny', actions: IAM_WRITE_ACTIONS, notResources: autoModeIamResources },
    // Those two are open to the cluster role only.
    {
      sid: 'NoAutoModeIamWritesButClusterRole',
      effect: 'Deny',
      actions: IAM_WRITE_ACTIONS,
      resources: autoModeIamResources,
      conditions: notTheClusterRole,
    },
    // ... and passes the node role to the EC2 instances it launches. These three denies leave exactly that
    // one pass open: by the cluster role (aws:PrincipalArn), of the node role, to ec2.amazonaws.com
    // (iam:PassedToService, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html).
    { sid: 'NoPassRoleButClusterRole', effect: 'Deny', actions: ['iam:PassRole'], resources: ['*'], conditions: notTheClusterRole },
    { sid: 'NoPassRoleButNodeRole', effect: 'Deny', actions: ['iam:PassRole'], notResources: [props.nodeRoleArn] },
    {
      sid: 'NoPassRoleButToEc2',
      effect: 'Deny',
      actions: ['iam:PassRole'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    },
    // No workload assumes another role (pods get theirs from EKS Pod Identity, services from their
    // principal), but for the one pair: these two denies leave open only `from` assuming `to`.
    {
      sid: 'NoRoleAssumptionButMappingJob',
      effect: 'Deny',
      actions: ['sts:AssumeRole'],
      resources: ['*'],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.roleAssumption.from } },
    },
    { sid: 'NoRoleAssumptionButSearchMaster', effect: 'Deny', actions: ['sts:AssumeRole'], notResources: [props.roleAssumption.to] },
    { sid: 'NoClusterAccessChanges', effect: 'Deny', actions: CLUSTER_ACCESS_ACTIONS, resources: ['*'] },
    ...recoveryAndKeyDenies(props.stateBucketArns),
    ...(props.audit ? auditRecordDenies(props.audit) : []),
    { sid: 'NoOrganizationChanges', effect: 'Deny', actions: ORGANIZATION_ACTIONS, resources: ['*'] },
  ];
}

/**
 * Sets the permissions boundary on every IAM role in the scope it is added to. The ARN must be a literal (Naming
 * builds it), never a reference to the bootstrap layer's policy: cdktn 0.24 runs aspects after it has prepared
 * every stack, which is when it turns a reference to another stack into an output and a remote-state lookup, so a
 * reference set here would reach Terraform as an address of a resource in another state.
 */
export class PermissionsBoundaryAspect implements IAspect {
  constructor(private readonly boundaryArn: string) {
    if (Token.isUnresolved(boundaryArn)) invalidProp('PermissionsBoundaryAspect', 'boundaryArn', 'a literal ARN, not a token', boundaryArn);
  }

  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.permissionsBoundary = this.boundaryArn;
  }
}
