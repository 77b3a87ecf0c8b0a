// The inputs the calendar tests share: the fixture requests and policy (test/fixtures/calendar), the
// repository's own examples (maintenance/), and the feeds built from them at a fixed `now`.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFeeds, type FeedInput, type RequestLinks } from '../../src/calendar/feeds.ts';
import type { MaintenanceRequest, Policy } from '../../src/model/types.ts';
import { loadPolicy, readRequests } from '../../src/workspace/local.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = resolve(ROOT, 'test/fixtures/calendar');
export const NOW = Date.parse('2027-01-04T00:00:00Z');
export const REPO = { owner: 'acme', name: 'platform' };

export function requestsIn(folder: string): MaintenanceRequest[] {
  return readRequests([folder], ROOT).map((parse) => {
    if (!parse.request) throw new Error(`${parse.path}: ${JSON.stringify(parse.findings)}`);
    return parse.request;
  });
}

export const fixtureRequests = (): MaintenanceRequest[] => requestsIn('test/fixtures/calendar/requests');
export const exampleRequests = (): MaintenanceRequest[] => requestsIn('maintenance');
export const fixturePolicy = (): Policy => loadPolicy('test/fixtures/calendar/policy.yaml', ROOT).policy;
export const defaultPolicy = (): Policy =>
  loadPolicy(undefined, resolve(ROOT, 'test/fixtures/calendar')).policy;

export const SEQUENCES = new Map([
  ['weekly-cache-flush', 3],
  ['cancelled-failover-test', 1],
  ['search-reindex', 1],
]);

const LINKS: Record<string, RequestLinks> = {
  'international-release': {
    pr: 'https://github.com/acme/platform/pull/7',
    issue: 'https://github.com/acme/platform/issues/8',
    page: 'https://acme.github.io/platform/#international-release',
  },
  'hostile-title': { pr: 'javascript:alert(1)', issue: 'https://github.com/acme/platform/issues/9' },
  'orders-schema-migration': { pr: 'https://github.com/acme/platform/pull/12' },
};
export const links = (id: string): RequestLinks => LINKS[id] ?? {};

export function fixtureInput(now = NOW): FeedInput {
  return {
    requests: fixtureRequests(),
    policy: fixturePolicy(),
    now,
    repo: REPO,
    sequences: SEQUENCES,
    links,
  };
}

export function exampleInput(now = NOW): FeedInput {
  return {
    requests: exampleRequests(),
    policy: defaultPolicy(),
    now,
    repo: REPO,
    sequences: SEQUENCES,
    links,
  };
}

export const fixtureFeeds = (now = NOW): Map<string, string> => buildFeeds(fixtureInput(now));
export const exampleFeeds = (now = NOW): Map<string, string> => buildFeeds(exampleInput(now));
