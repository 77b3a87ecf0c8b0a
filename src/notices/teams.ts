// A Microsoft Teams message for a Workflows webhook: an Adaptive Card (version 1.5) wrapped in
// `attachments`, built from a rendered title and body; and the check that a webhook URL is a
// Workflows one, not a retired Office 365 connector. Pure.
import { truncateWithNote } from './text-limits.ts';

export const ADAPTIVE_CARD_VERSION = '1.5';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Teams refuses messages over about 28 KB; the card's text is kept well under it. */
export const TEAMS_TEXT_BUDGET = 20_000;

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: 'Large';
  weight?: 'Bolder';
  style?: 'heading';
  isSubtle?: true;
}

export interface AdaptiveCard {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  type: 'AdaptiveCard';
  version: typeof ADAPTIVE_CARD_VERSION;
  body: TextBlock[];
  msteams: { width: 'Full' };
}

export interface TeamsMessage {
  type: 'message';
  attachments: { contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; contentUrl: null; content: AdaptiveCard }[];
}

/** `title` and `body` are already escaped for Teams (the templates' {{teams ...}}). */
export function teamsMessage(title: string, body: string): TeamsMessage {
  const text = truncateWithNote(
    body,
    TEAMS_TEXT_BUDGET,
    (omitted) => `_Truncated: ${omitted} more characters are not shown._`,
  );
  const blocks: TextBlock[] = [
    {
      type: 'TextBlock',
      text: title || 'Maintenance notice',
      wrap: true,
      size: 'Large',
      weight: 'Bolder',
      style: 'heading',
    },
    ...text
      .split(/\n{2,}/)
      .map((p) => p.trim())
      .filter(Boolean)
      .map((paragraph): TextBlock => ({ type: 'TextBlock', text: paragraph, wrap: true })),
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: ADAPTIVE_CARD_VERSION,
          body: blocks,
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}

export type WebhookCheck = { ok: true } | { ok: false; message: string };

const CREATE_WORKFLOW =
  'create a Workflows webhook instead (in Teams: the channel\'s "..." menu > Workflows > ' +
  '"Send webhook alerts to a channel") and store its URL in the secret';

/**
 * Accepts a Teams Workflows webhook URL (`*.logic.azure.com`, `*.powerplatform.com`) and refuses
 * the retired Office 365 connector URLs (`*.webhook.office.com/webhookb2/...`,
 * `outlook.office.com/webhook/...`) with the fix. Messages name the host only: the URL is a secret.
 */
export function checkTeamsWebhookUrl(url: string): WebhookCheck {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { ok: false, message: `the Teams webhook URL is not a URL: ${CREATE_WORKFLOW}` };
  }
  const host = parsed.hostname.toLowerCase();
  const connector =
    host === 'webhook.office.com' ||
    host.endsWith('.webhook.office.com') ||
    (/^outlook\.office(365)?\.com$/.test(host) && parsed.pathname.toLowerCase().startsWith('/webhook'));
  if (connector)
    return {
      ok: false,
      message: `the Teams webhook URL (${host}) is an Office 365 connector webhook, which Microsoft retired: ${CREATE_WORKFLOW}`,
    };
  if (parsed.protocol !== 'https:')
    return { ok: false, message: `the Teams Workflows webhook URL (${host}) must use https` };
  if (host.endsWith('.logic.azure.com') || host.endsWith('.powerplatform.com')) return { ok: true };
  return {
    ok: false,
    message: `the Teams webhook URL (${host}) is not a Workflows webhook (a host ending in .logic.azure.com or .powerplatform.com): ${CREATE_WORKFLOW}`,
  };
}
