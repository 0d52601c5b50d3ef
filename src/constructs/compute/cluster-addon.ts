import { EKS_ADDON_VERSION, EKS_ADDON_VERSION_EXAMPLE } from '../../config/schema/platform';
import { EksAddon } from '@cdktn/provider-aws/lib/eks-addon';
import type { ITerraformDependable } from 'cdktn';
import { Construct } from 'constructs';
import { invalidProp } from '../invalid-prop';

export interface ClusterAddonProps {
  readonly clusterName: string;
  /** EKS add-on name, e.g. "metrics-server". */
  readonly addonName: string;
  /** Exact build, pinned so an upgrade is a reviewed change. */
  readonly addonVersion: string;
  /**
   * Add-on configuration (the add-on's JSON schema), rendered as `configuration_values`.
   * @default - the add-on's defaults
   */
  readonly configuration?: Readonly<Record<string, unknown>>;
  /**
   * EKS Pod Identity associations EKS creates with the add-on, so its pods start with their role.
   * @default - none: the add-on needs no AWS permissions
   */
  readonly podIdentityAssociations?: readonly { readonly serviceAccount: string; readonly roleArn: string }[];
  /**
   * Resources the add-on waits for (nodes, for add-ons that run a Deployment).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** An EKS add-on at a pinned version; EKS owns its objects, so conflicting fields are overwritten. */
export class ClusterAddon extends Construct {
  readonly addon: EksAddon;

  constructor(scope: Construct, id: string, props: ClusterAddonProps) {
    super(scope, id);
    if (!EKS_ADDON_VERSION.test(props.addonVersion)) {
      invalidProp(`ClusterAddon ${props.addonName}`, 'addonVersion', EKS_ADDON_VERSION_EXAMPLE, props.addonVersion);
    }
    this.addon = new EksAddon(this, 'addon', {
      clusterName: props.clusterName,
      addonName: props.addonName,
      addonVersion: props.addonVersion,
      configurationValues: props.configuration ? JSON.stringify(props.configuration) : undefined,
      podIdentityAssociation: props.podIdentityAssociations?.map((association) => ({ ...association })),
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      dependsOn: props.dependsOn,
    });
  }
}
