// Who may do what: team members and memberships (with GITHUB_TOKEN's 403 and secret teams' 404), and
// collaborators with their permissions.
import { ApiError, notFound, paginate, type Reply, type RequestContext } from '../context.ts';
import type { TeamRecord } from '../state.ts';

export const NOT_ACCESSIBLE = 'Resource not accessible by integration';

/** The team, or the 403/404 GitHub gives a token that may not read it. */
function readableTeam(ctx: RequestContext): TeamRecord {
  const org = ctx.state.orgs.get(ctx.str('org').toLowerCase());
  if (!org) throw notFound();
  const team = org.teams.get(ctx.str('team_slug').toLowerCase());
  if (!team) throw notFound();
  if (!ctx.caller.policy.readTeams) throw new ApiError(403, NOT_ACCESSIBLE);
  if (team.access !== 'ok') throw team.access === 403 ? new ApiError(403, NOT_ACCESSIBLE) : notFound();
  return team;
}

function teamMembers(ctx: RequestContext): Reply {
  const team = readableTeam(ctx);
  const role = String(ctx.query.role ?? 'all');
  const members = [...team.members.entries()]
    .filter(([, r]) => role === 'all' || r === role)
    .map(([login]) => login);
  return paginate(ctx, members, (login) => ctx.render.user(login));
}

// The legacy `permission` field folds maintain into write and triage into read.
function teamMembership(ctx: RequestContext): Reply {
  const team = readableTeam(ctx);
  const login = ctx.str('username');
  const role = team.members.get(login.toLowerCase());
  if (!role) throw notFound();
  return {
    status: 200,
    body: {
      url: `${ctx.render.api}/organizations/${ctx.state.orgs.get(ctx.str('org').toLowerCase())?.id}/team/${team.id}/memberships/${login}`,
      role,
      state: 'active',
    },
  };
}

function checkCollaborator(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const login = ctx.str('username').toLowerCase();
  if (login === repo.owner.toLowerCase() || repo.collaborators.has(login)) return { status: 204 };
  throw notFound();
}

const LEGACY: Record<string, string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
};
const RANK: Record<string, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

function permissionsOf(roleName: string) {
  const rank = RANK[roleName] ?? 0;
  return { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 };
}

/** Everyone with access (affiliation all): the explicit collaborators, and a user owner as admin. */
function listCollaborators(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const rows = [...repo.collaborators.entries()];
  const owner = ctx.state.findUser(repo.owner);
  if (owner && owner.type === 'User' && !repo.collaborators.has(owner.login.toLowerCase()))
    rows.unshift([owner.login.toLowerCase(), 'admin']);
  // The filter names roles as the API does (pull for read, push for write).
  const filter = String(ctx.query.permission ?? '');
  const wanted = filter === '' ? undefined : RANK[{ pull: 'read', push: 'write' }[filter] ?? filter];

  const visible = wanted === undefined ? rows : rows.filter(([, role]) => (RANK[role] ?? 0) >= wanted);
  return paginate(ctx, visible, ([login, role]) => ({
    ...ctx.render.user(login),
    permissions: permissionsOf(role),
    role_name: role,
  }));
}

function collaboratorPermission(ctx: RequestContext): Reply {
  const repo = ctx.repo();
  const login = ctx.str('username');
  const user = ctx.state.findUser(login);
  if (!user) throw new ApiError(404, `${login} is not a user`);
  const role =
    login.toLowerCase() === repo.owner.toLowerCase() ? 'admin' : repo.collaborators.get(login.toLowerCase());
  const roleName = role ?? (repo.private ? 'none' : 'read');
  const permission = LEGACY[roleName] ?? 'none';
  return {
    status: 200,
    body: {
      permission,
      role_name: roleName,
      user: {
        ...ctx.render.user(user.login),
        permissions: permissionsOf(roleName),
        role_name: roleName,
      },
    },
  };
}

export const peopleRoutes = {
  'teams/list-members-in-org': teamMembers,
  'teams/get-membership-for-user-in-org': teamMembership,
  'repos/check-collaborator': checkCollaborator,
  'repos/get-collaborator-permission-level': collaboratorPermission,
  'repos/list-collaborators': listCollaborators,
};
