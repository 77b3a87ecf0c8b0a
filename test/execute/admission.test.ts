// The execute run's admission as a table: everything right admits it with the window's end as the
// deadline; each thing wrong refuses it with its reason, reported as the outcome only by the run the
// scheduler recorded and never over an outcome already reported.
import { describe, expect, it } from 'vitest';
import { admitExecution, type AdmissionFacts } from '../../src/execute/admission.ts';
import { timelineOf } from '../../src/lifecycle/timeline.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import { WindowCalendar } from '../../src/schedule/windows.ts';
import { request } from '../helpers/requests.ts';

const sha = (c: string) => c.repeat(40);
const policy = defaultPolicy();
const deploy = request('deploy', { start: '2027-01-17T02:00', steps: '[{name: deploy, run: ./deploy.sh}]' });
const timeline = timelineOf(
  deploy,
  { start: deploy.startsAt, end: deploy.endsAt },
  policy,
  new WindowCalendar(policy.environments.production!.windows),
);

const good = (): AdmissionFacts => ({
  inputs: {
    request: 'deploy',
    occurrence: 'deploy',
    sha: sha('a'),
    environment: 'production',
    issue: 3,
    workflows: false,
  },
  defaultBranch: 'main',
  ref: 'refs/heads/main',
  run: 77,
  now: Date.parse('2027-01-17T02:10:00Z'),
  checkout: sha('a'),
  comparison: 'behind',
  issueKey: 'deploy',
  state: {
    state: 'in-progress',
    done: ['announce', 'start'],
    actual: { start: '2027-01-17T02:07:00Z' },
    dispatch: { sha: sha('a'), blob: sha('b'), at: '2027-01-17T02:07:00Z', run: 77 },
  },
  request: deploy,
  blob: sha('b'),
  timeline,
  provenance: { ok: true, sha: sha('a'), blob: sha('b'), pull: 4, commit: sha('c') },
  workflows: [],
});

describe('admission of an execute run', () => {
  it('admits the recorded run of approved, unchanged content in its window, until the window ends', () => {
    expect(admitExecution(good())).toEqual({
      ok: true,
      request: deploy,
      deadline: Date.parse('2027-01-17T06:00:00Z'),
      alreadyStarted: [],
    });
  });

  it.each<[string, (f: AdmissionFacts) => void, string, boolean]>([
    [
      'another branch',
      (f) => (f.ref = 'refs/heads/x'),
      'it runs on refs/heads/x, not on the default branch main',
      true,
    ],
    ['another issue', (f) => (f.issueKey = 'other'), 'issue #3 does not track deploy', false],
    [
      'no dispatch recorded',
      (f) => delete f.state!.dispatch,
      'the result issue records no dispatch for deploy',
      false,
    ],
    ['another sha', (f) => (f.inputs.sha = sha('d')), 'the scheduler dispatched aaaaaaa, not ddddddd', true],
    [
      'another run',
      (f) => (f.run = 78),
      'the scheduler recorded run 77 as its dispatch, not this run (78)',
      false,
    ],
    [
      'a run not yet recorded',
      (f) => delete f.state!.dispatch!.run,
      'the scheduler has not recorded this run as its dispatch',
      false,
    ],
    [
      'a state no longer in progress',
      (f) => (f.state!.state = 'failed'),
      'the maintenance is failed, not in progress',
      true,
    ],
    [
      'a sha off the default branch',
      (f) => (f.comparison = 'diverged'),
      'aaaaaaa is not on the default branch main',
      true,
    ],
    [
      'another checkout',
      (f) => (f.checkout = sha('e')),
      'the workspace has eeeeeee checked out, not aaaaaaa',
      true,
    ],
    ['no such request', (f) => delete f.request, 'the checkout has no valid request deploy', true],
    [
      'changed content',
      (f) => (f.blob = sha('f')),
      'maintenance/2027/deploy.yaml at aaaaaaa is not the approved content (blob bbbbbbb)',
      true,
    ],
    [
      'unapproved content',
      (f) =>
        (f.provenance = {
          ok: false,
          blob: sha('b'),
          reason: 'added by a direct push (ccccccc), not by a merged pull request',
        }),
      'its content is not approved: added by a direct push (ccccccc), not by a merged pull request',
      true,
    ],
    [
      'a later commit than the approved one',
      (f) => (f.provenance = { ok: true, sha: sha('9'), blob: sha('b'), pull: 4, commit: sha('c') }),
      'the approved commit of maintenance/2027/deploy.yaml is 9999999, not aaaaaaa',
      true,
    ],
    [
      'another environment',
      (f) => (f.inputs.environment = 'development'),
      'the job runs in environment development, the request in production',
      true,
    ],
    [
      'actions: write not needed',
      (f) => (f.inputs.workflows = true),
      'the job was given actions: write, but the request dispatches no workflow',
      true,
    ],
    [
      'a window not yet open',
      (f) => (f.now = Date.parse('2027-01-17T01:59:00Z')),
      'its window has not opened (it starts 2027-01-17T02:00:00Z)',
      true,
    ],
    [
      'a closed window',
      (f) => (f.now = Date.parse('2027-01-17T06:00:00Z')),
      'its window closed at 2027-01-17T06:00:00Z',
      true,
    ],
    [
      'work that no longer fits',
      (f) => (f.now = Date.parse('2027-01-17T05:30:00Z')),
      'it no longer fits in its window',
      true,
    ],
    [
      'a called workflow changed since approval',
      (f) => f.workflows.push({ path: '.github/workflows/m.yml', approved: sha('1'), current: sha('2') }),
      ".github/workflows/m.yml on main differs from the approved commit's: it changed after approval",
      true,
    ],
    [
      'a workflow step on another ref',
      (f) =>
        f.workflows.push({
          path: '.github/workflows/m.yml',
          ref: 'dev',
          approved: sha('1'),
          current: sha('1'),
        }),
      'a workflow step names ref dev: workflow steps run only on main',
      true,
    ],
    [
      'another run that already keeps the log',
      (f) =>
        (f.log = {
          key: 'deploy',
          run: 70,
          attempt: 1,
          sha: sha('a'),
          begun: [],
          started: '2027-01-17T02:08:00Z',
        }),
      'run 70 already executes it',
      false,
    ],
    [
      'a re-run after the outcome',
      (f) =>
        (f.log = {
          key: 'deploy',
          run: 77,
          attempt: 1,
          sha: sha('a'),
          begun: ['step:0'],
          started: '2027-01-17T02:08:00Z',
          outcome: 'completed',
        }),
      'it already ended (completed) in attempt 1 of this run',
      false,
    ],
  ])('refuses %s', (_name, change, reason, report) => {
    const facts = good();
    change(facts);
    expect(admitExecution(facts)).toEqual({ ok: false, reason, report });
  });

  it('a re-run of an interrupted attempt is admitted with what it began, so the engine runs nothing again', () => {
    const facts = good();
    facts.log = {
      key: 'deploy',
      run: 77,
      attempt: 1,
      sha: sha('a'),
      begun: ['step:0'],
      started: '2027-01-17T02:08:00Z',
    };
    expect(admitExecution(facts)).toMatchObject({ ok: true, alreadyStarted: ['step:0'] });
  });
});
