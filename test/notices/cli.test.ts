// `maint notices` run in-process on the real examples, the way program.ts registers it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerNoticesCommand } from '../../src/cli/notices.ts';
import { ConfigurationError, UsageError } from '../../src/errors.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function notices(argv: string[], cwd = process.cwd()): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  const io = {
    out: (text: string) => out.push(text),
    err: (text: string) => err.push(text),
    now: () => Date.parse('2027-01-04T00:00:00Z'),
    cwd,
    env: {},
  };
  const program = new Command('maint')
    .exitOverride()
    .configureOutput({ writeOut: (t) => out.push(t), writeErr: (t) => err.push(t) });
  registerNoticesCommand(program, io, (c) => (code = c));
  try {
    await program.parseAsync(['notices', ...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigurationError) {
      err.push(`maint: ${error.message}`);
      code = 2;
    } else if (error instanceof CommanderError) code = 2;
    else throw error;
  }
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const ID = ['--id', 'orders-schema-migration'];

describe('maint notices', () => {
  it('prints a Slack announcement as pretty JSON', async () => {
    const { code, stdout, stderr } = await notices([...ID, '--kind', 'announcement', '--channel', 'slack']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\{\n {2}"text": "📅 Scheduled maintenance: Orders database schema migration/);
    const message = JSON.parse(stdout) as { blocks: { type: string; text: { text: string } }[] };
    expect(message.blocks[0]!.type).toBe('header');
    expect(message.blocks[1]!.text.text).toContain(
      '*When:* Sunday 24 January 2027, 04:00–07:00 CET (03:00–06:00 UTC)',
    );
  });

  it('prints an e-mail with its subject, a reminder with its offset', async () => {
    const { code, stdout } = await notices([
      ...ID,
      '--kind',
      'reminder',
      '--channel',
      'email',
      '--offset',
      'P1D',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^Subject: ⏰ Reminder: maintenance in 1 day: Orders database schema migration \(split order_items\)\n\nThe planned maintenance on production starts in 1 day\./,
    );
  });

  it('takes the per-notice inputs as options', async () => {
    const { stdout } = await notices([
      ...ID,
      '--kind',
      'extension',
      '--channel',
      'markdown',
      '--new-end',
      '2027-01-24T07:00:00Z',
      '--reason',
      'the backup restore is slow',
      '--result-issue',
      'https://github.com/acme/ops/issues/42',
    ]);
    expect(stdout).toContain('**Reason:** the backup restore is slow');
    expect(stdout).toContain(
      '**New end time:** Sunday 24 January 2027, 08:00 CET \\(07:00 UTC\\) (1 h more)',
    );
    expect(stdout).toContain('[maintenance issue](https://github.com/acme/ops/issues/42)');
  });

  it('speaks of the next occurrence of a recurring request', async () => {
    const argv = ['--id', 'weekly-api-rolling-update', '--kind', 'start', '--channel', 'email'];
    const { stdout } = await notices([...argv, '--now', '2027-02-01T00:00:00Z']);
    expect(stdout).toContain('When:        Sunday 7 February 2027, 02:00–03:00 UTC');
  });

  it.each([
    [['--kind', 'reminder', '--channel', 'slack'], /--kind reminder needs --offset.*P14D, P7D, P1D, PT1H/],
    [
      ['--kind', 'reminder', '--channel', 'slack', '--offset', '7 days'],
      /--offset 7 days: expected an ISO 8601/,
    ],
    [['--kind', 'extension', '--channel', 'slack'], /--kind extension needs --new-end/],
    [['--kind', 'announcement', '--channel', 'fax'], /argument 'fax' is invalid/],
  ])('refuses %j with exit 2', async (argv, message) => {
    const { code, stderr } = await notices([...ID, ...argv]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('suggests the id meant', async () => {
    const { code, stderr } = await notices([
      '--id',
      'orders-schema-migraton',
      '--kind',
      'start',
      '--channel',
      'email',
    ]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'maint: --id orders-schema-migraton: no request with this id in maintenance; did you mean `orders-schema-migration`?',
    );
  });

  it('names a broken override file and line (exit 2), and warns about overrides that replace nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'maint-cli-'));
    mkdirSync(join(root, '.github/maint/templates/notices'), { recursive: true });
    writeFileSync(
      join(root, '.github/maint/templates/notices/start.email.hbs'),
      'Started: {{email title}}\n\n{{email titel}}\n',
    );
    writeFileSync(join(root, '.github/maint/templates/notices/strat.email.hbs'), 'x');
    const dir = resolve('maintenance');
    const { code, stderr } = await notices(
      [...ID, '--kind', 'start', '--channel', 'email', '--dir', dir],
      root,
    );
    expect(code).toBe(2);
    expect(stderr).toBe(
      [
        'maint: warning: notices/strat.email.hbs in the template overrides replaces no built-in template',
        'maint: .github/maint/templates/notices/start.email.hbs: line 3, column 1: {{email ...}} was given nothing: is the field name right?',
      ].join('\n'),
    );
  });
});
