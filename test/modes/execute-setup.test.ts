// The execute job's wiring: dispatch inputs refused unless they have their form, and the environment
// `run:` steps get (the job's own, without the runner's tokens, maint's inputs or any scheduler
// credential mapped in by mistake), with credentials masked in their output.
import { describe, expect, it } from 'vitest';
import { parseExecuteInputs, stepEnvironment } from '../../src/modes/execute-setup.ts';

const inputs = {
  request: 'db-upgrade',
  occurrence: 'db-upgrade@2027-01-17T02:00',
  sha: 'a'.repeat(40),
  environment: 'production',
  issue: '12',
  workflows: 'false',
};

describe('execute inputs', () => {
  it('are read into their types', () => {
    expect(parseExecuteInputs(inputs)).toEqual({ ...inputs, issue: 12, workflows: false });
  });

  it.each<[string, Partial<typeof inputs>, string]>([
    ['a request id with a path', { request: '../x' }, 'input request: expected a request id'],
    [
      'an occurrence of another request',
      { occurrence: 'other@2027-01-17T02:00' },
      'input occurrence: expected an occurrence key of db-upgrade',
    ],
    ['a short sha', { sha: 'abc1234' }, 'input sha: expected a full commit SHA'],
    [
      'an expression in the environment',
      { environment: '${{ secrets.X }}' },
      'input environment: expected an environment name',
    ],
    ['an issue that is no number', { issue: '12; rm' }, 'input issue: expected an issue number'],
    ['workflows that is no boolean', { workflows: 'yes' }, 'input workflows: expected true or false'],
  ])('refuse %s', (_name, change, error) => {
    expect(() => parseExecuteInputs({ ...inputs, ...change })).toThrow(error);
  });
});

describe('the environment of steps', () => {
  it("keeps the job's variables and its environment's secrets, drops tokens, inputs and scheduler credentials", () => {
    const { env, secrets } = stepEnvironment({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      DEPLOY_TOKEN: 'deploy-credential',
      INPUT_TOKEN: 'ghs_job_token',
      'INPUT_MEMBERS-TOKEN': 'ghs_members',
      INPUT_REQUEST: 'db-upgrade',
      INPUT_ENVIRONMENT: 'production',
      ACTIONS_RUNTIME_TOKEN: 'runtime-token',
      GITHUB_TOKEN: 'ghs_other',
      SLACK_WEBHOOK_URL: 'https://hooks.example/x',
      UNSET: undefined,
    });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/runner', DEPLOY_TOKEN: 'deploy-credential' });
    expect(secrets.sort()).toEqual(
      [
        'deploy-credential',
        'ghs_job_token',
        'ghs_members',
        'runtime-token',
        'ghs_other',
        'https://hooks.example/x',
      ].sort(),
    );
    // maint's plain inputs are kept from steps, but not masked all over their output.
    expect(secrets).not.toContain('db-upgrade');
    expect(secrets).not.toContain('production');
  });
});
