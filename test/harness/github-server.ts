// The local GitHub REST API for end-to-end tests: an HTTP server on 127.0.0.1 that keeps state, answers like
// GitHub, and rejects (and records as a violation) any request GitHub's OpenAPI description does not allow.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiError,
  RequestContext,
  errorBody,
  type Caller,
  type Reply,
  type ServerSettings,
} from './context.ts';
import { Faults, type FaultHandle, type FaultRule } from './faults.ts';
import { openApi, type Operation, type Problem } from './openapi.ts';
import { Renderer } from './render.ts';
import { completeRun } from './routes/actions.ts';
import { ROUTES } from './routes/index.ts';
import { NOT_ACCESSIBLE } from './routes/people.ts';
import { Seeder } from './seed.ts';
import { PagesSites } from './pages.ts';
import { GitHubState, type RunRecord, type TokenPolicy } from './state.ts';
import { tarball } from './tarball.ts';

export { SECONDARY_RATE_LIMIT_MESSAGE, type FaultHandle, type FaultRule } from './faults.ts';
/** How long this process spent loading the OpenAPI description (0 before any server started). */
export { openApiLoadMillis } from './openapi.ts';
export type { GitHubState } from './state.ts';
export type { Seeder } from './seed.ts';

export interface GitHubServerOptions {
  /** The server's clock for created_at/updated_at; default the real one. */
  clock?: () => Date;
  /** Root of html_url fields; default https://github.com. */
  htmlUrl?: string;
  /** Also check every JSON answer against the documented response schema (slower; for the harness's tests). */
  checkResponses?: boolean;
  /** `repository-id` (default, as GitHub): next-page links are /repositories/{id}/...; `same-path` keeps the path. */
  linkStyle?: ServerSettings['linkStyle'];
  /** Workflow runs complete by themselves after this many GETs of the run (0: at dispatch). */
  autoCompleteRuns?: { afterPolls: number; conclusion: 'success' | 'failure' };
  /** Policy for tokens not seeded with `seed.token`; default read-write, may read teams, github-actions[bot]. */
  defaultToken?: TokenPolicy;
}

export type ViolationKind =
  | 'unknown-route'
  | 'path-param'
  | 'query-param'
  | 'body'
  | 'unknown-body-property'
  | 'rule'
  | 'unimplemented'
  | 'response'
  | 'server-error';

export interface Violation {
  method: string;
  path: string;
  /** The OpenAPI path template, when the route exists. */
  route?: string;
  kind: ViolationKind;
  message: string;
}

export interface RequestRecord {
  method: string;
  /** The path as requested (percent-encoded), without the query. */
  path: string;
  /** The OpenAPI path template, `codeload` for the tarball download, undefined for unknown routes. */
  route?: string;
  operationId?: string;
  query: Record<string, string>;
  /** Undefined while a hanging request is still open. */
  status?: number;
  token?: string;
  /** Answered by an injected fault. */
  faulted: boolean;
  /** Wall-clock time (epoch ms) the request arrived, for start-up measurements. */
  receivedAt: number;
}

export interface RequestFilter {
  method?: string;
  /** Path template or operationId, or a RegExp tested against the path. */
  route?: string | RegExp;
  status?: number;
}

export interface GitHubServer {
  /** http://127.0.0.1:PORT: what GITHUB_API_URL is set to. */
  readonly url: string;
  readonly seed: Seeder;
  readonly state: GitHubState;
  /** GitHub Pages sites, served under `pagesUrl`. */
  readonly pages: PagesSites;
  /** Where a repository's Pages site is: `{owner}` and `{repo}` to fill (a hub's pages_url). */
  readonly pagesUrl: string;
  readonly violations: Violation[];
  readonly requests: RequestRecord[];
  /** Milliseconds from the call to listening, including loading the OpenAPI description if first. */
  readonly startupMillis: number;
  count(filter?: RequestFilter): number;
  fail(rule: FaultRule): FaultHandle;
  clearFaults(): void;
  /** Moves a workflow run to completed with the given conclusion. */
  completeRun(repo: string, runId: number, conclusion?: RunRecord['conclusion']): void;
  /** Counts this many requests as already made this hour, in the rate-limit headers. */
  spendRateLimit(requests: number): void;
  /** Empties requests and violations. */
  resetLog(): void;
  /** Forgets all state, requests, violations and faults. */
  reset(): void;
  close(): Promise<void>;
}

const CODELOAD = '/_codeload';
const PAGES = '/_pages';
const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubServer> {
  const started = performance.now();
  const api = openApi();
  const clock = options.clock ?? (() => new Date());
  const state = new GitHubState(clock);
  const seed = new Seeder(state);
  const faults = new Faults();
  const pages = new PagesSites(clock);
  const violations: Violation[] = [];
  const requests: RequestRecord[] = [];
  const settings: ServerSettings = {
    linkStyle: options.linkStyle ?? 'repository-id',
    codeloadPath: CODELOAD,
    ...(options.autoCompleteRuns ? { autoCompleteRuns: options.autoCompleteRuns } : {}),
  };
  const resetAt = Math.floor(Date.now() / 1000) + 3600;
  /** Rate limit used elsewhere this hour (by other workflows with the same token). */
  let spent = 0;
  let renderer: Renderer | undefined;
  // Set once listening; no request can arrive before.
  let baseUrl = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push({
        method: req.method ?? '',
        path: req.url ?? '',
        kind: 'server-error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      if (!res.headersSent) send(res, 500, { message: 'test server error' });
      else res.destroy();
    });
  });

  function send(
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ): void {
    if (res.destroyed) return;
    const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
    res.writeHead(status, {
      ...(body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'content-length': String(payload.length),
      ...headers,
    });
    res.end(payload);
  }

  function caller(req: IncomingMessage): Caller {
    const header = req.headers.authorization ?? '';
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header);
    const basic = /^basic\s+(\S+)$/i.exec(header);
    const token = m
      ? m[1]
      : basic
        ? Buffer.from(basic[1] as string, 'base64')
            .toString()
            .split(':')
            .pop()
        : undefined;
    const policy: Required<TokenPolicy> = {
      readOnly: false,
      readTeams: token !== undefined,
      login: 'github-actions[bot]',
      repositories: null,
      ...options.defaultToken,
      ...(token !== undefined ? state.tokens.get(token) : {}),
    };
    return { token, policy };
  }

  function rewriteRepositoryId(method: string, path: string): string {
    const m = /^\/repositories\/(\d+)(\/.*)?$/.exec(path);
    if (!m) return path;
    const repo = [...state.repos.values()].find((r) => r.id === Number(m[1]));
    if (!repo) return path;
    const rewritten = `/repos/${repo.owner}/${repo.name}${m[2] ?? ''}`;
    return api.match(method, rewritten) ? rewritten : path;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', baseUrl);
    const rawPath = url.pathname;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const who = caller(req);
    const record: RequestRecord = {
      method,
      path: rawPath,
      query: Object.fromEntries(url.searchParams),
      faulted: false,
      receivedAt: Date.now(),
      ...(who.token !== undefined ? { token: who.token } : {}),
    };
    requests.push(record);
    const reply = (status: number, body?: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      send(res, status, body, {
        'x-github-request-id': randomUUID().toUpperCase().slice(0, 23),
        'x-github-api-version-selected': '2022-11-28',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': String(Math.max(0, 5000 - requests.length - spent)),
        'x-ratelimit-reset': String(resetAt),
        'x-ratelimit-used': String(requests.length + spent),
        'x-ratelimit-resource': 'core',
        ...headers,
      });
    };
    const violate = (kind: ViolationKind, message: string, route?: string): void => {
      violations.push({ method, path: rawPath + url.search, kind, message, ...(route ? { route } : {}) });
    };

    if (rawPath.startsWith(`${PAGES}/`)) {
      record.route = 'pages';
      record.operationId = 'pages';
      if (await applyFault(record, res, reply, method, rawPath)) return;
      const answer = pages.serve(rawPath, req.headers);
      record.status = answer.status;
      res.writeHead(answer.status, { 'content-length': String(answer.body.length), ...answer.headers });
      res.end(answer.body);
      return;
    }

    if (rawPath.startsWith(`${CODELOAD}/`)) {
      record.route = 'codeload';
      record.operationId = 'codeload';
      if (await applyFault(record, res, reply, method, rawPath)) return;
      return serveCodeload(rawPath, res, record);
    }

    const path = rewriteRepositoryId(method, rawPath);
    const match = api.match(method, path);
    if (!match) {
      violate('unknown-route', `GitHub has no route ${method} ${path}`);
      return reply(404, errorBody(404, 'Not Found'));
    }
    const { operation } = match;
    record.route = operation.template;
    record.operationId = operation.operationId;
    const checked = api.checkParams(operation, match.params, url.searchParams);
    const problems: Problem[] = [...checked.problems];
    let body: unknown;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        violate('body', 'the body is not JSON', operation.template);
        return reply(400, errorBody(400, 'Problems parsing JSON'));
      }
    }
    problems.push(...api.checkBody(operation, body, req.headers['content-type']));
    if (problems.length > 0) {
      for (const p of problems) violate(p.kind, p.message, operation.template);
      if (problems.some((p) => p.kind === 'path-param')) return reply(404, errorBody(404, 'Not Found'));
      return reply(
        422,
        errorBody(422, `Invalid request.\n\n${problems.map((p) => p.message).join('\n')}`, {
          errors: problems.map((p) => p.message),
        }),
      );
    }

    if (await applyFault(record, res, reply, method, rawPath, operation)) return;

    if (WRITE_METHODS.has(method)) {
      if (who.token === undefined) return reply(401, errorBody(401, 'Requires authentication'));
      if (who.policy.readOnly) return reply(403, errorBody(403, NOT_ACCESSIBLE));
    }

    const handler = ROUTES[operation.operationId];
    if (!handler) {
      violate(
        'unimplemented',
        `the test server does not implement ${operation.operationId}`,
        operation.template,
      );
      return reply(501, errorBody(501, `Not implemented by the test server: ${operation.operationId}`));
    }
    renderer ??= new Renderer(state, baseUrl, options.htmlUrl ?? 'https://github.com');
    const ctx = new RequestContext(
      operation,
      checked.path,
      checked.query,
      body,
      who,
      state,
      renderer,
      settings,
      new URL(path + url.search, baseUrl),
      req.headers,
    );
    let answer: Reply;
    try {
      answer = await handler(ctx);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.violation) violate('rule', error.message, operation.template);
      return reply(error.status, errorBody(error.status, error.message, error.extra), error.headers);
    }
    if (await applyFault(record, res, reply, method, rawPath, operation, 'after')) return;

    if (options.checkResponses && answer.body !== undefined && answer.raw === undefined) {
      for (const problem of api.checkResponse(operation, answer.status, answer.body)) {
        violate('response', `the test server's own answer: ${problem}`, operation.template);
      }
    }
    // Conditional GETs, as GitHub answers them: an ETag on every JSON answer, and 304 with no body when
    // the request's If-None-Match names it (routes with their own ETag, raw answers, decide alone).
    if (method === 'GET' && answer.status === 200 && answer.raw === undefined && answer.body !== undefined) {
      const etag = `W/"${createHash('sha256').update(JSON.stringify(answer.body)).digest('hex').slice(0, 40)}"`;
      answer = { ...answer, headers: { ...answer.headers, etag } };
      if (notModified(req.headers['if-none-match'], etag)) return reply(304, undefined, { etag });
    }
    if (answer.raw !== undefined) {
      record.status = answer.status;
      res.writeHead(answer.status, { 'content-length': String(answer.raw.length), ...answer.headers });
      res.end(answer.raw);
      return;
    }
    return reply(answer.status, answer.body, answer.headers);
  }

  async function applyFault(
    record: RequestRecord,
    res: ServerResponse,
    reply: (status: number, body?: unknown, headers?: Record<string, string>) => void,
    method: string,
    path: string,
    operation?: Operation,
    phase: 'before' | 'after' = 'before',
  ): Promise<boolean> {
    const outcome = faults.take(method, path, operation?.template ?? record.route, record.operationId, phase);

    if (!outcome) return false;
    record.faulted = true;
    if (outcome.handle.rule.hang) {
      delete record.status;
      return true;
    }
    const delay = outcome.handle.rule.delayMs;
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    if (res.destroyed) return true;
    if (!outcome.reply) {
      record.faulted = false;
      return false;
    }
    reply(outcome.reply.status, outcome.reply.body, outcome.reply.headers);
    return true;
  }

  function serveCodeload(path: string, res: ServerResponse, record: RequestRecord): void {
    const m = /^\/_codeload\/([^/]+)\/([^/]+)\/legacy\.tar\.gz\/([0-9a-f]{40})$/.exec(path);
    const repo = m ? state.findRepo(`${m[1]}/${m[2]}`) : undefined;
    const commit = m ? state.git.get(m[3] as string) : undefined;
    if (!repo || !commit) {
      record.status = 404;
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404: Not Found');
      return;
    }
    const root = `${repo.owner}-${repo.name}-${commit.sha.slice(0, 7)}`;
    const data = tarball(commit.tree, {
      root,
      commitSha: commit.sha,
      mtime: new Date(commit.committer.date),
    });
    record.status = 200;
    res.writeHead(200, {
      'content-type': 'application/x-gzip',
      'content-disposition': `attachment; filename=${root}.tar.gz`,
      'content-length': String(data.length),
    });
    res.end(data);
  }

  function notModified(header: string | string[] | undefined, etag: string): boolean {
    if (header === undefined) return false;
    const bare = (t: string) => t.trim().replace(/^W\//, '');
    return String(header)
      .split(',')
      .some((t) => bare(t) === bare(etag) || t.trim() === '*');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  const routeMatches = (record: RequestRecord, route: string | RegExp): boolean =>
    route instanceof RegExp
      ? route.test(record.path)
      : route === record.route || route === record.operationId;

  return {
    url: baseUrl,
    seed,
    state,
    pages,
    pagesUrl: `${baseUrl}${PAGES}/{owner}/{repo}/`,
    violations,
    requests,
    startupMillis: performance.now() - started,
    count(filter: RequestFilter = {}) {
      return requests.filter(
        (r) =>
          (filter.method === undefined || r.method === filter.method.toUpperCase()) &&
          (filter.route === undefined || routeMatches(r, filter.route)) &&
          (filter.status === undefined || r.status === filter.status),
      ).length;
    },
    fail: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    completeRun(repo, runId, conclusion = 'success') {
      const run = state.repo(repo).runs.find((r) => r.id === runId);
      if (!run) throw new Error(`test server: no run ${runId} in ${repo}`);
      completeRun(state.now(), run, conclusion);
    },
    spendRateLimit(count) {
      spent += count;
    },
    resetLog() {
      requests.length = 0;
      violations.length = 0;
    },
    reset() {
      requests.length = 0;
      violations.length = 0;
      faults.clear();
      state.clear();
      pages.clear();
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
