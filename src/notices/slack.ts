// A Slack incoming-webhook message (Block Kit) from a rendered title and mrkdwn body, within Slack's
// limits: at most 50 blocks, 150 characters in the header, 3,000 in a section. Never sets
// `link_names`, marks mrkdwn `verbatim` (no automatic links) and turns off unfurling so text cannot
// pull in previews. Pure.
import { formatLink } from './escape.ts';
import { packParagraphs, truncateLine } from './text-limits.ts';

export const SLACK_LIMITS = { blocks: 50, headerText: 150, sectionText: 3000 } as const;

export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
  /** For mrkdwn: true stops Slack from turning bare URLs, channel names and mentions into links. */
  verbatim?: boolean;
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text: SlackText }
  | { type: 'context'; elements: SlackText[] };

export interface SlackMessage {
  /** The notification and fallback text. */
  text: string;
  blocks: SlackBlock[];
  unfurl_links: false;
  unfurl_media: false;
}

/**
 * `title` and `body` are already escaped for Slack (the templates' {{slack ...}}). A title too long
 * for the header is also given whole at the top of the body. A body too long
 * for the blocks allowed ends with a context block saying how much was left out, and where to read
 * it all when `fullUrl` is given.
 */
export function slackMessage(title: string, body: string, fullUrl?: string): SlackMessage {
  const header = truncateLine(title || 'Maintenance notice', SLACK_LIMITS.headerText);
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: header, emoji: true } }];
  // A header cut short (it ends with `…`) is given whole at the top of the body.
  const full = header === title.replace(/\s+/g, ' ').trim() ? body : `*${title}*\n\n${body}`;
  const sections = packParagraphs(full, SLACK_LIMITS.sectionText);
  // The header, the sections, and room for the note.
  const room = SLACK_LIMITS.blocks - 2;
  for (const section of sections.slice(0, room))
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: section, verbatim: true } });
  if (sections.length > room) {
    const omitted = sections.slice(room).reduce((n, s) => n + s.length, 0);
    const where = fullUrl ? ` Read it all in ${formatLink('slack', 'the maintenance issue', fullUrl)}.` : '';
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `_Truncated: ${omitted} more characters are not shown._${where}`,
          verbatim: true,
        },
      ],
    });
  }
  return { text: header, blocks, unfurl_links: false, unfurl_media: false };
}
