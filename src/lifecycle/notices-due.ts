// Which notice each lifecycle action sends, and what it says, rebuilt from the recorded state (so a
// later tick can post a notice an earlier one owed).
import type { MaintenanceRequest } from '../model/types.ts';
import type { NoticeKind } from '../notices/kinds.ts';
import type { NoticeDetails } from '../notices/view.ts';
import { actualTimes } from './apply.ts';
import type { ActionName, OccurrenceState } from './state.ts';

/** Which notice an action sends (undefined: none). */
export function noticeOf(action: ActionName, request: MaintenanceRequest): NoticeKind | undefined {
  if (action === 'announce') return request.type === 'emergency' ? 'emergency' : 'announcement';
  if (action.startsWith('remind:')) return 'reminder';
  const kinds: Partial<Record<ActionName, NoticeKind>> = {
    start: 'start',
    complete: 'completion',
    rollback: 'rollback',
    fail: 'completion-with-issues',
    miss: 'missed',
    cancel: 'cancellation',
  };
  return kinds[action];
}

/** What a notice says, rebuilt from the recorded state (so a later tick can post an owed one). */
export function noticeDetails(action: ActionName, state: OccurrenceState | undefined): NoticeDetails {
  const note = state?.log?.findLast((entry) => entry.action === action)?.note;
  const times = state ? actualTimes(state) : {};
  if (action.startsWith('remind:')) return { offset: action.slice('remind:'.length) };
  switch (action) {
    case 'start':
      return times.start !== undefined ? { actualStart: times.start } : {};
    case 'complete':
    case 'rollback':
    case 'fail':
      return {
        ...(times.start !== undefined ? { actualStart: times.start } : {}),
        ...(times.end !== undefined ? { actualEnd: times.end } : {}),
        ...(note ? { reason: note } : {}),
        ...(action === 'fail' && note ? { issues: [note] } : {}),
      };
    case 'cancel':
    case 'miss':
      return { reason: note ?? '' };
    default:
      return {};
  }
}
