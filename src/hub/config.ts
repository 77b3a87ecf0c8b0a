// The hub's configuration, `.github/maint-hub.yaml`: which repositories it merges (by name, and every
// repository of an organisation with a topic), the team each belongs to, where members publish their
// site, and whether conflicts between repositories open issues. Parsed with positions, so a mistake
// is reported at its line.
import { describeErrors } from '../model/schema-check.ts';
import { dataValidators } from '../model/schema-validators.ts';
import type { LocatedFinding } from '../model/types.ts';
import { parseYaml, type YamlSource } from '../model/yaml-source.ts';

export const HUB_CONFIG_PATH = '.github/maint-hub.yaml';
/** GitHub Pages' address of a project site; {owner} and {repo} are filled per repository. */
export const DEFAULT_PAGES_URL = 'https://{owner}.github.io/{repo}/';

export interface MemberByName {
  kind: 'repository';
  repository: string;
  teams: string[];
}

export interface MemberByTopic {
  kind: 'topic';
  topic: string;
  /** The organisation whose repositories are listed. */
  org: string;
  teams: string[];
}

export type MemberSelector = MemberByName | MemberByTopic;

export interface HubConfig {
  members: MemberSelector[];
  pagesUrl: string;
  conflictIssues: boolean;
}

interface HubDocument {
  members: (string | { repository: string; team?: string | string[] } | TopicDocument)[];
  pages_url?: string;
  conflict_issues?: boolean;
}
interface TopicDocument {
  topic: string;
  org?: string;
  team?: string | string[];
}

export const HUB_CONFIG_YAML = `# The hub: one calendar, one page and one schedule.json over the maintenance of many repositories.
# Each member keeps its own maintenance/ folder and policy; the hub reads its default branch.
version: 1
members:
  # By name (needs the GitHub App installed on it):
  # - acme/payments-api
  # - { repository: acme/orders, team: orders }
  # Every repository of the organisation with this topic (archived ones excepted):
  - topic: maintenance
# Where members publish their site; schedule.json is read from there, else the repository is read
# through the API. The hub reads back its own state from the same place.
# pages_url: 'https://{owner}.github.io/{repo}/'
# One issue in this repository per pair of conflicting requests of different repositories:
conflict_issues: true
`;

const teamList = (team: string | string[] | undefined): string[] =>
  team === undefined ? [] : Array.isArray(team) ? [...team] : [team];

/** Reads the configuration; `owner` is the hub repository's owner, the default organisation of topics. */
export function parseHubConfig(
  source: YamlSource,
  owner: string,
): { config?: HubConfig; findings: LocatedFinding[] } {
  const yaml = parseYaml(source);
  if (!yaml.value) return { findings: yaml.findings };
  const validate = dataValidators().hub;
  if (!validate(yaml.value)) return { findings: describeErrors(validate.errors ?? []).map(yaml.locate) };
  const doc = yaml.value as unknown as HubDocument;
  const members = doc.members.map((entry): MemberSelector => {
    if (typeof entry === 'string') return { kind: 'repository', repository: entry, teams: [] };
    if ('repository' in entry)
      return { kind: 'repository', repository: entry.repository, teams: teamList(entry.team) };
    return { kind: 'topic', topic: entry.topic, org: entry.org ?? owner, teams: teamList(entry.team) };
  });
  return {
    config: {
      members,
      pagesUrl: doc.pages_url ?? DEFAULT_PAGES_URL,
      conflictIssues: doc.conflict_issues !== false,
    },
    findings: [],
  };
}

/**
 * A repository's site root from the template: GitHub Pages host names are lower case, so {owner}
 * is; the path keeps the repository's own spelling. Always ends in `/`.
 */
export function siteOf(template: string, owner: string, repo: string): string {
  const filled = template
    .replaceAll('{owner}', encodeURIComponent(owner.toLowerCase()))
    .replaceAll('{repo}', encodeURIComponent(repo));
  return filled.endsWith('/') ? filled : `${filled}/`;
}
