// Secrets stay out of what is logged and of error messages, even when a service echoes them back.
import { describe, expect, it } from 'vitest';
import { alertmanagerExpiry } from '../../src/alerts/alertmanager.ts';
import { MASK, excerpt, redact, scrub } from '../../src/outbound/redact.ts';
import { createOutbound } from '../../src/outbound/port.ts';
import { slackPost, statuspageCreateIncident } from '../../src/outbound/messages.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import { localServers, memoryLogger, type LocalServer } from './support.ts';

const serve = localServers();
let server: LocalServer | undefined;

describe('redact', () => {
  it('masks credential headers by name and scrubs secret values everywhere', () => {
    const call = {
      method: 'POST',
      url: 'https://hooks.slack.com/services/T0/B0/abcdefSECRET',
      headers: {
        Authorization: 'Token token=abc',
        'DD-API-KEY': 'k1',
        'dd-application-key': 'k2',
        'X-Custom': 'carries abcdefSECRET',
        Accept: 'application/json',
      },
      body: '{"echo":"abcdefSECRET"}',
    };
    expect(redact(call, ['abcdefSECRET'])).toEqual({
      method: 'POST',
      url: `https://hooks.slack.com/services/T0/B0/${MASK}`,
      headers: {
        Authorization: MASK,
        'DD-API-KEY': MASK,
        'dd-application-key': MASK,
        'X-Custom': `carries ${MASK}`,
        Accept: 'application/json',
      },
      body: `{"echo":"${MASK}"}`,
    });
  });

  it.each([
    ['raw', 'token a/b+c= here', ['a/b+c='], `token ${MASK} here`],
    ['URL-encoded', 'url?key=a%2Fb%2Bc%3D', ['a/b+c='], `url?key=${MASK}`],
    ['the longer secret first', 'abc abcdef', ['abc', 'abcdef'], `${MASK} ${MASK}`],
    ['an empty secret scrubs nothing', 'text', [''], 'text'],
  ])('scrub: %s', (_name, text, secrets, expected) => {
    expect(scrub(text, secrets)).toBe(expected);
  });

  it('excerpt is one short line', () => {
    expect(excerpt(`line one\n  line two ${'x'.repeat(300)}`, [], 20)).toBe('line one line two x…');
  });
});

describe('secrets never reach logs or errors', () => {
  it('a service echoing the key in its refusal', async () => {
    const key = 'sp-key-SUPERSECRET-1234';
    server = await serve((req) => ({
      status: 401,
      body: { error: `bad credentials: ${req.headers.authorization}` },
    }));
    const logger = memoryLogger();
    const outbound = createOutbound({
      policy: defaultPolicy(),
      credentials: { statuspage: { apiKey: key } },
      baseUrls: { statuspage: server.url },
      http: { logger },
    });
    const error = (await outbound.send(statuspageCreateIncident('p', {})).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`bad credentials: OAuth ${MASK}`);
    expect(JSON.stringify(error)).not.toContain(key);
    expect(logger.lines.join('\n')).not.toContain(key);
  });

  it('a Slack URL in a network error', async () => {
    const logger = memoryLogger();
    const url = 'http://127.0.0.1:1/services/T0/B0/HOOKSECRET';
    const outbound = createOutbound({
      policy: defaultPolicy(),
      credentials: { webhookUrl: () => url },
      http: { logger, retry: { maxAttempts: 2, baseDelayMs: 1 } },
    });
    const error = (await outbound.send(slackPost({ text: 'x' })).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('HOOKSECRET');
    expect(logger.lines.join('\n')).not.toContain('HOOKSECRET');
    expect(logger.lines[0]).toBe(`info: slack post: Slack message (SLACK_WEBHOOK_URL) (POST ${MASK})`);
  });

  it('Alertmanager basic auth is sent encoded and never shown', async () => {
    server = await serve(() => ({ status: 200 }));
    const logger = memoryLogger();
    const outbound = createOutbound({
      policy: defaultPolicy(),
      credentials: { alertmanager: { basicAuth: 'maint:pa55word' } },
      baseUrls: { alertmanager: server.url },
      http: { logger },
    });
    await outbound.send(alertmanagerExpiry('s-1'));
    expect(server.received[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('maint:pa55word').toString('base64')}`,
    );
    expect(logger.lines.join('\n')).not.toMatch(/pa55word|bWFpbnQ6cGE1NXdvcmQ/);
  });
});
