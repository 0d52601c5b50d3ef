// node:test reporter used by scripts/run-tests.mjs: one JSON line per top-level test, with its file and
// duration, from which the next run balances its processes, and a last line with the shard's totals (tests
// without suites, as the TAP reporter counts them). One reporter for both keeps node's reporter streams few.
export default async function* timings(source) {
  const totals = { tests: 0, pass: 0, fail: 0, skipped: 0, todo: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.nesting === 0 && data.file) yield `${JSON.stringify({ file: data.file, ms: data.details.duration_ms })}\n`;
    if (data.details.type === 'suite') continue;
    totals.tests++;
    if (data.skip !== undefined) totals.skipped++;
    else if (data.todo !== undefined) totals.todo++;
    else totals[event.type === 'test:pass' ? 'pass' : 'fail']++;
  }
  yield `${JSON.stringify({ totals })}\n`;
}
