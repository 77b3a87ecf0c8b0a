// E-mail notices as data: who receives each (policy recipients by environment, impact and kind, and the
// request's notify.email), the threading headers of one occurrence, and the HTML part read back by an
// independent HTML parser (Python's html.parser): request text stays text, never markup or a link.
import { describe, expect, it } from 'vitest';
import type { EmailPolicy, MaintenanceRequest } from '../../src/model/types.ts';
import { emailRecipients } from '../../src/notices/email-recipients.ts';
import { threadHeaders } from '../../src/notices/email-thread.ts';
import { NOTICE_KINDS, type NoticeKind } from '../../src/notices/kinds.ts';
import type { NoticeDetails } from '../../src/notices/view.ts';
import { mailProblem } from '../../src/outbound/mail.ts';
import { HOUR } from '../../src/schedule/time.ts';
import { request } from '../helpers/requests.ts';
import { htmlOutlines as outlines } from '../outbound/smtp-sink.ts';
import { NOW, RESULT_ISSUE, STATUS_PAGE, example, examplePolicy, examples, render } from './support.ts';

const EMAIL: EmailPolicy = {
  from: { name: 'Ops', address: 'maint@example.com' },
  to: ['engineering@example.com'],
  cc: [],
  recipients: [
    {
      environments: ['production'],
      impacts: ['medium', 'high'],
      to: ['customers@example.com'],
      cc: ['support@example.com'],
    },
    { environments: ['staging'], to: ['qa@example.com'], cc: [] },
    { kinds: ['completion-with-issues', 'rollback'], to: [], cc: ['incidents@example.com'] },
    { impacts: ['high'], to: [], cc: ['Engineering@Example.com', 'cto@example.com'] },
  ],
};

describe('the recipients of an e-mail notice', () => {
  it.each<[string, Partial<Record<string, string>>, NoticeKind, string[], string[]]>([
    [
      'production, medium: everyone, and the customers',
      { environment: 'production', impact: 'medium' },
      'announcement',
      ['engineering@example.com', 'customers@example.com'],
      ['support@example.com'],
    ],
    [
      'production, low: the customers are not told',
      { environment: 'production', impact: 'low' },
      'announcement',
      ['engineering@example.com'],
      [],
    ],
    [
      'staging, any impact: QA',
      { environment: 'staging', impact: 'low' },
      'reminder',
      ['engineering@example.com', 'qa@example.com'],
      [],
    ],
    [
      'a rollback: incidents in copy',
      { environment: 'staging', impact: 'low' },
      'rollback',
      ['engineering@example.com', 'qa@example.com'],
      ['incidents@example.com'],
    ],
    [
      'high: an address already in To is not copied again, whatever its case',
      { environment: 'production', impact: 'high' },
      'start',
      ['engineering@example.com', 'customers@example.com'],
      ['support@example.com', 'cto@example.com'],
    ],
    [
      "the request's notify.email, after the policy's",
      { environment: 'staging', impact: 'low', notify: '{email: [owner@example.com, QA@example.com]}' },
      'announcement',
      ['engineering@example.com', 'qa@example.com', 'owner@example.com'],
      [],
    ],
  ])('%s', (_name, fields, kind, to, cc) => {
    expect(emailRecipients(EMAIL, request('deploy', fields), kind)).toEqual({ to, cc });
  });
});

describe('the threading headers of one occurrence', () => {
  const DOMAIN = 'acme.ops.maint';
  const standard = request('deploy', {});
  const key = 'deploy';

  it('every notice answers the announcement, each with its own Message-ID, the same on every call', () => {
    const kinds: [NoticeKind, string | undefined][] = [
      ['announcement', undefined],
      ['reminder', 'P7D'],
      ['reminder', 'P1D'],
      ['start', undefined],
      ['completion', undefined],
    ];
    const headers = kinds.map(([kind, offset]) => threadHeaders(standard, key, kind, offset, DOMAIN));
    expect(headers[0]).toEqual({ messageId: '<announcement.deploy@acme.ops.maint>' });
    for (const later of headers.slice(1)) {
      expect(later.inReplyTo).toBe('<announcement.deploy@acme.ops.maint>');
      expect(later.references).toEqual(['<announcement.deploy@acme.ops.maint>']);
    }
    expect(new Set(headers.map((h) => h.messageId)).size).toBe(kinds.length);
    expect(headers[2]!.messageId).toBe('<reminder-P1D.deploy@acme.ops.maint>');
    expect(kinds.map(([kind, offset]) => threadHeaders(standard, key, kind, offset, DOMAIN))).toEqual(
      headers,
    );
  });

  it("an emergency's thread starts at its emergency notice", () => {
    const emergency = request('hotfix', { type: 'emergency', incident: 'INC-1' });
    expect(threadHeaders(emergency, 'hotfix', 'emergency', undefined, DOMAIN)).toEqual({
      messageId: '<emergency.hotfix@acme.ops.maint>',
    });
    expect(threadHeaders(emergency, 'hotfix', 'completion', undefined, DOMAIN).inReplyTo).toBe(
      '<emergency.hotfix@acme.ops.maint>',
    );
  });

  it('each occurrence of a series is a thread of its own, with Message-IDs a relay accepts', () => {
    const keys = ['weekly@2027-01-10T02:00', 'weekly@2027-01-17T02:00', 'weekly-2027@2027-01-10T02:00'];
    const ids = keys.flatMap((k) =>
      NOTICE_KINDS.map((kind) => threadHeaders(standard, k, kind, 'PT1H', DOMAIN).messageId),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('<announcement.weekly.2027-01-10T0200@acme.ops.maint>');
    for (const id of ids) {
      const problem = mailProblem({
        from: { address: 'maint@example.com' },
        to: ['a@example.com'],
        cc: [],
        subject: 's',
        text: '',
        html: '',
        messageId: id,
        date: 0,
        attachments: [],
        summary: '',
      });
      expect(problem, id).toBeUndefined();
    }
  });
});

const TEXT = [
  'Ping @alice at alice@example.com about https://evil.example/login and www.evil.example',
  '<script>alert(1)</script> <a href="https://evil.example">click</a> <img src=x onerror=alert(1)>',
  '<!-- hidden --> &amp; &lt;b&gt; "quoted" \'single\' javascript:alert(1)',
  '[click](https://evil.example) <https://evil.example>',
].join('\r\n');
const SAFE_RUNBOOK = 'https://runbook.example.com/a%29b';
const MAINT_LINKS = new Set([STATUS_PAGE, RESULT_ISSUE, SAFE_RUNBOOK]);

const hostile: MaintenanceRequest = {
  ...example('orders-schema-migration'),
  title: `Deploy <b>now</b> & see https://evil.example @everyone`,
  impact_description: TEXT,
  description: TEXT,
  rollback: TEXT,
  contacts: { primary: 'alice@example.com', secondary: '<a href="https://evil.example">Bob</a>' },
  links: [
    { title: '<b>javascript</b>', url: 'javascript:alert(1)' },
    { title: 'Runbook https://evil.example', url: 'https://runbook.example.com/a)b' },
  ],
};
const details: NoticeDetails = {
  offset: 'P1D',
  newEnd: hostile.endsAt + HOUR,
  reason: TEXT,
  message: TEXT,
  outcome: TEXT,
  issues: [TEXT],
  nextSlot: hostile.startsAt + 7 * 24 * HOUR,
  resultIssueUrl: RESULT_ISSUE,
};

describe('the HTML part', () => {
  const policy = examplePolicy();
  const rendered = NOTICE_KINDS.map((kind) =>
    render({ kind, channel: 'email', request: hostile, policy, now: NOW, details }),
  );
  const parsed = outlines(rendered.map((n) => n.html!));

  it.each(NOTICE_KINDS.map((kind, i) => [kind, i] as const))(
    '%s: request text is shown as written, never as markup or a link',
    (_kind, i) => {
      const html = parsed[i]!;
      // Only the document's own elements; no comment, no attribute but the document's.
      expect(new Set(html.tags.map((t) => t.tag))).toEqual(
        new Set(['html', 'head', 'meta', 'title', 'body', 'p', 'br', ...(html.links.length ? ['a'] : [])]),
      );
      expect(html.comments).toEqual([]);
      for (const tag of html.tags.filter((t) => t.tag !== 'a'))
        expect(
          Object.keys(tag.attrs).every((a) => ['lang', 'charset', 'name', 'content', 'style'].includes(a)),
        ).toBe(true);
      // Every link is one maint made: the status page, the result issue, a checked request link.
      for (const link of html.links) expect(MAINT_LINKS.has(link.href), link.href).toBe(true);
      // The text as written, once the zero-width spaces that keep autolinkers off are taken out.
      const shown = html.text.replace(/\u200b/g, '');
      expect(shown).toContain('<script>alert(1)</script> <a href="https://evil.example">click</a>');
      expect(shown).toContain('&amp; &lt;b&gt; "quoted"');
      // No text a mail client would link: every URL and address is broken by a zero-width space.
      const outsideLinks = html.text.replace(/\u200b/g, '\u0000');
      expect(outsideLinks).not.toMatch(/https:\/\/evil|www\.evil|alice@example/);
      expect(html.title.replace(/\u200b/g, '')).toBe(rendered[i]!.subject);
    },
  );

  it('says what the plain-text part says, paragraph for paragraph, for every example and kind', () => {
    const all = examples().flatMap((request) =>
      NOTICE_KINDS.map((kind) => render({ kind, channel: 'email', request, policy, now: NOW, details })),
    );
    const htmls = outlines(all.map((n) => n.html!));
    const words = (text: string) =>
      text
        .replace(/\u200b/g, '')
        .replace(/https?:\/\/\S+/g, '')
        .replace(/[:\s]+/g, ' ')
        .trim();
    all.forEach((notice, i) => {
      const shown = words(htmls[i]!.text);
      expect(shown.length).toBeGreaterThan(0);
      for (const paragraph of notice.text!.split(/\n{2,}/)) expect(shown).toContain(words(paragraph));
    });
  });
});
