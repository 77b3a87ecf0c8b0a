// `maint init` writes the organisation's real approver teams into the policy, from --teams or asked
// on a terminal: the written policy validates by its schema and by maint, names exactly those teams,
// and differs from the default in nothing else; placeholders left are said out loud.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_YAML } from '../../src/model/default-policy.ts';
import { parsePolicy } from '../../src/model/policy.ts';
import { cli } from '../helpers/cli.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv,
) => Ajv;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const policySchema = ajv.compile(JSON.parse(readFileSync('schema/policy.schema.json', 'utf8')) as object);

const POLICY = '.github/maintenance-policy.yaml';
const workspace = () => mkdtempSync(join(tmpdir(), 'maint-init-teams-'));

function writtenPolicy(dir: string) {
  const text = readFileSync(join(dir, POLICY), 'utf8');
  expect(policySchema(parse(text)), JSON.stringify(policySchema.errors)).toBe(true);
  const { policy, findings } = parsePolicy({ path: POLICY, text });
  expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  const teams = Object.fromEntries(
    (['low', 'medium', 'high', 'emergency'] as const).map((key) => [
      key,
      policy!.approvals[key].teams.map((t) => `${t.team} x${t.count}`),
    ]),
  );
  // Apart from the modeline and the approvals lines, the text is the default policy's.
  const changed = text
    .split('\n')
    .slice(1)
    .filter((line, i) => line !== DEFAULT_POLICY_YAML.split('\n')[i]);
  return { text, teams, changed };
}

describe('maint init --teams', () => {
  it('writes the given teams into the policy, which validates and changes nowhere else', async () => {
    const dir = workspace();
    const run = await cli(
      ['init', '--teams', 'medium=acme/eng-leads,high=@acme/cto,emergency=acme/oncall-leads'],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    const { teams, changed } = writtenPolicy(dir);
    expect(teams).toEqual({
      low: [],
      medium: ['acme/eng-leads x1'],
      high: ['acme/cto x1'],
      emergency: ['acme/oncall-leads x1'],
    });
    expect(changed).toEqual([
      '  medium: { code_owners: 1, teams: [{ team: acme/eng-leads, count: 1 }] }',
      '  high: { code_owners: 2, teams: [{ team: acme/cto, count: 1 }] }',
      '  emergency: { code_owners: 1, teams: [{ team: acme/oncall-leads, count: 1 }] }',
    ]);
    expect(run.stdout).not.toContain('placeholder');
  });

  it('can give low impact a team too, and names the placeholders it leaves', async () => {
    const dir = workspace();
    const run = await cli(['init', '--teams', 'low=acme/sre,medium=acme/eng-leads'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(writtenPolicy(dir).teams).toMatchObject({
      low: ['acme/sre x1'],
      medium: ['acme/eng-leads x1'],
      high: ['org/cto-office x1'],
    });
    expect(run.stdout).toContain(
      'The policy still names placeholder teams for high (org/cto-office), emergency (org/incident-commanders)',
    );
  });

  it('without --teams and without a terminal: the default policy, and a note on its placeholder teams', async () => {
    const dir = workspace();
    const run = await cli(['init'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(writtenPolicy(dir).changed).toEqual([]);
    expect(run.stdout).toContain(
      'placeholder teams for medium (org/eng-managers), high (org/cto-office), emergency (org/incident-commanders)',
    );
    expect(run.stdout).toContain('--force --teams medium=ORG/TEAM,high=ORG/TEAM,emergency=ORG/TEAM');
  });

  it.each([
    [
      'an entry without =',
      'acme/eng-leads',
      /^maint: --teams: "acme\/eng-leads" must be written impact=org\/team/,
    ],
    [
      'an unknown impact',
      'critical=acme/x',
      /^maint: --teams: "critical" is not one of low, medium, high, emergency$/,
    ],
    [
      'a team without its organisation',
      'medium=eng-leads',
      /^maint: --teams: medium: "eng-leads" is not a team written org\/team/,
    ],
    ['a key given twice', 'high=acme/a,high=acme/b', /^maint: --teams: high is given twice$/],
    ['nothing', ',', /^maint: --teams: no team given/],
  ])('refuses %s (exit 2), writing nothing', async (_name, value, message) => {
    const dir = workspace();
    const run = await cli(['init', '--teams', value], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(existsSync(join(dir, POLICY))).toBe(false);
  });
});

describe('maint init on a terminal', () => {
  it('asks for each team; Enter keeps the placeholder, a bad answer is asked again', async () => {
    const dir = workspace();
    const run = await cli(['init'], {
      cwd: dir,
      answers: ['acme/eng-leads', '', 'oncall', '@acme/oncall-leads'],
    });
    expect(run.code).toBe(0);
    expect(run.questions).toEqual([
      'Team that approves medium-impact requests [org/eng-managers]: ',
      'Team that approves high-impact requests [org/cto-office]: ',
      'Team that approves emergencies [org/incident-commanders]: ',
      'Team that approves emergencies [org/incident-commanders]: ',
    ]);
    expect(run.stdout).toContain('"oncall" is not a team written org/team');
    expect(writtenPolicy(dir).teams).toMatchObject({
      medium: ['acme/eng-leads x1'],
      high: ['org/cto-office x1'],
      emergency: ['acme/oncall-leads x1'],
    });
    expect(run.stdout).toContain('placeholder teams for high (org/cto-office)');
  });

  it('asks nothing when --teams is given, or when the policy exists and is kept', async () => {
    const dir = workspace();
    const given = await cli(['init', '--teams', 'medium=acme/eng-leads'], { cwd: dir, answers: ['acme/x'] });
    expect(given.questions).toEqual([]);
    const again = await cli(['init'], { cwd: dir, answers: ['acme/x'] });
    expect(again.questions).toEqual([]);
    expect(again.stdout).toContain(`kept     ${POLICY}`);
    expect(writtenPolicy(dir).teams.medium).toEqual(['acme/eng-leads x1']);
    const kept = await cli(['init', '--teams', 'medium=acme/other'], { cwd: dir });
    expect(kept.stdout).toContain(
      `--teams was not applied: ${POLICY} exists and is kept (--force writes it with them).`,
    );
    expect((await cli(['init', '--force', '--teams', 'medium=acme/other'], { cwd: dir })).code).toBe(0);
    expect(writtenPolicy(dir).teams.medium).toEqual(['acme/other x1']);
  });
});
