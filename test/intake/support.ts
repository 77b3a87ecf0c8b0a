// Issue bodies as GitHub writes a submitted issue form: each field `### <label>`, a blank line, the
// answer; `_No response_` for an empty text field and `None` for an empty dropdown.
import type { FormField } from '../../src/intake/form.ts';

export function submittedBody(
  fields: readonly FormField[],
  answers: Record<string, string | undefined>,
): string {
  return fields
    .map((f) => {
      const answer = answers[f.id];
      const empty = f.kind === 'dropdown' ? 'None' : '_No response_';
      return `### ${f.label}\n\n${answer === undefined || answer === '' ? empty : answer}`;
    })
    .join('\n\n');
}

/** The answers of a valid request in the default policy (a Sunday window, far ahead). */
export const VALID_ANSWERS: Record<string, string> = {
  type: 'standard',
  category: 'database-migration',
  environment: 'production',
  services: 'orders-db, api',
  start: '2027-01-17T02:00',
  timezone: 'UTC',
  duration: '2h',
  impact: 'medium',
  impact_description: 'Orders cannot be placed for up to 2 hours',
  description: 'Upgrade PostgreSQL 15 to 16.\n\n1. Take a snapshot\n2. Run pg_upgrade',
  rollback: 'Restore the snapshot.',
  testing: 'Rehearsed on staging on 2027-01-10.',
};
