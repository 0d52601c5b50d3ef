// node:test reporter used by scripts/run-tests.mjs: one JSON line per top-level test, with its file and
// duration, from which the next run balances its processes.
export default async function* timings(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file)
      yield `${JSON.stringify({ file: event.data.file, ms: event.data.details.duration_ms })}\n`;
  }
}
