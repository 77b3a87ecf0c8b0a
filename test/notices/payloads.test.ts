// The JSON channels parsed back and checked against each service's documented shape and limits,
// for every kind, and with text far too long for them.
import { describe, expect, it } from 'vitest';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import { NOTICE_KINDS } from '../../src/notices/kinds.ts';
import { GITHUB_COMMENT_MAX, EMAIL_SUBJECT_MAX } from '../../src/notices/render.ts';
import { SLACK_LIMITS } from '../../src/notices/slack.ts';
import { STATUSPAGE_NAME_MAX } from '../../src/notices/statuspage.ts';
import { TEAMS_TEXT_BUDGET, checkTeamsWebhookUrl } from '../../src/notices/teams.ts';
import { HOUR, isoUtc } from '../../src/schedule/time.ts';
import { NOW, RESULT_ISSUE, example, examplePolicy, render } from './support.ts';

const policy = examplePolicy();
const base: MaintenanceRequest = {
  ...example('orders-schema-migration'),
  notify: { statuspage_components: ['cmp_orders', 'cmp_checkout'] },
};
const long = 'All work and no play makes Jack a dull boy. '.repeat(5000); // 220,000 characters
const longRequest: MaintenanceRequest = {
  ...base,
  title: `A very long title ${'x'.repeat(400)} <end>`,
  description: long,
  rollback: long,
};

/** Slack and Teams as they would be POSTed, parsed back. */
function sent(json: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
}

interface SlackBlock {
  type: string;
  text?: { type: string; text: string };
  elements?: { type: string; text: string }[];
}

function expectSlackLimits(message: Record<string, unknown>): SlackBlock[] {
  const blocks = message.blocks as SlackBlock[];
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(blocks[0]!.type).toBe('header');
  expect(blocks[0]!.text!.type).toBe('plain_text');
  expect(blocks[0]!.text!.text.length).toBeGreaterThan(0);
  expect(blocks[0]!.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
  for (const block of blocks.filter((b) => b.type === 'section')) {
    expect(block.text!.type).toBe('mrkdwn');
    expect(block.text!.text.length).toBeGreaterThan(0);
    expect(block.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
  }
  expect(message).not.toHaveProperty('link_names');
  expect(message.unfurl_links).toBe(false);
  expect(message.unfurl_media).toBe(false);
  expect(typeof message.text).toBe('string');
  return blocks;
}

function teamsCard(message: Record<string, unknown>): {
  version: string;
  body: { type: string; text: string }[];
} {
  expect(message.type).toBe('message');
  const attachments = message.attachments as { contentType: string; content: Record<string, unknown> }[];
  expect(attachments).toHaveLength(1);
  expect(attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
  const card = attachments[0]!.content;
  expect(card.type).toBe('AdaptiveCard');
  expect(Number(card.version)).toBeLessThanOrEqual(1.5);
  return card as { version: string; body: { type: string; text: string }[] };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('Slack', () => {
  it.each(NOTICE_KINDS)('%s: Block Kit within Slack limits', (kind) => {
    const notice = render({
      kind,
      channel: 'slack',
      request: base,
      policy,
      now: NOW,
      details: { offset: 'P7D', newEnd: base.endsAt + HOUR },
    });
    expectSlackLimits(sent(notice.json));
  });

  it('splits a long body over sections, stops at 50 blocks and says what it left out', () => {
    const notice = render({
      kind: 'announcement',
      channel: 'slack',
      request: longRequest,
      policy,
      now: NOW,
      details: { resultIssueUrl: RESULT_ISSUE },
    });
    const blocks = expectSlackLimits(sent(notice.json));
    expect(blocks).toHaveLength(SLACK_LIMITS.blocks);
    const note = blocks.at(-1)!;
    expect(note.type).toBe('context');
    expect(note.elements![0]!.text).toMatch(
      /^_Truncated: \d+ more characters are not shown\._ Read it all in <https:\/\/github.com\/acme\/ops\/issues\/42\|the maintenance issue>\.$/,
    );
    // The header is cut with an ellipsis; the full title opens the body.
    expect(blocks[0]!.text!.text).toMatch(/…$/);
    expect(blocks[1]!.text!.text).toContain('&lt;end&gt;*');
  });
});

describe('Teams', () => {
  it.each(NOTICE_KINDS)('%s: an Adaptive Card 1.5 in a message with attachments', (kind) => {
    const notice = render({
      kind,
      channel: 'teams',
      request: base,
      policy,
      now: NOW,
      details: { offset: 'P7D', newEnd: base.endsAt + HOUR },
    });
    const card = teamsCard(sent(notice.json));
    expect(card.body.every((block) => block.type === 'TextBlock' && block.text.length > 0)).toBe(true);
  });

  it('keeps a long card under the budget with a visible note', () => {
    const notice = render({ kind: 'announcement', channel: 'teams', request: longRequest, policy, now: NOW });
    const card = teamsCard(sent(notice.json));
    const text = card.body.map((block) => block.text).join('\n\n');
    expect(text.length).toBeLessThanOrEqual(TEAMS_TEXT_BUDGET + longRequest.title.length + 100);
    expect(card.body.at(-1)!.text).toMatch(/^_Truncated: \d+ more characters are not shown\._$/);
    expect(JSON.stringify(notice.json).length).toBeLessThan(28_000);
  });

  it.each([
    ['https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=s', true],
    [
      'https://default1234.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/x',
      true,
    ],
    ['https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/ghi/jkl', false],
    ['https://outlook.office.com/webhook/abc@def/IncomingWebhook/ghi/jkl', false],
    ['http://prod-12.westeurope.logic.azure.com/workflows/abc', false],
    ['https://hooks.slack.com/services/T/B/X', false],
    ['not a url', false],
  ])('checkTeamsWebhookUrl %s', (url, ok) => {
    const check = checkTeamsWebhookUrl(url);
    expect(check.ok).toBe(ok);
    if (!check.ok) {
      expect(check.message).toMatch(/Workflows/);
      expect(check.message).not.toContain('IncomingWebhook'); // the URL is a secret: only the host is named
    }
  });

  it('names the retirement and the fix for connector URLs', () => {
    const check = checkTeamsWebhookUrl('https://contoso.webhook.office.com/webhookb2/a/IncomingWebhook/b/c');
    expect(check).toEqual({
      ok: false,
      message: expect.stringMatching(
        /contoso\.webhook\.office\.com\) is an Office 365 connector webhook, which Microsoft retired: create a Workflows webhook/,
      ),
    });
  });
});

describe('Statuspage', () => {
  it('the announcement creates a scheduled maintenance with the documented fields', () => {
    const notice = render({ kind: 'announcement', channel: 'statuspage', request: base, policy, now: NOW });
    const { incident } = sent(notice.json) as { incident: Record<string, unknown> };
    expect(Object.keys(incident).sort()).toEqual(
      [
        'body',
        'component_ids',
        'impact_override',
        'name',
        'scheduled_auto_completed',
        'scheduled_auto_in_progress',
        'scheduled_for',
        'scheduled_remind_prior',
        'scheduled_until',
        'status',
      ].sort(),
    );
    expect(incident).toMatchObject({
      status: 'scheduled',
      impact_override: 'maintenance',
      scheduled_for: '2027-01-24T03:00:00Z',
      scheduled_until: '2027-01-24T06:00:00Z',
      scheduled_remind_prior: true,
      scheduled_auto_in_progress: true,
      scheduled_auto_completed: true,
      component_ids: ['cmp_orders', 'cmp_checkout'],
    });
    expect(incident.name).toBe(`Scheduled maintenance: ${base.title}`);
  });

  it.each([
    ['reminder', 'scheduled', undefined],
    ['start', 'in_progress', 'under_maintenance'],
    ['progress', 'in_progress', undefined],
    ['delay', 'in_progress', undefined],
    ['extension', 'in_progress', undefined],
    ['cancellation', 'completed', 'operational'],
    ['completion', 'completed', 'operational'],
    ['completion-with-issues', 'verifying', undefined],
    ['rollback', 'completed', 'operational'],
    ['missed', 'completed', 'operational'],
  ] as const)('%s updates the incident to %s', (kind, status, components) => {
    const newEnd = base.endsAt + HOUR;
    const notice = render({
      kind,
      channel: 'statuspage',
      request: base,
      policy,
      now: NOW,
      details: { offset: 'P1D', newEnd },
    });
    const { incident } = sent(notice.json) as { incident: Record<string, unknown> };
    expect(incident.status).toBe(status);
    expect(typeof incident.body).toBe('string');
    expect(incident.deliver_notifications).toBe(true);
    expect(incident).not.toHaveProperty('name');
    if (kind === 'delay' || kind === 'extension') {
      expect(incident.scheduled_until).toMatch(ISO);
      expect(incident.scheduled_until).toBe(isoUtc(newEnd));
    } else expect(incident).not.toHaveProperty('scheduled_until');
    if (components) expect(incident.components).toEqual({ cmp_orders: components, cmp_checkout: components });
    else expect(incident).not.toHaveProperty('components');
  });

  it('an emergency already under way is created in progress', () => {
    const request = example('emergency-openssh-patch');
    const at = (now: number) =>
      (
        sent(render({ kind: 'emergency', channel: 'statuspage', request, policy, now }).json) as {
          incident: { status: string; scheduled_remind_prior: boolean };
        }
      ).incident;
    expect(at(request.startsAt - HOUR).status).toBe('scheduled');
    expect(at(request.startsAt + 60_000).status).toBe('in_progress');
    expect(at(request.startsAt).scheduled_remind_prior).toBe(false);
  });

  it('cuts a long incident name to 255 characters', () => {
    const notice = render({
      kind: 'announcement',
      channel: 'statuspage',
      request: longRequest,
      policy,
      now: NOW,
    });
    const { incident } = sent(notice.json) as { incident: { name: string } };
    expect(incident.name.length).toBeLessThanOrEqual(STATUSPAGE_NAME_MAX);
    expect(incident.name).toMatch(/…$/);
  });
});

describe('text channels', () => {
  it('keeps a GitHub comment under 65,536 characters with a visible note', () => {
    const notice = render({
      kind: 'announcement',
      channel: 'markdown',
      request: longRequest,
      policy,
      now: NOW,
    });
    expect(notice.text!.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX);
    expect(notice.text).toMatch(/\n\n\*Truncated: \d+ more characters are not shown\.\*$/);
  });

  it('keeps an e-mail subject on one line of at most 250 characters', () => {
    const notice = render({ kind: 'announcement', channel: 'email', request: longRequest, policy, now: NOW });
    expect(notice.subject!.length).toBeLessThanOrEqual(EMAIL_SUBJECT_MAX);
    expect(notice.subject).not.toMatch(/\n/);
    expect(notice.text).toContain(long.trim());
  });
});
