// Hostile titles and texts, rendered through the real templates for every kind and channel, come out
// inert: no mention, reference, HTML, comment, link, image or template evaluation, shown as written.
import { describe, expect, it } from 'vitest';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import { CHANNELS, NOTICE_KINDS } from '../../src/notices/kinds.ts';
import type { RenderedNotice } from '../../src/notices/render.ts';
import type { NoticeDetails } from '../../src/notices/view.ts';
import { HOUR } from '../../src/schedule/time.ts';
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

const TITLE =
  '@org/everyone <script>alert(1)</script> ](http://evil) ![x](http://evil/x.png) {{constructor}} {{#each}} <!channel> <!-- maint --> #123 & `code`';
const TEXT = [
  'Ping @alice and @org/team about #7 and acme/ops#8 or GH-9.',
  '# Heading',
  '> quote <!here> <@U123> <http://evil|click here>',
  '- item\r\n```',
  '<details><summary>open</summary>',
  '[click](http://evil) and ![img](http://evil/i.png)',
  '<!-- maint:state {"status":"completed"} -->',
  '{{title.constructor}} {{> footer}} ${{ secrets.TOKEN }}',
].join('\r\n');

const SAFE_RUNBOOK = 'https://runbook.example.com/a%29b';
const ALLOWED_URLS = new Set([STATUS_PAGE, RESULT_ISSUE, SAFE_RUNBOOK]);

const hostile: MaintenanceRequest = {
  ...example('orders-schema-migration'),
  title: TITLE,
  services: ['orders-db', '@org/team <b>x</b>'],
  impact_description: `Users\r\nsee ${TEXT}`,
  description: TEXT,
  justification: TEXT,
  rollback: '`rm -rf /` <img src=x onerror=alert(1)> &amp;',
  contacts: { primary: '@alice', secondary: '@org/cto-office <!subteam^S123>' },
  incident: '#123',
  links: [
    { title: '](http://evil) @alice <b>', url: 'javascript:alert(1)' },
    { title: 'Runbook [x]', url: 'https://runbook.example.com/a)b' },
  ],
};
const details: NoticeDetails = {
  offset: 'P1D',
  newEnd: hostile.endsAt + HOUR,
  reason: TEXT,
  message: TEXT,
  outcome: TEXT,
  issues: [TEXT, '@bob <!everyone>'],
  nextSlot: hostile.startsAt + 7 * 24 * HOUR,
  resultIssueUrl: RESULT_ISSUE,
};
const policy = examplePolicy();
const cases = NOTICE_KINDS.flatMap((kind) => CHANNELS.map((channel) => [kind, channel] as const));

function linkTargets(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((m) => m[1]!);
}

/** The channel's own rules, on the text as sent. */
function expectInert(notice: RenderedNotice): void {
  const texts = shownTexts(notice);
  const all = texts.join('\n');
  switch (notice.channel) {
    case 'markdown':
      expect(all).not.toMatch(/@\w/);
      expect(all).not.toMatch(/#\d/);
      expect(all).not.toContain('<'); // no HTML, no <!-- comment -->, no autolink
      expect(all).not.toMatch(/(?<!\\)`/); // no code span or fence
      expect(all).not.toMatch(/(?<!\\)!\[/); // no image
      for (const url of linkTargets(all, /\]\(([^)]*)\)/g)) expect(ALLOWED_URLS).toContain(url);
      // No heading, quote or fence opened by the text: the first line is the template's heading.
      for (const line of all.split('\n').slice(1)) expect(line).not.toMatch(/^\s*(#|>|```|~~~)/);
      break;
    case 'slack': {
      expect(JSON.stringify(notice.json)).not.toContain('link_names');
      expect(all).not.toMatch(/@\w/);
      expect(all).toContain('&lt;!channel&gt;');
      for (const url of linkTargets(all, /<([^|>]*)\|[^<>]*>/g)) expect(ALLOWED_URLS).toContain(url);
      expect(all.replace(/<https:[^|>]*\|[^<>]*>/g, '')).not.toMatch(/[<>]/);
      break;
    }
    case 'teams':
      expect(all).not.toMatch(/<[A-Za-z/!?]/);
      expect(all).not.toMatch(/@\w/);
      for (const url of linkTargets(all, /\]\(([^)]*)\)/g)) expect(ALLOWED_URLS).toContain(url);
      break;
    case 'email':
      expect(notice.subject).not.toMatch(/[\r\n]/);
      // Plain text: shown exactly as written (nothing is interpreted), newlines normalised.
      expect(notice.text).toContain('<!-- maint:state {"status":"completed"} -->');
      break;
    case 'statuspage':
      expect(notice.subject).not.toMatch(/[\r\n]/);
      expect(all).not.toMatch(/<[A-Za-z/!?]/);
      expect(all).not.toContain('](');
      expect(all).not.toMatch(/!\[/);
      break;
  }
  expect(all).not.toContain('\r');
  expect(all).not.toMatch(/function Object|\[object |native code/);
}

describe('hostile text', () => {
  it.each(cases)('%s for %s is shown as written and inert', (kind, channel) => {
    const notice = render({ kind, channel, request: hostile, policy, now: NOW, details });
    expectInert(notice);
    const shown = visibleText(notice);
    // The title is shown as written: its template syntax printed, not evaluated.
    expect(shown).toContain(TITLE);
  });

  it('keeps the description readable in Markdown: every line as written', () => {
    const notice = render({ kind: 'announcement', channel: 'markdown', request: hostile, policy, now: NOW });
    const shown = visibleText(notice);
    for (const line of TEXT.split('\r\n')) expect(shown).toContain(line);
  });

  it('never lets a link title escape its brackets or a bad URL become a link', () => {
    const notice = render({ kind: 'announcement', channel: 'markdown', request: hostile, policy, now: NOW });
    expect(notice.text).toContain(`[Runbook \\[x\\]](${SAFE_RUNBOOK})`);
    expect(notice.text).toContain('* \\]\\(http:\u200b//evil\\) @\u200balice &lt;b&gt;\n');
  });
});
