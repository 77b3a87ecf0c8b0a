// Issue 11: request text that would change meaning downstream. Bare `https://…` and `www.…` must not
// become live links (GitHub's extended autolinks, Slack's and Teams' link detection), bidi controls
// must not reach any channel or the page, and a title is one line wherever it is shown.
import { describe, expect, it } from 'vitest';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import { NOTICE_KINDS } from '../../src/notices/kinds.ts';
import { escapeHtml } from '../../src/site/html.ts';
import {
  NOW,
  RESULT_ISSUE,
  STATUS_PAGE,
  example,
  examplePolicy,
  render,
  shownTexts,
  visibleText,
} from './support.ts';

const BIDI = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f';
const TEXT = `Call https://evil.example.com/login now, or www.evil.example.com, (http://evil.example.org) ftp://evil.example.net; ${BIDI}gnp.exe`;
const request: MaintenanceRequest = {
  ...example('orders-schema-migration'),
  title: `Urgent\nreset https://evil.example.com ${BIDI}`,
  description: TEXT,
  impact_description: TEXT,
  rollback: TEXT,
};
const policy = examplePolicy();
const CHANNELS = ['markdown', 'slack', 'teams', 'statuspage'] as const;

// GitHub Flavored Markdown's extended autolinks (spec section 6.9): `www.` or `http(s)://`/`ftp://`
// followed by a valid domain, at a line start, after whitespace or after `*`, `_`, `~`, `(`.
const GFM_WWW = /(?:^|[\s*_~(])www\.[\w-]+(?:\.[\w-]+)+/m;
const GFM_URL = /(?:^|[\s*_~(])(?:https?|ftp):\/\/[\w-]+(?:\.[\w-]+)+/m;
/** The links maint itself writes, which must stay links. */
const OWN_LINKS = [STATUS_PAGE, RESULT_ISSUE];

function withoutOwnLinks(text: string): string {
  let out = text;
  for (const url of OWN_LINKS) out = out.split(url).join('');
  return out;
}

describe('request text downstream', () => {
  it.each(NOTICE_KINDS.flatMap((kind) => CHANNELS.map((channel) => [kind, channel] as const)))(
    '%s for %s: no bare link is live, no bidi control, the title on one line',
    (kind, channel) => {
      const notice = render({
        kind,
        channel,
        request,
        policy,
        now: NOW,
        details: {
          offset: 'P1D',
          reason: TEXT,
          message: TEXT,
          outcome: TEXT,
          issues: [TEXT],
          resultIssueUrl: RESULT_ISSUE,
          newEnd: request.endsAt + 3_600_000,
        },
      });
      for (const text of shownTexts(notice)) {
        const own = withoutOwnLinks(text);
        expect(own).not.toMatch(GFM_WWW);
        expect(own).not.toMatch(GFM_URL);
        expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
      }
      // Shown as written, minus the invisible characters.
      const shown = visibleText(notice);
      expect(shown).toContain('Urgent reset https://evil.example.com');
      if (shown.includes('Call '))
        expect(shown).toContain('Call https://evil.example.com/login now, or www.evil.example.com');
      if (channel === 'slack') {
        const json = notice.json as {
          blocks: { type: string; text?: { type: string; verbatim?: boolean } }[];
        };
        for (const block of json.blocks.filter((b) => b.text?.type === 'mrkdwn'))
          expect(block.text!.verbatim).toBe(true);
        expect((json.blocks[0]!.text as unknown as { text: string }).text).not.toMatch(/\n/);
      }
      if (notice.subject !== undefined) expect(notice.subject).not.toMatch(/[\r\n]/);
    },
  );

  it('the page drops bidi and control characters from every interpolated value', () => {
    expect(escapeHtml(`a${BIDI}b\u0000\u001b[2Jc <x>`)).toBe('ab[2Jc &lt;x&gt;');
  });
});
