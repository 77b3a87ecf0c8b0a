// Silences against a real Alertmanager (Debian's prometheus-alertmanager): created through the
// outbound port, read back from GET /api/v2/silences, checked against real alerts (Alertmanager's own
// RE2 anchoring decides what the escaped matcher silences), then expired. Without the binary this
// fails under CI and is skipped, with the reason, elsewhere.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerExpiry, alertmanagerSilence } from '../../src/alerts/alertmanager.ts';
import type { SilenceInput } from '../../src/alerts/input.ts';
import type { MaintenanceRequest } from '../../src/model/types.ts';
import { createOutbound, type Outbound } from '../../src/outbound/port.ts';
import type { OutboundRequest } from '../../src/outbound/request.ts';
import { request } from '../helpers/requests.ts';
import { policyWithAlerts } from '../alerts/inputs.ts';
import { fixture } from './support.ts';

const BINARY = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';
const MISSING = `${BINARY} is not installed (apt-get install prometheus-alertmanager, or set ALERTMANAGER_BIN)`;

interface GettableSilence {
  id: string;
  status: { state: 'expired' | 'active' | 'pending' };
  matchers: { name: string; value: string; isRegex: boolean; isEqual?: boolean }[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}
interface GettableAlert {
  labels: Record<string, string>;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[] };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

class RealAlertmanager {
  private log = '';
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
  }

  static async start(): Promise<RealAlertmanager> {
    const dir = mkdtempSync(join(tmpdir(), 'maint-alertmanager-'));
    const config = join(dir, 'alertmanager.yml');
    writeFileSync(config, fixture('alertmanager.yml'));
    const port = await freePort();
    const child = spawn(
      BINARY,
      [
        `--config.file=${config}`,
        `--storage.path=${join(dir, 'data')}`,
        '--cluster.listen-address=',
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const am = new RealAlertmanager(`http://127.0.0.1:${port}`, child, dir);
    await am.ready();
    return am;
  }

  private async ready(): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`Alertmanager exited (${this.child.exitCode}):\n${this.log}`);
      try {
        if ((await fetch(`${this.url}/-/ready`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Alertmanager not ready after 20 s:\n${this.log}`);
  }

  async silences(): Promise<GettableSilence[]> {
    return (await (await fetch(`${this.url}/api/v2/silences`)).json()) as GettableSilence[];
  }

  async silence(id: string): Promise<GettableSilence> {
    const found = (await this.silences()).find((s) => s.id === id);
    if (!found) throw new Error(`silence ${id} not found`);
    return found;
  }

  async postAlerts(labels: Record<string, string>[]): Promise<void> {
    const response = await fetch(`${this.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(labels.map((l) => ({ labels: l }))),
    });
    expect(response.status).toBe(200);
  }

  async alerts(): Promise<GettableAlert[]> {
    return (await (await fetch(`${this.url}/api/v2/alerts`)).json()) as GettableAlert[];
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const installed = existsSync(BINARY);
if (!installed) console.warn(`real Alertmanager tests: ${MISSING}`);

const ci = Boolean(process.env.CI) && process.env.CI !== 'false';
if (!installed && ci) {
  describe('real Alertmanager (required in CI)', () => {
    it('has the binary', () => {
      throw new Error(`CI must run the Alertmanager tests, but ${MISSING}`);
    });
  });
}

describe.skipIf(!installed)(`real Alertmanager${installed ? '' : ` (skipped: ${MISSING})`}`, () => {
  let am: RealAlertmanager;
  let outbound: Outbound;
  const policy = policyWithAlerts(`lead: PT30M\nalertmanager: { url: 'http://alertmanager.invalid' }`);

  beforeAll(async () => {
    am = await RealAlertmanager.start();
    outbound = createOutbound({ policy, credentials: {}, baseUrls: { alertmanager: am.url } });
  });
  afterAll(async () => {
    await am?.stop();
  });

  /** A request whose occurrence starts `minutes` from now and lasts an hour. */
  const inputFor = (minutes: number, over: Partial<MaintenanceRequest> = {}): SilenceInput => {
    const now = Date.now();
    const start = Math.ceil((now + minutes * 60_000) / 1000) * 1000;
    return {
      request: { ...request('db-upgrade', { title: 'Upgrade Postgres' }), ...over },
      occurrence: { start, end: start + 3_600_000 },
      policy,
      issueUrl: 'https://github.com/acme/ops/issues/7',
      now,
    };
  };
  const silenceRequest = (input: SilenceInput): OutboundRequest => {
    const built = alertmanagerSilence(input);
    if (built.kind !== 'request') throw new Error(built.reason);
    return built.request;
  };

  it('creates a pending silence that reads back as sent, then expires it', async () => {
    const input = inputFor(120, { services: ['api.v2', 'web'] });
    const request = silenceRequest(input);
    const created = await outbound.send(request);
    expect(created).toMatchObject({ service: 'alertmanager', operation: 'create', status: 200, attempts: 1 });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);

    const stored = await am.silence(created.id!);
    const sent = JSON.parse(request.body!);
    expect(stored.status.state).toBe('pending');
    expect(stored.matchers).toEqual([
      { name: 'environment', value: 'production', isRegex: false, isEqual: true },
      { name: 'service', value: 'api\\.v2|web', isRegex: true, isEqual: true },
    ]);
    expect(Date.parse(stored.startsAt)).toBe(input.occurrence.start - 30 * 60_000);
    expect(Date.parse(stored.endsAt)).toBe(input.occurrence.end);
    expect(Date.parse(stored.startsAt)).toBe(Date.parse(sent.startsAt));
    expect(stored.comment).toBe(
      'Planned maintenance db-upgrade: Upgrade Postgres — https://github.com/acme/ops/issues/7',
    );
    expect(stored.createdBy).toBe('maint');

    const expired = await outbound.send(alertmanagerExpiry(created.id!));
    expect(expired).toMatchObject({ operation: 'end', status: 200 });
    expect(expired.alreadyEnded).toBeUndefined();
    expect((await am.silence(created.id!)).status.state).toBe('expired');
  });

  it('silences exactly the escaped services while active, and lifts the silence on expiry', async () => {
    const input = inputFor(10, { services: ['api.v2', 'a|b', 'x+y'] });
    const created = await outbound.send(silenceRequest(input));
    expect((await am.silence(created.id!)).status.state).toBe('active');

    const alert = (environment: string, service: string) => ({
      alertname: 'HighLatency',
      environment,
      service,
    });
    await am.postAlerts([
      alert('production', 'api.v2'),
      alert('production', 'a|b'),
      alert('production', 'x+y'),
      alert('production', 'apixv2'), // the dot is not a wildcard
      alert('production', 'a'), // the pipe is not an alternation
      alert('production', 'xxy'), // the plus is not a quantifier
      alert('staging', 'api.v2'), // another environment
    ]);
    const states = async () =>
      Object.fromEntries(
        (await am.alerts()).map((a) => [`${a.labels.environment}/${a.labels.service}`, a.status.state]),
      );
    expect(await states()).toEqual({
      'production/api.v2': 'suppressed',
      'production/a|b': 'suppressed',
      'production/x+y': 'suppressed',
      'production/apixv2': 'active',
      'production/a': 'active',
      'production/xxy': 'active',
      'staging/api.v2': 'active',
    });

    await outbound.send(alertmanagerExpiry(created.id!));
    expect(Object.values(await states()).every((state) => state === 'active')).toBe(true);
  });

  it('expiring twice, or a silence it never had, leaves nothing to do', async () => {
    const created = await outbound.send(silenceRequest(inputFor(60)));
    await outbound.send(alertmanagerExpiry(created.id!));
    const again = await outbound.send(alertmanagerExpiry(created.id!));
    expect(again.status).toBe(200);
    const unknown = await outbound.send(alertmanagerExpiry('3f1c2e0a-5b7d-4c1e-9a2b-6d8e0f1a2b3c'));
    expect(unknown).toMatchObject({ operation: 'end', alreadyEnded: true, attempts: 1 });
  });

  it('an Alertmanager refusal is a typed error with its reason', async () => {
    const input = inputFor(60);
    const body = JSON.parse(silenceRequest(input).body!);
    const refused = { ...silenceRequest(input), body: JSON.stringify({ ...body, endsAt: body.startsAt }) };
    await expect(outbound.send(refused)).rejects.toMatchObject({
      name: 'OutboundError',
      service: 'alertmanager',
      kind: 'http',
      status: 400,
      excerpt: expect.stringContaining('start time must be before end time'),
    });
  });
});
