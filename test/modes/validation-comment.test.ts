// The sticky comment's view: plain-language times in the requester's zone and UTC, the next
// occurrences of a series, and a warning when the series crosses a daylight-saving change.
import { describe, expect, it } from 'vitest';
import { analyseApprovals } from '../../src/approvals/evaluate.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import { validationView } from '../../src/modes/validation-comment.ts';
import type { PullRequestData } from '../../src/modes/pull-request-data.ts';
import { validate } from '../../src/schedule/validate.ts';
import { requestFile } from '../helpers/requests.ts';

const NOW = Date.parse('2027-03-01T00:00:00Z');
const policy = defaultPolicy();

function viewOf(file: ReturnType<typeof requestFile>) {
  const report = validate({ policy, now: NOW, targets: [file] });
  const data = {
    pr: { headSha: 'abcdef1234567', author: 'alice' },
    policySource: 'base',
    codeowners: '/maintenance/ @bob',
  } as unknown as PullRequestData;
  const approvals = analyseApprovals(
    {
      author: 'alice',
      codeowners: '/maintenance/ @bob',
      commits: ['abcdef1234567'],
      files: [{ filename: file.path, status: 'added', last_changed_commit: 'abcdef1234567' }],
      reviews: [],
      teams: {},
    },
    policy,
  );
  return validationView(data, report, approvals, NOW);
}

describe('the validation comment view', () => {
  it('a weekly series in Berlin crossing the spring change: next occurrences and a DST warning', () => {
    const [request] = viewOf(
      requestFile('weekly', {
        start: '2027-03-21T03:00',
        timezone: 'Europe/Berlin',
        recurrence: 'FREQ=WEEKLY;COUNT=4',
      }),
    ).requests;
    expect(request!.repeats).toBe('every week for 4 times, last on Sunday 11 April 2027, 03:00 CEST');
    expect(request!.next).toBe(
      'Sunday 21 March 2027, 03:00 CET (02:00 UTC); Sunday 28 March 2027, 03:00 CEST (01:00 UTC); Sunday 4 April 2027, 03:00 CEST (01:00 UTC)',
    );
    expect(request!.dstWarning).toBe(true);
  });

  it('a series in UTC has no DST warning; a plain request has no next occurrences', () => {
    expect(
      viewOf(requestFile('utc', { start: '2027-03-07T02:00', recurrence: 'FREQ=WEEKLY;COUNT=8' }))
        .requests[0]!.dstWarning,
    ).toBe(false);
    const plain = viewOf(requestFile('once', { start: '2027-03-07T02:00' })).requests[0]!;
    expect([plain.next, plain.dstWarning, plain.when]).toEqual([
      '',
      false,
      'Sunday 7 March 2027, 02:00-03:00 UTC, 1 h',
    ]);
  });

  it('asks the owners named by the base CODEOWNERS when nobody has reviewed yet', () => {
    const view = viewOf(requestFile('once', { start: '2027-03-07T02:00' }));
    expect(view.groups).toEqual([
      expect.objectContaining({ missing: 1, askFrom: '@bob', approvedBy: 'nobody yet' }),
    ]);
  });
});
