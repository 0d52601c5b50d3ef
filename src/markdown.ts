/** Markdown escaping shared by the generated docs and the comments CI posts. */

/** A Markdown table cell: `|` escaped (GitHub splits a row on it, even inside a code span), on one line. */
export function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\r?\n\s*/g, ' ');
}

/** Markdown text safe in a GitHub comment: no HTML, one line. */
export function escapeText(text: string): string {
  return text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!).replace(/\r?\n/g, ' ');
}

/** escapeText for a table cell. */
export function escapeCell(text: string): string {
  return tableCell(escapeText(text));
}
