// Bounds checked where request and policy times are read, before any arithmetic: a UTC offset no
// clock uses (+25:00, +00:60), and durations so long that the instants they give overflow.
import { DAY } from '../schedule/time.ts';
import { quoteValue } from './visible-text.ts';

/** UTC offsets in use run from -12:00 (Baker Island) to +14:00 (Kiribati). */
const MIN_OFFSET_MINUTES = -12 * 60;
const MAX_OFFSET_MINUTES = 14 * 60;
const OFFSET = /\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?([+-])(\d{2})(?::?(\d{2}))?$/;

/** The longest a request may last: a year (a leap year's 366 days). */
export const MAX_REQUEST_DURATION_MS = 366 * DAY;
/** The longest duration a policy may give (horizon, notice, keep_after_end...): ten years. */
export const MAX_POLICY_DURATION_MS = 3653 * DAY;

/**
 * A sentence (after "`field` ...") when a date-time's offset is not one a clock can show: hours
 * over 14 east or 12 west, or minutes over 59. Undefined when there is no offset or it is usable.
 */
export function offsetProblem(text: string): string | undefined {
  const match = OFFSET.exec(text.trim());
  if (!match) return undefined;
  const [, sign, hours, minutes = '00'] = match;
  const total = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  if (Number(minutes) <= 59 && total >= MIN_OFFSET_MINUTES && total <= MAX_OFFSET_MINUTES) return undefined;
  const written = `${sign}${hours}${match[3] === undefined ? '' : `:${minutes}`}`;
  return `${quoteValue(text)} has the UTC offset ${written}, which no clock shows: offsets run from -12:00 to +14:00 with minutes 00-59; write one such as +01:00`;
}

/** "366 days (8784h)" and the like, for messages. */
function describeMaximum(ms: number): string {
  return `${ms / DAY} days (${ms / 3_600_000}h)`;
}

/** A sentence when a request's duration is over the maximum (or not a finite number). */
export function requestDurationProblem(text: string, ms: number): string | undefined {
  if (Number.isFinite(ms) && ms <= MAX_REQUEST_DURATION_MS) return undefined;
  return `\`duration\` ${quoteValue(text)} is longer than the maximum of ${describeMaximum(MAX_REQUEST_DURATION_MS)}: split the work, or check the number`;
}

/** A sentence when a policy duration is over the maximum (or not a finite number). */
export function policyDurationProblem(text: string, ms: number): string | undefined {
  if (Number.isFinite(ms) && ms <= MAX_POLICY_DURATION_MS) return undefined;
  return `${quoteValue(text)} is longer than the maximum of ${describeMaximum(MAX_POLICY_DURATION_MS)} (P${MAX_POLICY_DURATION_MS / DAY}D)`;
}
