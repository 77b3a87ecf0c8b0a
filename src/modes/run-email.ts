// The e-mail of one notice in a tick: to the policy's recipients for the request's environment, impact
// and the notice's kind (and the request's own `notify.email`), through the port's relay, threaded on
// the occurrence's announcement. The announcement, an emergency and a cancellation carry the request's
// calendar event, the feed's own. Like the chat notices it is sent after the action is recorded, once.
import { EVENT_ATTACHMENT_TYPE, eventAttachmentName, eventCalendar } from '../calendar/attachment.ts';
import { uidDomain, type Repository } from '../calendar/feed-event.ts';
import type { EmailPolicy, MaintenanceRequest, Policy } from '../model/types.ts';
import { emailRecipients } from '../notices/email-recipients.ts';
import { threadHeaders } from '../notices/email-thread.ts';
import type { NoticeKind } from '../notices/kinds.ts';
import type { RenderedNotice } from '../notices/render.ts';
import type { NoticeDetails } from '../notices/view.ts';
import { subjectLine, type MailAttachment, type OutboundMail } from '../outbound/mail.ts';
import type { Outbound } from '../outbound/port.ts';

/** What e-mail needs to know of the occurrence besides the notice. */
export interface MailContext {
  /** The repository: the domain of the Message-IDs and of the calendar UIDs. */
  repo: Repository;
  /** The occurrence key: every notice of one occurrence is one thread. */
  key: string;
  /** The feed's SEQUENCE of the request's event, or why it cannot be known (no .ics is attached then). */
  sequence: (request: MaintenanceRequest) => number | { problem: string };
  /** The request's pull request, which the feed's event links to. */
  pullRequestUrl?: string;
}

/** Notices whose e-mail carries the calendar event: those that put it in or take it out of a calendar. */
const WITH_EVENT: ReadonlySet<NoticeKind> = new Set(['announcement', 'emergency', 'cancellation']);

/** Whether the policy sends this notice of this request to anyone. */
export function emailWanted(email: EmailPolicy | undefined, request: MaintenanceRequest, kind: NoticeKind) {
  if (!email) return false;
  const { to, cc } = emailRecipients(email, request, kind);
  return to.length + cc.length > 0;
}

export interface EmailInput {
  policy: Policy;
  /** The policy's `notices.email`. */
  email: EmailPolicy;
  now: number;
  mail: MailContext;
  kind: NoticeKind;
  request: MaintenanceRequest;
  details: NoticeDetails;
  /** The notice rendered for the `email` channel. */
  notice: RenderedNotice;
}

/** The message of a notice, and what could not go into it. Pure. */
export function noticeMail(input: EmailInput): { mail: OutboundMail; problems: string[] } {
  const { policy, email, mail: context, kind, request, details, notice } = input;
  const recipients = emailRecipients(email, request, kind);
  const problems: string[] = [];
  const attachments: MailAttachment[] = [];
  if (WITH_EVENT.has(kind)) {
    const sequence = context.sequence(request);
    if (typeof sequence === 'number') {
      const links = {
        ...(context.pullRequestUrl ? { pr: context.pullRequestUrl } : {}),
        ...(details.resultIssueUrl ? { issue: details.resultIssueUrl } : {}),
      };
      attachments.push({
        filename: eventAttachmentName(request),
        contentType: EVENT_ATTACHMENT_TYPE,
        content: eventCalendar(request, { policy, now: input.now, repo: context.repo, sequence, links }),
      });
    } else problems.push(`e-mail: sent without the calendar event: ${sequence.problem}`);
  }
  const thread = threadHeaders(request, context.key, kind, details.offset, uidDomain(context.repo));
  const count = recipients.to.length + recipients.cc.length;
  return {
    mail: {
      from: email.from,
      to: recipients.to,
      cc: recipients.cc,
      subject: subjectLine(notice.subject ?? ''),
      text: `${notice.text ?? ''}\n`,
      html: notice.html ?? '',
      ...thread,
      date: input.now,
      attachments,
      summary: `${kind} of ${context.key} to ${count} recipient(s)`,
    },
    problems,
  };
}

/** Sends the notice's e-mail; the problems to report (the message went out unless it threw). */
export async function sendNoticeMail(outbound: Outbound, input: EmailInput): Promise<string[]> {
  const { mail, problems } = noticeMail(input);
  const sent = await outbound.sendMail(mail);
  if (sent.rejected.length > 0)
    problems.push(`e-mail: the relay refused ${sent.rejected.join(', ')} (the others received it)`);
  return problems;
}
