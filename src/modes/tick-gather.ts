// The gather step of a tick: the recorded states (from the result issues), what the lifecycle says
// is due, and only the facts that what is due needs (lifecycle/effects.ts `factsWanted`): the
// provenance of work announced or due with new content, the execute runs of work in progress,
// outcomes people recorded, reviews people completed, and the pull request of a manual request being
// announced. A quiet tick reads the result issues and nothing more.
import type { IssueInfo, MaintenanceRepo } from '../github/port.ts';
import { actualTimes } from '../lifecycle/apply.ts';
import {
  factsWanted,
  type ExecutionFacts,
  type IssueSummary,
  type ManualOutcomeFact,
  type ProvenanceFact,
  type ReviewFact,
  type TickFacts,
} from '../lifecycle/effects.ts';
import { decodeExecutionLog, executionCommentMarker, type ExecutionLog } from '../lifecycle/execution-log.ts';
import { planTick, type PlanOccurrence } from '../lifecycle/plan.ts';
import { REVIEW_LABEL, countActionItems } from '../lifecycle/review.ts';
import type { OccurrenceState, PullRequestRecord } from '../lifecycle/state.ts';
import { hardLimit } from '../lifecycle/timeline.ts';
import { EXECUTE_WORKFLOW, executeRunName } from '../lifecycle/work.ts';
import { MINUTE, isoUtc } from '../schedule/time.ts';
import {
  outcomeAuthorities,
  outcomeFromComments,
  outcomeFromLabels,
  reviewedFromComments,
} from './maint-commands.ts';
import { establishProvenance, provenanceComment, pullRequestOfFile } from './provenance.ts';
import { noticeMarker } from './run-notices.ts';
import { readStates } from './run-state.ts';
import type { RunSettings } from './run.ts';

export interface Gathered {
  facts: TickFacts;
  issues: Map<string, IssueInfo>;
  problems: string[];
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function gatherTick(
  github: MaintenanceRepo,
  settings: RunSettings,
  now: number,
): Promise<Gathered> {
  const known = await readStates(github, now);
  const problems = [...known.problems];
  const plan = planTick({ requests: settings.files, states: known.states, policy: settings.policy, now });
  problems.push(...plan.problems.map((p) => `${p.file ?? p.id ?? ''}: ${p.message}`));
  const summaries = new Map<string, IssueSummary>(
    [...known.issues].map(([key, issue]) => [
      key,
      { labels: issue.labels, ...(issue.comments !== undefined ? { comments: issue.comments } : {}) },
    ]),
  );
  const wanted = factsWanted(plan, known.states, settings.blobs, summaries);
  const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      problems.push(`${what}: ${message(error)}`);
      return undefined;
    }
  };

  const provenance = new Map<string, ProvenanceFact>();
  for (const [id, occurrence] of wanted.provenance) {
    const blob = settings.blobs.get(id);
    if (blob === undefined) continue;
    const established = await attempt(`${occurrence.request.file}: establishing its provenance`, () =>
      establishProvenance(github, {
        file: occurrence.request.file,
        blob,
        head: settings.head,
        defaultBranch: settings.defaultRef,
        ref: settings.ref,
        checkName: settings.checkName,
        now,
      }),
    );
    if (established)
      provenance.set(id, {
        decision: established.decision,
        comment: provenanceComment(established, settings.checkName),
        ...(established.pullRequest ? { pullRequest: established.pullRequest } : {}),
      });
  }

  const pullRequests = new Map<string, PullRequestRecord>();
  for (const [id, occurrence] of wanted.pullRequests) {
    const pull = await attempt(`${occurrence.request.file}: reading its pull request`, () =>
      pullRequestOfFile(github, occurrence.request.file, settings.head, settings.defaultRef),
    );
    if (pull) pullRequests.set(id, pull);
  }

  const reviews = new Map<string, ReviewFact>();
  for (const occurrence of wanted.reviews) {
    const issue = known.issues.get(occurrence.key);
    const state = known.states[occurrence.key];
    if (!issue || !state?.review) continue;
    const fact = await reviewFact(github, issue, state, occurrence, settings.codeowners, now, (p) =>
      problems.push(p),
    );
    reviews.set(occurrence.key, fact);
  }

  const manual = new Map<string, ManualOutcomeFact>();
  for (const occurrence of wanted.manual) {
    const issue = known.issues.get(occurrence.key);
    if (!issue) continue;
    const outcome = await attempt(`${occurrence.key}: reading recorded outcomes`, () =>
      manualOutcome(github, issue, occurrence, settings.codeowners),
    );
    if (outcome) manual.set(occurrence.key, outcome);
  }

  const executions = new Map<string, ExecutionFacts>();
  for (const occurrence of wanted.executions) {
    const state = known.states[occurrence.key]!;
    const issue = known.issues.get(occurrence.key);
    const facts = await attempt(`${occurrence.key}: reading its execute run`, () =>
      executionOf(github, occurrence, state, issue, settings.defaultRef, now),
    );
    if (facts) executions.set(occurrence.key, facts);
  }

  return {
    facts: {
      now,
      plan,
      policy: settings.policy,
      states: known.states,
      blobs: settings.blobs,
      provenance,
      manual,
      executions,
      reviews,
      pullRequests,
    },
    issues: known.issues,
    problems,
  };
}

/** An outcome recorded by a person: closing the issue (with an outcome label), or `/maint <outcome>`. */
async function manualOutcome(
  github: MaintenanceRepo,
  issue: IssueInfo,
  occurrence: PlanOccurrence,
  codeowners: string | null,
): Promise<ManualOutcomeFact | undefined> {
  if (issue.state === 'closed') {
    const labelled = outcomeFromLabels(issue.labels);
    return {
      outcome: labelled ?? 'complete',
      by: labelled ? 'closing with an outcome label' : 'closing the issue (no outcome label: completed)',
    };
  }
  const allowed = outcomeAuthorities(occurrence.request.requester, occurrence.request.file, codeowners);
  return outcomeFromComments(await github.comments(issue.number), allowed);
}

/**
 * A review still due whose issue shows news. Removing the label completes it (when: the issue's last
 * change, read from the list); so does `/maint reviewed` by the requester or a code owner. Its
 * comments are read once for the news: the command, the action items written in the report or in
 * people's comments since the end, and how many there are now (so an unchanged count is no news).
 */
async function reviewFact(
  github: MaintenanceRepo,
  issue: IssueInfo,
  state: OccurrenceState,
  occurrence: PlanOccurrence,
  codeowners: string | null,
  now: number,
  problem: (text: string) => void,
): Promise<ReviewFact> {
  const review = state.review!;
  const unlabelled = !issue.labels.includes(REVIEW_LABEL);
  const changed = Date.parse(issue.updatedAt);
  const byLabel = unlabelled
    ? {
        at: isoUtc(Number.isNaN(changed) ? now : Math.min(now, Math.max(changed, Date.parse(review.since)))),
        by: `removing the label ${REVIEW_LABEL}`,
      }
    : undefined;
  let comments;
  try {
    comments = await github.comments(issue.number);
  } catch (error) {
    problem(
      `${occurrence.key}: reading its review: ${error instanceof Error ? error.message : String(error)}`,
    );
    return byLabel ? { done: byLabel } : { unread: true };
  }
  const since = Date.parse(review.since);
  const report = noticeMarker('review');
  const written = comments.filter((c) =>
    c.userType === 'Bot' ? c.body.includes(report) : Date.parse(c.createdAt) >= since,
  );
  const allowed = outcomeAuthorities(occurrence.request.requester, occurrence.request.file, codeowners);
  const command = reviewedFromComments(comments, allowed, review.since);
  const done = [byLabel, command]
    .filter((d) => d !== undefined)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
  return {
    ...(done ? { done } : {}),
    actions: countActionItems(written.map((c) => c.body)),
    seen: comments.length,
  };
}

/**
 * The execute run of an occurrence: by its recorded id, or (a dispatch whose answer was lost) by the
 * name it carries. Its log is read once the run has ended, or when the window's hard limit passed.
 */
async function executionOf(
  github: MaintenanceRepo,
  occurrence: PlanOccurrence,
  state: OccurrenceState,
  issue: IssueInfo | undefined,
  defaultRef: string,
  now: number,
): Promise<ExecutionFacts> {
  const dispatch = state.dispatch!;
  let run;
  if (dispatch.run !== undefined) run = await github.workflowRun(dispatch.run);
  else {
    const since = isoUtc(Date.parse(dispatch.at) - 10 * MINUTE);
    const named = (await github.dispatchedRuns(EXECUTE_WORKFLOW, since)).filter(
      (r) =>
        r.displayTitle === executeRunName(occurrence.key) &&
        (r.headBranch === undefined || r.headBranch === defaultRef),
    );
    run = named.at(-1); // newest first: the earliest is the one this dispatch started
  }
  if (!run) return {};
  const limit = hardLimit(occurrence.timeline, actualTimes(state).start);
  const log =
    issue && (run.status === 'completed' || now >= limit)
      ? await executionLog(github, issue.number, occurrence.key, run.id)
      : undefined;
  return {
    run: { id: run.id, status: run.status, conclusion: run.conclusion, url: run.htmlUrl },
    ...(log ? { log } : {}),
  };
}

/** The log the run keeps on the result issue: from a bot's comment, for this occurrence and run. */
export async function executionLog(
  github: Pick<MaintenanceRepo, 'comments'>,
  issue: number,
  key: string,
  run: number,
): Promise<ExecutionLog | undefined> {
  const marker = executionCommentMarker(key);
  for (const comment of await github.comments(issue)) {
    if (comment.userType !== 'Bot' || !comment.body.includes(marker)) continue;
    const decoded = decodeExecutionLog(comment.body);
    if (decoded.kind === 'found' && decoded.log.key === key && decoded.log.run === run) return decoded.log;
  }
  return undefined;
}
