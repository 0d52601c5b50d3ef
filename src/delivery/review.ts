/**
 * Tables this repository keeps by hand, each with the date someone last checked it against its source,
 * and when it is due again. The scheduled maintenance workflow reports what is due in an issue; no build
 * ever fails for a date alone (a change unrelated to the table must not turn red on the day it expires).
 */

import { EKS_VERSIONS_REVIEW_DAYS, EKS_VERSIONS_REVIEWED_ON } from '../config/eks-versions';
import { PRICES_FILE, STALE_AFTER_MONTHS, isStale, readPriceTable } from '../preview/cost/prices';
import { DAY_MS } from '../time';

export interface DatedTable {
  readonly what: string;
  readonly file: string;
  /** yyyy-mm-dd of the last review (the oldest entry's, for a table whose entries are dated). */
  readonly reviewedOn: string;
  readonly due: boolean;
  /** What to do when it is due. */
  readonly how: string;
}

export function datedTables(today: Date, pricesFile = PRICES_FILE): DatedTable[] {
  const dueOn = new Date(Date.parse(`${EKS_VERSIONS_REVIEWED_ON}T00:00:00Z`) + EKS_VERSIONS_REVIEW_DAYS * DAY_MS);
  const prices = Object.values(readPriceTable(pricesFile).regions).flatMap((byKey) => Object.values(byKey).map((price) => price.checked));
  const oldestPrice = prices.sort()[0];
  return [
    {
      what: 'EKS Kubernetes version calendar',
      file: 'src/config/eks-versions.ts',
      reviewedOn: EKS_VERSIONS_REVIEWED_ON,
      due: today >= dueOn,
      how:
        'read the Amazon EKS Kubernetes release calendar again, update EKS_VERSIONS and EKS_VERSIONS_REVIEWED_ON ' +
        `(due every ${EKS_VERSIONS_REVIEW_DAYS} days)`,
    },
    {
      what: 'on-demand price table',
      file: pricesFile,
      reviewedOn: oldestPrice,
      due: oldestPrice !== undefined && isStale(oldestPrice, today),
      how: `re-read each price older than ${STALE_AFTER_MONTHS} months at its source and update it with its \`checked\` date`,
    },
  ];
}

export function renderReview(tables: readonly DatedTable[], today: Date): string {
  const due = tables.filter((table) => table.due);
  return [
    `Review of the dated tables on ${today.toISOString().slice(0, 10)}: ${due.length === 0 ? 'nothing is due' : `${due.length} due`}.`,
    '',
    '| table | file | last reviewed | due | what to do |',
    '| --- | --- | --- | --- | --- |',
    ...tables.map((table) => {
      const due = table.due ? ':warning: yes' : 'no';
      return `| ${table.what} | \`${table.file}\` | ${table.reviewedOn} | ${due} | ${table.how} |`;
    }),
    '',
  ].join('\n');
}
