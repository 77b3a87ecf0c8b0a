// The run side of `notify.*_webhook_secret`: a notice goes to the webhook a request names only when a
// request may name that secret (MAINT_*, the default names, the policy's `notices.webhook_secrets`);
// otherwise the secret is never looked up and the notice reports why, whatever validation said.
import { describe, expect, it } from 'vitest';
import type { IssueTracker } from '../../src/github/port.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import type { Policy } from '../../src/model/types.ts';
import { sendExternal, type NoticeContext } from '../../src/modes/run-notices.ts';
import type { OutboundRequest } from '../../src/outbound/request.ts';
import { request } from '../helpers/requests.ts';
import { builtIn } from '../notices/support.ts';

const ENV: Record<string, string> = {
  MAINT_SLACK_OPS: 'https://hooks.slack.com/services/T0/B0/ops',
  OPS_CHAT: 'https://hooks.slack.com/services/T0/B0/listed',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/default',
  MAINT_TOKEN: 'ghp_maint_token_value',
  GITHUB_TOKEN: 'ghs_job_token_value',
  INPUT_TOKEN: 'ghp_input_token_value',
  HOME: '/home/runner',
};

async function slackNotice(secretName: string | undefined, policy: Policy = defaultPolicy()) {
  const sent: OutboundRequest[] = [];
  const looked: string[] = [];
  const context: NoticeContext = {
    github: {} as IssueTracker,
    outbound: {
      send: async (call) => {
        sent.push(call);
        return { service: call.service, operation: call.operation, status: 200, attempts: 1 };
      },
      sendMail: async () => {
        throw new Error('the policy names no e-mail recipients');
      },
    },
    secret: (name) => (looked.push(name), ENV[name]),
    templates: builtIn,
    policy,
    now: Date.parse('2027-01-10T09:07:00Z'),
  };
  const notify = secretName ? `{slack_webhook_secret: ${secretName}}` : undefined;
  const result = await sendExternal(
    context,
    'announcement',
    request('deploy', { notify }),
    { state: 'scheduled', done: [] },
    {},
  );
  return { sent: sent.map((call) => call.target), looked, problems: result.problems };
}

describe('notify.slack_webhook_secret when notices are sent', () => {
  const listing: Policy = { ...defaultPolicy() };
  listing.notices = { ...listing.notices, webhookSecrets: ['OPS_CHAT', 'GITHUB_TOKEN'] };

  it.each([
    ['a MAINT_ name', 'MAINT_SLACK_OPS', defaultPolicy()],
    ['the default name', undefined, defaultPolicy()],
    ['a name the policy lists', 'OPS_CHAT', listing],
  ])('sends to %s', async (_name, secretName, policy) => {
    const { sent, problems } = await slackNotice(secretName, policy);
    expect(problems).toEqual([]);
    expect(sent).toEqual([secretName ?? 'SLACK_WEBHOOK_URL']);
  });

  it.each([
    ['a name neither MAINT_ nor listed', 'OPS_CHAT', defaultPolicy(), /may not be named by a request/],
    ['HOME', 'HOME', defaultPolicy(), /may not be named by a request/],
    ['MAINT_TOKEN', 'MAINT_TOKEN', defaultPolicy(), /is a GitHub token, never a webhook secret/],
    ['GITHUB_TOKEN, even listed by the policy', 'GITHUB_TOKEN', listing, /is a GitHub token/],
    ['INPUT_TOKEN', 'INPUT_TOKEN', defaultPolicy(), /a variable of the runner or of GitHub Actions/],
  ])('refuses %s without looking it up', async (_name, secretName, policy, why) => {
    const { sent, looked, problems } = await slackNotice(secretName, policy);
    expect(sent).toEqual([]);
    expect(looked).not.toContain(secretName);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^notify\.slack_webhook_secret: not used: /);
    expect(problems[0]).toMatch(why);
  });
});
