import { SsmParameter } from '@cdktn/provider-aws/lib/ssm-parameter';
import { Fn, TerraformOutput } from 'cdktn';
import { Construct } from 'constructs';
import type { Layer } from '../layers';
import { contractEntry } from './catalog';

export interface ContractOutputProps {
  /** The layer of the stack the output is created in; must match the contract entry's layer. */
  readonly layer: Layer;
  /** SSM path the value is published under, from `Naming.parameterPath(name)`. */
  readonly parameterName: string;
  /** A string, number, list or map; lists and maps are published to SSM as JSON. */
  readonly value: unknown;
}

/**
 * Publishes one contract output: a Terraform output with a stable id (no construct-path hash, so
 * refactoring never renames it) and the same value in SSM Parameter Store, where consumer pipelines
 * read it with their deploy role instead of reading state.
 */
export class ContractOutput extends Construct {
  readonly output: TerraformOutput;
  readonly parameter: SsmParameter;

  constructor(scope: Construct, name: string, props: ContractOutputProps) {
    super(scope, `contract-${name}`);
    const entry = contractEntry(name);
    if (entry.layer !== props.layer) {
      throw new Error(`contract output "${name}" belongs to the ${entry.layer} layer, not ${props.layer} (src/contract/catalog.ts)`);
    }
    // staticId makes the construct id (the contract name) the Terraform output name.
    this.output = new TerraformOutput(this, name, { value: props.value, description: entry.description, sensitive: entry.sensitive, staticId: true });
    const structured = entry.type === 'list(string)' || entry.type === 'map(string)';
    this.parameter = new SsmParameter(this, 'parameter', {
      name: props.parameterName,
      description: entry.description,
      // SecureString only for sensitive entries; every v1 entry is a plain identifier or ARN.
      type: entry.sensitive ? 'SecureString' : 'String',
      value: structured ? Fn.jsonencode(props.value) : typeof props.value === 'number' ? Fn.tostring(props.value) : (props.value as string),
      tier: 'Standard',
      tags: { ContractOutput: name, ContractSince: entry.since },
    });
  }
}
