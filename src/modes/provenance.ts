// Establishes where a request file's content came from, through the GitHub port, and decides with
// src/provenance whether its work may run: the last commit that changed the file, the merged pull
// request that brought it, that pull request's head (same blob?) and validate check, and its approval
// rebuilt with the validate mode's own gatherer and decision (base commit's CODEOWNERS and policy,
// its reviews). Stops asking as soon as a fact already decides.
import { analyseApprovals, type ApprovalAnalysis } from '../approvals/evaluate.ts';
import { explainApprovals } from '../approvals/explain.ts';
import type { ApprovalSnapshot } from '../approvals/snapshot.ts';
import type { MaintenanceRepo, MergedPullInfo } from '../github/port.ts';
import type { PullRequestRecord } from '../lifecycle/state.ts';
import {
  decideProvenance,
  mergedInto,
  type ProvenanceDecision,
  type ProvenanceFacts,
} from '../provenance/decide.ts';
import { codeBlock } from './execution-comment.ts';
import { buildSnapshot, gatherPullRequest } from './pull-request-data.ts';
import { snapshotDetails } from './validate.ts';

export interface ProvenanceQuery {
  /** The request file, relative to the repository root. */
  file: string;
  /** Its blob where it is judged. */
  blob: string;
  /** The commit it is judged at: the default branch's head (the tick), or the approved commit. */
  head: string;
  defaultBranch: string;
  /** The ref the deciding run is on. */
  ref: string;
  checkName: string;
  now: number;
}

export interface EstablishedProvenance {
  decision: ProvenanceDecision;
  /** The merged pull request that brought the file, with when it was opened and merged. */
  pullRequest?: PullRequestRecord;
  /** The approval snapshot, when one was rebuilt (replayable with `maint approvals --snapshot`). */
  snapshot?: ApprovalSnapshot;
  approvals?: ApprovalAnalysis;
}

export async function establishProvenance(
  repo: MaintenanceRepo,
  query: ProvenanceQuery,
): Promise<EstablishedProvenance> {
  const facts: ProvenanceFacts = {
    file: query.file,
    defaultBranch: query.defaultBranch,
    ref: query.ref,
    blob: query.blob,
    commits: [],
    checkName: query.checkName,
  };
  const more: Omit<EstablishedProvenance, 'decision'> = {};
  const decided = (found: Omit<EstablishedProvenance, 'decision'> = {}) => ({
    decision: decideProvenance(facts),
    ...more,
    ...found,
  });
  if (query.ref !== `refs/heads/${query.defaultBranch}`) return decided();
  facts.commits = await repo.commitsTouching(query.file, query.head, 2);
  const [last, previous] = facts.commits;
  if (last === undefined) return decided();
  const pulls = await repo.pullRequestsOfCommit(last);
  facts.pulls = pulls;
  const pull = mergedInto(pulls, query.defaultBranch);
  const times = pull && pullRequestTimes(pull);
  if (times) more.pullRequest = times;
  if (!pull) {
    if (previous !== undefined) {
      const before = mergedInto(await repo.pullRequestsOfCommit(previous), query.defaultBranch);
      if (before) facts.previousPull = before.number;
    }
    return decided();
  }
  const pullBlob = await repo.blobAt(query.file, pull.headSha);
  if (pullBlob !== undefined) facts.pullBlob = pullBlob;
  if (pullBlob !== query.blob) return decided();
  facts.check = (await repo.latestCheckRun(pull.headSha, query.checkName)) ?? null;
  if (facts.check?.conclusion !== 'success') return decided();
  const data = await gatherPullRequest(repo, pull, await repo.changedFiles(pull.number), query.now);
  const snapshot = await buildSnapshot(repo, data);
  const approvals = analyseApprovals(snapshot, data.policy);
  facts.approval = approvals.decision;
  return decided({ snapshot, approvals });
}

/** A merged pull request's number and times, when GitHub gave them. */
export function pullRequestTimes(pull: MergedPullInfo): PullRequestRecord | undefined {
  if (!pull.createdAt || !pull.mergedAt) return undefined;
  return { number: pull.number, opened: pull.createdAt, merged: pull.mergedAt };
}

/**
 * The merged pull request that last changed a request file (two requests): for request processing
 * times of manual requests, whose provenance is not established.
 */
export async function pullRequestOfFile(
  repo: MaintenanceRepo,
  file: string,
  head: string,
  defaultBranch: string,
): Promise<PullRequestRecord | undefined> {
  const [last] = await repo.commitsTouching(file, head, 1);
  if (last === undefined) return undefined;
  const pull = mergedInto(await repo.pullRequestsOfCommit(last), defaultBranch);
  return pull && pullRequestTimes(pull);
}

/** Keeps text from the repository (paths, branch names) from mentioning anyone or making markup. */
function plain(text: string): string {
  return text.replace(/@/g, '@\u200b').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The result-issue comment that says what was established, with the snapshot to replay. */
export function provenanceComment(established: EstablishedProvenance, checkName: string): string {
  const { decision, snapshot, approvals } = established;
  const lines = decision.ok
    ? [
        '### ✅ The work of this maintenance is approved',
        '',
        `Its checks and steps come from #${decision.pull}, merged as \`${decision.sha.slice(0, 7)}\`: the \`${plain(checkName)}\` check passed on its head, and its approval, rebuilt from its reviews and the base commit's CODEOWNERS and policy, holds. When the window opens, the execute workflow runs exactly that commit.`,
      ]
    : [
        '### ⚠️ The work of this maintenance will not run as it is',
        '',
        `Its checks and steps may run only when its content came from a merged, approved pull request: ${plain(decision.reason)}.`,
        '',
        'It is still announced and reminded. Bring the change through a reviewed pull request before the window opens, or do the work by hand and record the outcome (`/maint complete`, `/maint failed` or `/maint rolled-back`).',
      ];
  if (approvals) lines.push('', codeBlock(explainApprovals(approvals.decision, approvals.hints)));
  if (snapshot) lines.push('', snapshotDetails(snapshot));
  return lines.join('\n');
}
