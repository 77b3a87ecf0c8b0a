import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerApprovalsCommand } from '../../src/cli/approvals.ts';
import type { CliIO } from '../../src/cli/io.ts';
import { registerOwnersCommand } from '../../src/cli/owners.ts';
import { ConfigurationError, UsageError } from '../../src/errors.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/approvals/', import.meta.url));

/** Runs the two commands as runCli runs every command: thrown usage errors become exit 2. */
async function run(argv: string[], cwd = FIXTURES) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), now: () => 0, cwd, env: {} };
  let code = 0;
  const program = new Command('maint')
    .exitOverride()
    .configureOutput({ writeOut: (t) => out.push(t), writeErr: (t) => err.push(t) });
  registerOwnersCommand(program, io, (c) => (code = c));
  registerApprovalsCommand(program, io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = 2;
    else if (error instanceof UsageError || error instanceof ConfigurationError) {
      err.push(error.message);
      code = 2;
    } else throw error;
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('maint owners', () => {
  it.each([
    [
      '.github/CODEOWNERS is read before the root one',
      'repo',
      'maintenance/2027/db.yaml',
      ['@bob', '@carol', '@dave'],
    ],
    ['an unowned path maps to []', 'repo', 'notes/todo.txt', []],
    [
      './ and / prefixes name the same repository path',
      'repo',
      './maintenance/a.yaml',
      ['@bob', '@carol', '@dave'],
    ],
    ['the root CODEOWNERS when there is no .github one', 'root-only', 'src/a.ts', ['@root-owner']],
    ['docs/CODEOWNERS as the last resort', 'docs-only', 'src/a.ts', ['@docs-owner']],
  ])('%s', async (_name, folder, path, owners) => {
    const result = await run(['owners', path, '--format', 'json'], join(FIXTURES, folder));
    expect(result.code).toBe(0);
    expect(json(result.out)).toEqual({ owners: { [path]: owners }, errors: [] });
  });

  it('lists invalid lines with their numbers, skips them like GitHub, and exits 0', async () => {
    const result = await run([
      'owners',
      'src/main.c',
      'docs/a.md',
      'secret/key',
      '--codeowners',
      'invalid-lines/CODEOWNERS',
      '--format',
      'json',
    ]);
    expect(result.code).toBe(0);
    const output = json(result.out) as { owners: unknown; errors: { line: number; message: string }[] };
    expect(output.owners).toEqual({
      'src/main.c': ['@org/platform-owners'], // line 7 (`*.[ch]`) is skipped
      'docs/a.md': ['docs@example.com', '@erin'], // in the order the line lists them
      'secret/key': ['@org/platform-owners'], // line 4 (`!secret/`) is skipped
    });
    expect(output.errors.map((e) => e.line)).toEqual([4, 5, 7]);
    expect(output.errors[1]!.message).toMatch(/^Invalid owner on line 5: `docs@`/);
  });

  it('prints one line per path in text, and warns about skipped lines', async () => {
    const result = await run(
      ['owners', 'src/main.c', 'notes/x', '--codeowners', 'invalid-lines/CODEOWNERS'],
      FIXTURES,
    );
    expect(result.code).toBe(0);
    expect(result.out.split('\n')).toEqual([
      'src/main.c  @org/platform-owners  (line 2)',
      'notes/x     @org/platform-owners  (line 2)',
    ]);
    expect(result.err).toMatch(
      /^warning: invalid-lines\/CODEOWNERS: Invalid pattern on line 4: .*GitHub skips/,
    );
    const cleared = await run(['owners', 'notes/todo.txt'], join(FIXTURES, 'repo'));
    expect(cleared.out).toBe('notes/todo.txt  (no owners: line 9 clears them)');
  });

  it.each([
    [
      'a --codeowners file that does not exist',
      ['owners', 'a', '--codeowners', 'nope/CODEOWNERS'],
      FIXTURES,
      /nope\/CODEOWNERS: no such CODEOWNERS file/,
    ],
    [
      'no CODEOWNERS in any location',
      ['owners', 'a'],
      mkdtempSync(join(tmpdir(), 'maint-owners-')),
      /none of \.github\/CODEOWNERS, CODEOWNERS, docs\/CODEOWNERS exists/,
    ],
    ['no path', ['owners'], FIXTURES, /missing required argument 'paths'/],
    [
      'an unknown format',
      ['owners', 'a', '--format', 'yaml'],
      join(FIXTURES, 'repo'),
      /Allowed choices are text, json/,
    ],
  ])('exits 2 for %s', async (_name, argv, cwd, message) => {
    const result = await run(argv, cwd);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });
});

describe('maint approvals', () => {
  it('exits 0 and explains when approved', async () => {
    const result = await run(['approvals', '--snapshot', 'snapshots/high-impact-approved.json']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Approved: /);
    expect(result.out).toContain('@org/cto-office: 1 of 1, approved by judy');
  });

  it('exits 1 and prints the decision as JSON when not approved', async () => {
    const result = await run([
      'approvals',
      '--snapshot',
      'snapshots/high-impact-blocked.json',
      '--format',
      'json',
    ]);
    expect(result.code).toBe(1);
    const decision = json(result.out);
    expect(Object.keys(decision)).toEqual(['approved', 'files', 'blocking', 'problems']);
    expect(decision.approved).toBe(false);
    expect(decision.blocking).toEqual([{ user: 'carol', state: 'CHANGES_REQUESTED' }]);
    expect(decision.problems).toEqual([expect.stringMatching(/^cannot resolve team @org\/cto-office/)]);
  });

  it('reads the policy given with --policy', async () => {
    const result = await run([
      'approvals',
      '--snapshot',
      'snapshots/high-impact-approved.json',
      '--policy',
      'policy-three-owners.yaml',
    ]);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'code owners of maintenance/2027/db-upgrade.yaml: 2 of 3, approved by bob, dave; 1 more needed from @carol',
    );
  });

  it.each([
    [
      'a snapshot with wrong fields, each named',
      ['approvals', '--snapshot', 'snapshots/invalid-fields.json'],
      /is not a valid approvals snapshot:\n {2}- unknown field `reveiws`.*\n {2}- `files\[1\]\.status` must be one of .*\n {2}- `reviews\[0\]\.state`/,
    ],
    [
      'a snapshot that is not JSON',
      ['approvals', '--snapshot', 'snapshots/not-json.txt'],
      /- not valid JSON: /,
    ],
    [
      'a snapshot file that does not exist',
      ['approvals', '--snapshot', 'nope.json'],
      /--snapshot nope\.json: no such file/,
    ],
    ['no --snapshot', ['approvals'], /required option '--snapshot <file>' not specified/],
    [
      'a policy file that does not exist',
      ['approvals', '--snapshot', 'snapshots/high-impact-approved.json', '--policy', 'nope.yaml'],
      /nope\.yaml: no such policy file/,
    ],
  ])('exits 2 for %s', async (_name, argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });
});
