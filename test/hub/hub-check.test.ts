// The validate mode's check against the hub: where the hub's schedule.json is looked for, findings
// placed at the request's lines in its file's report, and a hub that cannot be read a warning only.
import { describe, expect, it } from 'vitest';
import type { PageAnswer, PagesReader } from '../../src/github/pages.ts';
import { hubScheduleUrl, withHubConflicts } from '../../src/modes/hub-check.ts';
import type { ScheduleDocument } from '../../src/publish/schedule-json.ts';
import { buildScheduleDocument } from '../../src/publish/schedule-json.ts';
import { validate } from '../../src/schedule/validate.ts';
import { request, requestFile } from '../helpers/requests.ts';
import { NOW, policy, published } from './site-fixture.ts';

const hubPolicy = policy((yaml) =>
  yaml.replace('same_environment: warning', 'same_environment: warning\n  hub: acme/hub'),
);

/** A Pages site that answers one thing, and counts what it was asked. */
function pages(answer: PageAnswer): PagesReader & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    requests: 0,
    get: (url) => {
      asked.push(url);
      return Promise.resolve(answer);
    },
  };
}

function hubDocument(): ScheduleDocument {
  const base = buildScheduleDocument({
    requests: [],
    policy: policy(),
    now: NOW,
    repo: { owner: 'acme', name: 'hub' },
  });
  return {
    ...base,
    occurrences: published(
      'acme/payments',
      [request('failover', { start: '2027-03-14T02:00', duration: '2h', services: '[db]' })],
      {
        failover: 7,
      },
    ),
  };
}

function check(reader: PagesReader, p = hubPolicy) {
  const heads = [requestFile('mine', { start: '2027-03-14T03:00', services: '[db]' })];
  const report = validate({ policy: p, now: NOW, targets: heads });
  return withHubConflicts({ report, heads, policy: p, repository: 'acme/orders', now: NOW }, reader);
}

describe('hubScheduleUrl', () => {
  it('is the hub repository GitHub Pages address unless the policy gives one', () => {
    expect(hubScheduleUrl({ repository: 'Acme/Hub' })).toBe('https://acme.github.io/Hub/schedule.json');
    expect(
      hubScheduleUrl({ repository: 'acme/hub', url: 'https://maintenance.acme.example/schedule.json' }),
    ).toBe('https://maintenance.acme.example/schedule.json');
  });
});

describe('withHubConflicts', () => {
  it("adds the other repository's overlapping work as an error at the request's services line", async () => {
    const reader = pages({
      status: 'ok',
      text: JSON.stringify(hubDocument()),
      etag: null,
      lastModified: null,
    });
    const report = await check(reader);
    expect(reader.asked).toEqual(['https://acme.github.io/hub/schedule.json']);
    const [file] = report.files;
    expect(file!.errors.map((f) => [f.rule, f.line, f.message.slice(0, 60)])).toEqual([
      ['conflict', 5, 'overlaps `failover` of acme/payments ("Test request", https:'],
    ]);
    expect(report.summary.errors).toBe(1);
  });

  it('warns on each request when the hub cannot be read, and never fails for it', async () => {
    const report = await check(pages({ status: 'missing', httpStatus: 404 }));
    expect(report.summary.errors).toBe(0);
    expect(report.files[0]!.warnings.map((f) => f.message)).toEqual([
      "could not check against the hub acme/hub's schedule (https://acme.github.io/hub/schedule.json answered 404): conflicts with other repositories' work are not known",
    ]);
    const garbled = await check(
      pages({ status: 'ok', text: '{"version":2}', etag: null, lastModified: null }),
    );
    expect(garbled.files[0]!.warnings[0]!.message).toContain('does not follow schema/schedule.schema.json');
  });

  it('asks nothing when the policy names no hub', async () => {
    const reader = pages({ status: 'missing', httpStatus: 404 });
    const report = await check(reader, policy());
    expect(reader.asked).toEqual([]);
    expect(report.summary).toEqual({ files: 1, errors: 0, warnings: 0 });
  });
});
