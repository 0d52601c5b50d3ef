// Risk acceptances that travel in the synthesized JSON. A stack records a reviewed config decision
// (e.g. `data.postgres.singleAzRiskAcceptance`) in the `//` comment of the resource it concerns:
//
//   "//": { "riskAcceptances": { "RDS_002": { "reason": "...", "acceptedBy": "...", "expires": "2026-12-31" } } }
//
// The engine then reports that rule's findings on that resource as accepted (suppressed, with reason,
// owner and expiry) instead of failing, so the acceptance is visible in every report and lapses on
// its own. An expired or incomplete acceptance is ignored and the finding fails again.
import { isObject, type TerraformJson } from '../terraform-json';
import { MIN_REASON_LENGTH, type Suppression } from './suppressions';

export const RISK_ACCEPTANCES_KEY = 'riskAcceptances';

/** The acceptance of `rule` recorded on the resource at `address`, as a suppression; undefined if none applies. */
export function riskAcceptanceFor(
  doc: TerraformJson,
  file: string,
  rule: string,
  address: string,
  today: string = new Date().toISOString().slice(0, 10),
): Suppression | undefined {
  const parts = address.split('.');
  const [section, type, name] = parts[0] === 'data' ? ['data', parts[1], parts[2]] : ['resource', parts[0], parts[1]];
  if (type === undefined || name === undefined) return undefined;
  const byType = doc[section] as Record<string, Record<string, unknown>> | undefined;
  const body = byType?.[type]?.[name];
  const comment = isObject(body) ? body['//'] : undefined;
  const acceptances = isObject(comment) ? comment[RISK_ACCEPTANCES_KEY] : undefined;
  const acceptance = isObject(acceptances) ? acceptances[rule] : undefined;
  if (!isObject(acceptance)) return undefined;
  const { reason, acceptedBy, expires } = acceptance;
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH || typeof acceptedBy !== 'string' || acceptedBy.trim() === '')
    return undefined;
  if (typeof expires !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(expires) || expires < today) return undefined;
  return { rule, address, reason: `risk accepted by ${acceptedBy}: ${reason}`, expires, source: `${file} ${address} (risk acceptance)` };
}
