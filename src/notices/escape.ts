// Per-channel escaping of untrusted text (titles, descriptions, reasons) and of links, so that what a
// request says is shown as written and can never ping, link, embed, format or end a message. Pure.

import { followableUrl } from '../format/url.ts';

/** Invisible, and breaks every mention, reference and tag pattern it is put into. */
export const ZWSP = '\u200b';

// C0/C1 controls except tab and newline, and the bidi controls that can make text read backwards.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Any value as text: newlines as \n, no control or bidi characters. */
export function clean(value: unknown): string {
  const text = typeof value === 'string' ? value : value == null ? '' : String(value);
  return text.replace(/\r\n?/g, '\n').replace(CONTROLS, '');
}

const MARKDOWN_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// Everything GitHub Markdown gives a meaning to inline; `-+=.` only matter at the start of a line.
const MARKDOWN_PUNCTUATION = /[\\`*_[\]()!|~$#]/;

/**
 * GitHub-flavoured Markdown: `<`, `>`, `&` as entities (no HTML, no `<!--` comment, no autolink),
 * other punctuation backslash-escaped (no emphasis, link, image, code, table, math), line starts
 * that would open a heading, quote, list or rule escaped, and a zero-width space after `@` and `#`
 * (GitHub ignores `\@`): no mention, team ping or issue reference.
 */
export function escapeMarkdown(value: unknown): string {
  return clean(value)
    .split('\n')
    .map((line) => {
      const lead = /^[ \t]*(?:\d{1,9}(?=[.)]))?/.exec(line)?.[0] ?? '';
      let out = line.slice(0, lead.length);
      for (let i = lead.length; i < line.length; i++) {
        const ch = line[i]!;
        if (MARKDOWN_ENTITIES[ch]) out += MARKDOWN_ENTITIES[ch];
        else if (ch === '@') out += `@${ZWSP}`;
        else if (ch === '#') out += `\\#${ZWSP}`;
        else if (MARKDOWN_PUNCTUATION.test(ch) || (i === lead.length && /[-+=.)]/.test(ch))) out += `\\${ch}`;
        else out += ch;
      }
      // `GH-123` is an issue reference too.
      return out.replace(/\b(GH)\\?-(?=\d)/gi, `$1-${ZWSP}`);
    })
    .join('\n');
}

/**
 * Slack mrkdwn: `&`, `<`, `>` as entities, as Slack asks; that also disarms `<!channel>`, `<@U123>`
 * and `<url|text>` links. A zero-width space after `@` keeps `@here` inert even if a workspace
 * resolves names; runs of backticks are broken so no code block swallows what follows. (mrkdwn has
 * no escape for `*_~`: they may still format, never link or ping.)
 */
export function escapeSlack(value: unknown): string {
  return breakFences(clean(value))
    .replace(/[&<>]/g, (ch) => MARKDOWN_ENTITIES[ch]!)
    .replace(/@/g, `@${ZWSP}`);
}

/** A run of backticks opens a code block that would swallow the template's text after it. */
function breakFences(text: string): string {
  return text.replace(/`(?=`)/g, `\`${ZWSP}`);
}

/**
 * Adaptive Card Markdown (Teams): it renders no HTML, but links `[t](u)` and `<url>`, and `<at>`
 * is the mention syntax. A zero-width space after `<` (before a letter, `/`, `!` or `?`), inside
 * `](` and after `@` leaves the text as written but inert.
 */
export function escapeTeams(value: unknown): string {
  return breakFences(clean(value))
    .replace(/<(?=[A-Za-z/!?])/g, `<${ZWSP}`)
    .replace(/\]\(/g, `]${ZWSP}(`)
    .replace(/!\[/g, `!${ZWSP}[`)
    .replace(/@/g, `@${ZWSP}`);
}

/** Plain-text e-mail: the text as written (no markup is interpreted), cleaned. */
export function escapeEmail(value: unknown): string {
  return clean(value);
}

/**
 * Statuspage bodies are shown on a public page and in subscriber e-mails: no tag, no Markdown link
 * or image may form, whatever the page renders.
 */
export function escapeStatuspage(value: unknown): string {
  return clean(value)
    .replace(/<(?=[A-Za-z/!?])/g, `<${ZWSP}`)
    .replace(/\]\(/g, `]${ZWSP}(`)
    .replace(/!\[/g, `!${ZWSP}[`);
}

/** An http(s) URL, normalised (spaces and quotes percent-encoded), or undefined for anything else. */
export function safeUrl(value: unknown): string | undefined {
  const url = followableUrl(clean(value));
  // Characters that end a Markdown destination or a Slack link.
  return url?.href.replace(/[()|<> ]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type LinkStyle = 'markdown' | 'slack' | 'teams' | 'plain' | 'statuspage';

/**
 * A link whose text is escaped for the channel and whose target is a checked http(s) URL; an
 * unusable URL leaves the text alone, unlinked.
 */
export function formatLink(style: LinkStyle, title: unknown, target: unknown): string {
  const url = safeUrl(target);
  const label = clean(title).replace(/\s+/g, ' ').trim();
  switch (style) {
    case 'markdown': {
      const text = escapeMarkdown(label || url || '');
      return url ? `[${text}](${url})` : text;
    }
    case 'teams': {
      // Brackets in the text would end it early: show them as their full-width look-alikes.
      const text = escapeTeams((label || url || '').replace(/\[/g, '［').replace(/\]/g, '］'));
      return url ? `[${text}](${url})` : text;
    }
    case 'slack': {
      const text = escapeSlack(label || url || '');
      return url ? `<${url}|${text}>` : text;
    }
    case 'plain':
    case 'statuspage': {
      const escape = style === 'plain' ? escapeEmail : escapeStatuspage;
      if (!url) return escape(label);
      const same = label === url || label === clean(target).trim();
      return label && !same ? `${escape(label)}: ${url}` : url;
    }
  }
}
