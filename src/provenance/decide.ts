// Whether a request's work (checks, steps, rollback) may run: decided from facts gathered about where
// the request file's content came from. Pure. The work runs only when the content on the default
// branch is exactly what a merged pull request brought there, that pull request's validate check
// passed on its head, and its approval, rebuilt with the same function the validate mode uses, holds.
// Every other case says why, in words the result issue shows.
import type { ApprovalDecision } from '../approvals/evaluate.ts';

export interface ProvenancePull {
  number: number;
  headSha: string;
  baseRef: string;
  mergedAt: string | null;
  mergeCommitSha: string | null;
}

export interface ProvenanceFacts {
  /** The request file, relative to the repository root. */
  file: string;
  defaultBranch: string;
  /** The ref the deciding run is on (`refs/heads/<branch>`). */
  ref: string;
  /** The file's blob where it is judged (the default branch now, or the approved commit). */
  blob: string;
  /** Newest first: the last commit that changed the file there, and the one before it (if any). */
  commits: string[];
  /** The merged pull requests (into the default branch) that brought commits[0]; empty: none. */
  pulls?: ProvenancePull[];
  /** Only when commits[0] came from no pull request: the one that brought commits[1], if any. */
  previousPull?: number;
  /** The file's blob at the pull request's head (undefined: the file is not there). */
  pullBlob?: string;
  /** The latest validate check run on the pull request's head; null when none ran. */
  check?: { status: string; conclusion: string | null } | null;
  /** The approval decision rebuilt for the pull request. */
  approval?: ApprovalDecision;
  /** The check's name (`maintenance/validate`). */
  checkName: string;
}

export type ProvenanceDecision =
  | {
      ok: true;
      /** The default-branch commit that brought the approved content: the merge or squash commit. */
      sha: string;
      blob: string;
      pull: number;
      /** The last commit that changed the file. */
      commit: string;
    }
  | { ok: false; blob: string; reason: string; commit?: string; pull?: number };

const short = (sha: string) => sha.slice(0, 7);

/** The pull request that counts for a commit: merged into the default branch. */
export function mergedInto<T extends ProvenancePull>(
  pulls: readonly T[],
  defaultBranch: string,
): T | undefined {
  return pulls.find((p) => p.mergedAt !== null && p.baseRef === defaultBranch);
}

export function decideProvenance(facts: ProvenanceFacts): ProvenanceDecision {
  const { file, blob, defaultBranch } = facts;
  const refuse = (reason: string, more: { commit?: string; pull?: number } = {}): ProvenanceDecision => ({
    ok: false,
    blob,
    reason,
    ...more,
  });
  if (facts.ref !== `refs/heads/${defaultBranch}`)
    return refuse(`it ran on ${facts.ref}, not on the default branch ${defaultBranch}`);
  const commit = facts.commits[0];
  if (commit === undefined) return refuse(`no commit on ${defaultBranch} changed ${file}`);
  const pull = facts.pulls ? mergedInto(facts.pulls, defaultBranch) : undefined;
  if (!pull) {
    if (facts.pulls === undefined)
      return refuse(`the pull request of ${short(commit)} could not be read`, { commit });
    return facts.previousPull !== undefined
      ? refuse(
          `changed by ${short(commit)} after approval: that commit came from no pull request (#${facts.previousPull} brought the reviewed version)`,
          { commit },
        )
      : refuse(`added by a direct push (${short(commit)}), not by a merged pull request`, { commit });
  }
  const at = { commit, pull: pull.number };
  if (facts.pullBlob !== blob)
    return refuse(
      facts.pullBlob === undefined
        ? `#${pull.number} did not have ${file} at its head (${short(pull.headSha)})`
        : `changed by ${short(commit)} after approval: ${file} on ${defaultBranch} differs from the head of #${pull.number} (${short(pull.headSha)}) that was reviewed`,
      at,
    );
  const check = facts.check;
  if (check === undefined)
    return refuse(`the ${facts.checkName} check of #${pull.number} could not be read`, at);
  if (check === null)
    return refuse(
      `no ${facts.checkName} check ran on the head of #${pull.number} (${short(pull.headSha)})`,
      at,
    );
  if (check.conclusion !== 'success')
    return refuse(
      `validate check was \`${check.conclusion ?? check.status}\` at merge (#${pull.number})`,
      at,
    );
  const approval = facts.approval;
  if (!approval) return refuse(`the approval of #${pull.number} could not be rebuilt`, at);
  if (!approval.approved)
    return refuse(`the approval rebuilt for #${pull.number} does not hold: ${approvalGaps(approval)}`, at);
  if (!pull.mergeCommitSha) return refuse(`#${pull.number} names no merge commit on ${defaultBranch}`, at);
  return { ok: true, sha: pull.mergeCommitSha, blob, pull: pull.number, commit };
}

/** What an approval decision lacks, in a line. */
function approvalGaps(decision: ApprovalDecision): string {
  const missing = decision.files.flatMap((f) =>
    f.groups
      .filter((g) => g.missing > 0)
      .map((g) => `${g.missing} more from ${g.name}${g.name.includes(f.path) ? '' : ` for ${f.path}`}`),
  );
  const parts = [
    ...missing,
    ...decision.blocking.map((b) => `${b.user} requested changes`),
    ...decision.problems,
  ];
  return parts.length > 0 ? parts.join('; ') : 'not approved';
}
