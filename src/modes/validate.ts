// `mode: validate`: check a pull request's maintenance requests and approvals, and report them as
// a check run (created in progress first, so any failure ends it as a failure), annotations at the
// offending lines, one sticky comment, a job summary and outputs.
import { CODEOWNERS_LOCATIONS } from '../approvals/codeowners.ts';
import { analyseApprovals, type ApprovalAnalysis } from '../approvals/evaluate.ts';
import { DEFAULT_POLICY_PATH } from '../model/default-policy.ts';
import type { ApprovalSnapshot } from '../approvals/snapshot.ts';
import type {
  Annotation,
  ChangedFile,
  CheckConclusion,
  MaintenanceRepo,
  PullRequestInfo,
} from '../github/port.ts';
import { pullRequestOfPayload } from '../github/pull-request.ts';
import type { RequestParse } from '../model/request.ts';
import type { LocatedFinding, MaintenanceRequest } from '../model/types.ts';
import { endedBy } from '../schedule/recurrence.ts';
import { validate, withSummary, type FileReport, type ValidationReport } from '../schedule/validate.ts';
import { timingSignature } from '../workspace/local.ts';
import { overlay, templatesFromMap, type TemplateSource } from '../notices/template-source.ts';
import { DEFAULT_TEMPLATES_DIR } from '../notices/template-loader.ts';
import {
  buildSnapshot,
  gatherPullRequest,
  isRequestPath,
  type PullRequestData,
} from './pull-request-data.ts';
import { withRequesterAsAuthor } from './intake-author.ts';
import { planSlotSuggestions, suggestionNotes } from './slot-suggestions.ts';
import { postedFingerprint, postedLine, publishSuggestions } from './suggestion-review.ts';
import { renderValidationComment, VALIDATION_MARKER } from './validation-comment.ts';
import type { PagesReader } from '../github/pages.ts';
import { withHubConflicts } from './hub-check.ts';

export const CHECK_NAME = 'maintenance/validate';

export interface ValidateSettings {
  checkName: string;
  /** Link for the check's details and the comment (the workflow run). */
  runUrl?: string;
  /** Built-in templates; the base branch's overrides are laid over them. */
  templates: TemplateSource;
}

export interface ValidateDeps {
  repo: MaintenanceRepo;
  now: () => number;
  log: (message: string) => void;
  /** Reads the hub's schedule.json when the policy names a hub (default: plain HTTPS). */
  pages?: PagesReader;
}

export interface ValidateOutcome {
  pullRequest: number;
  skipped: boolean;
  valid: boolean;
  approved: boolean;
  conclusion: CheckConclusion;
  missingApprovals: { path: string; group: string; missing: number }[];
  /** Markdown for the job summary (the comment plus the replayable snapshot). */
  summary: string;
  commentUrl?: string;
}

/**
 * The pull request an event is about. A pull_request(_target) or pull_request_review payload carries
 * it whole, so no API request is needed (its head is checked against the files GitHub lists before
 * anything is decided); workflow_run names only a head, so the PR is read from the API.
 */
export async function pullRequestOfEvent(
  eventName: string,
  payload: Record<string, unknown>,
  repo: MaintenanceRepo,
): Promise<PullRequestInfo> {
  const described = pullRequestOfPayload(payload.pull_request);
  if (described) return described;
  const pr = payload.pull_request as { number?: number } | undefined;
  if (pr?.number !== undefined) return repo.pullRequest(pr.number);
  if (eventName === 'workflow_run') {
    const run = payload.workflow_run as {
      head_sha: string;
      head_branch?: string;
      head_repository?: { owner?: { login?: string } };
      pull_requests?: { number: number }[];
    };
    // pull_requests is empty for fork PRs: find the PR by its head commit instead.
    const listed = run.pull_requests?.[0]?.number;
    if (listed !== undefined) return repo.pullRequest(listed);
    const found = await repo.findPullRequest(run.head_sha, {
      ...(run.head_repository?.owner?.login ? { owner: run.head_repository.owner.login } : {}),
      ...(run.head_branch ? { branch: run.head_branch } : {}),
    });
    if (found !== undefined) return repo.pullRequest(found);
    throw new Error(`no open pull request has head ${run.head_sha}; nothing to validate`);
  }
  if (eventName === 'workflow_dispatch') {
    // Started by intake (whose pull requests start no workflow) or by hand: the PR is an input.
    const input = String((payload.inputs as Record<string, unknown> | undefined)?.pull_request ?? '').trim();
    if (/^[1-9]\d{0,15}$/.test(input) && Number.isSafeInteger(Number(input)))
      return repo.pullRequest(Number(input));
    throw new Error(
      'workflow_dispatch: give the input pull_request, the number of the pull request to validate',
    );
  }
  throw new Error(
    `mode: validate runs on pull_request_target, pull_request, pull_request_review, workflow_run or workflow_dispatch events, not ${eventName}`,
  );
}

export async function runValidate(
  deps: ValidateDeps,
  settings: ValidateSettings,
  event: { name: string; payload: Record<string, unknown> },
): Promise<ValidateOutcome> {
  const { repo } = deps;
  const pr = await pullRequestOfEvent(event.name, event.payload, repo);
  // In progress before anything is read or decided: whatever fails from here ends it as a failure,
  // and it replaces an earlier run's result on this commit.
  const checkId = await repo.startCheck(pr.headSha, settings.checkName, settings.runUrl);
  try {
    const outcome = await validatePullRequest(deps, settings, await withRequesterAsAuthor(repo, pr));
    await repo.finishCheck(checkId, outcome.check);
    return outcome.result;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    deps.log(`validation failed: ${reason}`);
    await repo.finishCheck(checkId, {
      conclusion: 'failure',
      title: 'maint could not validate this pull request',
      summary: `The check failed closed: ${reason.slice(0, 1000)}\n\nRe-run the workflow once the cause is fixed.`,
      annotations: [],
    });
    throw error;
  }
}

/**
 * Makes sure the listed files are those of the commit being checked: the event may describe a head
 * the branch has since moved on from. The list says which commit it was made at; when it cannot
 * (only deletions), the live pull request is asked.
 */
async function checkListedHead(repo: MaintenanceRepo, pr: PullRequestInfo, files: readonly ChangedFile[]) {
  const listedAt = new Set(files.filter((f) => f.status !== 'removed').map((f) => f.listedAt));
  const [only] = listedAt;
  const head = listedAt.size === 1 && only !== undefined ? only : (await repo.pullRequest(pr.number)).headSha;
  if (head !== pr.headSha)
    throw new Error(
      `the pull request's head moved from ${pr.headSha.slice(0, 7)} to ${head.slice(0, 7)} after this run started; the run for ${head.slice(0, 7)} checks it`,
    );
}

async function validatePullRequest(deps: ValidateDeps, settings: ValidateSettings, pr: PullRequestInfo) {
  const now = deps.now();
  const files = await deps.repo.changedFiles(pr.number);
  if (files.length > 0) await checkListedHead(deps.repo, pr, files);
  const governed = files.some(
    (f) =>
      isRequestPath(f.filename) || (f.previousFilename !== undefined && isRequestPath(f.previousFilename)),
  );
  const touchesGovernance = files.some((f) =>
    [DEFAULT_POLICY_PATH, ...CODEOWNERS_LOCATIONS].includes(f.filename),
  );
  if (!governed && !touchesGovernance) {
    const summary = 'No maintenance requests, policy or CODEOWNERS changed: nothing to check.';
    return {
      check: {
        conclusion: 'success' as const,
        title: 'No maintenance requests changed',
        summary,
        annotations: [],
      },
      result: {
        pullRequest: pr.number,
        skipped: true,
        valid: true,
        approved: true,
        conclusion: 'success' as const,
        missingApprovals: [],
        summary,
      },
    };
  }

  const data = await gatherPullRequest(deps.repo, pr, files, now);
  // Also against the other repositories' work, when the policy names a hub (modes/hub-check.ts).
  const { owner, name } = deps.repo.repository;
  const report = await withHubConflicts(
    {
      report: validateRequests(data, now),
      heads: data.heads,
      policy: data.policy,
      repository: `${owner}/${name}`,
      now,
    },
    deps.pages,
  );
  const snapshot = await buildSnapshot(deps.repo, data);
  const approvals = analyseApprovals(snapshot, data.policy);
  const valid = report.summary.errors === 0;
  const approved = approvals.decision.approved;
  const conclusion: CheckConclusion = !valid ? 'failure' : approved ? 'success' : 'action_required';

  const templates = overlay(
    templatesFromMap(data.templateOverrides, `${DEFAULT_TEMPLATES_DIR} (base)`),
    settings.templates,
  );
  const sticky = await deps.repo.findComment(pr.number, VALIDATION_MARKER);
  const suggested = await suggestSlots(deps, data, report, now, sticky?.body);
  const body = renderValidationComment(templates, data, report, approvals, {
    runUrl: settings.runUrl,
    now,
    ...suggested,
  });
  const commentUrl = await deps.repo.writeComment(pr.number, body, sticky);
  const missingApprovals = approvals.decision.files.flatMap((f) =>
    f.groups.filter((g) => g.missing > 0).map((g) => ({ path: f.path, group: g.name, missing: g.missing })),
  );
  return {
    check: {
      conclusion,
      title: checkTitle(report, approvals),
      summary: `${checkTitle(report, approvals)}.\n\nDetails, approvals and the next free slots are in [the pull request comment](${commentUrl}).`,
      annotations: annotationsOf(report),
    },
    result: {
      pullRequest: pr.number,
      skipped: false,
      valid,
      approved,
      conclusion,
      missingApprovals,
      summary: `${body}\n\n${snapshotDetails(snapshot)}`,
      commentUrl,
    },
  };
}

/**
 * The next free slot as suggestions on the diff (slot-suggestions.ts), posted as one review that
 * replaces the previous one (suggestion-review.ts); what the sticky comment says about them.
 */
async function suggestSlots(
  deps: ValidateDeps,
  data: PullRequestData,
  report: ValidationReport,
  now: number,
  stickyBody: string | undefined,
): Promise<{ suggestions: Map<string, string>; posted?: string }> {
  const planned = planSlotSuggestions(data, report, (changed) => validateRequests(changed, now));
  const wanted = planned.flatMap((s) => s.comments);
  const published = await publishSuggestions(deps.repo, data.pr, wanted, postedFingerprint(stickyBody));
  const suggestions = suggestionNotes(planned);
  if (published.failure) {
    deps.log(`the next-slot suggestions could not be posted: ${published.failure}`);
    for (const s of planned.filter((p) => p.comments.length > 0))
      suggestions.set(
        s.path,
        `${s.note} (GitHub did not take the suggestion: re-run the check to try again)`,
      );
  }
  return { suggestions, ...(published.fingerprint ? { posted: postedLine(published.fingerprint) } : {}) };
}

/** The core engine over the PR's head files, against every other scheduled request at the base. */
export function validateRequests(data: PullRequestData, now: number): ValidationReport {
  const targetIds = new Set(data.heads.map((h) => h.id));
  const replaced = new Set([...data.heads.map((h) => h.path), ...data.removed.map((r) => r.before.path)]);
  const others = [...data.base.values()].filter((b) => !replaced.has(b.path) && !targetIds.has(b.id));
  const baseById = new Map([...data.base.values()].map((b) => [b.id, b]));
  const retimed = (request: MaintenanceRequest) => {
    const before = baseById.get(request.id)?.request;
    return !before || timingSignature(before) !== timingSignature(request);
  };
  const report = validate({ policy: data.policy, now, targets: data.heads, others, noticeApplies: retimed });
  const removals = data.removed.flatMap(({ file, before }) =>
    removalReport(file.filename, file.previousFilename, before, data, now),
  );
  return withSummary([...report.files, ...removals]);
}

/** Deleting (or renaming away) a request that is still scheduled loses its cancellation. */
function removalReport(
  filename: string,
  previous: string | undefined,
  before: RequestParse,
  data: PullRequestData,
  now: number,
): FileReport[] {
  const request = before.request;
  if (!request || request.status === 'cancelled' || endedBy(request, now)) return [];
  const renamedTo = previous !== undefined ? filename : undefined;
  const sameId =
    renamedTo !== undefined && data.heads.some((h) => h.path === renamedTo && h.id === request.id);
  if (sameId) return [];
  const error: LocatedFinding = {
    rule: 'schema',
    severity: 'error',
    line: 1,
    column: 1,
    message:
      renamedTo !== undefined
        ? `renaming ${before.path} to ${renamedTo} changes the id of a scheduled request (\`${request.id}\`), which calendars and the result issue key on: keep the file name, or cancel it with \`status: cancelled\` and add a new request`
        : `deleting ${before.path} removes a scheduled request: cancel it with \`status: cancelled\` instead, so calendars receive the cancellation`,
  };
  return [{ path: before.path, id: request.id, errors: [error], warnings: [], history: false }];
}

function checkTitle(report: ValidationReport, approvals: ApprovalAnalysis): string {
  const { errors, warnings } = report.summary;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (errors > 0)
    return `${plural(errors, 'error')}${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}`;
  const missing = approvals.decision.files.reduce(
    (n, f) => n + f.groups.reduce((m, g) => m + g.missing, 0),
    0,
  );
  if (!approvals.decision.approved) {
    const why = [
      missing > 0 ? `${plural(missing, 'approval')} missing` : '',
      approvals.decision.blocking.length > 0 ? 'changes requested' : '',
      approvals.decision.problems.length > 0
        ? plural(approvals.decision.problems.length, 'approval problem')
        : '',
    ].filter(Boolean);
    return `Valid; waiting for approval (${why.join(', ')})`;
  }
  return `Valid and approved${warnings > 0 ? ` (${plural(warnings, 'warning')})` : ''}`;
}

function annotationsOf(report: ValidationReport): Annotation[] {
  const annotation = (path: string, f: LocatedFinding): Annotation => ({
    path,
    startLine: f.line,
    endLine: f.line,
    startColumn: f.column,
    endColumn: f.column,
    level: f.severity === 'error' ? 'failure' : 'warning',
    title: `maint ${f.rule}`,
    message: f.message,
  });
  return report.files.flatMap((file) => [
    ...file.errors.map((f) => annotation(file.path, f)),
    ...file.warnings.map((f) => annotation(file.path, f)),
  ]);
}

/** The snapshot, collapsed, in a code fence no value inside can close. */
export function snapshotDetails(snapshot: ApprovalSnapshot): string {
  const json = JSON.stringify(snapshot, null, 2);
  const longest = Math.max(2, ...[...json.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return [
    '<details><summary>Approval snapshot (replay with <code>maint approvals --snapshot FILE</code>)</summary>',
    '',
    `${fence}json`,
    json,
    fence,
    '',
    '</details>',
  ].join('\n');
}
