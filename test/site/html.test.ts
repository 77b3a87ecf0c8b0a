// The HTML helpers the page is built with: escaping by default, code spans, and which URLs may be links.
import { describe, expect, it } from 'vitest';
import { escapeHtml, idToken, markup, safeUrl, trusted, withCode } from '../../src/site/html.ts';

describe('markup', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const value = `<script>"x" & 'y'</script>`;
    expect(markup`<p title="${value}">${value}</p>`.text).toBe(
      '<p title="&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;">&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;</p>',
    );
  });

  it('keeps markup it built, renders lists, and drops nothing values', () => {
    const inner = markup`<b>${'<i>'}</b>`;
    expect(markup`${inner}${['a', markup`<br>`]}${false}${undefined}${null}${0}`.text).toBe(
      '<b>&lt;i&gt;</b>a<br>0',
    );
    expect(markup`${trusted('<style>a{}</style>')}`.text).toBe('<style>a{}</style>');
  });

  it.each([
    ['plain', 'no code', 'no code'],
    ['a span', 'use `maint validate` now', 'use <code>maint validate</code> now'],
    ['markup in a span', '`<b>`', '<code>&lt;b&gt;</code>'],
    ['an unpaired tick', 'a `b` c `d', 'a <code>b</code> c `d'],
  ])('withCode: %s', (_name, input, expected) => {
    expect(withCode(input).text).toBe(expected);
  });

  it.each([
    ['https', 'https://example.com/a?b=1', 'https://example.com/a?b=1'],
    ['http', 'http://example.com/', 'http://example.com/'],
    ['mailto', 'mailto:ops@example.com', 'mailto:ops@example.com'],
    ['javascript', 'javascript:alert(1)', undefined],
    ['javascript with spaces and case', '  JaVaScRiPt:alert(1)', undefined],
    ['data', 'data:text/html,<script>alert(1)</script>', undefined],
    ['relative', '/etc/passwd', undefined],
    ['not a URL', 'hello', undefined],
  ])('safeUrl: %s', (_name, input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });

  it('escapes the five characters that matter and makes id tokens', () => {
    expect(escapeHtml(`&<>"'{{x}}`)).toBe('&amp;&lt;&gt;&quot;&#39;{{x}}');
    expect(idToken('a b/"c"')).toBe('a-b-c-');
  });
});
