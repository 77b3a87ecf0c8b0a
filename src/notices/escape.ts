// Per-channel escaping of untrusted text (titles, descriptions, reasons) and of links, so that what a
// request says is shown as written and can never ping, link, embed, format or end a message. Pure.

import { followableUrl } from '../format/url.ts';
import { stripHidden } from '../model/visible-text.ts';

/** Invisible, and breaks every mention, reference and tag pattern it is put into. */
export const ZWSP = '\u200b';

/**
 * Any value as text: newlines as \n, no C0/C1 control nor bidi character (U+202A-202E, U+2066-2069,
 * U+200E/F, U+061C), which can make text read backwards.
 */
export function clean(value: unknown): string {
  const text = typeof value === 'string' ? value : value == null ? '' : String(value);
  return stripHidden(text.replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n'));
}

/** One line of text: line breaks and runs of spaces become one space (titles, link texts). */
export function oneLine(value: unknown): string {
  return clean(value).replace(/\s+/g, ' ').trim();
}

// A URL scheme (`https:`, `ftp:`, `mailto:`...) and `www.`: what Slack, Teams and GitHub turn into
// live links even without link markup.
const SCHEME = /\b([a-z][a-z0-9+.-]*):(?=\/\/|[^\s/]*@)/gi;
const WWW = /\b(www)\./gi;

/**
 * Bare `https://…` and `www.…` in request text are shown as written but not as live links: a
 * zero-width space after the scheme's colon and after `www` breaks every autolinker's pattern
 * (GitHub's extended autolinks, Slack's and Teams' link detection), so a request cannot plant a
 * link that looks like it comes from the maintainers.
 */
export function defuseLinks(text: string): string {
  return text.replace(SCHEME, `$1:${ZWSP}`).replace(WWW, `$1${ZWSP}.`);
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
  return defuseLinks(clean(value))
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
  return breakFences(defuseLinks(clean(value)))
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
  return breakFences(defuseLinks(clean(value)))
    .replace(/<(?=[A-Za-z/!?])/g, `<${ZWSP}`)
    .replace(/\]\(/g, `]${ZWSP}(`)
    .replace(/!\[/g, `!${ZWSP}[`)
    .replace(/@/g, `@${ZWSP}`);
}

/** Plain-text e-mail: the text as written (no markup is interpreted), cleaned. */
export function escapeEmail(value: unknown): string {
  return clean(value);
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML character data or a quoted attribute value: no tag, entity or attribute can form. */
export function htmlText(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch]!);
}

/**
 * The HTML part of an e-mail: no markup can form, and what mail clients turn into links by
 * themselves (`https://…`, `www.…`, an address with `@`) is broken by a zero-width space, so request
 * text never becomes a link there.
 */
export function escapeEmailHtml(value: unknown): string {
  return htmlText(defuseLinks(clean(value)).replace(/@/g, `@${ZWSP}`));
}

/**
 * Statuspage bodies are shown on a public page and in subscriber e-mails: no tag, no Markdown link
 * or image may form, whatever the page renders.
 */
export function escapeStatuspage(value: unknown): string {
  return defuseLinks(clean(value))
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

export type LinkStyle = 'markdown' | 'slack' | 'teams' | 'plain' | 'statuspage' | 'html';

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
    case 'html': {
      if (!url) return escapeEmailHtml(label);
      // The checked URL itself is shown as it is; any other text is escaped like request text.
      const same = !label || label === url || label === clean(target).trim();
      return `<a href="${htmlText(url)}">${same ? htmlText(url) : escapeEmailHtml(label)}</a>`;
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
