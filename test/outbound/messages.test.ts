// Slack, Teams and Statuspage posting against local servers: the body goes out byte for byte, to the
// URL held in the named secret (chat) or with OAuth (Statuspage), and the created incident id comes back.
import { describe, expect, it } from 'vitest';
import {
  slackPost,
  statuspageCreateIncident,
  statuspageUpdateIncident,
  teamsPost,
} from '../../src/outbound/messages.ts';
import { createOutbound, type OutboundCredentials } from '../../src/outbound/port.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import { jsonFixture, localServers, memoryLogger, type LocalServer } from './support.ts';

const policy = defaultPolicy();
const serve = localServers();
let server: LocalServer | undefined;

const slackBody = {
  text: 'Maintenance db-upgrade starts in 1 hour',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Upgrade*' } }],
};

describe('Slack incoming webhooks', () => {
  it('posts the rendered body to the URL in the named secret', async () => {
    server = await serve(() => ({ status: 200, body: 'ok' }));
    const secrets: Record<string, string> = { SLACK_OPS: `${server.url}/services/T000/B000/XXXXXXXX` };
    const logger = memoryLogger();
    const outbound = createOutbound({
      policy,
      credentials: { webhookUrl: (name) => secrets[name] },
      http: { logger },
    });
    const result = await outbound.send(slackPost(slackBody, 'SLACK_OPS'));
    expect(result).toMatchObject({ service: 'slack', operation: 'post', status: 200 });
    expect(server.received[0]).toMatchObject({ method: 'POST', url: '/services/T000/B000/XXXXXXXX' });
    expect(server.received[0]!.body).toBe(JSON.stringify(slackBody));
    expect(server.received[0]!.headers['content-type']).toBe('application/json');
    expect(logger.lines.join('\n')).not.toContain('XXXXXXXX');
  });

  it('a missing secret names it and sends nothing', async () => {
    const outbound = createOutbound({ policy, credentials: { webhookUrl: () => undefined } });
    await expect(outbound.send(slackPost(slackBody))).rejects.toThrow(
      'slack post: no Slack webhook URL in secret SLACK_WEBHOOK_URL; nothing was sent',
    );
  });

  it.each([
    ['invalid_payload', 400],
    ['channel_is_archived', 410],
  ])('Slack refusing with %s is one attempt and a typed error', async (reason, status) => {
    server = await serve(() => ({ status, body: reason }));
    const outbound = createOutbound({ policy, credentials: { webhookUrl: () => `${server!.url}/hook` } });
    await expect(outbound.send(slackPost(slackBody))).rejects.toMatchObject({
      status,
      excerpt: reason,
      attempts: 1,
    });
    expect(server.received).toHaveLength(1);
  });
});

describe('Teams Workflows webhooks', () => {
  it('posts the card and accepts 202', async () => {
    server = await serve(() => ({ status: 202 }));
    const url = `${server.url}/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=s3cr3t-signature`;
    const outbound = createOutbound({
      policy,
      credentials: { webhookUrl: (n) => (n === 'TEAMS_WEBHOOK_URL' ? url : undefined) },
    });
    const card = {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: { type: 'AdaptiveCard', version: '1.4', body: [] },
        },
      ],
    };
    expect(await outbound.send(teamsPost(card))).toMatchObject({ service: 'teams', status: 202 });
    expect(server.received[0]!.url).toBe(
      '/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=s3cr3t-signature',
    );
    expect(JSON.parse(server.received[0]!.body)).toEqual(card);
  });
});

describe('Statuspage incidents', () => {
  const credentials: OutboundCredentials = { statuspage: { apiKey: '2a7b9c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d' } };
  const incident = {
    incident: {
      name: 'Scheduled maintenance: database upgrade',
      status: 'scheduled',
      scheduled_for: '2027-01-17T02:00:00Z',
      scheduled_until: '2027-01-17T03:00:00Z',
    },
  };

  it('creates with POST /v1/pages/{page_id}/incidents and OAuth, returning the incident id', async () => {
    server = await serve((req) => {
      if (req.headers.authorization !== `OAuth ${credentials.statuspage!.apiKey}`)
        return { status: 401, body: { error: 'Could not authenticate' } };
      if (req.method === 'POST' && req.url === '/v1/pages/kctbh9vrtdwd/incidents')
        return { status: 201, body: jsonFixture('statuspage-incident-created.json') };
      return { status: 404, body: { error: 'not found' } };
    });
    const outbound = createOutbound({ policy, credentials, baseUrls: { statuspage: server.url } });
    const created = await outbound.send(statuspageCreateIncident('kctbh9vrtdwd', incident));
    expect(created).toMatchObject({
      service: 'statuspage',
      operation: 'create',
      status: 201,
      id: 'p31zjtct2jer',
    });
    expect(JSON.parse(server.received[0]!.body)).toEqual(incident);
  });

  it('updates with PATCH /v1/pages/{page_id}/incidents/{incident_id}', async () => {
    server = await serve((req) =>
      req.method === 'PATCH' && req.url === '/v1/pages/kctbh9vrtdwd/incidents/p31zjtct2jer'
        ? {
            status: 200,
            body: { ...jsonFixture<object>('statuspage-incident-created.json'), status: 'in_progress' },
          }
        : { status: 404, body: { error: 'not found' } },
    );
    const outbound = createOutbound({ policy, credentials, baseUrls: { statuspage: server.url } });
    const update = { incident: { status: 'in_progress', body: 'Work has started.' } };
    const updated = await outbound.send(statuspageUpdateIncident('kctbh9vrtdwd', 'p31zjtct2jer', update));
    expect(updated).toMatchObject({ operation: 'update', status: 200, id: 'p31zjtct2jer' });
  });

  it('the default host is api.statuspage.io', async () => {
    const urls: string[] = [];
    const outbound = createOutbound({
      policy,
      credentials,
      http: {
        fetch: async (url) => {
          urls.push(String(url));
          return new Response(JSON.stringify({ id: 'x' }), { status: 201 });
        },
      },
    });
    await outbound.send(statuspageCreateIncident('kctbh9vrtdwd', incident));
    expect(urls).toEqual(['https://api.statuspage.io/v1/pages/kctbh9vrtdwd/incidents']);
  });
});
