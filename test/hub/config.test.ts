// The hub's configuration and who its members are: every way to name a member, mistakes reported at
// their line, and the member list built from names and organisation listings.
import { describe, expect, it } from 'vitest';
import { HUB_CONFIG_YAML, parseHubConfig, siteOf } from '../../src/hub/config.ts';
import { resolveMembers, topicOrganisations, type OrgRepository } from '../../src/hub/members.ts';

const parse = (text: string) => parseHubConfig({ path: '.github/maint-hub.yaml', text }, 'acme');

describe('parseHubConfig', () => {
  it('reads names, repositories with teams and topics (of the hub owner unless told)', () => {
    const { config, findings } = parse(`version: 1
members:
  - acme/payments
  - { repository: acme/orders, team: orders }
  - { repository: acme/billing, team: [payments, finance] }
  - topic: maintenance
  - { topic: team-search, org: acme-labs, team: search }
pages_url: 'https://pages.example.com/{owner}/{repo}/'
conflict_issues: false
`);
    expect(findings).toEqual([]);
    expect(config).toEqual({
      members: [
        { kind: 'repository', repository: 'acme/payments', teams: [] },
        { kind: 'repository', repository: 'acme/orders', teams: ['orders'] },
        { kind: 'repository', repository: 'acme/billing', teams: ['payments', 'finance'] },
        { kind: 'topic', topic: 'maintenance', org: 'acme', teams: [] },
        { kind: 'topic', topic: 'team-search', org: 'acme-labs', teams: ['search'] },
      ],
      pagesUrl: 'https://pages.example.com/{owner}/{repo}/',
      conflictIssues: false,
    });
  });

  it('takes what `maint init --hub` writes', () => {
    const { config } = parse(HUB_CONFIG_YAML);
    expect(config?.members).toEqual([{ kind: 'topic', topic: 'maintenance', org: 'acme', teams: [] }]);
    expect(config?.pagesUrl).toBe('https://{owner}.github.io/{repo}/');
    expect(config?.conflictIssues).toBe(true);
  });

  it.each([
    ['no members', 'version: 1\nmembers: []\n', 2, 'needs at least 1 item'],
    ['a member that is neither', 'members:\n  - payments\n', 2, 'a member is `owner/name`'],
    ['an unknown field', 'members: [acme/a]\nmembres: [acme/b]\n', 2, 'unknown field `membres`'],
    ['a team with capitals', 'members:\n  - { repository: acme/a, team: Payments }\n', 2, 'a member is'],
    ['pages_url without {repo}', "members: [acme/a]\npages_url: 'https://x.example/'\n", 2, '`pages_url`'],
    ['not YAML', 'members: [acme/a\n', 2, 'invalid YAML'],
  ])('reports %s at its line', (_name, text, line, message) => {
    const { config, findings } = parse(text);
    expect(config).toBeUndefined();
    expect(findings[0]?.line).toBe(line);
    expect(findings.map((f) => f.message).join('\n')).toContain(message);
  });
});

describe('siteOf', () => {
  it.each([
    ['https://{owner}.github.io/{repo}/', 'Acme', 'Payments-API', 'https://acme.github.io/Payments-API/'],
    ['https://pages.example.com/{owner}/{repo}', 'acme', 'a', 'https://pages.example.com/acme/a/'],
  ])('%s for %s/%s', (template, owner, repo, expected) => {
    expect(siteOf(template, owner, repo)).toBe(expected);
  });
});

describe('resolveMembers', () => {
  const listing = (repos: Partial<OrgRepository>[]): OrgRepository[] =>
    repos.map((r) => ({ fullName: 'acme/x', defaultBranch: 'main', topics: [], archived: false, ...r }));

  it('reads each repository once, with the teams of every entry naming it, archived ones left out', () => {
    const { config } = parse(`members:
  - { repository: ACME/Payments, team: payments }
  - topic: maintenance
  - { topic: team-search, team: search }
`);
    const listings = new Map([
      [
        'acme',
        listing([
          { fullName: 'acme/payments', topics: ['maintenance'], defaultBranch: 'trunk' },
          { fullName: 'acme/search', topics: ['maintenance', 'team-search'] },
          { fullName: 'acme/old', topics: ['maintenance'], archived: true },
          { fullName: 'acme/website', topics: ['web'] },
        ]),
      ],
    ]);
    expect(topicOrganisations(config!)).toEqual(['acme']);
    expect(resolveMembers(config!, listings)).toEqual([
      {
        repository: 'ACME/Payments',
        key: 'acme/payments',
        owner: 'ACME',
        name: 'Payments',
        teams: ['payments'],
        defaultBranch: 'trunk',
      },
      {
        repository: 'acme/search',
        key: 'acme/search',
        owner: 'acme',
        name: 'search',
        teams: ['search'],
        defaultBranch: 'main',
      },
    ]);
  });

  it('keeps a named member whose organisation was not listed, without a known default branch', () => {
    const { config } = parse('members: [other/tool]\n');
    expect(topicOrganisations(config!)).toEqual([]);
    expect(resolveMembers(config!, new Map())).toEqual([
      { repository: 'other/tool', key: 'other/tool', owner: 'other', name: 'tool', teams: [] },
    ]);
  });
});
