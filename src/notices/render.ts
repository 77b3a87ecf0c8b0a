// Renders one notice of one kind for one channel: the template (a user's override or the built-in
// one) fills in text fragments, and code assembles the message each service takes, within its
// limits. Template problems come back as a result naming the file, never as a crash. Pure.
import type { Channel, NoticeKind } from './kinds.ts';
import { TemplateError, renderTemplate, type TemplateProblem } from './compile.ts';
import { emailHtmlDocument } from './email-html.ts';
import { slackMessage, type SlackMessage } from './slack.ts';
import { statuspagePayload, type StatuspageCreate, type StatuspageUpdate } from './statuspage.ts';
import { teamsMessage, type TeamsMessage } from './teams.ts';
import { noticeTemplateName, type TemplateSource } from './template-source.ts';
import { truncateLine, truncateWithNote } from './text-limits.ts';
import { detailsProblem, noticeView, type NoticeInput } from './view.ts';

/** GitHub refuses issue comments over 65,536 characters. */
export const GITHUB_COMMENT_MAX = 65_536;
/** Subjects stay on one readable line (and far below the 998-character line limit of e-mail). */
export const EMAIL_SUBJECT_MAX = 250;

export interface RenderedNotice {
  kind: NoticeKind;
  channel: Channel;
  /** The title as rendered for the channel: e-mail subject, Slack header, card title, incident name. */
  subject?: string;
  /** markdown: the comment; email: the plain-text body. */
  text?: string;
  /** email: the HTML part, the same template rendered as HTML (email-html.ts). */
  html?: string;
  /** slack, teams, statuspage: the payload to send as JSON. */
  json?: SlackMessage | TeamsMessage | StatuspageCreate | StatuspageUpdate;
}

export type NoticeResult = { ok: true; notice: RenderedNotice } | { ok: false; problem: TemplateProblem };

/** Trailing spaces off, runs of blank lines down to one, no blank lines at the ends. */
function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A template's first paragraph is its title (joined onto one line), the rest its body. */
function splitTitle(text: string): { title: string; body: string } {
  const at = text.indexOf('\n\n');
  const head = at < 0 ? text : text.slice(0, at);
  return { title: head.replace(/\s*\n\s*/g, ' ').trim(), body: at < 0 ? '' : text.slice(at + 2).trim() };
}

export function renderNotice(input: NoticeInput, templates: TemplateSource): NoticeResult {
  const { kind, channel, request } = input;
  const problem = detailsProblem(kind, input.details ?? {});
  if (problem) return { ok: false, problem: { message: `${kind} notice for ${request.id}: ${problem}` } };
  const view = noticeView(input);
  let output: string;
  let html: string | undefined;
  try {
    output = tidy(renderTemplate(templates, channel, noticeTemplateName(kind, channel), view));
    if (channel === 'email')
      html = tidy(renderTemplate(templates, channel, noticeTemplateName(kind, channel), view, 'html'));
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, problem: error.problem };
    throw error;
  }
  const base = { kind, channel };
  switch (channel) {
    case 'markdown': {
      const note = (omitted: number) => `*Truncated: ${omitted} more characters are not shown.*`;
      return { ok: true, notice: { ...base, text: truncateWithNote(output, GITHUB_COMMENT_MAX, note) } };
    }
    case 'email': {
      const { title, body } = splitTitle(output);
      const subject = truncateLine(title || 'Maintenance notice', EMAIL_SUBJECT_MAX);
      const htmlBody = splitTitle(html ?? '').body;
      return {
        ok: true,
        notice: { ...base, subject, text: body, html: emailHtmlDocument(subject, htmlBody) },
      };
    }
    case 'slack': {
      const { title, body } = splitTitle(output);
      const json = slackMessage(title, body, input.details?.resultIssueUrl);
      return { ok: true, notice: { ...base, subject: json.text, json } };
    }
    case 'teams': {
      const { title, body } = splitTitle(output);
      return { ok: true, notice: { ...base, subject: title, json: teamsMessage(title, body) } };
    }
    case 'statuspage': {
      const { title, body } = splitTitle(output);
      const start = input.details?.occurrence ?? request.startsAt;
      const json = statuspagePayload({
        kind,
        name: title,
        body,
        start,
        end: start + request.durationMs,
        ...(input.details?.newEnd !== undefined ? { newEnd: input.details.newEnd } : {}),
        componentIds: request.notify?.statuspage_components ?? [],
        now: input.now,
      });
      return { ok: true, notice: { ...base, subject: title, json } };
    }
  }
}
