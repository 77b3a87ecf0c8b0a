// Every workflow we ship or document is safe by construction (see check-workflow.ts): in
// .github/workflows/, in the README, and the ones `maint init` writes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionPin } from '../../src/cli/action-pin.ts';
import { consumerWorkflows, hubWorkflows } from '../../src/cli/workflow-templates.ts';
import { RELEASE_BUILD } from '../helpers/cli.ts';
import { workflowProblems } from './check-workflow.ts';

/** The pin `maint init` of a release writes (its commit, its version). */
const INIT_PIN = actionPin(undefined, RELEASE_BUILD);
/** The README cannot know the commit of a future release: it names the slot `maint init` fills. */
const README_PIN = 'maint-dev/maint@<release-commit-sha> # vX.Y.Z';

const fromFolder = readdirSync('.github/workflows')
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => ({ name: `.github/workflows/${f}`, text: readFileSync(join('.github/workflows', f), 'utf8') }));

const fromReadme = [...readFileSync('README.md', 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((text) => /^on:/m.test(text) && /^jobs:/m.test(text))
  .map((text, i) => ({ name: `README.md workflow #${i + 1}`, text: text.replaceAll(README_PIN, INIT_PIN) }));

const fromInit = [...consumerWorkflows(INIT_PIN), ...hubWorkflows(INIT_PIN)].map(([file, text]) => ({
  name: `maint init: ${file}`,
  text,
}));

describe('workflows are safe by construction', () => {
  it('there are workflows in each place', () => {
    expect(fromFolder.length).toBeGreaterThanOrEqual(5);
    expect(fromReadme.length).toBeGreaterThanOrEqual(2);
    expect(fromInit.length).toBeGreaterThanOrEqual(2);
  });

  it.each([...fromFolder, ...fromReadme, ...fromInit])('$name', ({ text }) => {
    expect(workflowProblems(text)).toEqual([]);
  });

  const safeStart =
    'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n';
  it.each([
    ['write-all', 'on: push\npermissions: write-all\njobs: {}\n', 'top-level permissions must be {}'],
    [
      'a job without grants',
      'on: push\npermissions: {}\njobs:\n  a:\n    steps: []\n',
      'job a grants no permissions',
    ],
    [
      'a tag instead of a SHA',
      `${safeStart}      - uses: actions/checkout@v4\n`,
      'actions/checkout@v4 is not pinned to a full commit SHA',
    ],
    [
      'a SHA without its version',
      `${safeStart}      - uses: actions/cache@${'a'.repeat(40)}\n`,
      'has no # vX version comment',
    ],
    [
      'a docker tag',
      `${safeStart}      - uses: docker://alpine:3\n`,
      'docker://alpine:3 is not pinned to a digest',
    ],
    [
      'persisted credentials',
      `${safeStart}      - uses: actions/checkout@${'b'.repeat(40)} # v4.1.0\n`,
      'checkout without persist-credentials: false',
    ],
    [
      'an expression in run',
      `${safeStart}      - run: echo "\${{ github.event.issue.title }}"\n`,
      '${{ }} inside run',
    ],
    [
      'checking out the PR under pull_request_target',
      `on: pull_request_target\npermissions: {}\njobs:\n  a:\n    permissions: {}\n    steps:\n      - uses: actions/checkout@${'c'.repeat(40)} # v4.1.0\n        with:\n          persist-credentials: false\n          ref: \${{ github.event.pull_request.head.sha }}\n`,
      'checkout of the pull request',
    ],
  ])('catches %s', (_name, text, problem) => {
    expect(workflowProblems(text).join('\n')).toContain(problem);
  });
});

describe('the README shows the workflows maint init writes', () => {
  it.each([...consumerWorkflows(INIT_PIN), ...hubWorkflows(INIT_PIN)])('%s', (_file, text) => {
    expect(fromReadme.map((w) => w.text)).toContain(text);
  });

  it('with the slot of the pin named, not a commit that resolves to nothing', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain(`uses: ${README_PIN}`);
    expect(readme).not.toMatch(/maint-dev\/maint@[0-9a-f]{40}/);
  });
});
