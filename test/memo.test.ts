import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoized } from '../src/memo';

describe('memoized', () => {
  it('computes once per key, and not at all for a key that failed', () => {
    const calls: string[] = [];
    const length = memoized((text: string) => {
      calls.push(text);
      if (text === 'bad') throw new Error('bad input');
      return text.length;
    });
    assert.equal(length('abc'), 3);
    assert.equal(length('abc'), 3);
    assert.equal(length('de'), 2);
    assert.throws(() => length('bad'), /bad input/);
    assert.throws(() => length('bad'), /bad input/, 'a failure is not kept: the next call tries again');
    assert.deepEqual(calls, ['abc', 'de', 'bad', 'bad']);
  });
});
