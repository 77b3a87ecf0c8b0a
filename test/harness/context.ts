// What a route handler gets and gives back: the checked request, GitHub-style errors, and pagination with
// `Link` headers the way GitHub writes them.
import type { Operation } from './openapi.ts';
import type { Renderer } from './render.ts';
import type { GitHubState, RepoRecord, TokenPolicy } from './state.ts';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as is instead of JSON. */
  raw?: Buffer;
}

export interface Caller {
  /** The token, or undefined for an anonymous request. */
  token: string | undefined;
  policy: Required<TokenPolicy>;
}

export interface ServerSettings {
  /** `repository-id` writes next-page links as /repositories/{id}/... like GitHub; `same-path` keeps the path. */
  linkStyle: 'repository-id' | 'same-path';
  /** Workflow runs complete on their own after this many GETs of the run (never when undefined). */
  autoCompleteRuns?: { afterPolls: number; conclusion: 'success' | 'failure' };
  /** Where the tarball redirect points (this server's codeload stand-in). */
  codeloadPath: string;
}

export class RequestContext {
  constructor(
    readonly operation: Operation,
    readonly path: Record<string, unknown>,
    readonly query: Record<string, unknown>,
    readonly body: unknown,
    readonly caller: Caller,
    readonly state: GitHubState,
    readonly render: Renderer,
    readonly settings: ServerSettings,
    /** The request's path (after /repositories/{id} rewriting) and search params, for Link headers. */
    readonly url: URL,
    readonly headers: Record<string, string | string[] | undefined>,
  ) {}

  str(name: string): string {
    return String(this.path[name]);
  }

  int(name: string): number {
    return Number(this.path[name]);
  }

  /** The repository named by {owner}/{repo}; 404 when it does not exist or the caller may not see it. */
  repo(): RepoRecord {
    const repo = this.state.findRepo(`${this.str('owner')}/${this.str('repo')}`);
    if (!repo || !this.state.canSee(repo, this.caller.policy, this.caller.token)) throw notFound();
    return repo;
  }

  /** The JSON body as an object (validated against the OpenAPI schema before the handler runs). */
  json<T = Record<string, unknown>>(): T {
    return (this.body ?? {}) as T;
  }
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
    /** The request broke a documented GitHub rule: also record it in `server.violations`. */
    readonly violation = false,
  ) {
    super(message);
  }
}

export const DOCS = 'https://docs.github.com/rest';

export function notFound(): ApiError {
  return new ApiError(404, 'Not Found');
}

export function validationFailed(
  resource: string,
  field: string,
  code = 'invalid',
  message?: string,
): ApiError {
  return new ApiError(422, 'Validation Failed', {
    errors: [{ resource, field, code, ...(message ? { message } : {}) }],
  });
}

export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}): unknown {
  return { message, ...extra, documentation_url: DOCS, status: String(status) };
}

export const MAX_PER_PAGE = 100;

export function pageOf(ctx: RequestContext): { perPage: number; page: number } {
  const raw = Number(ctx.query.per_page ?? 30);
  const perPage = Math.min(MAX_PER_PAGE, raw > 0 ? raw : 30);
  const page = Math.max(1, Number(ctx.query.page ?? 1));
  return { perPage, page };
}

/** One page of `items` with GitHub's Link header; `cap` limits what can be paged through (PR files: 3000). */
export function paginate<T>(
  ctx: RequestContext,
  items: T[],
  render: (item: T) => unknown,
  options: { cap?: number; wrap?: (page: unknown[], total: number) => unknown } = {},
): Reply {
  const { perPage, page } = pageOf(ctx);
  const visible = options.cap !== undefined ? items.slice(0, options.cap) : items;
  const slice = visible.slice((page - 1) * perPage, page * perPage).map(render);
  const last = Math.max(1, Math.ceil(visible.length / perPage));
  const headers: Record<string, string> = {};
  const link = linkHeader(ctx, page, last);
  if (link) headers.link = link;
  return { status: 200, body: options.wrap ? options.wrap(slice, items.length) : slice, headers };
}

function linkHeader(ctx: RequestContext, page: number, last: number): string | undefined {
  if (last <= 1 && page <= 1) return undefined;
  const base = new URL(ctx.url.toString());
  if (
    ctx.settings.linkStyle === 'repository-id' &&
    ctx.path.owner !== undefined &&
    ctx.path.repo !== undefined
  ) {
    const repo = ctx.state.findRepo(`${ctx.str('owner')}/${ctx.str('repo')}`);
    const prefix = /^\/repos\/[^/]+\/[^/]+/;
    if (repo) base.pathname = base.pathname.replace(prefix, `/repositories/${repo.id}`);
  }
  const at = (n: number): string => {
    const u = new URL(base.toString());
    u.searchParams.delete('page');
    u.searchParams.append('page', String(n));
    return `<${u.toString()}>`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`${at(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) parts.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  if (page > 1) parts.push(`${at(1)}; rel="first"`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}
