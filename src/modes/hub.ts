// `mode: hub`: one schedule over many repositories. Gather (the hub's configuration and policy from
// its checkout, its previous build read back from its own site, the members), plan (merge, conflicts
// between repositories, the conflict issues due: pure modules under src/hub/), apply (write the site,
// open, update and close the issues).
//
// Where the state lives between builds: on the hub's own published site, beside what it describes.
// The previous schedule.json is every member's last good data (so a member that fails to read keeps
// its work in the calendar), and hub-state.json holds the ETags and commits to ask with, the
// SEQUENCE of each event and the open conflict issues. Reading them back costs two Pages requests and
// no API rate limit, needs no permission beyond publishing the site (a branch would need
// contents: write), is never evicted (an Actions cache is, after 7 days unused), and is always the
// state of what subscribers see. If it cannot be read, the build reads every member in full.
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigurationError } from '../errors.ts';
import type { ConditionalIssues, MemberReader } from '../github/members.ts';
import type { PagesReader } from '../github/pages.ts';
import type { IssueTracker } from '../github/port.ts';
import { HUB_CONFIG_PATH, parseHubConfig, siteOf, type HubConfig } from '../hub/config.ts';
import { crossRepositoryConflicts, type CrossConflict } from '../hub/conflicts.ts';
import { CONFLICT_LABEL, bodySha, knownIssue, planConflictIssues } from '../hub/issues.ts';
import { memberKey, resolveMembers, topicOrganisations, type OrgRepository } from '../hub/members.ts';
import { byUid, mergeSchedules, nextSequences } from '../hub/merge.ts';
import { readHubSchedule, type RepositoryOccurrence } from '../hub/schedule-input.ts';
import { hubSiteFiles } from '../hub/site.ts';
import { HUB_STATE_PATH, emptyState, parseHubState, type HubState, type KnownIssue } from '../hub/state.ts';
import { renderHubSummary, type IssueCounts, type MemberReport } from '../hub/summary.ts';
import { describeSize, MAX_FILE_BYTES } from '../model/yaml-source.ts';
import { SCHEDULE_JSON_PATH } from '../publish/schedule-json.ts';
import { loadPolicy } from '../workspace/local.ts';
import { writeSite } from '../workspace/site-writer.ts';
import { MAX_PULL_LOOKUPS, readMember } from './hub-member.ts';

export interface HubDeps {
  /** Reads the members (a GitHub App installation token with contents and metadata read on them). */
  reader: MemberReader;
  pages: PagesReader;
  /** The hub repository's issues; without them no conflict issue is opened. */
  issues?: { list: ConditionalIssues; tracker: IssueTracker };
  now: () => number;
  log: (message: string) => void;
}

export interface HubSettings {
  /** The hub's checkout: its configuration and policy are read from there. */
  workspace: string;
  out: string;
  hub: { owner: string; name: string };
  serverUrl: string;
  /** Where the hub's site is served; default its pages_url. Its previous build is read back from there. */
  baseUrl?: string;
  /** Members read at once (default 8). */
  concurrency?: number;
  /** Conflict issues opened per build at most; the rest wait for the next (default 20). */
  maxNewIssues?: number;
  /** List the organisations' repositories again however recently they were (a manual run). */
  relist?: boolean;
}

/**
 * Repositories found by topic are listed again after this long (or on a manual run): a repository
 * that gains the topic joins within hours, and a quiet build asks the organisation nothing.
 */
export const LISTING_MAX_AGE_MS = 6 * 3_600_000;

export interface HubOutcome {
  out: string;
  url: string;
  files: number;
  members: MemberReport[];
  /** Members that could not be read this build (their last data kept). */
  failed: MemberReport[];
  conflicts: CrossConflict[];
  issues?: IssueCounts;
  summary: string;
}

function loadConfig(workspace: string, owner: string): HubConfig {
  const path = join(workspace, HUB_CONFIG_PATH);
  if (!existsSync(path))
    throw new ConfigurationError(
      HUB_CONFIG_PATH,
      'not found: `maint init --hub` writes one, listing the members',
    );
  const text = readFileSync(path, 'utf8');
  if (Buffer.byteLength(text) > MAX_FILE_BYTES)
    throw new ConfigurationError(
      HUB_CONFIG_PATH,
      `is ${describeSize(Buffer.byteLength(text))}, over the 1 MiB limit`,
    );
  const parsed = parseHubConfig({ path: HUB_CONFIG_PATH, text }, owner);
  if (!parsed.config)
    throw new ConfigurationError(
      HUB_CONFIG_PATH,
      parsed.findings.map((f) => `line ${f.line}, column ${f.column}: ${f.message}`).join('\n'),
    );
  return parsed.config;
}

/** The previous build as published: its state, and its occurrences by member. */
async function readBack(
  pages: PagesReader,
  site: string,
  notes: string[],
): Promise<{ state: HubState; occurrences: Map<string, RepositoryOccurrence[]> }> {
  const [stateAnswer, scheduleAnswer] = await Promise.all([
    pages.get(new URL(HUB_STATE_PATH, site).href),
    pages.get(new URL(SCHEDULE_JSON_PATH, site).href),
  ]);
  let state = emptyState();
  if (stateAnswer.status === 'ok') {
    const parsed = parseHubState(stateAnswer.text);
    if ('state' in parsed) state = parsed.state;
    else
      notes.push(
        `The previous ${HUB_STATE_PATH} was not used (${parsed.problem}): every member is read in full.`,
      );
  } else {
    notes.push(
      `No previous ${HUB_STATE_PATH} at ${site} (${stateAnswer.status === 'failed' ? stateAnswer.reason : 'not published yet'}): every member is read in full.`,
    );
  }
  const occurrences = new Map<string, RepositoryOccurrence[]>();
  if (scheduleAnswer.status === 'ok') {
    const read = readHubSchedule(scheduleAnswer.text);
    if ('problem' in read) notes.push(`The previous ${SCHEDULE_JSON_PATH} was not used: ${read.problem}.`);
    else
      for (const occurrence of read.occurrences) {
        const key = memberKey(occurrence.repository);
        const list = occurrences.get(key);
        if (list) list.push(occurrence);
        else occurrences.set(key, [occurrence]);
      }
  }
  return { state, occurrences };
}

function* counted<T>(items: Iterable<T>, count: () => void): Generator<T> {
  for (const item of items) {
    count();
    yield item;
  }
}

async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Opens, updates and closes the conflict issues; returns what it did and the issues open after. */
async function syncIssues(
  conflicts: readonly CrossConflict[],
  issues: NonNullable<HubDeps['issues']>,
  known: HubState['issues'],
  maxNew: number,
): Promise<{ counts: IssueCounts; state: HubState['issues'] }> {
  const listed = await issues.list.openIssues(CONFLICT_LABEL, known.etag);
  const open: KnownIssue[] =
    listed.status === 'unchanged'
      ? known.open
      : listed.issues.map(knownIssue).filter((i): i is KnownIssue => i !== undefined);
  const actions = planConflictIssues(conflicts, open);
  const counts: IssueCounts = { opened: [], updated: [], closed: [], deferred: 0 };
  const after = new Map(open.map((i) => [i.number, i]));
  for (const action of actions) {
    if (action.kind === 'create') {
      if (counts.opened.length >= maxNew) {
        counts.deferred++;
        continue;
      }
      const issue = await issues.tracker.createIssue({
        title: action.title,
        body: action.body,
        labels: [CONFLICT_LABEL],
        assignees: [],
      });
      counts.opened.push(issue.htmlUrl);
      after.set(issue.number, {
        number: issue.number,
        key: action.key,
        title: action.title,
        bodySha: bodySha(action.body),
      });
    } else if (action.kind === 'update') {
      await issues.tracker.updateIssue(action.number, { title: action.title, body: action.body });
      counts.updated.push(`#${action.number}`);
      after.set(action.number, {
        number: action.number,
        key: action.key,
        title: action.title,
        bodySha: bodySha(action.body),
      });
    } else {
      await issues.tracker.comment(action.number, action.comment);
      await issues.tracker.updateIssue(action.number, {
        state: 'closed',
        stateReason: action.duplicate ? 'not_planned' : 'completed',
      });
      counts.closed.push(`#${action.number}`);
      after.delete(action.number);
    }
  }
  let etag = listed.status === 'unchanged' ? known.etag : listed.etag;
  if (actions.length > 0) {
    // The list changed by our hand: read its new ETag now, so the next quiet build is a 304.
    const again = await issues.list.openIssues(CONFLICT_LABEL, null);
    etag = again.status === 'changed' ? again.etag : null;
  }
  return { counts, state: { etag, open: [...after.values()].sort((a, b) => a.number - b.number) } };
}

export async function runHub(deps: HubDeps, settings: HubSettings): Promise<HubOutcome> {
  const now = deps.now();
  const notes: string[] = [];
  const config = loadConfig(settings.workspace, settings.hub.owner);
  const { policy } = loadPolicy(undefined, settings.workspace, now);
  const site = settings.baseUrl ?? siteOf(config.pagesUrl, settings.hub.owner, settings.hub.name);
  const siteRoot = site.endsWith('/') ? site : `${site}/`;
  const previous = await readBack(deps.pages, siteRoot, notes);

  const listings = new Map<string, OrgRepository[]>();
  const listingState: HubState['listings'] = {};
  for (const org of topicOrganisations(config)) {
    const key = org.toLowerCase();
    const known = previous.state.listings[key];
    const age = known ? now - Date.parse(known.listedAt) : Infinity;
    let listing = known;
    if (!known || settings.relist || !(age < LISTING_MAX_AGE_MS)) {
      try {
        const { pages } = await deps.reader.orgRepositories(org, known?.pages ?? []);
        listing = { listedAt: new Date(now).toISOString(), pages };
      } catch (error) {
        notes.push(
          `The repositories of ${org} could not be listed (${error instanceof Error ? error.message : String(error)})${known ? ': those found last time are kept' : ''}.`,
        );
      }
    }
    if (listing) {
      listingState[key] = listing;
      listings.set(
        key,
        listing.pages.flatMap((p) => p.repositories),
      );
    }
  }
  const members = resolveMembers(config, listings);
  deps.log(`${members.length} members`);

  const lookups = { left: MAX_PULL_LOOKUPS };
  const reads = await inPool(members, settings.concurrency ?? 8, (member) =>
    readMember(
      member,
      { state: previous.state.members[member.key], occurrences: previous.occurrences.get(member.key) ?? [] },
      {
        reader: deps.reader,
        pages: deps.pages,
        now,
        serverUrl: settings.serverUrl,
        pagesUrl: config.pagesUrl,
        lookups,
      },
    ),
  );
  const merged = mergeSchedules(
    reads.map((read, i) => ({ repository: members[i]!.repository, occurrences: read.occurrences })),
    now - policy.calendar.keepAfterEndMs,
  );
  notes.push(...merged.collisions);
  const state: HubState = {
    ...emptyState(),
    generatedAt: new Date(now).toISOString(),
    listings: listingState,
    sequences: nextSequences(previous.state.sequences, byUid(merged.occurrences)),
    issues: previous.state.issues,
  };
  reads.forEach((read, i) => {
    const member = members[i]!;
    const count = merged.counts.get(member.repository) ?? 0;
    state.members[member.key] = { ...read.state, occurrences: count };
    read.report.occurrences = count;
  });

  const report = crossRepositoryConflicts(merged.occurrences, policy, now);
  let issueCounts: IssueCounts | undefined;
  if (config.conflictIssues && deps.issues) {
    try {
      const synced = await syncIssues(
        report.conflicts.filter((c) => c.severity === 'error'),
        deps.issues,
        previous.state.issues,
        settings.maxNewIssues ?? 20,
      );
      issueCounts = synced.counts;
      state.issues = synced.state;
    } catch (error) {
      state.issues = { etag: null, open: previous.state.issues.open };
      notes.push(
        `Conflict issues not brought up to date: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  const reports = reads.map((r) => r.report);
  let written = 0;
  const files = hubSiteFiles({
    occurrences: merged.occurrences,
    members,
    reports,
    policy,
    now,
    hub: { ...settings.hub, serverUrl: settings.serverUrl },
    ...(siteRoot.startsWith('https://') ? { baseUrl: siteRoot } : {}),
    conflicts: report,
    state,
  });
  writeSite(
    resolve(settings.workspace, settings.out),
    counted(files, () => written++),
  );
  const summary = renderHubSummary({
    hub: `${settings.hub.owner}/${settings.hub.name}`,
    members: reports,
    report,
    ...(issueCounts ? { issues: issueCounts } : {}),
    occurrences: merged.occurrences.length,
    files: written,
    requests: {
      api: deps.reader.counts.api + (deps.issues?.list.counts.api ?? 0),
      notModified: deps.reader.counts.notModified + (deps.issues?.list.counts.notModified ?? 0),
      pages: deps.pages.requests,
    },
    notes,
  });
  return {
    out: settings.out,
    url: siteRoot,
    files: written,
    members: reports,
    failed: reports.filter((r) => r.outcome === 'kept'),
    conflicts: report.conflicts,
    ...(issueCounts ? { issues: issueCounts } : {}),
    summary,
  };
}
