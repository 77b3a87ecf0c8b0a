// End to end: the bundled action as the scheduler, on a real git checkout, with MAINT_SMTP_URL naming a
// real SMTP server (aiosmtpd, STARTTLS and a login): the notices of a request whose time was changed
// once after it was first merged are e-mailed, and the announcement's calendar event carries the
// SEQUENCE the publish mode writes in the feed for the same history (1), under the feed's UID.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { afterEach, expect, it } from 'vitest';
import { DEFAULT_POLICY_PATH, DEFAULT_POLICY_YAML } from '../../src/model/default-policy.ts';
import { publishSite } from '../../src/modes/publish.ts';
import { describeWithSink, header, parseMails, startSink, type Sink } from '../outbound/smtp-sink.ts';
import { dueRequest, startMaintenance, type Maintenance } from './maintenance.ts';

let repo: Maintenance;
let relay: Sink;
afterEach(async () => {
  expect(repo.server.violations).toEqual([]);
  await repo.server.close();
  await relay.close();
});

const PASSWORD = 'mail-pass-0451';
const POLICY = DEFAULT_POLICY_YAML.replace(
  '  extra_zones: []\n',
  `  extra_zones: []
  email:
    from: Acme maintenance <maint@acme.example>
    recipients:
      - environments: [development]
        to: [developers@acme.example]
`,
);

/** The SEQUENCE of each event in the feed the publish mode builds from the same checkout. */
async function feedSequences(workspace: string): Promise<Map<string, number>> {
  const out = mkdtempSync(join(tmpdir(), 'maint-site-'));
  await publishSite({
    root: workspace,
    dir: 'maintenance',
    out,
    now: Date.now(),
    repo: { owner: 'acme', name: 'ops' },
    serverUrl: 'https://github.com',
  });
  const feed = new ICAL.Component(ICAL.parse(readFileSync(join(out, 'maintenance.ics'), 'utf8')));
  return new Map(
    feed.getAllSubcomponents('vevent').map((v) => {
      const event = new ICAL.Event(v);
      return [event.uid, event.sequence] as const;
    }),
  );
}

describeWithSink('mode run sends e-mail notices', () => {
  it('through MAINT_SMTP_URL (STARTTLS, login), the announcement carrying the feed’s SEQUENCE', async () => {
    relay = await startSink({ tls: 'starttls', auth: { user: 'maint', password: PASSWORD } });
    repo = await startMaintenance();
    repo.merge({ [DEFAULT_POLICY_PATH]: POLICY });
    const tomorrow = new Date(Date.now() + 24 * 3_600_000).toISOString().slice(0, 16);
    repo.merge({ 'maintenance/deploy.yaml': dueRequest({ title: 'Deploy', start: tomorrow }) });
    repo.merge({ 'maintenance/deploy.yaml': dueRequest({ title: 'Deploy' }) }); // moved to now: SEQUENCE 1

    const env = {
      MAINT_SMTP_URL: `smtp://maint:${PASSWORD}@127.0.0.1:${relay.port}`,
      // The relay's self-signed certificate, trusted as a private CA is on a runner.
      NODE_EXTRA_CA_CERTS: writeCa(relay.ca!),
    };
    const run = await repo.tick({ env });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).not.toContain(PASSWORD);
    await relay.settled();

    const mails = parseMails(relay.delivered);
    expect(mails.map((m) => header(m, 'Message-ID'))).toEqual([
      '<announcement.deploy@acme.ops.maint>',
      '<start.deploy@acme.ops.maint>',
    ]);
    expect(relay.delivered.map((d) => [d.tls, d.user, d.rcpt_tos])).toEqual([
      [true, 'maint', ['developers@acme.example']],
      [true, 'maint', ['developers@acme.example']],
    ]);
    const event = new ICAL.Event(
      new ICAL.Component(ICAL.parse(mails[0]!.attachments[0]!.content!)).getFirstSubcomponent('vevent')!,
    );
    const sequences = await feedSequences(repo.git.checkout(repo.main()));
    expect(event.uid).toBe('deploy@acme.ops.maint');
    expect(event.sequence).toBe(1);
    expect(sequences.get(event.uid)).toBe(event.sequence);

    // The next tick sends nothing again.
    const again = await repo.tick({ env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    await relay.settled();
    expect(relay.delivered).toHaveLength(2);
  }, 120_000);
});

function writeCa(pem: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'maint-ca-')), 'ca.pem');
  writeFileSync(file, pem);
  return file;
}
