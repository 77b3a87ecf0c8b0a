// Credentials gathered by name, as the action reads its secrets: what each service gets, and that a
// request naming a credential or a runner variable as its "Slack webhook" gets nothing sent anywhere,
// and which names a request may give at all.
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_NAMES, credentialsFrom, webhookSecretRefusal } from '../../src/outbound/credentials.ts';
import { slackPost, teamsPost } from '../../src/outbound/messages.ts';
import { createOutbound } from '../../src/outbound/port.ts';
import { defaultPolicy } from '../../src/model/policy.ts';

const env: Record<string, string> = {
  ALERTMANAGER_TOKEN: 'am-token',
  PAGERDUTY_TOKEN: 'pd-token',
  PAGERDUTY_FROM: 'bot@acme.example',
  DATADOG_API_KEY: 'dd-api',
  DATADOG_APP_KEY: 'dd-app',
  MAINT_WEBHOOK_SECRET: 'wh-secret',
  STATUSPAGE_API_KEY: 'sp-key',
  MAINT_SMTP_URL: 'smtps://maint:mail-pass@smtp.example.com',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/X',
  SLACK_OPS: 'https://hooks.slack.com/services/T0/B1/Y',
  NOT_A_URL: 'ghp_0123456789',
};

describe('credentialsFrom', () => {
  const credentials = credentialsFrom((name) => env[name]);

  it('maps every documented name', () => {
    expect(credentials).toMatchObject({
      alertmanager: { bearerToken: 'am-token' },
      pagerduty: { token: 'pd-token', from: 'bot@acme.example' },
      datadog: { apiKey: 'dd-api', applicationKey: 'dd-app' },
      webhook: { secret: 'wh-secret' },
      statuspage: { apiKey: 'sp-key' },
      smtpUrl: 'smtps://maint:mail-pass@smtp.example.com',
    });
    expect(credentials.webhookUrl!('SLACK_OPS')).toBe(env.SLACK_OPS);
    expect(CREDENTIAL_NAMES.slack).toBe('SLACK_WEBHOOK_URL');
  });

  it('absent or empty secrets give no credentials', () => {
    expect(credentialsFrom((name) => (name === 'DATADOG_API_KEY' ? 'only-one' : ''))).toEqual({
      webhookUrl: expect.any(Function),
    });
  });

  it.each([
    'PAGERDUTY_TOKEN',
    'DATADOG_API_KEY',
    'MAINT_WEBHOOK_SECRET',
    'STATUSPAGE_API_KEY',
    'MAINT_SMTP_URL',
    'MAINT_TOKEN',
    'GITHUB_TOKEN',
    'INPUT_TOKEN',
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'RUNNER_TEMP',
  ])('a request cannot use %s as its chat webhook', (name) => {
    const everything = credentialsFrom(() => 'https://hooks.slack.com/services/T0/B0/X');
    expect(everything.webhookUrl!(name)).toBeUndefined();
  });

  it.each([
    ['a credential name', slackPost({}, 'PAGERDUTY_TOKEN'), 'no Slack webhook URL in secret PAGERDUTY_TOKEN'],
    [
      'a secret that is not a URL',
      teamsPost({}, 'NOT_A_URL'),
      'secret NOT_A_URL does not hold a Teams workflow webhook URL',
    ],
  ])('nothing is sent for %s', async (_name, request, message) => {
    const sent: string[] = [];
    const outbound = createOutbound({
      policy: defaultPolicy(),
      credentials,
      http: {
        fetch: async (url) => {
          sent.push(String(url));
          return new Response('ok');
        },
      },
    });
    const error = (await outbound.send(request).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('ghp_');
    expect(sent).toEqual([]);
  });
});

describe('which secrets a request may name as its webhook', () => {
  it.each([
    ['MAINT_SLACK_OPS', [], undefined],
    ['SLACK_WEBHOOK_URL', [], undefined],
    ['TEAMS_WEBHOOK_URL', [], undefined],
    ['OPS_CHAT', ['OPS_CHAT'], undefined],
    [
      'OPS_CHAT',
      [],
      /may not be named by a request: use a secret whose name starts with `MAINT_`.*or list `OPS_CHAT` in the policy's `notices.webhook_secrets`/,
    ],
    ['maint_lower', [], /may not be named by a request/],
    ['MAINT_TOKEN', [], /`MAINT_TOKEN` is a GitHub token, never a webhook secret/],
    ['MAINT_WEBHOOK_SECRET', ['MAINT_WEBHOOK_SECRET'], /is a credential of one of maint's services/],
    ['DATADOG_APP_KEY', ['DATADOG_APP_KEY'], /is a credential of one of maint's services/],
    ['GITHUB_TOKEN', ['GITHUB_TOKEN'], /is a GitHub token/],
    ['GITHUB_REPOSITORY', [], /a variable of the runner or of GitHub Actions/],
    ['RUNNER_TEMP', ['RUNNER_TEMP'], /a variable of the runner or of GitHub Actions/],
  ] as const)('%s (policy lists %j)', (name, listed, refusal) => {
    const why = webhookSecretRefusal(name, listed);
    if (refusal === undefined) expect(why).toBeUndefined();
    else expect(why).toMatch(refusal);
  });
});
