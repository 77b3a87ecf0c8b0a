// Whom to ask for each approval a file still misses: only people whose approval could count (not the
// author, not bots, not those known to lack write access), named as CODEOWNERS or the policy names
// them; and when nobody is left who could give it, who is ruled out, why, and what fixes it.
import { DEFAULT_POLICY_PATH } from '../model/default-policy.ts';
import type { ApprovalKey } from '../model/types.ts';
import { assignToGroups } from './assign.ts';
import { ownerKind } from './codeowners.ts';

export interface AskContext {
  /** Why a login's approval could not count (author, bot, known to lack write access), if so. */
  cannotCount(login: string): string | undefined;
  /** A team's members (lower-cased logins) when they could be read; undefined otherwise. */
  members(team: string): ReadonlySet<string> | undefined;
  /** GitHub answered 404 for the team. */
  notFound(team: string): boolean;
}

export interface GroupToFill {
  name: string;
  need: number;
  missing: number;
  /** The owners as CODEOWNERS writes them, or `@org/team` for a policy team. */
  owners: readonly string[];
  accepts(login: string): boolean;
  /** A policy team group: the approvals key that requires it. */
  policyKey?: ApprovalKey;
  /** The old name's owners of a renamed file: whoever counted elsewhere may count here too. */
  shared?: boolean;
}

export interface WhomToAsk {
  /** Group name -> owners to ask, as CODEOWNERS or the policy writes them. */
  askFrom: Record<string, string[]>;
  /** Group name -> why nobody who can approve is left, and the fix. */
  nobody: Record<string, string>;
}

const key = (login: string) => login.toLowerCase();
const MEMBERS_SHOWN = 5;

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The logins an owner stands for, or undefined when a team's members are unknown. */
function loginsOf(owner: string, context: AskContext): string[] | undefined {
  const kind = ownerKind(owner);
  if (kind === 'user') return [owner.slice(1)];
  if (kind === 'team') {
    const members = context.members(owner);
    if (members) return [...members];
    return context.notFound(owner) ? [] : undefined;
  }
  return [];
}

export function whomToAsk(input: {
  path: string;
  groups: readonly GroupToFill[];
  /** Logins whose approvals count toward this file. */
  approvers: readonly string[];
  context: AskContext;
}): WhomToAsk {
  const { path, groups, context } = input;
  const approved = new Set(input.approvers.map(key));
  const canAsk = (login: string) => context.cannotCount(login) === undefined && !approved.has(key(login));
  const candidates = (group: GroupToFill) => {
    const known = group.owners.map((owner) => loginsOf(owner, context));
    return {
      logins: [...new Set(known.flatMap((logins) => logins ?? []).map(key))],
      unknown: known.some((logins) => logins === undefined),
    };
  };

  // Could the groups be filled if everyone who may still approve did? One person per group.
  const pool = [...new Set(groups.flatMap((g) => candidates(g).logins))].filter(canAsk);
  const slots = groups.filter((g) => !g.shared);
  const hypothetical = assignToGroups([...input.approvers.map(key), ...pool], slots);

  const askFrom: Record<string, string[]> = {};
  const nobody: Record<string, string> = {};
  for (const group of groups) {
    if (group.missing === 0) continue;
    const { logins, unknown } = candidates(group);
    const direct = new Set(logins.filter(canAsk));
    const short = group.shared ? direct.size === 0 : hypothetical[slots.indexOf(group)]!.length < group.need;
    if (short && !unknown) nobody[group.name] = whyNobody(group, path, direct, approved, context);
    const named = group.owners.filter((owner) => {
      const of = loginsOf(owner, context);
      return of === undefined || of.some((login) => direct.has(key(login)));
    });
    if (named.length > 0) askFrom[group.name] = named;
  }
  return { askFrom, nobody };
}

/** Who is ruled out of a group that cannot be filled, why, and the fix; those who can are left out. */
function whyNobody(
  group: GroupToFill,
  path: string,
  can: ReadonlySet<string>,
  approved: ReadonlySet<string>,
  context: AskContext,
): string {
  const why = (login: string) =>
    context.cannotCount(login) ?? (approved.has(key(login)) ? 'already counts for another group' : undefined);
  const reasons = group.owners.flatMap((owner): string[] => {
    const kind = ownerKind(owner);
    if (kind === 'user') {
      const reason = can.has(key(owner.slice(1))) ? undefined : why(owner.slice(1));
      return reason === undefined ? [] : [`${owner} ${reason}`];
    }
    if (kind === 'email') return [`${owner} is an e-mail address, which cannot be matched to a GitHub login`];
    const org = owner.slice(1).split('/')[0]!;
    if (context.notFound(owner)) return [`team ${owner} was not found in the organisation ${org}`];
    const members = [...(context.members(owner) ?? [])];
    if (members.length === 0) return [`team ${owner} has no members`];
    const out = members.filter((login) => !can.has(key(login)));
    if (out.length === 0) return [];
    const shown = out.slice(0, MEMBERS_SHOWN).map((login) => `${login} ${why(login) ?? 'cannot'}`);
    if (out.length > MEMBERS_SHOWN) shown.push(`${out.length - MEMBERS_SHOWN} more likewise`);
    return [`of team ${owner}, ${shown.join(', ')}`];
  });
  if (group.owners.length === 0) reasons.push(`nobody owns ${path} in the base branch's CODEOWNERS`);
  const [team] = group.owners;
  const [org, slug] = (team ?? '@/').slice(1).split('/') as [string, string];
  const fix =
    group.policyKey === undefined || team === undefined
      ? `add a code owner who can approve for ${path} to the base branch's CODEOWNERS (in a pull request of its own), or give write access to an owner who lacks it`
      : context.notFound(team)
        ? `create the team ${slug} in ${org}, or name your organisation's team in the policy's \`approvals.${group.policyKey}.teams\` (${DEFAULT_POLICY_PATH})`
        : `add someone who can approve to ${team}, or name another team in the policy's \`approvals.${group.policyKey}.teams\` (${DEFAULT_POLICY_PATH})`;
  return `${list(reasons)}; to fix: ${fix}`;
}
