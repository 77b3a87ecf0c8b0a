// The suggestion plan, from a pull request's data and report: where the moved file's lines go on
// the diff, recurring requests moved as a whole, two refused requests in one pull request, and the
// cases without a suggestion; then each time rule (window, blackout, notice, conflict,
// concurrency), the request's own zone and format, and start and end in one comment. Every
// suggestion, committed as GitHub commits it, must validate.
import { describe, expect, it } from 'vitest';
import type { ChangedFile } from '../../src/github/port.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import { parseRequest } from '../../src/model/request.ts';
import type { PullRequestData } from '../../src/modes/pull-request-data.ts';
import { planSlotSuggestions, SUGGESTION_MARKER } from '../../src/modes/slot-suggestions.ts';
import { validateRequests } from '../../src/modes/validate.ts';
import { NOW, requestYaml } from '../helpers/requests.ts';
import { commitSuggestion, suggestedLines } from '../helpers/suggestions.ts';

const policy = defaultPolicy();

/** The patch GitHub lists for an added file: one hunk of every line. */
const added = (text: string) => {
  const lines = text.replace(/\n$/, '').split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
};

interface FileSetup {
  path: string;
  text: string;
  /** Default: the patch of an added file; null: GitHub left it out. */
  patch?: string | null;
}

/** Requests already on the base branch (scheduled, not changed by the pull request). */
type BaseSetup = { path: string; text: string }[];

function dataOf(files: FileSetup[], base: BaseSetup = []): PullRequestData {
  const changed: ChangedFile[] = files.map((f) => ({
    filename: f.path,
    status: 'added',
    sha: 'f'.repeat(40),
    ...(f.patch === null ? {} : { patch: f.patch ?? added(f.text) }),
  }));
  return {
    pr: { number: 1, headSha: 'a'.repeat(40), author: 'alice' } as PullRequestData['pr'],
    files: changed,
    reviews: [],
    policy,
    policySource: 'built-in default',
    codeowners: null,
    base: new Map(base.map((b) => [b.path, parseRequest(b)])),
    heads: files.map((f) => parseRequest({ path: f.path, text: f.text })),
    removed: [],
    templateOverrides: {},
  };
}

function plan(files: FileSetup[], base: BaseSetup = []) {
  const data = dataOf(files, base);
  const report = validateRequests(data, NOW);
  const suggestions = planSlotSuggestions(data, report, (changed) => validateRequests(changed, NOW));
  return { data, report, suggestions };
}

/** The pull request's files with every suggestion committed, validated again. */
function afterCommitting(
  files: FileSetup[],
  suggestions: ReturnType<typeof plan>['suggestions'],
  base: BaseSetup = [],
) {
  const texts = files.map((f) => {
    let text = f.text;
    for (const c of suggestions.find((s) => s.path === f.path)?.comments ?? [])
      text = commitSuggestion(text, c);
    return { path: f.path, text };
  });
  return { texts, report: validateRequests(dataOf(texts, base), NOW) };
}

const path = 'maintenance/2027/kernel-patch.yaml';

describe('the next free slot as suggestions on the diff', () => {
  it('a one-off request outside the windows: one suggestion on its start line, which validates', () => {
    const files = [{ path, text: requestYaml({ start: '2027-01-18T10:00' }) }];
    const { suggestions, report } = plan(files);
    expect(report.files[0]!.errors.map((e) => e.rule)).toEqual(['window']);
    expect(suggestions).toHaveLength(1);
    const [comment] = suggestions[0]!.comments;
    // The year-end freeze lasts until 5 January: Wednesday the 6th at 02:00 is the first free slot.
    expect(comment).toMatchObject({ path, line: 6 });
    expect(comment!.startLine).toBeUndefined();
    expect(comment!.body.startsWith(SUGGESTION_MARKER)).toBe(true);
    expect(comment!.body).toContain('```suggestion\nstart: 2027-01-06T02:00\n```');
    expect(comment!.body).toContain('Wednesday 6 January 2027, 02:00 UTC in Wednesday secondary');
    expect(suggestions[0]!.note).toMatch(/^Suggested as a change on line 6 of the diff/);
    const { report: after, texts } = afterCommitting(files, suggestions);
    expect(after.summary.errors).toBe(0);
    expect(texts[0]!.text).toBe(suggestions[0]!.text);
  });

  it('start and end in different hunks: one suggestion each, to be committed together', () => {
    const text = requestYaml({ start: '2027-01-18T10:00', duration: undefined, end: '2027-01-18T10:30' });
    const lines = text.split('\n');
    const endLine = lines.findIndex((l) => l.startsWith('end:')) + 1;
    // A modified file whose diff shows lines 4-8 and the last lines only.
    const patch = `@@ -4,5 +4,5 @@\n${lines
      .slice(3, 8)
      .map((l) => ` ${l}`)
      .join('\n')}\n@@ -${endLine - 2},3 +${endLine - 2},3 @@\n${lines
      .slice(endLine - 3, endLine)
      .map((l) => ` ${l}`)
      .join('\n')}`;
    const files = [{ path, text, patch }];
    const { suggestions } = plan(files);
    const comments = suggestions[0]!.comments;
    expect(comments.map((c) => [c.line, c.startLine])).toEqual([
      [6, undefined],
      [endLine, undefined],
    ]);
    expect(comments[0]!.body).toContain('Add suggestion to batch');
    expect(comments[1]!.body).toContain('end: 2027-01-06T02:30');
    expect(afterCommitting(files, suggestions).report.summary.errors).toBe(0);
  });

  it('start outside the diff: no comment; the note gives the line to change', () => {
    const text = requestYaml({ start: '2027-01-18T10:00' });
    const files = [{ path, text, patch: '@@ -10,3 +10,3 @@\n a\n-b\n+c' }];
    const { suggestions } = plan(files);
    expect(suggestions[0]!.comments).toEqual([]);
    expect(suggestions[0]!.note).toContain("line 6 (`start`) is not part of this pull request's diff");
    expect(suggestions[0]!.note).toContain('Change line 6 to: start: 2027-01-06T02:00.');
  });

  it('a diff GitHub left out (too large) is treated as off the diff', () => {
    const { suggestions } = plan([{ path, text: requestYaml({ start: '2027-01-18T10:00' }), patch: null }]);
    expect(suggestions[0]!.comments).toEqual([]);
    expect(suggestions[0]!.note).toMatch(/is not part of this pull request's diff/);
  });

  it('two refused requests on one service: the second goes to the next slot after the one suggested for the first', () => {
    const files = [
      { path: 'maintenance/2027/a-first.yaml', text: requestYaml({ start: '2027-01-18T10:00' }) },
      { path: 'maintenance/2027/b-second.yaml', text: requestYaml({ start: '2027-01-19T10:00' }) },
    ];
    const { suggestions } = plan(files);
    expect(suggestions.map((s) => s.comments.length)).toEqual([1, 1]);
    // Validation of the first moved there names the next free slot: an hour later in the window.
    expect(suggestions[0]!.comments[0]!.body).toContain('start: 2027-01-06T02:00');
    expect(suggestions[1]!.comments[0]!.body).toContain('start: 2027-01-06T03:00');
    expect(afterCommitting(files, suggestions).report.summary.errors).toBe(0);
  });

  it('more refused requests than slots can be checked: the rest say why, none is sent to a taken slot', () => {
    const files = Array.from({ length: 30 }, (_, i) => ({
      path: `maintenance/2027/r-${String(i).padStart(2, '0')}.yaml`,
      text: requestYaml({ start: '2027-01-18T10:00' }),
    }));
    const { suggestions } = plan(files);
    const placed = suggestions.filter((s) => s.comments.length > 0);
    expect(placed.length).toBeGreaterThan(1);
    expect(suggestions.at(-1)!.note).toMatch(/too many requests to move in one pull request/);
    // Whatever was suggested, committed together, breaks nothing: no two share a slot.
    const after = afterCommitting(files, suggestions).report;
    const moved = new Set(placed.map((s) => s.path));
    expect(after.files.filter((f) => moved.has(f.path)).flatMap((f) => f.errors)).toEqual([]);
  });

  it('a weekly series starting in the freeze moves to the first occurrence of its own rule from which it passes', () => {
    const files = [
      {
        path,
        text: requestYaml({ start: '2027-12-19T02:00', recurrence: 'FREQ=WEEKLY;BYDAY=SU;COUNT=3' }),
      },
    ];
    const { suggestions, report } = plan(files);
    expect(report.files[0]!.errors.map((e) => e.rule)).toContain('blackout');
    const [comment] = suggestions[0]!.comments;
    // 26 December and 2 January are frozen: from 9 January on, all three occurrences pass.
    expect(comment!.body).toContain('start: 2028-01-09T02:00');
    expect(comment!.body).toContain(
      'moves the series to start at Sunday 9 January 2028, 02:00 UTC, the first',
    );
    const after = afterCommitting(files, suggestions);
    expect(after.report.summary.errors).toBe(0);
    expect(after.texts[0]!.text).toContain('recurrence: FREQ=WEEKLY;BYDAY=SU;COUNT=3');
  });

  it('a series whose every occurrence is outside the windows: no suggestion, and why', () => {
    const { suggestions } = plan([
      { path, text: requestYaml({ start: '2027-01-18T10:00', recurrence: 'FREQ=DAILY;COUNT=3' }) },
    ]);
    expect(suggestions[0]!.comments).toEqual([]);
    expect(suggestions[0]!.note).toMatch(
      /^No change is suggested: moving the series' start to one of its next 12 occurrences does not make it pass \(moved to .* it would still break `window`/,
    );
    expect(suggestions[0]!.note).toMatch(
      /Change the rule's day or time, or skip refused occurrences with `exdates`/,
    );
  });

  it('no free slot within the horizon: a note and nothing else', () => {
    // 7 hours: longer than any production window, so no slot can ever hold it.
    const { suggestions } = plan([
      { path, text: requestYaml({ start: '2027-01-18T10:00', impact: 'high', duration: '5h' }) },
    ]);
    expect(suggestions).toEqual([
      {
        path,
        note: "No change is suggested: there is no free slot within the policy's horizon.",
        comments: [],
      },
    ]);
  });

  it('a request refused for something else than its time gets no suggestion', () => {
    const { suggestions, report } = plan([
      { path, text: requestYaml({ start: '2027-01-20T02:00', impact: 'low', duration: '2h' }) },
    ]);
    expect(report.files[0]!.errors.map((e) => e.rule)).toContain('duration');
    expect(suggestions).toEqual([]);
  });

  it('lines holding backticks get a longer fence, so the block cannot be closed early', () => {
    const text = requestYaml({ start: '2027-01-18T10:00 # see ```notes```' });
    const { suggestions } = plan([{ path, text }]);
    expect(suggestions[0]!.comments[0]!.body).toContain(
      '````suggestion\nstart: 2027-01-06T02:00 # see ```notes```\n````',
    );
  });
});

// NOW is Monday 4 January 2027, 00:00 UTC; the built-in policy's year-end freeze lasts until the
// 5th, its production windows are Sundays 02:00-06:00 and Wednesdays 02:00-04:00 UTC.
describe('each rule that refuses a time gets the next free slot', () => {
  /** One refused request: the rules it broke, its one suggestion, and the file with it committed. */
  function suggestedFor(text: string, base: BaseSetup = []) {
    const files = [{ path, text }];
    const { report, suggestions } = plan(files, base);
    expect(suggestions).toHaveLength(1);
    const comments = suggestions[0]!.comments;
    expect(comments).toHaveLength(1);
    const after = afterCommitting(files, suggestions, base);
    return {
      rules: report.files[0]!.errors.map((e) => e.rule),
      comment: comments[0]!,
      note: suggestions[0]!.note,
      after: after.report,
      text: after.texts[0]!.text,
    };
  }

  it('window: a Monday morning moves to the first window after the freeze', () => {
    const { rules, comment, after } = suggestedFor(requestYaml({ start: '2027-01-18T10:00' }));
    expect(rules).toEqual(['window']);
    expect(comment.body).toContain('```suggestion\nstart: 2027-01-06T02:00\n```');
    expect(after.summary.errors).toBe(0);
  });

  it('blackout: staging in the last day of the year-end freeze moves to the first window after it', () => {
    // Staging's daily window (22:00-23:00) on the 5th is frozen; the 6th is the first free one.
    const { rules, comment, after } = suggestedFor(
      requestYaml({ start: '2027-01-05T22:00', environment: 'staging' }),
    );
    expect(rules).toEqual(['blackout']);
    expect(comment.body).toContain('```suggestion\nstart: 2027-01-06T22:00\n```');
    expect(comment.body).toContain('Wednesday 6 January 2027, 22:00 UTC in Daily');
    expect(after.summary.errors).toBe(0);
  });

  it('notice: a medium-impact request two days ahead moves to the first window a week after now', () => {
    // Seven days' notice from Monday the 4th: Sunday the 10th at 02:00 is too early, Wednesday the 13th is not.
    const { rules, comment, after } = suggestedFor(
      requestYaml({ start: '2027-01-06T02:00', impact: 'medium' }),
    );
    expect(rules).toEqual(['notice']);
    expect(comment.body).toContain('```suggestion\nstart: 2027-01-13T02:00\n```');
    expect(after.summary.errors).toBe(0);
  });

  it('conflict: the same service already taken at that hour moves to the next free hour of the window', () => {
    const base = [
      { path: 'maintenance/2027/db-upgrade.yaml', text: requestYaml({ start: '2027-01-06T02:00' }) },
    ];
    const { rules, comment, after } = suggestedFor(requestYaml({ start: '2027-01-06T02:00' }), base);
    expect(rules).toEqual(['conflict']);
    expect(comment.body).toContain('```suggestion\nstart: 2027-01-06T03:00\n```');
    expect(after.summary.errors).toBe(0);
    expect(after.summary.warnings).toBe(0);
  });

  it('concurrency: a third request in production (max_concurrent 2) moves to the next free hour', () => {
    const base = ['db', 'web'].map((service) => ({
      path: `maintenance/2027/${service}-patch.yaml`,
      text: requestYaml({ start: '2027-01-06T02:00', services: `[${service}]` }),
    }));
    const { rules, comment, after } = suggestedFor(requestYaml({ start: '2027-01-06T02:00' }), base);
    expect(rules).toContain('concurrency');
    expect(rules.filter((r) => r !== 'concurrency')).toEqual([]);
    expect(comment.body).toContain('```suggestion\nstart: 2027-01-06T03:00\n```');
    expect(after.summary.errors).toBe(0);
  });

  it("the request's own zone and offset style: New York time with its offset stays New York time", () => {
    // 02:00 UTC on Wednesday the 6th is 21:00 on Tuesday the 5th in New York (EST, -05:00).
    const { comment, text, after } = suggestedFor(
      requestYaml({ start: '2027-01-18T10:00-05:00', timezone: 'America/New_York' }),
    );
    expect(comment.body).toContain('```suggestion\nstart: 2027-01-05T21:00-05:00\n```');
    expect(comment.body).toContain(
      'Tuesday 5 January 2027, 21:00 EST \\(02:00 UTC\\) in Wednesday secondary',
    );
    expect(text).toContain('timezone: America/New_York');
    expect(after.summary.errors).toBe(0);
  });

  it("the request's own zone and format: a quoted Berlin wall clock with a space and seconds stays so", () => {
    const { comment, after } = suggestedFor(
      requestYaml({ start: "'2027-01-18 10:00:00' # agreed with the DBAs", timezone: 'Europe/Berlin' }),
    );
    expect(comment.body).toContain("```suggestion\nstart: '2027-01-06 03:00:00' # agreed with the DBAs\n```");
    expect(after.summary.errors).toBe(0);
  });

  it('start and end in one hunk: one comment from the start: line to the end: line, both moved', () => {
    const text = requestYaml({ start: '2027-01-18T10:00', duration: undefined, end: '2027-01-18T11:00' });
    const lines = text.split('\n');
    const startLine = lines.findIndex((l) => l.startsWith('start:')) + 1;
    const endLine = lines.findIndex((l) => l.startsWith('end:')) + 1;
    expect(endLine).toBeGreaterThan(startLine + 1);
    const files = [{ path, text }];
    const { suggestions } = plan(files);
    expect(suggestions[0]!.comments).toHaveLength(1);
    const [comment] = suggestions[0]!.comments;
    expect(comment).toMatchObject({ path, startLine, line: endLine });
    // The lines between them are repeated as they are; only start and end change.
    expect(suggestedLines(comment!.body)).toEqual([
      'start: 2027-01-06T02:00',
      ...lines.slice(startLine, endLine - 1),
      'end: 2027-01-06T03:00',
    ]);
    expect(comment!.body).toContain('`end` moves by the same amount');
    expect(suggestions[0]!.note).toMatch(
      new RegExp(`^Suggested as a change on lines ${startLine}-${endLine} of the diff`),
    );
    expect(afterCommitting(files, suggestions).report.summary.errors).toBe(0);
  });
});
