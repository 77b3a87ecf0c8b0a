// The inputs the calendar tests share: the fixture requests and policy (test/fixtures/calendar), the
// repository's own examples (maintenance/), and the feeds built from them at a fixed `now`.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFeeds, type FeedInput, type RequestLinks } from '../../src/calendar/feeds.ts';
import type { MaintenanceRequest, Policy } from '../../src/model/types.ts';
import { readFileSync } from 'node:fs';
import { parse as parseYaml, stringify } from 'yaml';
import { parseRequest, type RequestParse } from '../../src/model/request.ts';
import { loadPolicy, readRequests } from '../../src/workspace/local.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = resolve(ROOT, 'test/fixtures/calendar');
export const NOW = Date.parse('2027-01-04T00:00:00Z');
export const REPO = { owner: 'acme', name: 'platform' };

export function requestsIn(folder: string): MaintenanceRequest[] {
  return readRequests([folder], ROOT).map((parse) => {
    const request = parse.request ?? withHiddenCharacters(parse);
    if (!request) throw new Error(`${parse.path}: ${JSON.stringify(parse.findings)}`);
    return request;
  });
}

// Validation refuses control characters and line breaks in titles (issue 11); the calendar must still
// keep such text inert (defence in depth). A fixture refused for that alone is read with its texts
// cleaned, and its original texts are then put back.
// eslint-disable-next-line no-control-regex
const HIDDEN = new RegExp('[\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f\\u2028\\u2029]', 'g');
const TEXT_FINDING = /must be one line|which changes how the text is shown/;

function withHiddenCharacters(parse: RequestParse): MaintenanceRequest | undefined {
  const errors = parse.findings.filter((f) => f.severity === 'error');
  if (errors.length === 0 || !errors.every((f) => TEXT_FINDING.test(f.message))) return undefined;
  const raw = parseYaml(readFileSync(resolve(ROOT, parse.path), 'utf8')) as Record<string, unknown>;
  const cleaned = JSON.parse(JSON.stringify(raw), (_key, value: unknown) =>
    typeof value === 'string' ? value.replace(HIDDEN, ' ') : value,
  ) as Record<string, unknown>;
  const request = parseRequest({ path: parse.path, text: stringify(cleaned) }).request;
  if (!request) return undefined;
  for (const key of Object.keys(raw))
    if (JSON.stringify(raw[key]) !== JSON.stringify(cleaned[key]))
      (request as unknown as Record<string, unknown>)[key] = raw[key];
  return request;
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
