// The approvals decision: from a snapshot of the pull request (base CODEOWNERS, commits, files,
// reviews, teams) and the policy, which groups each changed file needs and who satisfies them.
// Pure and replayable: the same snapshot always gives the same decision.
import { DEFAULT_POLICY_PATH } from '../model/default-policy.ts';
import type { ApprovalKey, ApprovalRequirement, Policy } from '../model/types.ts';
import { whomToAsk, type AskContext, type GroupToFill } from './ask-from.ts';
import { assignToGroups, type Slot } from './assign.ts';
import { ownerKind, ownersOf, parseCodeowners, type ParsedCodeowners } from './codeowners.ts';
import type { ApprovalSnapshot, ReviewState, SnapshotFile } from './snapshot.ts';

export { assignToGroups, type Slot } from './assign.ts';

export interface ApprovalGroup {
  name: string;
  need: number;
  /** Who counted for this group, sorted. */
  approved_by: string[];
  missing: number;
}

export interface FileApprovals {
  path: string;
  groups: ApprovalGroup[];
}

export interface ApprovalDecision {
  approved: boolean;
  files: FileApprovals[];
  blocking: { user: string; state: 'CHANGES_REQUESTED' }[];
  problems: string[];
}

/** What the explanation can say beyond the decision itself. */
export interface ApprovalHints {
  /**
   * Group name -> who could still give its missing approvals, as CODEOWNERS or the policy writes
   * them: never the author, bots or people known to lack write access. A policy team's group has the
   * same name in every file that requires it: the first file's answer stands for all.
   */
  askFrom: Record<string, string[]>;
  /** Group name -> why nobody who can approve is left for (the rest of) it, and what fixes it. */
  nobody: Record<string, string>;
  /** Reviews that did not count and why, approvals that went stale, CODEOWNERS lines skipped. */
  notes: string[];
}

export interface ApprovalAnalysis {
  decision: ApprovalDecision;
  hints: ApprovalHints;
}

export const TOKEN_FIX =
  'give the action a `token` input that can read team membership: a GitHub App installation token from ' +
  'actions/create-github-app-token with `permission-members: read`, or a token with the `read:org` scope';

// Only these replace a reviewer's state; a comment after an approval leaves the approval standing.
const STATE_CHANGING: ReadonlySet<ReviewState> = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);

interface Reviewer {
  /** The login as the latest review wrote it. */
  login: string;
  state: ReviewState;
  /** Commit of the latest state-changing review. */
  commit: string | null;
  bot: boolean;
}

const key = (login: string) => login.toLowerCase();
const compareLogins = (a: string, b: string) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
const byLogin = (logins: readonly string[]) => [...logins].sort(compareLogins);
const short = (sha: string | null) => (sha === null ? 'an unknown commit' : sha.slice(0, 7));

/** Each reviewer's latest state, in `submitted_at` order (pending reviews, undated, come last). */
function latestStates(snapshot: ApprovalSnapshot): Map<string, Reviewer> {
  const dated = snapshot.reviews.map((review, index) => {
    const time = review.submitted_at ? Date.parse(review.submitted_at) : Number.NaN;
    return { review, index, time: Number.isNaN(time) ? Number.POSITIVE_INFINITY : time };
  });
  dated.sort((a, b) => a.time - b.time || a.index - b.index);
  const reviewers = new Map<string, Reviewer>();
  for (const { review } of dated) {
    const bot = review.user_type === 'Bot' || key(review.user).endsWith('[bot]');
    const known = reviewers.get(key(review.user));
    if (STATE_CHANGING.has(review.state)) {
      reviewers.set(key(review.user), {
        login: review.user,
        state: review.state,
        commit: review.commit_id ?? null,
        bot: bot || (known?.bot ?? false),
      });
    } else if (known) known.bot ||= bot;
  }
  return reviewers;
}

interface UnreadableTeam {
  /** The name as the policy or CODEOWNERS first wrote it (org/slug). */
  name: string;
  reason: 'null' | 'absent' | 'not-found';
  needs: Set<string>;
  /** The approvals keys of the policy that require it. */
  policyKeys: Set<ApprovalKey>;
}

interface Teams {
  /** Members of a readable team; undefined when it is unknown or could not be read. */
  members(team: string): ReadonlySet<string> | undefined;
  /** GitHub answered 404 for the team. */
  notFound(team: string): boolean;
  /** Teams needed but unreadable, with the files that need them. */
  unreadable: Map<string, UnreadableTeam>;
  note(team: string, need: string, policyKey?: ApprovalKey): void;
}

function teamIndex(snapshot: ApprovalSnapshot): Teams {
  const slug = (team: string) => key(team.replace(/^@/, ''));
  const known = new Map<string, Set<string> | null>();
  for (const [team, members] of Object.entries(snapshot.teams))
    known.set(slug(team), members === null ? null : new Set(members.map(key)));
  const notFound = new Set((snapshot.teams_not_found ?? []).map(slug));
  const unreadable = new Map<string, UnreadableTeam>();
  return {
    members: (team) => known.get(slug(team)) ?? undefined,
    notFound: (team) => notFound.has(slug(team)),
    unreadable,
    note(team, need, policyKey) {
      if (known.get(slug(team))) return;
      const entry: UnreadableTeam = unreadable.get(slug(team)) ?? {
        name: team.replace(/^@/, ''),
        reason: notFound.has(slug(team)) ? 'not-found' : known.has(slug(team)) ? 'null' : 'absent',
        needs: new Set<string>(),
        policyKeys: new Set<ApprovalKey>(),
      };
      entry.needs.add(need);
      if (policyKey !== undefined) entry.policyKeys.add(policyKey);
      unreadable.set(slug(team), entry);
    },
  };
}

/** The problem of a team GitHub does not know: which team, in which organisation, and the fixes. */
function teamNotFound(team: UnreadableTeam): string {
  const [org, slug] = team.name.split('/') as [string, string];
  const fixes = [`create the team \`${slug}\` in ${org} with the people who may approve`];
  for (const policyKey of team.policyKeys)
    fixes.push(
      `name your organisation's team in the policy's \`approvals.${policyKey}.teams\` (${DEFAULT_POLICY_PATH} on the base branch, changed in a pull request of its own; \`maint init --teams ${policyKey}=${org}/<team>\` writes one)`,
    );
  if (team.policyKeys.size < team.needs.size)
    fixes.push("name an existing team or people for those paths in the base branch's CODEOWNERS");
  return (
    `team @${team.name} was not found in the organisation ${org} (GitHub answered 404; ${list([...team.needs])}), ` +
    `so nobody can approve as that team: ${fixes.slice(0, -1).join('; ')}${fixes.length > 1 ? '; or ' : ''}${fixes[fixes.length - 1]}. ` +
    'A secret team the token cannot see, or a token without access to the organisation, also answers 404.'
  );
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Whether an approval rule covers a changed file: it is a request, or CODEOWNERS owns it (or its old
 * name). Only then does it matter which commit last changed it.
 */
export function approvalCovers(
  file: Pick<SnapshotFile, 'filename' | 'previous_filename' | 'request'>,
  codeowners: ParsedCodeowners,
): boolean {
  const previous = file.previous_filename;
  return (
    file.request !== undefined ||
    ownersOf(file.filename, codeowners).length > 0 ||
    (previous !== undefined && previous !== null && ownersOf(previous, codeowners).length > 0)
  );
}

/** The decision plus what an explanation needs: see `evaluateApprovals`. */
export function analyseApprovals(snapshot: ApprovalSnapshot, policy: Policy): ApprovalAnalysis {
  const codeowners = parseCodeowners(snapshot.codeowners ?? '');
  const commitIndex = new Map(snapshot.commits.map((sha, i) => [sha, i] as const));
  const reviewers = latestStates(snapshot);
  const writers = snapshot.writers ? new Set(snapshot.writers.map(key)) : undefined;
  const teams = teamIndex(snapshot);
  const problems: string[] = [];
  const notes: string[] = [];
  const askFrom: Record<string, string[]> = {};
  const nobody: Record<string, string> = {};
  const checked = snapshot.access_checked ? new Set(snapshot.access_checked.map(key)) : undefined;

  /** Why someone's review cannot count, or undefined when it can. */
  const whyNot = (login: string, bot = false): string | undefined => {
    if (key(login) === key(snapshot.author)) return 'is the author of the pull request';
    if (bot) return 'is a bot';
    if (writers && !writers.has(key(login))) return 'has no write access to the repository';
    return undefined;
  };
  const ineligible = (reviewer: Reviewer) => whyNot(reviewer.login, reviewer.bot);
  /** Why an approval someone has not given yet could not count: only what is known, nothing assumed. */
  const ask: AskContext = {
    cannotCount(login) {
      if (key(login) === key(snapshot.author)) return 'is the author of the pull request';
      if (reviewers.get(key(login))?.bot || key(login).endsWith('[bot]')) return 'is a bot';
      // Known to lack write access only when it was looked up (or `writers` is complete).
      const looked = checked === undefined || checked.has(key(login));
      if (writers && looked && !writers.has(key(login))) return 'has no write access to the repository';
      return undefined;
    },
    members: (team) => teams.members(team),
    notFound: (team) => teams.notFound(team),
  };
  const eligible = [...reviewers.values()].filter((r) => ineligible(r) === undefined);
  const approvers = eligible.filter((r) => r.state === 'APPROVED');
  approvers.sort((a, b) => compareLogins(a.login, b.login));

  /** Whether a login is among the owners (directly or as a member of a readable team). */
  const isOwner = (login: string, owners: readonly string[]) =>
    owners.some((owner) => {
      const kind = ownerKind(owner);
      if (kind === 'user') return key(owner.slice(1)) === key(login);
      if (kind === 'team') return teams.members(owner)?.has(key(login)) ?? false;
      return false;
    });

  /** Records what keeps a set of owners from being usable: unreadable teams, e-mail only. */
  const checkOwners = (path: string, owners: readonly string[]) => {
    for (const owner of owners) if (ownerKind(owner) === 'team') teams.note(owner, `owner of ${path}`);
    if (owners.length > 0 && owners.every((owner) => ownerKind(owner) === 'email'))
      problems.push(
        `${path} is owned only by e-mail addresses (${owners.join(', ')}), which cannot be matched to ` +
          'GitHub logins from the API: list an @user or @org/team for it in CODEOWNERS',
      );
  };

  const approvalKeyOf = (file: SnapshotFile): ApprovalKey | undefined =>
    file.request && (file.request.type === 'emergency' ? 'emergency' : file.request.impact);
  const requirementFor = (file: SnapshotFile): ApprovalRequirement | undefined => {
    const which = approvalKeyOf(file);
    return which === undefined ? undefined : policy.approvals[which];
  };

  const stale = new Set<string>();
  const counted = new Set<string>();
  const files: FileApprovals[] = snapshot.files.map((file) => {
    const path = file.filename;
    const owners = ownersOf(path, codeowners);
    const previous =
      file.previous_filename && file.previous_filename !== path ? file.previous_filename : undefined;
    const previousOwners = previous === undefined ? [] : ownersOf(previous, codeowners);
    const requirement = requirementFor(file);
    const policyKey = approvalKeyOf(file);
    checkOwners(path, owners);
    if (previous !== undefined) checkOwners(previous, previousOwners);

    const changedAt = commitIndex.get(file.last_changed_commit);
    if (changedAt === undefined)
      problems.push(
        `${path} last changed in ${file.last_changed_commit}, which is not one of the pull request's ` +
          'commits, so no approval can be shown to come after it: gather the snapshot again',
      );
    // The policy's groups for a request (its code owners included); one code owner otherwise.
    const slots: (Slot & GroupToFill)[] = [];
    const ownersName = `code owners of ${path}`;
    if (requirement) {
      if (owners.length === 0)
        problems.push(
          `${path} has no code owners in the base branch's CODEOWNERS, so nobody can approve it: ` +
            `add a line that owns it, e.g. \`/maintenance/ @org/your-team\`, in a separate pull request`,
        );
      slots.push({
        name: ownersName,
        need: Math.max(requirement.codeOwners, 1),
        missing: 0,
        accepts: (login) => isOwner(login, owners),
        owners,
      });
      for (const { team, count } of requirement.teams) {
        teams.note(team, `required by ${path}`, policyKey);
        slots.push({
          name: `@${team}`,
          need: count,
          missing: 0,
          accepts: (login) => teams.members(team)?.has(key(login)) ?? false,
          owners: [`@${team}`],
          ...(policyKey !== undefined ? { policyKey } : {}),
        });
      }
    } else if (owners.length > 0) {
      slots.push({
        name: ownersName,
        need: 1,
        missing: 0,
        accepts: (login) => isOwner(login, owners),
        owners,
      });
    }
    const relevant = (login: string) =>
      slots.some((slot) => slot.accepts(login)) || isOwner(login, previousOwners);
    const fresh = approvers.filter((r) => {
      const at = r.commit === null ? undefined : commitIndex.get(r.commit);
      const ok = at !== undefined && changedAt !== undefined && at >= changedAt;
      if (!ok && relevant(r.login))
        stale.add(
          `${r.login} approved ${short(r.commit)}, before ${path} last changed (${short(file.last_changed_commit)}): ${r.login} must approve again`,
        );
      return ok;
    });
    const people = fresh.map((r) => r.login);
    const assigned = assignToGroups(people, slots);
    const groups: (ApprovalGroup & { ask: GroupToFill })[] = slots.map((slot, i) => {
      const missing = Math.max(0, slot.need - assigned[i]!.length);
      return {
        name: slot.name,
        need: slot.need,
        approved_by: byLogin(assigned[i]!),
        missing,
        ask: { ...slot, missing },
      };
    });
    // The owners of the old name consent to the move; that is not one of the policy's distinct
    // people, so whoever counted above may count here too.
    if (previous !== undefined && previousOwners.length > 0) {
      const by = byLogin(people.filter((login) => isOwner(login, previousOwners)));
      const name = `code owners of ${previous} (previous name)`;
      const missing = by.length > 0 ? 0 : 1;
      groups.splice(1, 0, {
        name,
        need: 1,
        approved_by: by,
        missing,
        ask: {
          name,
          need: 1,
          missing,
          owners: previousOwners,
          accepts: (login) => isOwner(login, previousOwners),
          shared: true,
        },
      });
    }
    const countedHere = new Set(groups.flatMap((g) => g.approved_by.map(key)));
    for (const login of countedHere) counted.add(login);
    const whom = whomToAsk({ path, groups: groups.map((g) => g.ask), approvers: people, context: ask });
    for (const [name, from] of Object.entries(whom.askFrom)) askFrom[name] ??= from;
    for (const [name, why] of Object.entries(whom.nobody)) nobody[name] ??= why;
    return { path, groups: groups.map(({ ask: _ask, ...group }) => group) };
  });

  // A change request blocks when it comes from someone whose approval could count here.
  const changed = snapshot.files.flatMap((f) =>
    f.previous_filename ? [f.filename, f.previous_filename] : [f.filename],
  );
  const changedOwners = changed.map((path) => ownersOf(path, codeowners));
  const requiredTeams = snapshot.files.flatMap((f) => requirementFor(f)?.teams.map((t) => t.team) ?? []);
  const blocking = eligible
    .filter((r) => r.state === 'CHANGES_REQUESTED')
    .filter(
      (r) =>
        changedOwners.some((owners) => isOwner(r.login, owners)) ||
        requiredTeams.some((team) => teams.members(team)?.has(key(r.login))),
    )
    .map((r) => ({ user: r.login, state: 'CHANGES_REQUESTED' as const }))
    .sort((a, b) => compareLogins(a.user, b.user));

  for (const team of teams.unreadable.values()) {
    if (team.reason === 'not-found') {
      problems.push(teamNotFound(team));
      continue;
    }
    const why =
      team.reason === 'null'
        ? 'the token could not read its members'
        : 'the snapshot does not list its members';
    problems.push(`cannot resolve team @${team.name} (${list([...team.needs])}): ${why}; ${TOKEN_FIX}`);
  }

  for (const reviewer of reviewers.values()) {
    const reason = ineligible(reviewer);
    if (reason && (reviewer.state === 'APPROVED' || reviewer.state === 'CHANGES_REQUESTED'))
      notes.push(
        `${reviewer.login}'s ${reviewer.state === 'APPROVED' ? 'approval' : 'change request'} does not count: ${reviewer.login} ${reason}`,
      );
  }
  notes.push(...[...stale].sort());
  for (const approver of approvers) {
    const owned = changed.some((path) => isOwner(approver.login, ownersOf(path, codeowners)));
    const inTeam = requiredTeams.some((team) => teams.members(team)?.has(key(approver.login)));
    if (!counted.has(key(approver.login)) && !owned && !inTeam)
      notes.push(
        `${approver.login} approved but owns none of the changed files (by the base branch's CODEOWNERS) and is in no required team`,
      );
  }
  for (const error of codeowners.errors) notes.push(`CODEOWNERS: ${error.message} (GitHub skips this line)`);

  const uniqueProblems = [...new Set(problems)];
  const approved =
    uniqueProblems.length === 0 &&
    blocking.length === 0 &&
    files.every((f) => f.groups.every((g) => g.missing === 0));
  return {
    decision: { approved, files, blocking, problems: uniqueProblems },
    hints: { askFrom, nobody, notes },
  };
}

/**
 * Decides whether a pull request has the approvals its changed files need:
 * - each reviewer's latest APPROVED / CHANGES_REQUESTED / DISMISSED review stands (comments do not
 *   replace it); the author, bots and, when `writers` is known, people without write access never count;
 * - an approval counts for a file only if given at or after the commit that last changed the file;
 * - every owned file needs one of its code owners (a renamed file, also one of its old name's); a
 *   request file needs the groups the policy sets for its impact (or for emergencies), each person
 *   counting toward one group of a file;
 * - a change request from an owner of a changed file or a member of a required team blocks;
 * - a team whose members are unknown, or a file owned only by e-mail addresses, is a problem.
 */
export function evaluateApprovals(snapshot: ApprovalSnapshot, policy: Policy): ApprovalDecision {
  return analyseApprovals(snapshot, policy).decision;
}
