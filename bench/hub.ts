// Issue 16 figures: a hub over a simulated organisation on the local GitHub API server, the bundled
// action run as a child process as GitHub runs it: 500 repositories with the maintenance topic and
// 100,000 requests in all (200 each, generated as for the other benchmarks), 4 in 5 publishing
// schedule.json on Pages, the others read through the API. The first build reads everything; a
// rebuild with nothing changed should cost one 304 per member; then 5 members change.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parsePolicy } from '../src/model/policy.ts';
import { parseRequest } from '../src/model/request.ts';
import type { MaintenanceRequest } from '../src/model/types.ts';
import { renderScheduleJson } from '../src/publish/schedule-json.ts';
import { startGitHubServer, type GitHubServer } from '../test/harness/github-server.ts';
import { runAction } from '../test/e2e/run-action.ts';
import { BENCH_POLICY, generateRequests } from './generate.ts';

const ORG = 'acme';
const HUB = `${ORG}/hub`;
const APP_TOKEN = 'ghs_bench_app';
const HUB_TOKEN = 'ghs_bench_hub';

export interface HubBuildFigures {
  seconds: number;
  /** Peak resident memory of the action's process. */
  maxRssMiB: number;
  api: number;
  apiNotModified: number;
  /** API requests by what they were for: `branch head` (conditional), `tarball`, `pull request`, ... */
  apiByPurpose: Record<string, number>;
  pages: number;
  pagesNotModified: number;
  /** What the hub read back of its own previous build (not per member). */
  readBack: number;
  occurrences: number;
}

export interface HubFigures {
  repositories: number;
  requests: number;
  first: HubBuildFigures;
  quiet: HubBuildFigures;
  fiveChanged: HubBuildFigures;
}

const name = (i: number) => `svc-${String(i).padStart(3, '0')}`;

function schedule(repository: string, files: { path: string; text: string }[], now: number): string {
  const [owner = '', repo = ''] = repository.split('/');
  const policy = parsePolicy({ path: 'policy.yaml', text: BENCH_POLICY }).policy!;
  const requests = files
    .map((f) => parseRequest(f).request)
    .filter((r): r is MaintenanceRequest => r !== undefined);
  return renderScheduleJson({ requests, policy, now, repo: { owner, name: repo } });
}

async function build(server: GitHubServer, workspace: string, rss: string): Promise<HubBuildFigures> {
  server.resetLog();
  const run = await runAction({
    apiUrl: server.url,
    repository: HUB,
    eventName: 'schedule',
    payload: { schedule: '17 * * * *', repository: { default_branch: 'main' } },
    inputs: { mode: 'hub', token: HUB_TOKEN, 'repositories-token': APP_TOKEN },
    workspace,
    // MAINT_BENCH_NODE: more node options for the action (--cpu-prof, --max-old-space-size=...).
    nodeArgs: ['--import', rss, ...(process.env.MAINT_BENCH_NODE?.split(' ').filter(Boolean) ?? [])],
    env: { MAINT_BENCH_RSS_FILE: join(workspace, 'rss') },
  });
  if (run.code !== 0) throw new Error(`hub build failed: ${run.stdout}\n${run.stderr}`);
  const own = (path: string) => path.startsWith(`/_pages/${HUB}/`);
  const pages = server.requests.filter((r) => r.route === 'pages' && !own(r.path));
  const api = server.requests.filter((r) => r.route !== 'pages' && r.route !== 'codeload');
  const purposes: Record<string, string> = {
    '/repos/{owner}/{repo}/commits/{ref}': 'branch head',
    '/repos/{owner}/{repo}/tarball/{ref}': 'tarball',
    '/repos/{owner}/{repo}/commits': 'pull request',
    '/orgs/{org}/repos': 'organisation listing',
    '/repos/{owner}/{repo}': 'repository',
  };
  const apiByPurpose: Record<string, number> = {};
  for (const r of api) {
    const purpose = `${purposes[r.route ?? ''] ?? r.route}${r.status === 304 ? ' (304)' : ''}`;
    apiByPurpose[purpose] = (apiByPurpose[purpose] ?? 0) + 1;
  }
  const kept = readFileSync(join(workspace, 'site/schedule.json'), 'utf8');
  // The deploy job, for what the next build reads back.
  server.pages.deploy(HUB, {
    'schedule.json': kept,
    'hub-state.json': readFileSync(join(workspace, 'site/hub-state.json'), 'utf8'),
  });
  return {
    seconds: run.elapsedMs / 1000,
    maxRssMiB: Math.round(Number(readFileSync(join(workspace, 'rss'), 'utf8')) / 1024),
    api: api.length,
    apiNotModified: api.filter((r) => r.status === 304).length,
    apiByPurpose,
    pages: pages.length,
    pagesNotModified: pages.filter((r) => r.status === 304).length,
    readBack: server.requests.filter((r) => r.route === 'pages' && own(r.path)).length,
    occurrences: (kept.match(/"uid": /g) ?? []).length,
  };
}

export async function benchHub(repositories = 500, perRepository = 200): Promise<HubFigures> {
  const server = await startGitHubServer();
  const workspace = mkdtempSync(join(tmpdir(), 'maint-bench-hub-'));
  const now = Date.now();
  server.seed.org(ORG);
  const names = Array.from({ length: repositories }, (_, i) => `${ORG}/${name(i)}`);
  server.seed.token(APP_TOKEN, { readOnly: true, repositories: [...names, HUB] });
  server.seed.token(HUB_TOKEN, { repositories: [HUB] });
  server.seed.repo(HUB, { files: { 'README.md': '# hub\n' } });
  const viaApi = (i: number) => i % 5 === 4;
  const filesOf = new Map<string, { path: string; text: string }[]>();
  for (const [i, repository] of names.entries()) {
    const files = generateRequests(perRepository, 1000 + i);
    filesOf.set(repository, files);
    const tree = Object.fromEntries(files.map((f) => [f.path, f.text]));
    server.seed.repo(repository, {
      topics: ['maintenance'],
      private: true,
      files: viaApi(i)
        ? { ...tree, '.github/maintenance-policy.yaml': BENCH_POLICY }
        : { 'README.md': '#\n' },
    });
    if (!viaApi(i)) server.pages.deploy(repository, { 'schedule.json': schedule(repository, files, now) });
  }
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), text);
  };
  write(
    '.github/maint-hub.yaml',
    // Issues are left out: opening them is spaced 3 s apart as GitHub asks, 20 a build at most.
    `members:\n  - topic: maintenance\npages_url: '${server.pagesUrl}'\nconflict_issues: false\n`,
  );
  write('.github/maintenance-policy.yaml', BENCH_POLICY);
  const rss = join(workspace, 'rss.mjs');
  writeFileSync(
    rss,
    "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.MAINT_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
  );

  const first = await build(server, workspace, rss);
  const quiet = await build(server, workspace, rss);
  // Five members change: three republish their schedule.json, two merge a request.
  for (const i of [0, 1, 2]) {
    const repository = names[i]!;
    const files = filesOf.get(repository)!.slice(1);
    server.pages.deploy(repository, { 'schedule.json': schedule(repository, files, now) });
  }
  for (const i of [4, 9]) {
    const [extra] = generateRequests(1, 9000 + i);
    server.seed.commit(names[i]!, {
      files: { 'maintenance/2027/extra.yaml': extra!.text },
      message: 'Merge pull request #77 from acme/extra',
    });
  }
  const fiveChanged = await build(server, workspace, rss);
  await server.close();
  return { repositories, requests: repositories * perRepository, first, quiet, fiveChanged };
}
