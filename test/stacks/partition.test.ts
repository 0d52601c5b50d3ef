import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAYERS } from '../../src/layers';
import { configOfTier, synthesize } from '../support/synth';

/** Production (recovery account, readers, break-glass roles) moved to GovCloud, its role ARNs with it. */
const govCloud = configOfTier('production', (raw) => {
  raw.environment = JSON.parse(JSON.stringify(raw.environment).replaceAll('arn:aws:', 'arn:aws-us-gov:'));
  raw.environment.region = 'us-gov-west-1';
  raw.environment.recovery.region = 'us-gov-east-1';
});

describe('an environment outside the aws partition', () => {
  const stacks = synthesize([govCloud]);

  for (const layer of LAYERS) {
    const name = `${govCloud.name}-${layer}`;
    it(`${name}: every ARN is in aws-us-gov`, () => {
      const text = JSON.stringify(stacks.get(name));
      assert.match(text, /arn:aws-us-gov:/);
      assert.deepEqual(
        [...text.matchAll(/arn:aws:[^"]{0,80}/g)].map((match) => match[0]),
        [],
      );
    });
  }
});
