// Sends one notice of a maintenance. The comment on its result issue is exactly once: it carries a
// hidden marker naming its action, and is posted only when no comment with that marker exists. Slack,
// Teams (when their webhook secrets are set), Statuspage (created at the announcement, updated
// after; when the policy names a page and the API key is set) and e-mail (when the policy names
// recipients: run-email.ts) cannot be asked what they received: they are sent after the action is
// recorded, at most once, and a failure is reported, not repeated by a later tick.
import type { IssueTracker } from '../github/port.ts';
import type { OccurrenceState } from '../lifecycle/state.ts';
import type { MaintenanceRequest, Policy } from '../model/types.ts';
import type { Channel, NoticeKind } from '../notices/kinds.ts';
import { renderNotice } from '../notices/render.ts';
import { checkTeamsWebhookUrl } from '../notices/teams.ts';
import type { TemplateSource } from '../notices/template-source.ts';
import type { NoticeDetails } from '../notices/view.ts';
import { CREDENTIAL_NAMES, webhookSecretRefusal } from '../outbound/credentials.ts';
import {
  slackPost,
  statuspageCreateIncident,
  statuspageUpdateIncident,
  teamsPost,
} from '../outbound/messages.ts';
import type { Outbound } from '../outbound/port.ts';
import { emailWanted, sendNoticeMail, type MailContext } from './run-email.ts';

export interface NoticeContext {
  github: IssueTracker;
  outbound?: Outbound;
  /** Secret values by name, to know which chat webhooks are configured. */
  secret: (name: string) => string | undefined;
  templates: TemplateSource;
  policy: Policy;
  now: number;
  /** The occurrence, for e-mail (its thread and calendar event); without it no e-mail is sent. */
  mail?: MailContext;
}

export interface SentNotice {
  problems: string[];
  /** Ids created at other services (the Statuspage incident), to record in the state. */
  external: Record<string, string>;
  /** How each channel that was tried took the notice, by channel key (`slack`, `teams`, `statuspage`, ...). */
  delivered: Record<string, 'sent' | 'failed'>;
}

/** `Slack` -> `slack`, `E-mail` -> `email`: the key a channel's results are recorded under. */
export function channelKey(channel: string): string {
  return channel.toLowerCase().replace(/[^a-z0-9]/g, '');
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

/** The hidden marker of the comment an action posts: `<!-- maint:notice remind:P1D -->`. */
export function noticeMarker(action: string): string {
  return `<!-- maint:notice ${action} -->`;
}

/** Posts the comment of an action unless one with its marker is already there; true when it posted. */
export async function postOnce(
  github: IssueTracker,
  issue: number,
  action: string,
  body: string,
  existing: () => Promise<readonly string[]>,
): Promise<boolean> {
  const marker = noticeMarker(action);
  if ((await existing()).some((comment) => comment.includes(marker))) return false;
  await github.comment(issue, `${body.trimEnd()}\n\n${marker}\n`);
  return true;
}

/** The notice as a result-issue comment (posted through postOnce). */
export function noticeComment(
  context: NoticeContext,
  kind: NoticeKind,
  request: MaintenanceRequest,
  details: NoticeDetails,
): string {
  return render(context, kind, 'markdown', request, details).text ?? '';
}

/** The notice on the other channels; run after the action is recorded. */
export async function sendExternal(
  context: NoticeContext,
  kind: NoticeKind,
  request: MaintenanceRequest,
  state: OccurrenceState,
  details: NoticeDetails,
): Promise<SentNotice> {
  const problems: string[] = [];
  const external: Record<string, string> = {};
  const delivered: Record<string, 'sent' | 'failed'> = {};
  const outbound = context.outbound;
  if (!outbound) return { problems, external, delivered };
  const attempt = async (channel: string, send: () => Promise<void>) => {
    try {
      await send();
      delivered[channelKey(channel)] = 'sent';
    } catch (error) {
      delivered[channelKey(channel)] = 'failed';
      problems.push(`${channel}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  // The webhook secret a request names, looked up only when the policy lets a request name it.
  const webhookSecret = (field: 'slack_webhook_secret' | 'teams_webhook_secret', fallback: string) => {
    const name = request.notify?.[field] ?? fallback;
    const refused = webhookSecretRefusal(name, context.policy.notices.webhookSecrets);
    if (refused) problems.push(`notify.${field}: not used: ${refused}`);
    return refused ? { name, value: undefined } : { name, value: context.secret(name) };
  };

  const { name: slackSecret, value: slackUrl } = webhookSecret(
    'slack_webhook_secret',
    CREDENTIAL_NAMES.slack,
  );
  if (slackUrl)
    await attempt('Slack', async () => {
      await outbound.send(slackPost(render(context, kind, 'slack', request, details).json, slackSecret));
    });

  const { name: teamsSecret, value: teamsUrl } = webhookSecret(
    'teams_webhook_secret',
    CREDENTIAL_NAMES.teams,
  );
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

  const email = context.policy.notices.email;
  if (email && context.mail && emailWanted(email, request, kind)) {
    const mail = context.mail;
    await attempt('E-mail', async () => {
      const notice = render(context, kind, 'email', request, details);
      problems.push(
        ...(await sendNoticeMail(outbound, {
          policy: context.policy,
          email,
          now: context.now,
          mail,
          kind,
          request,
          details,
          notice,
        })),
      );
    });
  }
  return { problems, external, delivered };
}
