import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeCell, escapeText, tableCell } from '../src/markdown';

describe('Markdown escaping', () => {
  it('keeps a table cell to one cell and one line', () => {
    assert.equal(tableCell('a | b\n  c'), 'a \\| b c');
    assert.equal(tableCell('`x|y`'), '`x\\|y`', 'GitHub splits a row on a pipe even inside a code span');
  });

  it('keeps HTML out of comment text, on one line', () => {
    assert.equal(escapeText('<b>&</b>\r\nnext'), '&lt;b&gt;&amp;&lt;/b&gt; next');
  });

  it('escapes a comment cell both ways', () => {
    assert.equal(escapeCell('<i>a</i> | b\nc'), '&lt;i&gt;a&lt;/i&gt; \\| b c');
  });
});
