// What may go into an ICS value: text made safe before ical-generator escapes it (no control
// characters, no lone surrogates, one line where one line is meant) and URLs made safe for URI values.
import { followableUrl } from '../format/url.ts';

// C0 controls except TAB and LF, DEL, and C1 controls: RFC 5545 TEXT excludes them (CTL).
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Multi-line text as it may appear in a TEXT value: LF line breaks, no control characters. */
export function plainText(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(CONTROLS, '')
    .replace(LONE_SURROGATE, '\uFFFD');
}

/** One line of text (a SUMMARY, a category): line breaks and tabs become single spaces. */
export function singleLine(text: string): string {
  return plainText(text)
    .replace(/[\n\t]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Shortens text to at most `max` characters (whole code points), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/**
 * An http(s) or mailto URL for a URI value (the URL property). ical-generator escapes it as TEXT, which would
 * turn `,` `;` `\` into `\,` `\;` `\\` inside the link; percent-encoded, they pass untouched.
 */
export function uriValue(text: string | undefined): string | undefined {
  return followableUrl(text, { mailto: true })?.href.replace(
    /[,;\\]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A lower-case token of letters, digits and dashes, for UIDs; empty when nothing Latin is left. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
