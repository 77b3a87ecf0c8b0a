// Sends one notice of a maintenance: always as a comment on its result issue; to Slack and Teams
// when their webhook secrets are set; to Statuspage (created at the announcement, updated after)
// when the policy names a page and the API key is set. A channel that fails is reported, not retried
// by a later tick: the notice was recorded as sent before it went out (at most once).
import type { IssueTracker } from '../github/port.ts';
import type { OccurrenceState } from '../lifecycle/state.ts';
import type { MaintenanceRequest, Policy } from '../model/types.ts';
import type { Channel, NoticeKind } from '../notices/kinds.ts';
import { renderNotice } from '../notices/render.ts';
import { checkTeamsWebhookUrl } from '../notices/teams.ts';
import type { TemplateSource } from '../notices/template-source.ts';
import type { NoticeDetails } from '../notices/view.ts';
import { CREDENTIAL_NAMES } from '../outbound/credentials.ts';
import {
  slackPost,
  statuspageCreateIncident,
  statuspageUpdateIncident,
  teamsPost,
} from '../outbound/messages.ts';
import type { Outbound } from '../outbound/port.ts';

export interface NoticeContext {
  github: IssueTracker;
  outbound?: Outbound;
  /** Secret values by name, to know which chat webhooks are configured. */
  secret: (name: string) => string | undefined;
  templates: TemplateSource;
  policy: Policy;
  now: number;
}

export interface SentNotice {
  problems: string[];
  /** Ids created at other services (the Statuspage incident), to record in the state. */
  external: Record<string, string>;
}

function render(
  context: NoticeContext,
  kind: NoticeKind,
  channel: Channel,
  request: MaintenanceRequest,
  details: NoticeDetails,
) {
  const result = renderNotice(
    { kind, channel, request, policy: context.policy, now: context.now, details },
    context.templates,
  );
  if (!result.ok) {
    const { file, line, message } = result.problem;
    throw new Error(
      `notice ${kind} for ${channel}: ${[file, line].filter((p) => p !== undefined).join(':')} ${message}`,
    );
  }
  return result.notice;
}

export async function sendNotice(
  context: NoticeContext,
  issue: number,
  kind: NoticeKind,
  request: MaintenanceRequest,
  state: OccurrenceState,
  details: NoticeDetails,
): Promise<SentNotice> {
  const problems: string[] = [];
  const external: Record<string, string> = {};
  const markdown = render(context, kind, 'markdown', request, details);
  await context.github.comment(issue, markdown.text ?? '');

  const outbound = context.outbound;
  if (!outbound) return { problems, external };
  const attempt = async (channel: string, send: () => Promise<void>) => {
    try {
      await send();
    } catch (error) {
      problems.push(`${channel}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const slackSecret = request.notify?.slack_webhook_secret ?? CREDENTIAL_NAMES.slack;
  if (context.secret(slackSecret))
    await attempt('Slack', async () => {
      await outbound.send(slackPost(render(context, kind, 'slack', request, details).json, slackSecret));
    });

  const teamsSecret = request.notify?.teams_webhook_secret ?? CREDENTIAL_NAMES.teams;
  const teamsUrl = context.secret(teamsSecret);
  if (teamsUrl)
    await attempt('Teams', async () => {
      const checked = checkTeamsWebhookUrl(teamsUrl);
      if (!checked.ok) throw new Error(checked.message);
      await outbound.send(teamsPost(render(context, kind, 'teams', request, details).json, teamsSecret));
    });

  const pageId = context.policy.notices.statuspagePageId;
  // Statuspage reminds its subscribers itself (scheduled_remind_prior).
  if (pageId && context.secret(CREDENTIAL_NAMES.statuspage.apiKey) && kind !== 'reminder')
    await attempt('Statuspage', async () => {
      const body = render(context, kind, 'statuspage', request, details).json;
      const incident = state.external?.statuspage;
      if (incident) await outbound.send(statuspageUpdateIncident(pageId, incident, body));
      else if (kind === 'announcement' || kind === 'emergency') {
        const created = await outbound.send(statuspageCreateIncident(pageId, body));
        if (created.id) external.statuspage = created.id;
      }
    });
  return { problems, external };
}
