// Shared inputs for the site tests: the repository's example requests, validated against the default
// policy at a fixed instant, plus the fixtures of this folder.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRequest, type RequestParse } from '../../src/model/request.ts';
import type { MaintenanceRequest, Policy } from '../../src/model/types.ts';
import { validate, type ValidationReport } from '../../src/schedule/validate.ts';
import { renderSchedulePage, type SchedulePageInput } from '../../src/site/schedule-page.ts';
import { DEFAULT_POLICY_YAML } from '../../src/model/default-policy.ts';
import { fromText, readRequests } from '../../src/workspace/local.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const NOW = Date.parse('2027-01-04T00:00:00Z');

export const FEEDS = [
  { label: 'All maintenance', path: 'maintenance.ics' },
  { label: 'production', path: 'env/production.ics' },
  { label: 'api', path: 'service/api.ics' },
  { label: 'Change freezes', path: 'freezes.ics' },
];

export const BASE_URL = 'https://example-org.github.io/maintenance-calendar/';

export function fixture(name: string): RequestParse {
  const path = `test/site/fixtures/${name}`;
  const parsed = parseRequest({
    path,
    text: readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'),
  });
  if (!parsed.request) throw new Error(`${path} does not parse: ${JSON.stringify(parsed.findings)}`);
  return parsed;
}

export interface Schedule {
  policy: Policy;
  requests: MaintenanceRequest[];
  report: ValidationReport;
}

/** The example requests (and any extra parsed files), validated together under the default policy. */
export function schedule(extra: RequestParse[] = [], now = NOW): Schedule {
  const { policy } = fromText(DEFAULT_POLICY_YAML, 'built-in default', undefined, now);
  const targets = [...readRequests(['maintenance'], ROOT), ...extra];
  const report = validate({ policy, now, targets, suggestSlots: false });
  const requests = targets.flatMap((t) => (t.request ? [t.request] : []));
  return { policy, requests, report };
}

export function examplePage(overrides: Partial<SchedulePageInput> = {}, extra: RequestParse[] = []): string {
  const { policy, requests, report } = schedule(extra);
  return renderSchedulePage({
    requests,
    report,
    policy,
    now: NOW,
    repo: { owner: 'example-org', name: 'maintenance-calendar' },
    feeds: FEEDS,
    baseUrl: BASE_URL,
    links: (id) => ({
      pr: `https://github.com/example-org/maintenance-calendar/pull/${id.length}`,
      ...(id === 'orders-schema-migration'
        ? { issue: 'https://github.com/example-org/maintenance-calendar/issues/7' }
        : {}),
    }),
    ...overrides,
  });
}
