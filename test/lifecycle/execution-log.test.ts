// The records the execution adds to the result issue, read back from untrusted text: the state's
// provenance and dispatch, and the execute run's log comment.
import { describe, expect, it } from 'vitest';
import {
  decodeExecutionLog,
  encodeExecutionLog,
  executionCommentMarker,
  type ExecutionLog,
} from '../../src/lifecycle/execution-log.ts';
import { decodeStateMarker, encodeJsonMarker, encodeStateMarker } from '../../src/lifecycle/marker.ts';
import type { OccurrenceState } from '../../src/lifecycle/state.ts';

const sha = (c: string) => c.repeat(40);
const STATE: OccurrenceState = {
  state: 'in-progress',
  done: ['announce', 'start'],
  provenance: {
    ok: true,
    blob: sha('b'),
    sha: sha('a'),
    pull: 7,
    commit: sha('c'),
    checked: '2027-01-10T09:07:00Z',
  },
  dispatch: {
    sha: sha('a'),
    blob: sha('b'),
    at: '2027-01-17T02:07:00Z',
    claim: 'x-1',
    run: 55,
    url: 'https://github.com/r/1',
    sent: 1,
  },
};
const LOG: ExecutionLog = {
  key: 'deploy',
  run: 55,
  attempt: 2,
  sha: sha('a'),
  begun: ['pre-check:0', 'step:0'],
  started: '2027-01-17T02:09:00Z',
  ended: '2027-01-17T02:40:00Z',
  outcome: 'rolled-back',
  reason: 'Step 1 failed --> <!-- x',
};

describe('provenance and dispatch in the state marker', () => {
  it('round-trip', () => {
    expect(decodeStateMarker(encodeStateMarker('deploy', STATE))).toEqual({
      kind: 'found',
      key: 'deploy',
      state: STATE,
    });
    const refused: OccurrenceState = {
      state: 'announced',
      done: ['announce'],
      provenance: {
        ok: false,
        blob: sha('b'),
        reason: 'added by a direct push',
        checked: '2027-01-10T09:07:00Z',
      },
    };
    expect(decodeStateMarker(encodeStateMarker('deploy', refused))).toMatchObject({ state: refused });
  });

  it.each([
    [
      'a short commit',
      { ...STATE, dispatch: { ...STATE.dispatch!, sha: 'abc1234' } },
      '$.state.dispatch.sha: expected a full commit or blob SHA',
    ],
    [
      'a run that is no number',
      { ...STATE, dispatch: { ...STATE.dispatch!, run: '55' } },
      '$.state.dispatch.run: expected a positive whole number',
    ],
    [
      'an unknown dispatch field',
      { ...STATE, dispatch: { ...STATE.dispatch!, token: 'x' } },
      '$.state.dispatch.token: unknown field',
    ],
    [
      'approval without its commit',
      { ...STATE, provenance: { ok: true, blob: sha('b'), checked: '2027-01-10T09:07:00Z' } },
      '$.state.provenance.sha: expected a string',
    ],
    [
      'a refusal without its reason',
      { ...STATE, provenance: { ok: false, blob: sha('b'), checked: '2027-01-10T09:07:00Z' } },
      '$.state.provenance.reason: expected a string',
    ],
  ])('%s is a clear error', (_name, state, error) => {
    const decoded = decodeStateMarker(encodeJsonMarker('<!-- maint:state', 1, { key: 'deploy', state }));
    expect(decoded.kind === 'invalid' && decoded.error).toContain(error);
  });
});

describe('the execution log', () => {
  it('round-trips inside a comment, behind its visible marker', () => {
    const body = `### Report\n\n${executionCommentMarker('deploy')}\n${encodeExecutionLog(LOG)}\n`;
    expect(decodeExecutionLog(body)).toEqual({ kind: 'found', log: LOG });
    expect(decodeExecutionLog('no log here')).toEqual({ kind: 'none' });
  });

  it.each([
    ['an unknown outcome', { ...LOG, outcome: 'succeeded' }, '`outcome` is not one of'],
    ['a begun item that is no item', { ...LOG, begun: ['rm -rf /'] }, '`begun` must list'],
    ['a run id as text', { ...LOG, run: '55' }, '`run` and `attempt` must be positive whole numbers'],
    ['a bad key', { ...LOG, key: '../x' }, '`key` is not an occurrence key'],
    ['an extra field', { ...LOG, secret: 'x' }, 'unknown field secret'],
  ])('%s is a clear error, not an exception', (_name, log, error) => {
    const decoded = decodeExecutionLog(encodeJsonMarker('<!-- maint:execution-log', 1, log));
    expect(decoded.kind === 'invalid' && decoded.error).toContain(error);
  });
});
