import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Lazy, Token } from 'cdktn';
import { terraformLiteral } from '../../src/constructs/terraform-literal';
import { exampleStacks } from '../support/synth';

/**
 * In Terraform's JSON syntax every string is a template: `${` not doubled starts an interpolation, `%{` a directive
 * (https://developer.hashicorp.com/terraform/language/expressions/strings). cdktn writes references as
 * `${<lowercase name or function>…}` or `${(…)}`; anything else, such as a shell's `${3:+…}` or curl's `%{http_code}`,
 * would fail every plan.
 */
const STRAY_INTERPOLATION = /(?<!\$)\$\{(?![a-z_(])/g;
const STRAY_DIRECTIVE = /(?<!%)%\{(?!~?\s*(?:if|for|else|endif|endfor)\b)/g;

function strays(text: string): string[] {
  return [...text.matchAll(STRAY_INTERPOLATION), ...text.matchAll(STRAY_DIRECTIVE)].map((m) => text.slice(m.index, m.index + 24));
}

describe('template sequences in synthesized strings', () => {
  it('the patterns find a shell expansion and a curl format, and pass references, functions and escapes', () => {
    assert.deepEqual(strays(`"--write-out '%{http_code}' \${3:+--data}"`).length, 2);
    assert.deepEqual(strays('"${aws_vpc.main.id} ${jsonencode(x)} ${(a ? b : c)} $${3:+x} %%{http_code} %{ if x }"'), []);
  });

  it('no stack of the example holds one', () => {
    for (const [name, doc] of exampleStacks())
      assert.deepEqual(
        strays(JSON.stringify(doc)),
        [],
        `${name}: pass literal text through terraformLiteral (src/constructs/terraform-literal.ts)`,
      );
  });

  it('terraformLiteral doubles both sequences, and refuses text holding a cdktn token', () => {
    assert.equal(terraformLiteral('Job', 'command', `'%{http_code}' \${1:-x}`), `'%%{http_code}' $\${1:-x}`);
    const token = Token.asString(Lazy.stringValue({ produce: () => 'x' }));
    assert.throws(
      () => terraformLiteral('Job', 'command', `echo ${token}`),
      /Job: command must be literal text, without Terraform references/,
    );
  });
});
