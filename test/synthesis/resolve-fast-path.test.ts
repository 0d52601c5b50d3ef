import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { App, DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformStack, TerraformVariable, Token, Tokenization } from 'cdktn';
import { BEGIN_LIST_TOKEN_MARKER, BEGIN_MAP_TOKEN_MARKER, BEGIN_STRING_TOKEN_MARKER } from 'cdktn/lib/tokens/private/encoding';
import { buildApp } from '../../src/app';
import {
  installedCdktnVersion,
  RESOLVE_FAST_PATH_VARIABLE,
  useResolveFastPath,
  VERIFIED_CDKTN_VERSION,
} from '../../src/synthesis/resolve-fast-path';
import { LAYERS, stackName } from '../../src/layers';
import { exampleOutput, exampleOfTier } from '../support/synth';

const work = mkdtempSync(join(tmpdir(), 'platform-infra-resolve-'));
after(() => {
  rmSync(work, { recursive: true, force: true });
  useResolveFastPath();
});

/** Runs `use` with the fast path in place or with cdktn's resolve alone, and puts the default back. */
function resolvingWith<T>(fastPath: boolean, use: () => T): T {
  const saved = process.env[RESOLVE_FAST_PATH_VARIABLE];
  process.env[RESOLVE_FAST_PATH_VARIABLE] = fastPath ? '1' : '0';
  try {
    assert.equal(useResolveFastPath(), fastPath);
    return use();
  } finally {
    if (saved === undefined) delete process.env[RESOLVE_FAST_PATH_VARIABLE];
    else process.env[RESOLVE_FAST_PATH_VARIABLE] = saved;
    useResolveFastPath();
  }
}

function variable(stack: TerraformStack, type: string): TerraformVariable {
  return new TerraformVariable(stack, `v${stack.node.children.length}`, { type });
}

/** What each resolve makes of `value` (its result or its error message), in both of cdktn's passes. */
function bothWays(build: (stack: TerraformStack) => unknown): { fast: unknown; cdktn: unknown } {
  const stack = new TerraformStack(new App({ outdir: join(work, 'unused'), stackTraces: false }), 'tokens');
  const value = build(stack);
  const outcome = (preparing: boolean) => {
    try {
      return Tokenization.resolve(value, { scope: stack, preparing, resolver: new DefaultTokenResolver(new StringConcat()) });
    } catch (error) {
      return `throws: ${(error as Error).message}`;
    }
  };
  const run = () => [outcome(true), outcome(false)];
  return { fast: resolvingWith(true, run), cdktn: resolvingWith(false, run) };
}

describe('the resolve fast path (src/synthesis/resolve-fast-path.ts)', () => {
  it('is in place on the cdktn version it was checked against', () => {
    assert.equal(
      installedCdktnVersion(),
      VERIFIED_CDKTN_VERSION,
      `cdktn is now ${installedCdktnVersion()}: compare its lib/tokens/private/resolve.js with ${VERIFIED_CDKTN_VERSION}'s, ` +
        'adapt withFastPath to what changed, then set VERIFIED_CDKTN_VERSION',
    );
    // isPlainString looks for what the three token markers share.
    assert.equal(new Set([BEGIN_STRING_TOKEN_MARKER, BEGIN_LIST_TOKEN_MARKER, BEGIN_MAP_TOKEN_MARKER].map((m) => m.slice(1))).size, 1);
    assert.equal(useResolveFastPath({}), true);
    assert.equal(useResolveFastPath({ [RESOLVE_FAST_PATH_VARIABLE]: '0' }), false);
    assert.equal(useResolveFastPath({}), true);
  });

  it('stands in front of cdktn once, even when its module is loaded again (as the synth server does per request)', () => {
    const resolveModule = require('cdktn/lib/tokens/private/resolve') as { resolve: object };
    useResolveFastPath({});
    const installed = resolveModule.resolve;
    const compiled = require.resolve('../../src/synthesis/resolve-fast-path');
    const loaded = require.cache[compiled];
    delete require.cache[compiled];
    try {
      const again = require(compiled) as typeof import('../../src/synthesis/resolve-fast-path');
      assert.equal(again.useResolveFastPath({}), true);
      assert.equal(resolveModule.resolve, installed, 'the fast path in place is kept, not wrapped in another');
      assert.equal(again.useResolveFastPath({ [RESOLVE_FAST_PATH_VARIABLE]: '0' }), false);
      assert.notEqual(resolveModule.resolve, installed, "and taken away again, back to cdktn's own");
    } finally {
      require.cache[compiled] = loaded;
      useResolveFastPath({});
    }
  });

  it('resolves plain values and every kind of token as cdktn does', () => {
    const cases: Record<string, (stack: TerraformStack) => unknown> = {
      plain: () => ({ text: 'a', number: 3.5, yes: true, nothing: null, dropped: undefined, list: ['x', undefined, 2, [false]] }),
      strings: (stack) => {
        const name = variable(stack, 'string').stringValue;
        const encodedNumber = `${variable(stack, 'number').numberValue}`;
        return [name, `prefix-${name}-suffix`, `size=${encodedNumber}`, '${literal}', '%{ if x }', '1e+5', 'release 2e3 notes', 'e'];
      },
      numbers: (stack) => [variable(stack, 'number').numberValue, Token.asNumber(variable(stack, 'string').stringValue), 1e300, -0],
      lists: (stack) => {
        const name = variable(stack, 'string').stringValue;
        return [Token.asList(name), Fn.split(',', name), [Token.asString(Token.asList(name))], { nested: [Token.asList(name)] }];
      },
      maps: (stack) => {
        const tags = variable(stack, 'map(string)').value;
        return { direct: tags, strings: Token.asStringMap(tags), any: Token.asAnyMap(tags), numbers: Token.asNumberMap(tags) };
      },
      keys: (stack) => ({
        [variable(stack, 'string').stringValue]: 'value of a token key',
        lazy: Lazy.stringValue({ produce: () => 'lazy' }),
        lazyObject: Lazy.anyValue({ produce: () => ({ inner: ['x', undefined] }) }),
      }),
      // No token marker: Terraform expressions, JSON documents and unbalanced braces come back as they went in.
      expressions: () => ['${aws_vpc.main.id}', '${a ${b}}', 'a}b', '{"Version":"2012-10-17"}', { '${key}': ['${x}'], '{"k":1}': 'v' }],
      functions: (stack) => Fn.jsonencode({ a: [variable(stack, 'string').stringValue, 1], escaped: '${literal}' }),
      date: () => ({ at: new Date(0) }),
    };
    for (const [name, build] of Object.entries(cases)) {
      const { fast, cdktn } = bothWays(build);
      assert.deepEqual(fast, cdktn, name);
      assert.doesNotMatch(JSON.stringify(cdktn), /"throws: /, `${name} should resolve`);
    }
  });

  it('fails as cdktn does on values it cannot resolve', () => {
    let deep: unknown = 'bottom';
    for (let depth = 0; depth < 205; depth++) deep = { down: deep };
    for (const build of [
      () => deep,
      () => ({ f: () => 1 }),
      (stack: TerraformStack) => ({ construct: stack }),
      () => ({ map: Token.STRING_MAP_TOKEN_VALUE }),
      () => [Token.NUMBER_MAP_TOKEN_VALUE],
    ]) {
      const { fast, cdktn } = bothWays(build);
      assert.deepEqual(fast, cdktn);
      assert.match(String((cdktn as unknown[])[1]), /^throws: /);
    }
  });

  it('synthesizes an environment byte for byte as cdktn alone does', () => {
    assert.notEqual(
      process.env[RESOLVE_FAST_PATH_VARIABLE],
      '0',
      `the example is synthesized with the fast path only when ${RESOLVE_FAST_PATH_VARIABLE} is not 0`,
    );
    const prod = exampleOfTier('production');
    const withFastPath = join(exampleOutput(), 'stacks');
    const cdktnAlone = join(work, 'cdktn-alone');
    resolvingWith(false, () => buildApp([prod], { outdir: cdktnAlone }).synth());
    const stacks = readdirSync(join(cdktnAlone, 'stacks')).sort();
    assert.deepEqual(stacks, LAYERS.map((layer) => stackName(prod.name, layer)).sort());
    const text = (dir: string, name: string) => readFileSync(join(dir, name, 'cdk.tf.json'), 'utf8');
    for (const name of stacks)
      assert.ok(text(withFastPath, name) === text(join(cdktnAlone, 'stacks'), name), `${name} differs with the fast path`);
  });
});
