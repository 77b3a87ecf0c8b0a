// `mode: intake`: an issue filed with the maintenance request form becomes a pull request that adds
// its request file. Gathers the issue, the default branch (policy, scheduled requests, the form)
// and the issue's earlier pull request; drafts and validates the file with the pure intake and
// validation code; then writes: the branch `maint/intake-<issue number>`, one commit of the file,
// the pull request, the dispatch of the validate workflow, and the issue's one comment.
import { DEFAULT_POLICY_PATH, DEFAULT_POLICY_YAML, DEFAULT_REQUESTS_DIR } from '../model/default-policy.ts';
import { parseRequest, requestIdFromPath, type RequestParse } from '../model/request.ts';
import type { Policy } from '../model/types.ts';
import type { IntakePull, MaintenanceRepo } from '../github/port.ts';
import {
  filedComment,
  INTAKE_MARKER,
  mergedComment,
  problemsComment,
  pullBody,
  pullTitle,
  type FiledView,
} from '../intake/comment.ts';
import {
  formFieldsOf,
  INTAKE_LABEL,
  ISSUE_FORM_PATH,
  requestFormFields,
  type FormField,
} from '../intake/form.ts';
import { intakeBranch } from '../intake/branch.ts';
import { draftRequest, isSafeRequestPath } from '../intake/submission.ts';
import { validate } from '../schedule/validate.ts';
import { fromText } from '../workspace/local.ts';
import { isRequestPath } from './pull-request-data.ts';

export const VALIDATE_WORKFLOW = 'maintenance-validate.yml';

export interface IntakeSettings {
  /** The repository's default branch: the base of the pull request, where the policy is read. */
  defaultBranch: string;
  /** The workflow dispatched to validate the pull request (its `workflow_dispatch` input `pull_request`). */
  validateWorkflow: string;
}

export interface IntakeDeps {
  repo: MaintenanceRepo;
  now: () => number;
  log: (message: string) => void;
}

export type IntakeResult = 'skipped' | 'invalid' | 'opened' | 'updated' | 'unchanged' | 'merged';

export interface IntakeOutcome {
  issue: number;
  result: IntakeResult;
  /** Why nothing was done (skipped). */
  reason?: string;
  pullRequest?: number;
  path?: string;
  /** Whether the file passes the policy (opened, updated, unchanged). */
  valid?: boolean;
  commentUrl?: string;
  /** What went wrong without stopping the run (the validate dispatch); the step fails on them. */
  problems: string[];
}

/** The issue an `issues` event is about, when it is an opening or an edit. */
export function issueOfEvent(name: string, payload: Record<string, unknown>): number | undefined {
  if (name !== 'issues')
    throw new Error(`mode: intake runs on issues events (opened, edited), not ${name || 'no event'}`);
  const action = payload.action;
  if (action !== 'opened' && action !== 'edited') return undefined;
  const number = (payload.issue as { number?: unknown } | undefined)?.number;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0)
    throw new Error('the issues event has no issue number');
  return number;
}

interface BaseBranch {
  policy: Policy;
  requests: RequestParse[];
  /** The id of every request file, readable or not. */
  takenIds: Set<string>;
  fields: FormField[];
}

/** The default branch's policy, scheduled requests and form, from one tarball. */
async function gatherBase(repo: MaintenanceRepo, sha: string, now: number): Promise<BaseBranch> {
  const policyFolder = DEFAULT_POLICY_PATH.slice(0, DEFAULT_POLICY_PATH.lastIndexOf('/') + 1);
  const tree = await repo.snapshot(
    sha,
    (path) =>
      isRequestPath(path) ||
      path === DEFAULT_POLICY_PATH ||
      path === ISSUE_FORM_PATH ||
      (path.startsWith(policyFolder) && path.endsWith('.ics')),
  );
  const text = (path: string) => {
    const content = tree.get(path);
    return content && 'text' in content ? content.text : undefined;
  };
  const policyText = text(DEFAULT_POLICY_PATH);
  const { policy } =
    policyText === undefined
      ? fromText(DEFAULT_POLICY_YAML, 'built-in default', undefined, now)
      : fromText(
          policyText,
          `${DEFAULT_POLICY_PATH} (default branch)`,
          (name) => {
            const found = text(`${policyFolder}${name}`);
            if (found === undefined) throw new Error(`${name} not found`);
            return found;
          },
          now,
        );
  const requests = [...tree.keys()]
    .filter((path) => isRequestPath(path))
    .map((path) => {
      const body = text(path);
      return body === undefined ? undefined : parseRequest({ path, text: body });
    })
    .filter((r): r is RequestParse => r !== undefined);
  // The repository's own form says which heading is which field; maint's form when it has none.
  const formText = text(ISSUE_FORM_PATH);
  const fields =
    (formText !== undefined ? formFieldsOf(formText) : undefined) ??
    requestFormFields({ environments: Object.keys(policy.environments), timezone: policy.timezone });
  const takenIds = new Set([...tree.keys()].filter((path) => isRequestPath(path)).map(requestIdFromPath));
  return { policy, requests, takenIds, fields };
}

/** The request file an earlier run committed to the issue's pull request, if any. */
async function fileOfPull(repo: MaintenanceRepo, pull: IntakePull): Promise<string | undefined> {
  const added = (await repo.changedFiles(pull.number)).filter(
    (f) => f.status === 'added' && isSafeRequestPath(f.filename, DEFAULT_REQUESTS_DIR),
  );
  return added.length === 1 ? added[0]!.filename : undefined;
}

export async function runIntake(
  deps: IntakeDeps,
  settings: IntakeSettings,
  event: { name: string; payload: Record<string, unknown> },
): Promise<IntakeOutcome> {
  const { repo, log } = deps;
  const number = issueOfEvent(event.name, event.payload);
  if (number === undefined)
    return { issue: 0, result: 'skipped', reason: `issues.${String(event.payload.action)}`, problems: [] };
  const skipped = (reason: string): IntakeOutcome => {
    log(`issue #${number}: ${reason}; nothing to do`);
    return { issue: number, result: 'skipped', reason, problems: [] };
  };

  // The issue as it is now, not as the event saw it: a later edit's run reads the same text.
  const issue = await repo.submittedIssue(number);
  if (!issue.labels.includes(INTAKE_LABEL)) return skipped(`the issue has no label ${INTAKE_LABEL}`);
  if (issue.state === 'closed') return skipped('the issue is closed');

  const branch = intakeBranch(number);
  const [baseSha, pull, branchSha] = await Promise.all([
    repo.branchHead(settings.defaultBranch),
    repo.pullForBranch(branch),
    repo.branchHead(branch),
  ]);
  if (baseSha === undefined) throw new Error(`the default branch ${settings.defaultBranch} does not exist`);
  if (pull?.merged) {
    const commentUrl = await repo.upsertComment(number, INTAKE_MARKER, mergedComment(pull));
    return { issue: number, result: 'merged', pullRequest: pull.number, commentUrl, problems: [] };
  }

  const now = deps.now();
  const [base, existingPath] = await Promise.all([
    gatherBase(repo, baseSha, now),
    pull ? fileOfPull(repo, pull) : Promise.resolve(undefined),
  ]);
  const draft = draftRequest(
    { number, title: issue.title, body: issue.body, author: issue.author },
    base.fields,
    {
      dir: DEFAULT_REQUESTS_DIR,
      takenIds: base.takenIds,
      ...(existingPath ? { existingPath } : {}),
    },
  );
  const openPull = pull?.state === 'open' ? pull : undefined;
  if (!draft.ok) {
    log(`issue #${number}: ${draft.problems.length} field(s) to fix; no pull request change`);
    const commentUrl = await repo.upsertComment(
      number,
      INTAKE_MARKER,
      problemsComment(draft.problems, openPull),
    );
    return {
      issue: number,
      result: 'invalid',
      ...(openPull ? { pullRequest: openPull.number } : {}),
      commentUrl,
      problems: [],
    };
  }

  // The same engine as `maint validate`, against what is scheduled on the default branch.
  const others = base.requests.filter((r) => r.path !== draft.path);
  const report = validate({ policy: base.policy, now, targets: [draft.parse], others }).files[0]!;

  if (branchSha === undefined) await repo.createBranch(branch, baseSha);
  const current = await repo.fileWithSha(draft.path, branch);
  const committed = current?.text !== draft.text;
  if (committed) {
    await repo.commitFile({
      branch,
      path: draft.path,
      text: draft.text,
      message: `${current ? 'Update' : 'Add'} maintenance request ${draft.id} from issue #${number}`,
      ...(current ? { sha: current.sha } : {}),
    });
  }

  let result: IntakeResult;
  let target: IntakePull;
  if (pull && (pull.state === 'open' || branchSha !== undefined)) {
    if (pull.state === 'closed') await repo.updatePull(pull.number, { state: 'open' });
    target = pull;
    result = committed || pull.state === 'closed' ? 'updated' : 'unchanged';
  } else {
    target = await repo.openPull({
      head: branch,
      base: settings.defaultBranch,
      title: pullTitle(issue.title),
      body: pullBody(number, issue.author, draft.path),
    });
    result = 'opened';
  }

  // Pushes and pull requests made with GITHUB_TOKEN start no workflow: the check is started here.
  const problems: string[] = [];
  let validation: FiledView['validation'] = { notNeeded: true };
  if (result !== 'unchanged') {
    try {
      const run = await repo.dispatchWorkflow(settings.validateWorkflow, settings.defaultBranch, {
        pull_request: String(target.number),
      });
      validation = { runUrl: run.htmlUrl };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      validation = { notStarted: reason };
      problems.push(`could not start ${settings.validateWorkflow} for #${target.number}: ${reason}`);
    }
  }

  const commentUrl = await repo.upsertComment(
    number,
    INTAKE_MARKER,
    filedComment({
      pull: target,
      path: draft.path,
      id: draft.id,
      change: result === 'opened' ? 'opened' : result === 'updated' ? 'updated' : 'unchanged',
      report,
      baseBranch: settings.defaultBranch,
      validation,
    }),
  );
  log(`issue #${number}: pull request #${target.number} ${result} (${draft.path})`);
  return {
    issue: number,
    result,
    pullRequest: target.number,
    path: draft.path,
    valid: report.errors.length === 0,
    commentUrl,
    problems,
  };
}
