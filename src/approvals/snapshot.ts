// The approvals snapshot: everything the decision needs, gathered by the action from GitHub and
// replayable with `maint approvals --snapshot`. It arrives as untrusted JSON, so it is checked here
// field by field before the decision reads it.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describeErrors } from '../model/schema-check.ts';
import type { Impact, RequestType } from '../model/types.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/** GitHub's pull request file statuses (`removed` is a deletion). */
export const FILE_STATUSES = [
  'added',
  'removed',
  'modified',
  'renamed',
  'copied',
  'changed',
  'unchanged',
] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

export const REVIEW_STATES = ['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export interface SnapshotFile {
  filename: string;
  previous_filename?: string | null;
  status: FileStatus;
  /** The last of the pull request's commits that changed this file. */
  last_changed_commit: string;
  /** Present for maintenance request files: their impact and type at the head. */
  request?: { impact: Impact; type: RequestType };
}

export interface SnapshotReview {
  user: string;
  /** GitHub's account type: `User`, `Bot`, ... */
  user_type?: string;
  state: ReviewState;
  submitted_at?: string | null;
  /** The commit the review was given on. */
  commit_id?: string | null;
}

export interface ApprovalSnapshot {
  /** Login of the pull request's author. */
  author: string;
  /** CODEOWNERS text at the base commit; null when the base has none. */
  codeowners: string | null;
  /** The pull request's commits, oldest first. */
  commits: string[];
  files: SnapshotFile[];
  reviews: SnapshotReview[];
  /** Team (`org/slug`, no @) -> active member logins, or null when the token could not read them. */
  teams: Record<string, string[] | null>;
  /** Teams (null in `teams`) for which GitHub answered 404: no such team, or one the token cannot see. */
  teams_not_found?: string[];
  /** Who has write access; when present, nobody else counts. */
  writers?: string[];
  /**
   * Whose write access was looked up (`writers` are those of them who have it). When present, only
   * these are known to lack it if missing from `writers`; when absent, `writers` is taken as complete.
   */
  access_checked?: string[];
}

const SNAPSHOT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['author', 'codeowners', 'commits', 'files', 'reviews', 'teams'],
  properties: {
    author: { type: 'string', minLength: 1, description: 'login of the pull request author' },
    codeowners: {
      type: ['string', 'null'],
      description: 'the CODEOWNERS text at the base commit, or null when there is none',
    },
    commits: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', minLength: 1 },
      description: "the pull request's commit SHAs, oldest first",
    },
    files: {
      type: 'array',
      description: 'the changed files',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['filename', 'status', 'last_changed_commit'],
        properties: {
          filename: { type: 'string', minLength: 1, description: 'path at the head' },
          previous_filename: { type: ['string', 'null'], minLength: 1 },
          status: { enum: FILE_STATUSES },
          last_changed_commit: {
            type: 'string',
            minLength: 1,
            description: 'the last commit of the pull request that changed the file',
          },
          request: {
            type: 'object',
            additionalProperties: false,
            required: ['impact', 'type'],
            properties: {
              impact: { enum: ['low', 'medium', 'high'] },
              type: { enum: ['standard', 'emergency'] },
            },
          },
        },
      },
    },
    reviews: {
      type: 'array',
      description: "the pull request's reviews",
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['user', 'state'],
        properties: {
          user: { type: 'string', minLength: 1, description: 'login of the reviewer' },
          user_type: { type: 'string' },
          state: { enum: REVIEW_STATES },
          submitted_at: { type: ['string', 'null'], format: 'date-time' },
          commit_id: { type: ['string', 'null'] },
        },
      },
    },
    teams: {
      type: 'object',
      description: 'team `org/slug` -> member logins, or null when they could not be read',
      additionalProperties: {
        type: ['array', 'null'],
        items: { type: 'string', minLength: 1 },
      },
    },
    teams_not_found: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'teams `org/slug` GitHub answered 404 for',
    },
    writers: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'logins with write access',
    },
    access_checked: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'logins whose write access was looked up',
    },
  },
} as const;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    compiled = ajv.compile(SNAPSHOT_SCHEMA);
  }
  return compiled;
}

export type SnapshotCheck =
  { snapshot: ApprovalSnapshot; errors?: undefined } | { snapshot?: undefined; errors: string[] };

const TEAM_SLUG = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9_.-]+$/;

/** Checks what the schema cannot: references between fields. */
function crossCheck(snapshot: ApprovalSnapshot): string[] {
  const errors: string[] = [];
  const commits = new Set(snapshot.commits);
  const seen = new Map<string, number>();
  snapshot.files.forEach((file, i) => {
    if (!commits.has(file.last_changed_commit))
      errors.push(
        `\`files[${i}].last_changed_commit\` \`${file.last_changed_commit}\` is not one of \`commits\``,
      );
    const earlier = seen.get(file.filename);
    if (earlier !== undefined)
      errors.push(`\`files[${i}].filename\` \`${file.filename}\` is listed twice (also files[${earlier}])`);
    else seen.set(file.filename, i);
  });
  snapshot.reviews.forEach((review, i) => {
    if (review.state !== 'PENDING' && (review.submitted_at ?? null) === null)
      errors.push(`\`reviews[${i}].submitted_at\` is required unless the review is PENDING`);
  });
  for (const team of Object.keys(snapshot.teams)) {
    if (!TEAM_SLUG.test(team))
      errors.push(
        `\`teams\` key \`${team}\` must be a team written org/slug${team.startsWith('@') ? ', without @' : ''}`,
      );
  }
  for (const team of snapshot.teams_not_found ?? []) {
    if (snapshot.teams[team] !== null)
      errors.push(`\`teams_not_found\` names \`${team}\`, which \`teams\` must then list as null`);
  }
  return errors;
}

/** Validates parsed JSON as a snapshot; errors name the field and what is wrong with it. */
export function checkSnapshot(value: unknown): SnapshotCheck {
  const validate = validator();
  if (!validate(value))
    return {
      errors: describeErrors(validate.errors ?? []).map((f) =>
        f.message.replace('`the file`', 'the snapshot'),
      ),
    };
  const snapshot = value as unknown as ApprovalSnapshot;
  const errors = crossCheck(snapshot);
  return errors.length > 0 ? { errors } : { snapshot };
}

/** Parses snapshot JSON text and validates it. */
export function parseSnapshot(text: string): SnapshotCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { errors: [`not valid JSON: ${(error as Error).message}`] };
  }
  return checkSnapshot(value);
}
