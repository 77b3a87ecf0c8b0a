// Rebuilds the lifecycle state from GitHub alone: the result issues that are open, or were closed
// recently (older ones belong to occurrences out of every tick's view), decoded from their markers.
// The number of calls does not grow with past maintenance.
import type { IssueInfo, IssueTracker } from '../github/port.ts';
import { decodeStateMarker } from '../lifecycle/marker.ts';
import { LOOK_BACK_MS } from '../lifecycle/select.ts';
import type { StateMap } from '../lifecycle/state.ts';
import { DAY } from '../schedule/time.ts';
import { RESULT_LABEL } from './result-issue.ts';

export interface KnownStates {
  states: StateMap;
  issues: Map<string, IssueInfo>;
  problems: string[];
}

export async function readStates(github: IssueTracker, now: number): Promise<KnownStates> {
  const since = new Date(now - LOOK_BACK_MS - 2 * DAY).toISOString();
  const [open, closed] = await Promise.all([
    github.openIssues(RESULT_LABEL),
    github.recentlyClosedIssues(RESULT_LABEL, since),
  ]);
  const states: StateMap = {};
  const issues = new Map<string, IssueInfo>();
  const problems: string[] = [];
  // Open issues last, so that for a key with two issues (a race, or a person reopening) the open one wins.
  for (const issue of [...closed, ...open]) {
    const marker = decodeStateMarker(issue.body);
    if (marker.kind === 'none') continue;
    if (marker.kind === 'invalid') {
      problems.push(`#${issue.number}: its state marker cannot be read (${marker.error}); it is left alone`);
      continue;
    }
    const previous = issues.get(marker.key);
    if (previous && previous.number !== issue.number && previous.state === 'open' && issue.state === 'open')
      problems.push(
        `#${previous.number} and #${issue.number} both track ${marker.key}; #${issue.number} is used`,
      );
    states[marker.key] = { ...marker.state, issue: issue.number };
    issues.set(marker.key, issue);
  }
  return { states, issues, problems };
}
