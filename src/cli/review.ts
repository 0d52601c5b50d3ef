import { writeFileSync } from 'node:fs';
import { datedTables, renderReview } from '../delivery/review';
import { parseCommandArgs } from './args';
import { runMain } from './entry';

const USAGE = `usage: npm run review -- [--today yyyy-mm-dd] [--output <file>]
  which hand-kept tables (EKS versions, prices) are due for a review against their sources
  --today   the date to judge by (default: today)
  --output  also write the Markdown report here
exit status: 0 nothing is due, 1 something is due (the scheduled maintenance workflow opens an issue), 2 bad input`;

export function main(argv: readonly string[]): number {
  const args = parseCommandArgs('review', argv, { values: ['today', 'output'], flags: [] }, USAGE);
  if (typeof args === 'number') return args;
  const given = args.values.get('today')?.at(-1);
  if (given !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(given)) {
    console.error(`review: --today must be yyyy-mm-dd, got ${JSON.stringify(given)}`);
    return 2;
  }
  const today = given ? new Date(`${given}T00:00:00Z`) : new Date();
  const tables = datedTables(today);
  const report = renderReview(tables, today);
  console.log(report);
  const output = args.values.get('output')?.at(-1);
  if (output) writeFileSync(output, report);
  return tables.some((table) => table.due) ? 1 : 0;
}

if (require.main === module) runMain(main);
