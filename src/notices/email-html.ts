// The HTML part of an e-mail notice: the e-mail template rendered as HTML (every value escaped, only
// maint's own links as anchors: compile.ts) laid out as a small, self-contained document, paragraph
// for paragraph and line for line as the plain-text part. No style sheet, image or remote content. Pure.
import { htmlText } from './escape.ts';

const BODY_STYLE =
  'font-family: -apple-system, BlinkMacSystemFont, Segoe UI, Helvetica, Arial, sans-serif; font-size: 15px; line-height: 1.5; color: #1f2328';

/** `body` is already HTML (escaped text, anchors, line breaks); `subject` is plain text. */
export function emailHtmlDocument(subject: string, body: string): string {
  const paragraphs = body
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${p.split('\n').join('<br>\n')}</p>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width">',
    `<title>${htmlText(subject)}</title>`,
    '</head>',
    `<body style="${BODY_STYLE}">`,
    ...paragraphs,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
