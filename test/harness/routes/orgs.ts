// Organisation routes: the repositories of an organisation (what a hub lists to find its members by
// topic), with the private ones only for a token that may see them.
import { notFound, paginate, type Reply, type RequestContext } from '../context.ts';

function listForOrg(ctx: RequestContext): Reply {
  const org = ctx.str('org').toLowerCase();
  if (!ctx.state.orgs.has(org)) throw notFound();
  const type = String(ctx.query.type ?? 'all');
  const sort = String(ctx.query.sort ?? 'created');
  const repos = [...ctx.state.repos.values()]
    .filter((r) => r.owner.toLowerCase() === org && ctx.state.canSee(r, ctx.caller.policy, ctx.caller.token))
    .filter((r) =>
      type === 'public'
        ? !r.private
        : type === 'private'
          ? r.private
          : type === 'forks'
            ? r.fork
            : type === 'sources'
              ? !r.fork
              : true,
    )
    .sort((a, b) =>
      sort === 'full_name'
        ? a.fullName.toLowerCase() < b.fullName.toLowerCase()
          ? -1
          : 1
        : a.created_at < b.created_at
          ? -1
          : a.created_at > b.created_at
            ? 1
            : a.id - b.id,
    );
  if (String(ctx.query.direction ?? (sort === 'full_name' ? 'asc' : 'desc')) === 'desc') repos.reverse();
  return paginate(ctx, repos, (r) => ctx.render.repository(r));
}

export const orgRoutes = {
  'repos/list-for-org': listForOrg,
};
