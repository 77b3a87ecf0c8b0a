// Safe HTML building for the site: a tagged template that escapes every interpolated value unless it
// is markup built the same way, so untrusted text (titles, descriptions, contacts) never becomes markup.
import { stripHidden } from '../model/visible-text.ts';

import { followableUrl } from '../format/url.ts';

/** Markup that is already safe: built by `markup`, or a trusted constant wrapped with `trusted`. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What may be interpolated: text (escaped), markup (kept), lists of either, and nothing. */
export type Interpolation = Markup | string | number | false | null | undefined | readonly Interpolation[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for an element's content or a double- or single-quoted attribute value; control and
 * bidi characters (U+202E and the like, which make text read backwards) are dropped.
 */
export function escapeHtml(text: string): string {
  return stripHidden(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * `markup\`<p title="${title}">${text}</p>\`` escapes `title` and `text`; attributes must be quoted.
 * (Not named `html`: Prettier would reformat the templates as HTML and change the page's whitespace.)
 */
export function markup(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Markup(out);
}

/** Wraps a constant the code itself wrote (the stylesheet, the script); never untrusted text. */
export function trusted(text: string): Markup {
  return new Markup(text);
}

/** Text with `code` spans, as validation messages write them: backticks become <code>. */
export function withCode(text: string): Markup {
  const parts = text.split('`');
  // An unpaired backtick stays text: only odd-indexed parts that have a closing tick are code.
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  return markup`${parts.map((part, i) =>
    i % 2 === 1 && i < closed ? markup`<code>${part}</code>` : i >= closed ? `\`${part}` : part,
  )}`;
}

/** The URL when it is http(s) or mailto, normalised; undefined for anything else (javascript:, data:). */
export function safeUrl(text: string | undefined): string | undefined {
  return followableUrl(text, { mailto: true })?.href;
}

/** A token usable in an id attribute and a URL fragment: letters, digits, `-` and `_`. */
export function idToken(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '-');
}
