// Who the hub's members are: the repositories named in the configuration plus those of each listed
// organisation that carry a member topic, each once (GitHub names are case-insensitive), with the
// teams every entry naming it gives. Pure: the organisation listings are passed in.
import type { HubConfig } from './config.ts';

/** A repository as an organisation listing gives it. */
export interface OrgRepository {
  fullName: string;
  defaultBranch: string;
  topics: string[];
  archived: boolean;
}

export interface Member {
  /** owner/name as first spelt (by the configuration or the listing). */
  repository: string;
  /** The lower-cased name: how state and data are keyed. */
  key: string;
  owner: string;
  name: string;
  teams: string[];
  /** Known from an organisation listing; read from the repository otherwise. */
  defaultBranch?: string;
}

export const memberKey = (repository: string): string => repository.toLowerCase();

/** The organisations whose repositories must be listed for the topic entries. */
export function topicOrganisations(config: HubConfig): string[] {
  const orgs = new Map<string, string>();
  for (const entry of config.members)
    if (entry.kind === 'topic' && !orgs.has(entry.org.toLowerCase()))
      orgs.set(entry.org.toLowerCase(), entry.org);
  return [...orgs.values()];
}

/** Members in configuration order; `listings` by lower-cased organisation name. */
export function resolveMembers(
  config: HubConfig,
  listings: ReadonlyMap<string, readonly OrgRepository[]>,
): Member[] {
  const members = new Map<string, Member>();
  const add = (repository: string, teams: readonly string[], defaultBranch?: string) => {
    const key = memberKey(repository);
    let member = members.get(key);
    if (!member) {
      const [owner = '', name = ''] = repository.split('/');
      member = { repository, key, owner, name, teams: [] };
      members.set(key, member);
    }
    for (const team of teams) if (!member.teams.includes(team)) member.teams.push(team);
    if (defaultBranch !== undefined) member.defaultBranch = defaultBranch;
  };
  for (const entry of config.members) {
    if (entry.kind === 'repository') {
      add(entry.repository, entry.teams);
      continue;
    }
    const listed = listings.get(entry.org.toLowerCase()) ?? [];
    for (const repo of listed) {
      if (!repo.archived && repo.topics.includes(entry.topic))
        add(repo.fullName, entry.teams, repo.defaultBranch);
    }
  }
  // A repository named explicitly still learns its default branch from a listing that shows it.
  for (const listed of listings.values())
    for (const repo of listed) {
      const member = members.get(memberKey(repo.fullName));
      if (member && member.defaultBranch === undefined) member.defaultBranch = repo.defaultBranch;
    }
  for (const member of members.values()) member.teams.sort();
  return [...members.values()];
}
