// Gathers what a pull request's validation needs through the port, as data: the base commit's
// policy, CODEOWNERS and scheduled requests (one tarball), the changed request files read from the
// head as text (never checked out, never run), and the approval snapshot. Calls that only matter in
// some cases (commit history, reviewer permissions) are made only then.
import { CODEOWNERS_LOCATIONS, ownersOf, parseCodeowners } from '../approvals/codeowners.ts';
import { approvalCovers } from '../approvals/evaluate.ts';
import type { ApprovalSnapshot, SnapshotFile } from '../approvals/snapshot.ts';
import { DEFAULT_POLICY_PATH, DEFAULT_POLICY_YAML, DEFAULT_REQUESTS_DIR } from '../model/default-policy.ts';
import { parseRequest, unreadableRequest, type RequestParse } from '../model/request.ts';
import type { Policy } from '../model/types.ts';
import { MAX_FILE_BYTES } from '../model/yaml-source.ts';
import { unreadableMessage } from '../model/unreadable.ts';
import { ConfigurationError } from '../errors.ts';
import { headFromPatch } from '../github/patch.ts';
import type { ChangedFile, FileContent, PullRequestInfo, RepositoryReader, Review } from '../github/port.ts';
import { fromText } from '../workspace/local.ts';
import { DEFAULT_TEMPLATES_DIR } from '../notices/template-loader.ts';

export const REQUEST_FILE = /\.ya?ml$/i;

export interface PullRequestData {
  pr: PullRequestInfo;
  files: ChangedFile[];
  reviews: Review[];
  policy: Policy;
  policySource: string;
  codeowners: string | null;
  /** Requests at the base commit, by path. */
  base: Map<string, RequestParse>;
  /** Changed request files as they are at the head (added, modified, renamed). */
  heads: RequestParse[];
  /** Request files the PR deletes or renames away, as they were at the base. */
  removed: { file: ChangedFile; before: RequestParse }[];
  /** The base branch's template overrides, by name under the templates folder. */
  templateOverrides: Record<string, string>;
}

export function isRequestPath(path: string, dir = DEFAULT_REQUESTS_DIR): boolean {
  return path.startsWith(`${dir}/`) && REQUEST_FILE.test(path);
}

function toParse(path: string, content: FileContent | undefined): RequestParse | undefined {
  if (!content || 'missing' in content) return undefined;
  if ('text' in content) return parseRequest({ path, text: content.text });
  if ('notFile' in content) return unreadableRequest(path, `${path} ${content.notFile}`);
  const at = 'notUtf8' in content ? content.notUtf8 : undefined;
  return unreadableRequest(path, unreadableMessage(content), at?.line, at?.column);
}

/** The text of a configuration file of the base, or a ConfigurationError saying why it has none. */
function configurationText(shown: string, content: FileContent | undefined): string | undefined {
  if (!content || 'missing' in content) return undefined;
  if ('text' in content) return content.text;
  throw new ConfigurationError(shown, unreadableMessage(content));
}

/** Reads the pull request's reviews and the base commit's configuration, for its changed files. */
export async function gatherPullRequest(
  repo: RepositoryReader,
  pr: PullRequestInfo,
  files: ChangedFile[],
  now: number,
): Promise<PullRequestData> {
  const policyFolder = DEFAULT_POLICY_PATH.slice(0, DEFAULT_POLICY_PATH.lastIndexOf('/') + 1);
  const wanted = (path: string) =>
    isRequestPath(path) ||
    path === DEFAULT_POLICY_PATH ||
    (CODEOWNERS_LOCATIONS as readonly string[]).includes(path) ||
    (path.startsWith(policyFolder) && path.endsWith('.ics')) ||
    (path.startsWith(`${DEFAULT_TEMPLATES_DIR}/`) && path.endsWith('.hbs'));
  const [reviews, tree] = await Promise.all([repo.reviews(pr.number), repo.snapshot(pr.baseSha, wanted)]);
  const text = (path: string) => {
    const content = tree.get(path);
    return content && 'text' in content ? content.text : undefined;
  };

  // A policy that is there but unreadable fails the check; it is never replaced by the default.
  const policyText = configurationText(`${DEFAULT_POLICY_PATH} (base)`, tree.get(DEFAULT_POLICY_PATH));
  const loaded =
    policyText === undefined
      ? fromText(DEFAULT_POLICY_YAML, 'built-in default', undefined, now)
      : fromText(
          policyText,
          `${DEFAULT_POLICY_PATH} (base)`,
          (name) => {
            const content = tree.get(`${policyFolder}${name}`);
            if (content && !('text' in content) && !('missing' in content))
              throw new Error(unreadableMessage(content));
            const found = text(`${policyFolder}${name}`);
            if (found === undefined) throw new Error(`${name} not found`);
            return found;
          },
          now,
        );
  const codeownersPath = CODEOWNERS_LOCATIONS.find((p) => text(p) !== undefined);

  const base = new Map<string, RequestParse>();
  for (const [path, content] of tree) {
    if (!isRequestPath(path)) continue;
    const parsed = toParse(path, content);
    if (parsed) base.set(path, parsed);
  }

  const changedRequests = files.filter((f) => isRequestPath(f.filename) && f.status !== 'removed');
  // Each changed request at the head: rebuilt from the base and GitHub's patch when the blob SHA
  // proves it right (one API request fewer per file), read through the API otherwise.
  const headContent = async (f: ChangedFile): Promise<FileContent> => {
    const before = f.status === 'added' ? '' : text(f.previousFilename ?? f.filename);
    const rebuilt = headFromPatch(before, f);
    if (rebuilt === undefined) return repo.readFile(f.filename, pr.headSha);
    const bytes = Buffer.byteLength(rebuilt, 'utf8');
    return bytes > MAX_FILE_BYTES ? { tooBig: bytes } : { text: rebuilt };
  };
  const heads = (
    await Promise.all(changedRequests.map(async (f) => toParse(f.filename, await headContent(f))))
  ).filter((p): p is RequestParse => p !== undefined);

  const removed: PullRequestData['removed'] = [];
  for (const file of files) {
    const gone =
      file.status === 'removed'
        ? file.filename
        : file.status === 'renamed'
          ? file.previousFilename
          : undefined;
    if (gone === undefined || !isRequestPath(gone)) continue;
    const before = base.get(gone);
    if (before) removed.push({ file, before });
  }

  const templateOverrides: Record<string, string> = {};
  for (const [path, content] of tree) {
    if (path.startsWith(`${DEFAULT_TEMPLATES_DIR}/`) && 'text' in content)
      templateOverrides[path.slice(DEFAULT_TEMPLATES_DIR.length + 1)] = content.text;
  }

  return {
    pr,
    files,
    reviews,
    policy: loaded.policy,
    policySource: loaded.source,
    codeowners: codeownersPath ? (text(codeownersPath) ?? null) : null,
    base,
    heads,
    removed,
    templateOverrides,
  };
}

/**
 * The approval snapshot of DESIGN/issue 4. Commit history is fetched only when some approval was
 * given on an older commit (otherwise every approval is at the head and cannot be stale), and then
 * only for files an approval rule covers; write access only for reviewers whose review could count
 * and the owners the comment may name.
 */
export async function buildSnapshot(
  repo: RepositoryReader,
  data: PullRequestData,
): Promise<ApprovalSnapshot> {
  const { pr, files, reviews, policy } = data;
  const isBot = (r: Review) => r.userType === 'Bot' || r.user.endsWith('[bot]');
  const candidates = reviews.filter(
    (r) =>
      (r.state === 'APPROVED' || r.state === 'CHANGES_REQUESTED') &&
      !isBot(r) &&
      r.user.toLowerCase() !== pr.author.toLowerCase(),
  );
  const parsed = parseCodeowners(data.codeowners ?? '');
  const heads = new Map(data.heads.map((h) => [h.path, h]));
  const described = files.map((f) => {
    const request = heads.get(f.filename)?.request;
    return {
      filename: f.filename,
      previous_filename: f.previousFilename ?? null,
      status: f.status,
      ...(request ? { request: { impact: request.impact, type: request.type } } : {}),
    };
  });
  const needsHistory = candidates.some((r) => r.state === 'APPROVED' && r.commitId !== pr.headSha);
  const commits = needsHistory ? await repo.pullCommits(pr.number) : [pr.headSha];
  const lastChanged = new Map<string, string>();
  if (needsHistory) {
    await Promise.all(
      described
        .filter((f) => approvalCovers(f, parsed))
        .map(async (f) =>
          lastChanged.set(f.filename, (await repo.lastCommitTouching(f.filename, pr.headSha)) ?? pr.headSha),
        ),
    );
  }
  // Files no rule covers are recorded as changed at the head, the latest they could have: their
  // history decides nothing, and a replay under other CODEOWNERS would err on the strict side.
  const snapshotFiles: SnapshotFile[] = described.map(
    (f) => ({ ...f, last_changed_commit: lastChanged.get(f.filename) ?? pr.headSha }) as SnapshotFile,
  );

  // Teams: those that own a changed file, and those the requests' impacts require.
  const teams = new Set<string>();
  const userOwners = new Set<string>();
  for (const f of files) {
    for (const path of [f.filename, f.previousFilename].filter((p): p is string => p !== undefined)) {
      for (const owner of ownersOf(path, parsed)) {
        if (/^@[^/]+\/.+/.test(owner)) teams.add(owner.slice(1));
        else if (owner.startsWith('@')) userOwners.add(owner.slice(1));
      }
    }
  }
  for (const head of data.heads) {
    const request = head.request;
    if (!request) continue;
    const rule = policy.approvals[request.type === 'emergency' ? 'emergency' : request.impact];
    for (const t of rule.teams) teams.add(t.team);
  }
  const teamMembers: Record<string, string[] | null> = {};
  const notFound: string[] = [];
  await Promise.all(
    [...teams].map(async (team) => {
      const [org, slug] = team.split('/') as [string, string];
      const members = await repo.teamMembers(org, slug);
      teamMembers[team] = members === 'not-found' ? null : members;
      if (members === 'not-found') notFound.push(team);
    }),
  );

  // Write access of the reviewers whose review could count, and of the owners the comment may ask
  // (one page of collaborators usually answers for all of them at once).
  const reviewers = [...new Set(candidates.map((r) => r.user))];
  const askable = [...userOwners].filter(
    (login) => login.toLowerCase() !== pr.author.toLowerCase() && !login.toLowerCase().endsWith('[bot]'),
  );
  const checked = [
    ...new Map([...reviewers, ...askable].map((login) => [login.toLowerCase(), login])).values(),
  ];
  const writers = await repo.writersAmong(checked);

  return {
    author: pr.author,
    codeowners: data.codeowners,
    commits,
    files: snapshotFiles,
    reviews: reviews.map((r) => ({
      user: r.user,
      user_type: r.userType,
      state: r.state,
      submitted_at: r.submittedAt,
      commit_id: r.commitId,
    })),
    teams: teamMembers,
    ...(notFound.length > 0 ? { teams_not_found: notFound.sort() } : {}),
    writers,
    access_checked: checked,
  } as ApprovalSnapshot;
}
