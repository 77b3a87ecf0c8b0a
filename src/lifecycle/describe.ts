// Planned actions in plain language, for `maint plan` and the result issue's log.
import { DAY, HOUR, MINUTE, formatBoth, formatDuration, parseIsoDuration } from '../schedule/time.ts';
import type { ActionName, PlannedAction } from './state.ts';

/** `1-day`, `14-day`, `1-hour`, `30-minute`: a reminder's lead as an adjective. */
export function leadAdjective(offset: string): string {
  const ms = parseIsoDuration(offset);
  if (ms === undefined) return offset;
  if (ms % DAY === 0) return `${ms / DAY}-day`;
  if (ms % HOUR === 0) return `${ms / HOUR}-hour`;
  if (ms % MINUTE === 0) return `${ms / MINUTE}-minute`;
  return formatDuration(ms);
}

/** What an action does: `send the 1-day reminder`. */
export function describeAction(action: ActionName): string {
  if (action.startsWith('skip:remind:')) return `skip the ${leadAdjective(action.slice(12))} reminder`;
  if (action.startsWith('skip:')) return `skip this: ${describeAction(action.slice(5) as ActionName)}`;
  if (action.startsWith('remind:')) return `send the ${leadAdjective(action.slice(7))} reminder`;
  if (action.startsWith('review-remind:'))
    return `remind the requester of the review still due (${leadAdjective(action.slice(14))} after the end)`;
  switch (action) {
    case 'announce':
      return 'announce it and open its result issue';
    case 'silence':
      return 'silence alerts for its services';
    case 'start':
      return 'start the work: pre-checks, then the steps';
    case 'miss':
      return 'record it as missed, tell the requester and close the issue as not planned';
    case 'cancel':
      return 'send the cancellation notice and close the issue';
    case 'unsilence':
      return 'lift the alert silence';
    case 'stop':
      return 'stop the work, roll back and report';
    case 'complete':
      return 'record it as completed';
    case 'fail':
      return 'record it as failed';
    case 'rollback':
      return 'record it as rolled back';
    case 'review':
      return 'post the review report';
    case 'reviewed':
      return 'record the review as done';
    default:
      return action;
  }
}

/**
 * One line per action: `weekly-api-rolling-update@2027-01-10T02:00: send the 1-day reminder (due
 * Saturday 9 January 2027, 02:00 UTC)`, with the note when there is one.
 */
export function describePlannedAction(action: PlannedAction, zone: string): string {
  const at = Date.parse(action.at);
  const when = Number.isNaN(at) ? action.at : formatBoth(at, zone);
  const why = action.note ? `; ${action.note}` : '';
  return `${action.id}: ${describeAction(action.action)} (due ${when}${why})`;
}
