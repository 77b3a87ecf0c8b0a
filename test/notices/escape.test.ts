// The escaping of untrusted text for each channel, value by value.
import { describe, expect, it } from 'vitest';
import {
  ZWSP,
  clean,
  escapeMarkdown,
  escapeSlack,
  escapeStatuspage,
  escapeTeams,
  formatLink,
  safeUrl,
} from '../../src/notices/escape.ts';
import { safePrefix, splitText, truncateLine } from '../../src/notices/text-limits.ts';

describe('clean', () => {
  it.each([
    ['CRLF and CR become LF', 'a\r\nb\rc', 'a\nb\nc'],
    ['controls and bidi overrides go', 'a\u0000b\u001bc\u202eevil\u2066d', 'abcevild'],
    ['tabs and newlines stay', 'a\tb\nc', 'a\tb\nc'],
    ['numbers and nothing', 42, '42'],
  ])('%s', (_name, input, expected) => {
    expect(clean(input)).toBe(expected);
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['a user mention', '@alice', `@${ZWSP}alice`],
    ['a team mention', '@org/everyone', `@${ZWSP}org/everyone`],
    ['an issue reference', '#123 and acme/ops#7', `\\#${ZWSP}123 and acme/ops\\#${ZWSP}7`],
    ['a GH- reference', 'GH-12', `GH-${ZWSP}12`],
    ['HTML', '<script>alert(1)</script>', '&lt;script&gt;alert\\(1\\)&lt;/script&gt;'],
    ['an HTML comment', '<!-- maint -->', '&lt;\\!-- maint --&gt;'],
    ['a link', '](http://evil)', `\\]\\(http:${ZWSP}//evil\\)`],
    ['an image', '![x](http://evil/x.png)', `\\!\\[x\\]\\(http:${ZWSP}//evil/x.png\\)`],
    ['emphasis and code', '*a* _b_ `c` ~~d~~', '\\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~'],
    ['math', '$x$', '\\$x\\$'],
    ['a table row', 'a | b', 'a \\| b'],
    ['an ampersand entity', '&amp; &', '&amp;amp; &amp;'],
    ['a heading at a line start', '# big\n## bigger', `\\#${ZWSP} big\n\\#${ZWSP}\\#${ZWSP} bigger`],
    [
      'list and quote markers at line starts',
      '- a\n+ b\n1. c\n2) d\n> e',
      '\\- a\n\\+ b\n1\\. c\n2\\) d\n&gt; e',
    ],
    ['a setext underline', 'title\n===', 'title\n\\==='],
    ['dashes and dots inside a line stay', 'v1.2-3 a-b', 'v1.2-3 a-b'],
    ['template syntax stays literal', '{{constructor}} {{#each}}', '{{constructor}} {{\\#' + ZWSP + 'each}}'],
  ])('%s', (_name, input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe('escapeSlack', () => {
  it.each([
    [
      'special mentions',
      '<!channel> <!here|here> <@U123>',
      `&lt;!channel&gt; &lt;!here|here&gt; &lt;@${ZWSP}U123&gt;`,
    ],
    ['links', '<http://evil|click>', `&lt;http:${ZWSP}//evil|click&gt;`],
    ['an ampersand', 'R&D', 'R&amp;D'],
    ['a plain mention', '@here @alice', `@${ZWSP}here @${ZWSP}alice`],
    ['a code fence', '```x```', `\`${ZWSP}\`${ZWSP}\`x\`${ZWSP}\`${ZWSP}\``],
  ])('%s', (_name, input, expected) => {
    expect(escapeSlack(input)).toBe(expected);
  });
});

describe('escapeTeams and escapeStatuspage', () => {
  it.each([
    ['a tag', '<at>Alice</at> <script>', `<${ZWSP}at>Alice<${ZWSP}/at> <${ZWSP}script>`],
    ['a link', '[x](http://evil)', `[x]${ZWSP}(http:${ZWSP}//evil)`],
    ['an image', '![x](http://evil/x.png)', `!${ZWSP}[x]${ZWSP}(http:${ZWSP}//evil/x.png)`],
    ['a comparison stays', 'a < 3 and b > 2', 'a < 3 and b > 2'],
  ])('%s', (_name, input, expected) => {
    expect(escapeTeams(input).replace(/@\u200b/g, '@')).toBe(expected);
    expect(escapeStatuspage(input)).toBe(expected);
  });
});

describe('links', () => {
  it.each([
    ['https', 'https://example.com/a b', 'https://example.com/a%20b'],
    ['brackets and pipes', 'https://example.com/(x)|y', 'https://example.com/%28x%29%7Cy'],
    ['javascript', 'javascript:alert(1)', undefined],
    ['data', 'data:text/html,<script>', undefined],
    ['credentials', 'https://user:pass@example.com/', undefined],
    ['not a URL', 'http://', undefined],
  ])('safeUrl: %s', (_name, input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });

  it.each([
    ['markdown', '[a] @b', 'https://x.example/', `[\\[a\\] @${ZWSP}b](https://x.example/)`],
    ['slack', '<b> & c', 'https://x.example/', '<https://x.example/|&lt;b&gt; &amp; c>'],
    ['teams', 'a](evil) [b]', 'https://x.example/', '[a］(evil) ［b］](https://x.example/)'],
    ['plain', 'Advisory', 'https://x.example/', 'Advisory: https://x.example/'],
    ['markdown', 'bad', 'javascript:alert(1)', 'bad'],
    ['slack', 'bad', 'javascript:alert(1)', 'bad'],
  ] as const)('%s link %s', (style, title, url, expected) => {
    expect(formatLink(style, title, url)).toBe(expected);
  });
});

describe('text limits', () => {
  it('never cuts an entity, an escape or a surrogate pair in half', () => {
    expect(safePrefix('ab&amp;c', 5)).toBe('ab');
    expect(safePrefix('ab\\*c', 3)).toBe('ab');
    expect(safePrefix('ab\\\\c', 4)).toBe('ab\\\\');
    expect(safePrefix('a😀b', 2)).toBe('a');
  });

  it('splits at paragraphs, then lines, then words', () => {
    expect(splitText('aaaa bbbb\n\ncccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitText('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('ends a cut line with an ellipsis', () => {
    expect(truncateLine('a\nb c d e f', 6)).toBe('a b c…');
  });
});
