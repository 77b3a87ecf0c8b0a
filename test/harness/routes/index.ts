// Every operation the test server implements, by GitHub operationId; anything else documented answers 501.
import type { Reply, RequestContext } from '../context.ts';
import { actionRoutes } from './actions.ts';
import { changeRoutes } from './changes.ts';
import { checkRoutes } from './checks.ts';
import { commitRoutes } from './commits.ts';
import { contentRoutes } from './contents.ts';
import { issueRoutes } from './issues.ts';
import { orgRoutes } from './orgs.ts';
import { peopleRoutes } from './people.ts';
import { pullRoutes } from './pulls.ts';
import { reviewRoutes } from './reviews.ts';

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export const ROUTES: Record<string, Handler> = {
  ...pullRoutes,
  ...reviewRoutes,
  ...commitRoutes,
  ...contentRoutes,
  ...peopleRoutes,
  ...checkRoutes,
  ...issueRoutes,
  ...actionRoutes,
  ...orgRoutes,
  ...changeRoutes,
};
