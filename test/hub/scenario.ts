// An organisation for hub tests, on the local GitHub API server: acme/hub over three members that
// share the production database service. acme/payments and acme/search publish their schedule.json
// on Pages; acme/orders publishes nothing and is read through the API (private: only the GitHub App
// token installed on it may read it). Their times are Sundays ahead of the real clock, because the
// bundled action reads the real clock.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parsePolicy } from '../../src/model/policy.ts';
import { parseRequest } from '../../src/model/request.ts';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import { renderScheduleJson } from '../../src/publish/schedule-json.ts';
import { startGitHubServer, type GitHubServer } from '../harness/github-server.ts';
import { POLICY, sundayAhead, yearOf } from '../e2e/scenario.ts';
import { requestYaml } from '../helpers/requests.ts';

export const HUB = 'acme/hub';
/** The hub's own GITHUB_TOKEN: issues in the hub. */
export const HUB_TOKEN = 'ghs_hub_github_token';
/** The GitHub App installation token: reads the members it is installed on. */
export const APP_TOKEN = 'ghs_hub_app_installation';

export interface HubWorld {
  server: GitHubServer;
  workspace: string;
  /** The Sunday (yyyy-MM-ddTHH:mm local, UTC) the shared work is on. */
  sunday: string;
  /** Member requests by id, as written. */
  requests: Map<string, MaintenanceRequest>;
}

const policy = () => {
  const parsed = parsePolicy({ path: 'policy.yaml', text: POLICY });
  if (!parsed.policy) throw new Error('scenario policy');
  return parsed.policy;
};

function parsed(path: string, text: string): MaintenanceRequest {
  const result = parseRequest({ path, text });
  if (!result.request) throw new Error(`${path}: ${JSON.stringify(result.findings)}`);
  return result.request;
}

/** Publishes a member's schedule.json on its Pages site, as its publish workflow would. */
export function publishMember(
  world: Pick<HubWorld, 'server'>,
  repository: string,
  files: Record<string, string>,
  pulls: Record<string, number> = {},
): MaintenanceRequest[] {
  const [owner = '', name = ''] = repository.split('/');
  const requests = Object.entries(files).map(([path, text]) => parsed(path, text));
  const json = renderScheduleJson({
    requests,
    policy: policy(),
    now: Date.now(),
    repo: { owner, name },
    links: (id) => (pulls[id] ? { pr: `https://github.com/${repository}/pull/${pulls[id]}` } : {}),
  });
  world.server.pages.deploy(repository, { 'schedule.json': json, 'index.html': '<!doctype html>' });
  return requests;
}

export async function startHubWorld(): Promise<HubWorld> {
  const server = await startGitHubServer();
  server.seed.org('acme');
  server.seed.token(HUB_TOKEN, { login: 'github-actions[bot]', repositories: [HUB] });
  server.seed.token(APP_TOKEN, {
    login: 'maint-hub[bot]',
    readTeams: false,
    readOnly: true,
    repositories: ['acme/payments', 'acme/orders', 'acme/search', HUB],
  });
  // Within the six weeks the page lists, and past the 7 days' notice of a medium-impact request.
  const sunday = sundayAhead(14);
  const day = sunday.slice(0, 10);
  const year = yearOf(sunday);
  const requests = new Map<string, MaintenanceRequest>();

  server.seed.repo(HUB, { files: { 'README.md': '# hub\n' } });
  server.seed.repo('acme/website', { files: { 'README.md': '# not a member\n' }, topics: ['web'] });

  // payments: on Pages; its failover touches the shared `db` from 02:00 to 04:00.
  server.seed.repo('acme/payments', {
    files: { 'README.md': '# payments\n' },
    topics: ['maintenance', 'team-payments'],
  });
  const paymentsFiles = {
    [`maintenance/${year}/payments-db-failover.yaml`]: requestYaml({
      title: 'Payments database failover drill',
      start: `${day}T02:00`,
      duration: '2h',
      services: '[db, payments]',
      impact: 'medium',
    }),
    [`maintenance/${year}/payments-weekly-patch.yaml`]: requestYaml({
      title: 'Weekly payments patch',
      environment: 'staging',
      start: `${day}T22:00`,
      duration: '30m',
      services: '[payments]',
      recurrence: 'FREQ=WEEKLY;COUNT=4',
    }),
  };
  for (const r of publishMember({ server }, 'acme/payments', paymentsFiles, { 'payments-db-failover': 7 }))
    requests.set(r.id, r);

  // orders: private, no Pages site: read from its default branch; its upgrade touches `db` 03:00-05:00.
  const ordersPath = `maintenance/${year}/orders-db-upgrade.yaml`;
  const ordersText = requestYaml({
    title: 'Orders database upgrade',
    start: `${day}T03:00`,
    duration: '2h',
    services: '[db, orders]',
    impact: 'medium',
  });
  server.seed.repo('acme/orders', {
    private: true,
    topics: ['maintenance'],
    files: { 'README.md': '# orders\n', '.github/maintenance-policy.yaml': POLICY },
  });
  server.seed.commit('acme/orders', {
    files: { [ordersPath]: ordersText },
    message: 'Upgrade the orders database (#12)',
  });
  requests.set('orders-db-upgrade', parsed(ordersPath, ordersText));

  // search: named in the configuration, on Pages; production at the same time on its own service.
  server.seed.repo('acme/search', { private: true, files: { 'README.md': '# search\n' } });
  const searchFiles = {
    [`maintenance/${year}/search-reindex.yaml`]: requestYaml({
      title: 'Search reindex',
      start: `${day}T02:30`,
      duration: '1h',
      services: '[search]',
    }),
  };
  for (const r of publishMember({ server }, 'acme/search', searchFiles, { 'search-reindex': 3 }))
    requests.set(r.id, r);

  const workspace = mkdtempSync(join(tmpdir(), 'maint-hub-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), text);
  };
  write(
    '.github/maint-hub.yaml',
    `version: 1
members:
  - topic: maintenance
  - { topic: team-payments, team: payments }
  - { repository: acme/search, team: search }
pages_url: '${server.pagesUrl}'
`,
  );
  write(
    '.github/maintenance-policy.yaml',
    POLICY.replace('name: Planned maintenance', 'name: Acme maintenance'),
  );
  return { server, workspace, sunday, requests };
}
