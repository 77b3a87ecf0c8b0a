// What one hub build leaves for the next: per member where its schedule came from and the validator
// to ask again with (the Pages ETag, or the commit the branch was at), the organisations' listings
// with their ETags, each event's SEQUENCE, and the open conflict issues with their list's ETag. Published beside
// the site as hub-state.json and read back at the start of the next build (see modes/hub.ts for why
// there). The members' last good data is the hub's previous schedule.json, so it is not kept twice.
// Not a contract: a state that does not read as this version is ignored (the next build reads all).
import type { OrgRepository } from './members.ts';

export const HUB_STATE_PATH = 'hub-state.json';
export const HUB_STATE_VERSION = 1;

export interface PagesSource {
  kind: 'pages';
  url: string;
  etag: string | null;
  lastModified: string | null;
}

export interface ApiSource {
  kind: 'api';
  branch: string;
  /** The commit the data was read at: asked again as the ETag of the branch's head. */
  sha: string;
  /** Per request file: its git blob SHA and the pull request that last changed it (looked up once). */
  files: Record<string, { blob: string; pull: number | null }>;
}

export interface MemberState {
  repository: string;
  source: PagesSource | ApiSource | null;
  /** When its data was last read successfully (ISO), null before the first success. */
  readAt: string | null;
  /** How many occurrences of it the published schedule.json holds: the check that they are all there. */
  occurrences: number;
  /** Why the last read failed, null when it did not. */
  problem: string | null;
}

export interface ListingPage {
  etag: string | null;
  repositories: OrgRepository[];
  /** GitHub's Link header named a next page. */
  next: boolean;
}

export interface HubState {
  version: typeof HUB_STATE_VERSION;
  generatedAt: string;
  /** By lower-cased owner/name. */
  members: Record<string, MemberState>;
  /** By lower-cased organisation: its repositories, and when they were listed (ISO). */
  listings: Record<string, { listedAt: string; pages: ListingPage[] }>;
  /** By UID: [SEQUENCE, the signature of times and status it was given for]. */
  sequences: Record<string, [number, string]>;
  /** The open conflict issues as last listed, and that list's ETag (null: ask it in full). */
  issues: { etag: string | null; open: KnownIssue[] };
}

/** An open conflict issue as the hub knows it: enough to decide without reading it again. */
export interface KnownIssue {
  number: number;
  key: string;
  title: string;
  /** sha256 of its body. */
  bodySha: string;
}

export function emptyState(): HubState {
  return {
    version: HUB_STATE_VERSION,
    generatedAt: '',
    members: {},
    listings: {},
    sequences: {},
    issues: { etag: null, open: [] },
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The state in `text`, or undefined (with why) when it is not a state of this version. */
export function parseHubState(text: string): { state: HubState } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!isObject(value) || value.version !== HUB_STATE_VERSION)
    return { problem: `not version ${HUB_STATE_VERSION}` };
  if (!isObject(value.members) || !isObject(value.listings) || !isObject(value.sequences))
    return { problem: 'members, listings or sequences missing' };
  const members: Record<string, MemberState> = {};
  for (const [key, member] of Object.entries(value.members)) {
    if (isObject(member) && typeof member.repository === 'string' && typeof member.occurrences === 'number')
      members[key] = member as unknown as MemberState;
  }
  const sequences: Record<string, [number, string]> = {};
  for (const [uid, entry] of Object.entries(value.sequences)) {
    if (Array.isArray(entry) && Number.isInteger(entry[0]) && typeof entry[1] === 'string')
      sequences[uid] = [entry[0] as number, entry[1]];
  }
  const listings: HubState['listings'] = {};
  for (const [org, listing] of Object.entries(value.listings)) {
    if (
      isObject(listing) &&
      typeof listing.listedAt === 'string' &&
      Array.isArray(listing.pages) &&
      listing.pages.every((p) => isObject(p) && Array.isArray(p.repositories))
    )
      listings[org] = { listedAt: listing.listedAt, pages: listing.pages as ListingPage[] };
  }
  return {
    state: {
      version: HUB_STATE_VERSION,
      generatedAt: typeof value.generatedAt === 'string' ? value.generatedAt : '',
      members,
      listings,
      sequences,
      issues: knownIssues(value.issues),
    },
  };
}

function knownIssues(value: unknown): HubState['issues'] {
  if (!isObject(value) || !Array.isArray(value.open)) return { etag: null, open: [] };
  const open = value.open.filter(
    (i): i is KnownIssue =>
      isObject(i) &&
      Number.isInteger(i.number) &&
      typeof i.key === 'string' &&
      typeof i.title === 'string' &&
      typeof i.bodySha === 'string',
  );
  // A list that did not read whole cannot stand for the issues: ask again.
  return {
    etag: open.length === value.open.length && typeof value.etag === 'string' ? value.etag : null,
    open,
  };
}

export function renderHubState(state: HubState): string {
  return `${JSON.stringify(state)}\n`;
}
