// The organisation's real approver teams for `maint init`: taken from `--teams`
// (`medium=acme/eng-leads,high=acme/cto,emergency=acme/oncall-leads`) or asked on a terminal, and
// written into the default policy in place of its placeholders (`org/eng-managers`, ...), which no
// real organisation has: left as they are, medium, high and emergency requests can never be approved.
import { DEFAULT_POLICY_YAML } from '../model/default-policy.ts';
import { parsePolicy } from '../model/policy.ts';
import type { ApprovalKey } from '../model/types.ts';
import { UsageError } from '../errors.ts';

export type ApproverTeams = Partial<Record<ApprovalKey, string>>;

const KEYS: readonly ApprovalKey[] = ['low', 'medium', 'high', 'emergency'];
/** The policy schema's team pattern, without the optional `@`. */
const TEAM = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

let placeholders: ApproverTeams | undefined;
/**
 * The team each key of the default policy names, e.g. medium -> org/eng-managers. Read on first
 * use, not at start-up: every other command would pay for a second reading of the default policy.
 */
export function placeholderTeams(): ApproverTeams {
  if (placeholders) return placeholders;
  const { policy } = parsePolicy({ path: 'default', text: DEFAULT_POLICY_YAML });
  placeholders = Object.fromEntries(
    KEYS.flatMap((key) => {
      const team = policy?.approvals[key].teams[0]?.team;
      return team === undefined ? [] : [[key, team]];
    }),
  );
  return placeholders;
}

/** Why a team name cannot be used, or undefined. */
function teamProblem(team: string): string | undefined {
  return TEAM.test(team) ? undefined : `"${team}" is not a team written org/team, e.g. acme/eng-leads`;
}

/** Reads `--teams`: comma-separated `key=org/team`, each key once. */
export function parseTeamsOption(text: string): ApproverTeams {
  const teams: ApproverTeams = {};
  for (const entry of text.split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const at = entry.indexOf('=');
    if (at < 0)
      throw new UsageError(
        `--teams: "${entry}" must be written impact=org/team, e.g. medium=acme/eng-leads,high=acme/cto`,
      );
    const key = entry.slice(0, at).trim() as ApprovalKey;
    const team = entry
      .slice(at + 1)
      .trim()
      .replace(/^@/, '');
    if (!KEYS.includes(key)) throw new UsageError(`--teams: "${key}" is not one of ${KEYS.join(', ')}`);
    if (teams[key] !== undefined) throw new UsageError(`--teams: ${key} is given twice`);
    const problem = teamProblem(team);
    if (problem) throw new UsageError(`--teams: ${key}: ${problem}`);
    teams[key] = team;
  }
  if (Object.keys(teams).length === 0)
    throw new UsageError('--teams: no team given; e.g. --teams medium=acme/eng-leads,high=acme/cto');
  return teams;
}

/** Asks for each placeholder team in turn; an empty answer keeps the placeholder. */
export async function askTeams(
  ask: (question: string) => Promise<string>,
  out: (text: string) => void,
): Promise<ApproverTeams> {
  out("Which of your organisation's teams approve? Answer org/team; Enter keeps the placeholder.");
  const teams: ApproverTeams = {};
  for (const key of KEYS) {
    const placeholder = placeholderTeams()[key];
    if (placeholder === undefined) continue;
    const label = key === 'emergency' ? 'emergencies' : `${key}-impact requests`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = (await ask(`Team that approves ${label} [${placeholder}]: `)).trim().replace(/^@/, '');
      if (answer === '') break;
      const problem = teamProblem(answer);
      if (!problem) {
        teams[key] = answer;
        break;
      }
      out(problem);
    }
  }
  return teams;
}

const APPROVAL_LINE =
  /^( {2}(low|medium|high|emergency): \{ code_owners: \d+)(?:, teams: \[\{ team: [^,]+, count: (\d+) \}\])? \}$/gm;

/** The default policy text with the given teams in its `approvals`; checked to parse to exactly them. */
export function policyWithTeams(text: string, teams: ApproverTeams): string {
  const written = text.replace(APPROVAL_LINE, (line, head: string, key: ApprovalKey, count?: string) => {
    const team = teams[key];
    return team === undefined ? line : `${head}, teams: [{ team: ${team}, count: ${count ?? 1} }] }`;
  });
  const { policy, findings } = parsePolicy({ path: 'maintenance-policy.yaml', text: written });
  for (const key of KEYS) {
    const team = teams[key];
    if (team !== undefined && policy?.approvals[key].teams[0]?.team !== team)
      throw new Error(
        `the policy's approvals.${key} could not be given the team ${team}: ${JSON.stringify(findings)}`,
      );
  }
  return written;
}

/** The keys whose team is still the default policy's placeholder. */
export function placeholdersLeft(teams: ApproverTeams): string[] {
  const defaults = placeholderTeams();
  return KEYS.filter((key) => defaults[key] !== undefined && teams[key] === undefined).map(
    (key) => `${key} (${defaults[key]})`,
  );
}
