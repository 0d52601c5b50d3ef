import { SsmParameter } from '@cdktn/provider-aws/lib/ssm-parameter';
import { Fn, TerraformOutput, Token } from 'cdktn';
import { Construct } from 'constructs';
import type { Layer } from '../layers';
import { contractEntry, type ContractEntry } from './catalog';

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
    checkShape(entry, props.value);
    // staticId makes the construct id (the contract name) the Terraform output name.
    this.output = new TerraformOutput(this, name, {
      value: props.value,
      description: entry.description,
      sensitive: entry.sensitive,
      staticId: true,
    });
    const structured = entry.type === 'list(string)' || entry.type === 'map(string)';
    this.parameter = new SsmParameter(this, 'parameter', {
      name: props.parameterName,
      description: entry.description,
      // Pipelines read String parameters with ssm:GetParameters alone; a sensitive entry becomes a
      // SecureString under the aws/ssm key, whose key policy lets any reader allowed by IAM decrypt it.
      type: entry.sensitive ? 'SecureString' : 'String',
      // `value` (never `insecure_value`) keeps the value out of plan output; `overwrite` is deprecated
      // and unnecessary because Terraform owns these parameters from creation.
      value: structured ? Fn.jsonencode(props.value) : typeof props.value === 'number' ? Fn.tostring(props.value) : (props.value as string),
      // Standard is free and holds 4 KB; the largest values, per-service maps, take ~100 bytes a service
      // (a test keeps them under the limit for the configured services).
      tier: 'Standard',
      tags: { ContractOutput: name, ContractSince: entry.since },
    });
  }
}

/** Rejects, at synth time, a literal value whose shape does not match the entry's contract type. */
function checkShape(entry: ContractEntry, value: unknown): void {
  if (Token.isUnresolved(value) && !Array.isArray(value)) return;
  const shapes: Record<ContractEntry['type'], (v: unknown) => boolean> = {
    string: (v) => typeof v === 'string' && v !== '',
    number: (v) => typeof v === 'number',
    'list(string)': (v) => Array.isArray(v) && v.length > 0 && v.every((item) => typeof item === 'string'),
    // A map may be empty (no service has the thing it lists): its JSON text "{}" is still a valid SSM value.
    'map(string)': (v) =>
      typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((item) => typeof item === 'string'),
  };
  if (!shapes[entry.type](value)) {
    throw new Error(
      `contract output "${entry.name}" is ${entry.type} (src/contract/catalog.ts) but was given ${JSON.stringify(value)}; ` +
        `publish a ${entry.type === 'map(string)' ? '' : 'non-empty '}${entry.type} (SSM rejects empty values)`,
    );
  }
}
