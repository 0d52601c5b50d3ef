import { EksAddon } from '@cdktn/provider-aws/lib/eks-addon';
import type { ITerraformDependable } from 'cdktn';
import { Construct } from 'constructs';
import { PodIdentityRole } from '../security/pod-identity-role';
import type { PolicyStatement } from '../security/policy-document';

export interface AddonPodIdentity {
  /** Service account of the add-on in kube-system. */
  readonly serviceAccount: string;
  readonly roleName: string;
  readonly accountId: string;
  /** AWS-managed policies AWS maintains for the add-on. */
  readonly managedPolicyArns: readonly string[];
  /**
   * Further statements, e.g. use of a customer-managed key.
   * @default - none
   */
  readonly statements?: readonly PolicyStatement[];
}

export interface ClusterAddonProps {
  readonly clusterName: string;
  /** EKS add-on name, e.g. "vpc-cni". */
  readonly addonName: string;
  /** Exact build, pinned so an upgrade is a reviewed change. */
  readonly addonVersion: string;
  /**
   * Add-on configuration (the add-on's JSON schema), rendered as `configuration_values`.
   * @default - the add-on's defaults
   */
  readonly configuration?: Readonly<Record<string, unknown>>;
  /**
   * An IAM role for the add-on's service account through Pod Identity.
   * @default - none: the add-on calls no AWS API
   */
  readonly podIdentity?: AddonPodIdentity;
  /**
   * Resources the add-on waits for (nodes, for add-ons that run a Deployment).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** An EKS managed add-on at a pinned version, with its own Pod Identity role when it calls AWS. */
export class ClusterAddon extends Construct {
  readonly addon: EksAddon;
  readonly role?: PodIdentityRole;

  constructor(scope: Construct, id: string, props: ClusterAddonProps) {
    super(scope, id);
    if (!/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(props.addonVersion)) {
      throw new Error(`ClusterAddon ${props.addonName}: addonVersion must be an exact build such as "v1.21.1-eksbuild.1" (got "${props.addonVersion}")`);
    }
    const identity = props.podIdentity;
    const dependsOn = [...(props.dependsOn ?? [])];
    if (identity) {
      this.role = new PodIdentityRole(this, 'identity', {
        roleName: identity.roleName,
        description: `Pod Identity of the EKS add-on ${props.addonName} (kube-system/${identity.serviceAccount})`,
        accountId: identity.accountId,
        clusterName: props.clusterName,
        namespace: 'kube-system',
        serviceAccount: identity.serviceAccount,
        managedPolicyArns: identity.managedPolicyArns,
        statements: identity.statements,
      });
      dependsOn.push(...this.role.grants);
    }
    this.addon = new EksAddon(this, 'addon', {
      clusterName: props.clusterName,
      addonName: props.addonName,
      addonVersion: props.addonVersion,
      configurationValues: props.configuration ? JSON.stringify(props.configuration) : undefined,
      // Nothing else manages these components; a conflicting field is ours to set.
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      podIdentityAssociation: identity && this.role ? [{ roleArn: this.role.arn, serviceAccount: identity.serviceAccount }] : undefined,
      dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
    });
  }
}
