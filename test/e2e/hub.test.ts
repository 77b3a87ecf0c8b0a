// End to end: the bundled action in mode hub over three members of acme on the local GitHub API
// server (two publishing schedule.json on Pages, one read through the API), and a member's pull
// request validated against the hub's published schedule. One organisation, builds in order: the
// first publishes and opens the conflict issue, the second changes nothing, then a member becomes
// unreadable, then a member's pull request collides with another member's work.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleDocument } from '../../src/publish/schedule-json.ts';
import { parseWithIcalJs } from '../calendar/parsers.ts';
import { POLICY } from './scenario.ts';
import { pullRequestEvent, runAction, webhookExample, type ActionRun } from './run-action.ts';
import { APP_TOKEN, HUB, HUB_TOKEN, startHubWorld, type HubWorld } from '../hub/scenario.ts';
import { requestYaml } from '../helpers/requests.ts';

let world: HubWorld;

beforeAll(async () => {
  world = await startHubWorld();
});
afterEach(() => {
  expect(world.server.violations).toEqual([]);
});
afterAll(async () => {
  await world.server.close();
});

function hub(eventName: 'schedule' | 'workflow_dispatch'): Promise<ActionRun> {
  const payload =
    eventName === 'schedule'
      ? { schedule: '17 * * * *', repository: { default_branch: 'main' } }
      : webhookExample('workflow_dispatch');
  return runAction({
    apiUrl: world.server.url,
    repository: HUB,
    eventName,
    payload,
    inputs: { mode: 'hub', token: HUB_TOKEN, 'repositories-token': APP_TOKEN },
    workspace: world.workspace,
  });
}

function site(): Map<string, string> {
  const root = join(world.workspace, 'site');
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!name.startsWith('.')) files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

/** What the Pages deploy job does with the build's artifact. */
function deploy(): Map<string, string> {
  const files = site();
  world.server.pages.deploy(HUB, files);
  return files;
}

const uids = (ics: string) =>
  parseWithIcalJs(ics)
    .events.map((e) => e.uid)
    .filter((u) => !u.startsWith('freeze-'))
    .sort();

const conflictIssues = () =>
  world.server.state.issues(HUB).filter((i) => i.labels.includes('maintenance-conflict'));

describe('mode: hub', () => {
  let first: Map<string, string>;

  it('publishes the merged feeds and page of three members and reports their conflict', async () => {
    const run = await hub('workflow_dispatch');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    first = deploy();

    const all = parseWithIcalJs(first.get('maintenance.ics')!);
    expect(all.calendar['X-WR-CALNAME']).toBe('Acme maintenance');
    expect(uids(first.get('maintenance.ics')!)).toEqual([
      'orders-db-upgrade@acme.orders.maint',
      'payments-db-failover@acme.payments.maint',
      'payments-weekly-patch@acme.payments.maint',
      'search-reindex@acme.search.maint',
    ]);
    const series = all.events.find((e) => e.uid === 'payments-weekly-patch@acme.payments.maint')!;
    expect(series.occurrences).toHaveLength(4);
    const orders = all.events.find((e) => e.uid === 'orders-db-upgrade@acme.orders.maint')!;
    // Read through the API: the pull request comes from the commit that last changed the file.
    expect(orders.url).toBe('https://github.com/acme/orders/pull/12');
    expect(orders.description).toContain(
      'Request file: https://github.com/acme/orders/blob/HEAD/maintenance/',
    );

    expect(uids(first.get('service/db.ics')!)).toEqual([
      'orders-db-upgrade@acme.orders.maint',
      'payments-db-failover@acme.payments.maint',
    ]);
    expect(uids(first.get('env/staging.ics')!)).toEqual(['payments-weekly-patch@acme.payments.maint']);
    expect(uids(first.get('team/payments.ics')!)).toEqual([
      'payments-db-failover@acme.payments.maint',
      'payments-weekly-patch@acme.payments.maint',
    ]);
    expect(uids(first.get('team/search.ics')!)).toEqual(['search-reindex@acme.search.maint']);
    expect(uids(first.get('repo/acme/orders.ics')!)).toEqual(['orders-db-upgrade@acme.orders.maint']);
    expect(first.has('repo/acme/website.ics')).toBe(false);

    const schedule = JSON.parse(first.get('schedule.json')!) as ScheduleDocument;
    expect(schedule.repository).toBe(HUB);
    expect(new Set(schedule.occurrences.map((o) => o.repository))).toEqual(
      new Set(['acme/orders', 'acme/payments', 'acme/search']),
    );

    const page = first.get('index.html')!;
    expect(page).toContain('<select id="filter-repository" name="repository">');
    expect(page).toContain('id="timeline"');
    expect(page).toMatch(
      /id="conflicts"[\s\S]*production\/db:[\s\S]*orders-db-upgrade[\s\S]*payments-db-failover/,
    );

    // The run summary names both requests and their pull requests; the conflict is an output too.
    expect(run.summary).toMatch(
      /\*\*error\*\* on production\/db: acme\/orders \[`orders-db-upgrade`\]\(https:\/\/github\.com\/acme\/orders\/pull\/12\).*acme\/payments \[`payments-db-failover`\]\(https:\/\/github\.com\/acme\/payments\/pull\/7\)/,
    );
    expect(JSON.parse(run.outputs.conflicts!)).toContainEqual({
      severity: 'error',
      a: 'orders-db-upgrade@acme.orders.maint',
      b: 'payments-db-failover@acme.payments.maint',
    });

    // One issue for the pair of requests that conflict on a shared service (warnings open none).
    const issues = conflictIssues();
    expect(issues).toHaveLength(1);
    expect(issues[0]!.title).toBe(
      'Maintenance conflict: acme/orders orders-db-upgrade and acme/payments payments-db-failover on production/db',
    );
    expect(issues[0]!.body).toContain('https://github.com/acme/payments/pull/7');
    expect(issues[0]!.body).toContain('<!-- maint-hub-conflict:');
  });

  it('rebuilds with nothing changed using only conditional requests, each answered 304', async () => {
    world.server.resetLog();
    const run = await hub('schedule');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const requests = world.server.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
    // One question per member (the Pages schedule.json, or the branch head for the API member) and
    // one for the conflict issues: all 304. The hub reads back its own last build from its site.
    expect(requests.sort()).toEqual(
      [
        'GET /_pages/acme/hub/hub-state.json 200',
        'GET /_pages/acme/hub/schedule.json 200',
        'GET /_pages/acme/payments/schedule.json 304',
        'GET /_pages/acme/search/schedule.json 304',
        'GET /repos/acme/hub/issues 304',
        'GET /repos/acme/orders/commits/main 304',
      ].sort(),
    );
    const again = deploy();
    for (const path of ['maintenance.ics', 'env/production.ics', 'service/db.ics', 'team/payments.ics'])
      expect(again.get(path), path).toBe(first.get(path));
    expect(conflictIssues()).toHaveLength(1);
    expect(run.summary).toContain('Requests: 2 to the API (2 answered 304 Not Modified), 4 to Pages sites.');
  });

  it('names a member it cannot read and keeps its last data in the calendar', async () => {
    // acme/search takes its site down and the GitHub App loses access to it.
    world.server.pages.remove('acme/search');
    world.server.seed.token(APP_TOKEN, {
      login: 'maint-hub[bot]',
      readTeams: false,
      readOnly: true,
      repositories: ['acme/payments', 'acme/orders', HUB],
    });
    const run = await hub('schedule');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /::warning::acme\/search not read: the token cannot read the branch main of acme\/search/,
    );
    expect(run.summary).toContain('**1 member could not be read** (their last data stays in the calendar)');
    expect(run.summary).toMatch(
      /- acme\/search: \\\*\\\*not read\\\*\\\*: the token cannot read .*its data of \S+ is kept/,
    );
    const files = deploy();
    expect(uids(files.get('maintenance.ics')!)).toContain('search-reindex@acme.search.maint');
    expect(uids(files.get('repo/acme/search.ics')!)).toEqual(['search-reindex@acme.search.maint']);
    // Still there on the build after, from the previous build read back.
    const next = await hub('schedule');
    expect(next.code).toBe(0);
    expect(uids(site().get('maintenance.ics')!)).toContain('search-reindex@acme.search.maint');
  });

  it("fails a member's pull request that collides with another member's scheduled work, naming it", async () => {
    const token = 'ghs_orders_github_token';
    world.server.seed.token(token, {
      login: 'github-actions[bot]',
      readTeams: true,
      repositories: ['acme/orders'],
    });
    const hubSchedule = `${world.server.pagesUrl.replace('{owner}', 'acme').replace('{repo}', 'hub')}schedule.json`;
    const base = world.server.seed.commit('acme/orders', {
      files: {
        '.github/maintenance-policy.yaml': POLICY.replace(
          'same_environment: warning',
          `same_environment: warning\n  hub: acme/hub\n  hub_url: '${hubSchedule}'`,
        ),
      },
      message: 'Check requests against the hub (#13)',
    });
    const day = world.sunday.slice(0, 10);
    const head = world.server.seed.commit('acme/orders', {
      branch: 'cache-flush',
      parent: base,
      files: {
        [`maintenance/${day.slice(0, 4)}/orders-db-vacuum.yaml`]: requestYaml({
          title: 'Orders database vacuum',
          start: `${day}T02:00`,
          duration: '45m',
          services: '[db]',
        }),
      },
      author: 'alice',
    });
    const pull = world.server.seed.pullRequest('acme/orders', { head: 'cache-flush', user: 'alice' });
    const run = await runAction({
      apiUrl: world.server.url,
      repository: 'acme/orders',
      eventName: 'pull_request_target',
      payload: pullRequestEvent('opened', {
        repository: 'acme/orders',
        number: pull.number,
        headSha: head,
        baseSha: base,
        author: 'alice',
      }),
      inputs: { mode: 'validate', token },
    });
    expect(run.code).toBe(1);
    expect(run.outputs.valid).toBe('false');
    const comment = world.server.state.comments('acme/orders', pull.number).at(-1)!.body;
    // The comment escapes Markdown: backticks arrive as \`.
    expect(comment).toContain('overlaps \\`payments-db-failover\\` of acme/payments');
    // Links in findings are not made clickable in the comment (a zero-width space after the scheme).
    expect(comment).toContain('https:\u200b//github.com/acme/payments/pull/7');
    expect(comment).toContain("in the hub's schedule");
    const check = world.server.state.checkRuns('acme/orders', head).at(-1)!;
    expect(check.conclusion).toBe('failure');
    expect(check.annotations.map((a) => a.message).join('\n')).toMatch(
      /overlaps `payments-db-failover` of acme\/payments \("Payments database failover drill", https:\/\/github\.com\/acme\/payments\/pull\/7\) on production\/db/,
    );
  });
});
