// Credentials gathered by name, as the action reads its secrets: what each service gets, and that a
// request naming a credential as its "Slack webhook" gets nothing sent anywhere.
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_NAMES, credentialsFrom } from '../../src/outbound/credentials.ts';
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
    });
    expect(credentials.webhookUrl!('SLACK_OPS')).toBe(env.SLACK_OPS);
    expect(CREDENTIAL_NAMES.slack).toBe('SLACK_WEBHOOK_URL');
  });

  it('absent or empty secrets give no credentials', () => {
    expect(credentialsFrom((name) => (name === 'DATADOG_API_KEY' ? 'only-one' : ''))).toEqual({
      webhookUrl: expect.any(Function),
    });
  });

  it.each(['PAGERDUTY_TOKEN', 'DATADOG_API_KEY', 'MAINT_WEBHOOK_SECRET', 'STATUSPAGE_API_KEY'])(
    'a request cannot use %s as its chat webhook',
    (name) => {
      expect(credentials.webhookUrl!(name)).toBeUndefined();
    },
  );

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
