// End to end (issue 11): hostile request and policy files in a pull request get the same answers as
// `maint validate`: a failed check with an annotation at the line, never a crash or a silent pass.
import { afterEach, describe, expect, it } from 'vitest';
import { requestYaml } from '../helpers/requests.ts';
import {
  check,
  openPullRequest,
  POLICY,
  startRepo,
  sundayAhead,
  validate,
  yearOf,
  type Repo,
} from './scenario.ts';

let repo: Repo;
afterEach(async () => {
  expect(repo.server.violations).toEqual([]);
  await repo.server.close();
});

const start = sundayAhead(21);
const dir = `maintenance/${yearOf(start)}`;

describe('hostile files in a pull request', () => {
  it('invalid UTF-8, an unknown tag, deep nesting and control characters each fail at their line', async () => {
    repo = await startRepo();
    const valid = requestYaml({ start });
    const [head, tail] = valid.replace(/^description: .*$/m, 'description: caf\u0000').split('\u0000');
    const badBytes = Buffer.concat([Buffer.from(head!), Buffer.from([0xe9]), Buffer.from(tail!)]);
    const badLine = valid.split('\n').findIndex((l) => l.startsWith('description:')) + 1;
    const pull = openPullRequest(repo, {
      files: {
        [`${dir}/bad-bytes.yaml`]: badBytes,
        [`${dir}/include-tag.yaml`]: requestYaml({ start, title: '!include /etc/passwd' }),
        [`${dir}/deep.yaml`]: `${valid}\nsteps: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
        [`${dir}/escape.yaml`]: requestYaml({ start, title: '"clear \\x1b[2J screen"' }),
      },
    });
    const run = await validate(repo, pull);
    // GitHub's patch cannot rebuild bytes that are not UTF-8 (its SHA says so): that file is read
    // through the contents API, and decoded there with the same check.
    expect(repo.server.count({ method: 'GET', route: '/repos/{owner}/{repo}/contents/{path}' })).toBe(1);
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ valid: 'false', conclusion: 'failure' });
    const { annotations, conclusion } = check(repo, pull.head);
    expect(conclusion).toBe('failure');
    const at = (file: string) => annotations.filter((a: { path: string }) => a.path === `${dir}/${file}`);
    expect(at('bad-bytes.yaml')).toEqual([
      expect.objectContaining({
        start_line: badLine,
        annotation_level: 'failure',
        message: expect.stringMatching(/not valid UTF-8: byte 0xE9 at line \d+, column 17/),
      }),
    ]);
    expect(at('include-tag.yaml')).toEqual([
      expect.objectContaining({
        start_line: 1,
        message: expect.stringContaining('Unresolved tag: !include'),
      }),
    ]);
    expect(at('deep.yaml')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('nested deeper than 32 levels') }),
    ]);
    expect(at('escape.yaml')).toEqual([
      expect.objectContaining({ start_line: 1, message: expect.stringContaining('ESC (U+001B)') }),
    ]);
  });

  it('a base policy that is not UTF-8 fails the check closed, naming it; the default never stands in', async () => {
    repo = await startRepo({
      '.github/maintenance-policy.yaml': Buffer.concat([
        Buffer.from(`${POLICY}\n# caf`),
        Buffer.from([0xe9]),
      ]),
    });
    const pull = openPullRequest(repo, { files: { [`${dir}/ok.yaml`]: requestYaml({ start }) } });
    const run = await validate(repo, pull);
    expect(run.code).not.toBe(0);
    const result = check(repo, pull.head);
    expect(result.conclusion).toBe('failure');
    expect(result.output.summary).toMatch(/maintenance-policy\.yaml \(base\): the file is not valid UTF-8/);
  });
});
