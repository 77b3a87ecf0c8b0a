// The run mode's notices and alert silences through the outbound port, against local receivers
// standing in for Slack, Statuspage and a signed alert webhook: each goes out once, at its moment.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeStateMarker } from '../../src/lifecycle/marker.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import type { Policy } from '../../src/model/types.ts';
import { credentialsFrom } from '../../src/outbound/credentials.ts';
import { createOutbound } from '../../src/outbound/port.ts';
import { startWorld, succeed, type World } from './support.ts';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let world: World;
let receiver: Server;
afterEach(async () => {
  expect(world.server.violations).toEqual([]);
  await world.server.close();
  await new Promise((resolve) => receiver.close(resolve));
});

async function startReceiver(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(req.url?.startsWith('/v1/pages') ? 201 : 200, { 'content-type': 'application/json' });
      res.end(req.url?.startsWith('/v1/pages') ? JSON.stringify({ id: 'incident-7' }) : 'ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, received };
}

describe('notices and silences beyond GitHub', () => {
  it('Slack gets each notice once, Statuspage an incident updated at the start, the alert webhook a signed start and end', async () => {
    world = await startWorld('2027-01-10T09:07:00Z');
    const { url, received } = await startReceiver();
    const base = defaultPolicy();
    const policy: Policy = {
      ...base,
      alerts: { ...base.alerts, webhook: { url: `${url}/alerts` } },
      notices: { ...base.notices, statuspagePageId: 'page1' },
    };
    const secrets: Record<string, string> = {
      SLACK_WEBHOOK_URL: `${url}/slack`,
      STATUSPAGE_API_KEY: 'sp-key-1234',
      MAINT_WEBHOOK_SECRET: 'hook-secret-5678',
    };
    const outbound = createOutbound({
      policy,
      credentials: credentialsFrom((name) => secrets[name]),
      baseUrls: { statuspage: url },
    });
    world.land('deploy', { start: '2027-01-17T02:00', steps: '[{name: deploy, run: ./deploy.sh}]' });
    const tick = (at: string) => {
      world.clock.now = Date.parse(at);
      return world.tick({ policy, outbound, secrets: (name) => secrets[name] });
    };
    await tick('2027-01-10T09:07:00Z'); // announce
    await tick('2027-01-10T09:22:00Z'); // nothing new
    await tick('2027-01-16T02:07:00Z'); // T-1 day reminder
    await tick('2027-01-17T01:37:00Z'); // silence from T-30 min
    await tick('2027-01-17T02:07:00Z'); // start: the work is dispatched
    await world.execute(succeed);
    await tick('2027-01-17T02:31:00Z'); // the run's completion starts a tick: complete, lift the silence

    const slack = received.filter((r) => r.path === '/slack').map((r) => JSON.parse(r.body).text as string);
    expect(slack).toHaveLength(4);
    expect(slack.join('\n')).toMatch(/announc|Scheduled/i);

    const statuspage = received.filter((r) => r.path.startsWith('/v1/pages/page1/incidents'));
    expect(statuspage.map((r) => r.path)).toEqual([
      '/v1/pages/page1/incidents',
      '/v1/pages/page1/incidents/incident-7',
      '/v1/pages/page1/incidents/incident-7',
    ]);
    expect(statuspage[0]!.headers.authorization).toBe('OAuth sp-key-1234');

    // How each channel took each notice is recorded: what notification coverage counts.
    const [issue] = world.issues();
    const state = decodeStateMarker(issue!.body ?? '');
    expect(state.kind === 'found' && state.state.delivery).toEqual({
      slack: { announce: 'sent', 'remind:P1D': 'sent', start: 'sent', complete: 'sent' },
      statuspage: { announce: 'sent', start: 'sent', complete: 'sent' },
    });
    const report = world.comments(issue!.number).find((c) => c.includes('Maintenance Review Report'))!;
    expect(report).toContain(
      '- announcement: Sunday 10 January 2027, 09:07 UTC (result issue, Slack, Statuspage)',
    );
    expect(report).toContain('- reminder: Saturday 16 January 2027, 02:07 UTC (result issue, Slack)');
    expect(report).toContain(
      '- webhook: 1, from Sunday 17 January 2027, 01:37 UTC until Sunday 17 January 2027, 02:31 UTC',
    );

    const alerts = received.filter((r) => r.path === '/alerts');
    expect(alerts.map((r) => JSON.parse(r.body).event)).toEqual(['maintenance.start', 'maintenance.end']);
    for (const alert of alerts) {
      const expected = `sha256=${createHmac('sha256', 'hook-secret-5678').update(alert.body).digest('hex')}`;
      expect(alert.headers['x-maint-signature-256']).toBe(expected);
    }
  });
});
