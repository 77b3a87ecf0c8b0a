// The gather step of a tick: the recorded states (from the result issues), what the lifecycle says
// is due, and only the facts that what is due needs (lifecycle/effects.ts `factsWanted`): the
// provenance of work announced or due with new content, the execute runs of work in progress, and
// outcomes people recorded. A quiet tick reads the result issues and nothing more.
import type { IssueInfo, MaintenanceRepo } from '../github/port.ts';
import { actualTimes } from '../lifecycle/apply.ts';
import {
  factsWanted,
  type ExecutionFacts,
  type ManualOutcomeFact,
  type ProvenanceFact,
  type TickFacts,
} from '../lifecycle/effects.ts';
import { decodeExecutionLog, executionCommentMarker, type ExecutionLog } from '../lifecycle/execution-log.ts';
import { planTick, type PlanOccurrence } from '../lifecycle/plan.ts';
import type { OccurrenceState } from '../lifecycle/state.ts';
import { hardLimit } from '../lifecycle/timeline.ts';
import { EXECUTE_WORKFLOW, executeRunName } from '../lifecycle/work.ts';
import { MINUTE, isoUtc } from '../schedule/time.ts';
import { outcomeAuthorities, outcomeFromComments, outcomeFromLabels } from './maint-commands.ts';
import { establishProvenance, provenanceComment } from './provenance.ts';
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
  const wanted = factsWanted(plan, known.states, settings.blobs);
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
      });
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
    facts: { now, plan, states: known.states, blobs: settings.blobs, provenance, manual, executions },
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
