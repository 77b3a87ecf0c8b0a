// mode: hub in process against the local GitHub API server (the end-to-end test runs the bundle):
// which members are re-read when some change, what a conflict issue goes through, what is left out
// of a member's schedule.json that is not its own, and a configuration mistake.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConditionalIssues, createMemberReader } from '../../src/github/members.ts';
import { createMaintenanceRepo } from '../../src/github/octokit.ts';
import { createPagesReader } from '../../src/github/pages.ts';
import { runHub, type HubOutcome } from '../../src/modes/hub.ts';
import { requestYaml } from '../helpers/requests.ts';
import { APP_TOKEN, HUB, HUB_TOKEN, publishMember, startHubWorld, type HubWorld } from './scenario.ts';

let world: HubWorld;
beforeEach(async () => {
  world = await startHubWorld();
});
afterEach(async () => {
  expect(world.server.violations).toEqual([]);
  await world.server.close();
});

async function build(): Promise<HubOutcome> {
  const fast = { baseUrl: world.server.url, retries: false, writeSpacingMs: 0, notificationSpacingMs: 0 };
  const outcome = await runHub(
    {
      reader: createMemberReader({ token: APP_TOKEN, ...fast }),
      pages: createPagesReader({ retries: 0 }),
      issues: {
        list: createConditionalIssues({ token: HUB_TOKEN, owner: 'acme', repo: 'hub', ...fast }),
        tracker: createMaintenanceRepo({ token: HUB_TOKEN, owner: 'acme', repo: 'hub', ...fast }),
      },
      now: () => Date.now(),
      log: () => undefined,
    },
    {
      workspace: world.workspace,
      out: 'site',
      hub: { owner: 'acme', name: 'hub' },
      serverUrl: 'https://github.com',
    },
  );
  const files = new Map(
    ['schedule.json', 'hub-state.json', 'maintenance.ics'].map((f) => [
      f,
      readFileSync(join(world.workspace, 'site', f), 'utf8'),
    ]),
  );
  world.server.pages.deploy(HUB, files);
  return outcome;
}

const log = () => world.server.requests.map((r) => `${r.method} ${r.path} ${r.status}`).sort();
const day = () => world.sunday.slice(0, 10);

describe('mode: hub, build after build', () => {
  it('re-reads only the members that changed', async () => {
    await build();
    // orders merges a pull request; payments publishes a changed schedule.json; search is quiet.
    world.server.seed.commit('acme/orders', {
      files: {
        [`maintenance/${day().slice(0, 4)}/orders-index.yaml`]: requestYaml({
          title: 'Orders index rebuild',
          start: `${day()}T05:00`,
          services: '[orders]',
        }),
      },
      message: 'Merge pull request #14 from acme/index',
    });
    publishMember(world, 'acme/payments', {
      [`maintenance/${day().slice(0, 4)}/payments-db-failover.yaml`]: requestYaml({
        title: 'Payments database failover drill',
        start: `${day()}T05:00`,
        duration: '1h',
        services: '[db, payments]',
      }),
    });
    world.server.resetLog();
    const outcome = await build();
    expect(outcome.members.map((m) => [m.repository, m.outcome])).toEqual([
      ['acme/orders', 'read'],
      ['acme/payments', 'read'],
      ['acme/search', 'unchanged'],
    ]);
    const sha = world.server.state.repo('acme/orders').refs.get('refs/heads/main')!;
    expect(log()).toEqual(
      [
        'GET /_pages/acme/hub/hub-state.json 200',
        'GET /_pages/acme/hub/schedule.json 200',
        'GET /_pages/acme/payments/schedule.json 200',
        'GET /_pages/acme/search/schedule.json 304',
        'GET /repos/acme/orders/commits/main 200',
        // A changed branch: its Pages site is tried first (it may have started publishing).
        'GET /_pages/acme/orders/schedule.json 404',
        `GET /repos/acme/orders/tarball/${sha} 302`,
        `GET /_codeload/acme/orders/legacy.tar.gz/${sha} 200`,
        // Only the new file's pull request is looked up; the others' are known.
        'GET /repos/acme/orders/commits 200',
        'GET /repos/acme/hub/issues 304',
        // The moved failover no longer overlaps the upgrade: the issue is closed, the list read again.
        'POST /repos/acme/hub/issues/1/comments 201',
        'PATCH /repos/acme/hub/issues/1 200',
        'GET /repos/acme/hub/issues 200',
      ].sort(),
    );
    const schedule = JSON.parse(readFileSync(join(world.workspace, 'site/schedule.json'), 'utf8')) as {
      occurrences: { id: string; links: { pull_request: string | null } }[];
    };
    expect(schedule.occurrences.find((o) => o.id === 'orders-index')?.links.pull_request).toBe(
      'https://github.com/acme/orders/pull/14',
    );
    const issue = world.server.state.issue(HUB, 1)!;
    expect(issue.state).toBe('closed');
    expect(world.server.state.comments(HUB, 1).at(-1)?.body).toContain(
      'Resolved: the two requests no longer overlap',
    );
    expect(outcome.issues).toEqual({ opened: [], updated: [], closed: ['#1'], deferred: 0 });
  });

  it('opens the issue again when someone closes it while the conflict remains, never two at once', async () => {
    await build();
    const issue = world.server.state.issue(HUB, 1)!;
    issue.state = 'closed';
    const outcome = await build();
    expect(outcome.issues?.opened).toHaveLength(1);
    const open = world.server.state.issues(HUB).filter((i) => i.state === 'open');
    expect(open.map((i) => i.number)).toEqual([2]);
    await build();
    expect(world.server.state.issues(HUB).filter((i) => i.state === 'open')).toHaveLength(1);
  });

  it('reads every member in full when its previous build cannot be read back', async () => {
    await build();
    world.server.pages.remove(HUB);
    world.server.resetLog();
    const outcome = await build();
    expect(outcome.members.every((m) => m.outcome === 'read')).toBe(true);
    expect(outcome.summary).toContain('No previous hub-state.json');
    expect(log().filter((l) => l.endsWith(' 304'))).toEqual([]);
  });

  it("leaves out occurrences a member's schedule.json claims for another repository, and says so", async () => {
    const text = world.server.pages.files('acme/search').get('schedule.json')!.toString();
    const doc = JSON.parse(text) as { occurrences: { uid: string }[] };
    doc.occurrences.push({ ...doc.occurrences[0]!, uid: 'payments-db-failover@acme.payments.maint' });
    world.server.pages.deploy('acme/search', { 'schedule.json': JSON.stringify(doc) });
    const outcome = await build();
    const search = outcome.members.find((m) => m.repository === 'acme/search')!;
    expect(search.problem).toBe(
      '1 occurrences of its schedule.json left out (payments-db-failover@acme.payments.maint: its UID is not of acme/search (…@acme.search.maint))',
    );
    expect(search.occurrences).toBe(1);
  });

  it('keeps the API reads for a later build when the rate limit is nearly used up', async () => {
    world.server.resetLog();
    // Other workflows have used the token's hour: the organisation's listing says 100 are left.
    world.server.spendRateLimit(4899);
    const outcome = await build();
    const orders = outcome.members.find((m) => m.repository === 'acme/orders')!;
    expect(orders.outcome).toBe('kept');
    expect(orders.problem).toMatch(
      /^not read through the API this build: 9\d requests of the rate limit are left$/,
    );
    expect(world.server.count({ route: /\/repos\/acme\/orders\// })).toBe(0);
    // The members on Pages cost no rate limit and are read.
    expect(outcome.members.filter((m) => m.outcome === 'read').map((m) => m.repository)).toEqual([
      'acme/payments',
      'acme/search',
    ]);
  });

  it('refuses a configuration with a mistake, naming its line', async () => {
    writeFileSync(join(world.workspace, '.github/maint-hub.yaml'), 'members:\n  - acme\n');
    await expect(build()).rejects.toThrow(
      /\.github\/maint-hub\.yaml: line 2, column 5: members\[0\]: a member is/,
    );
  });
});
