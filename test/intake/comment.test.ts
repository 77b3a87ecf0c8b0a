// What intake writes for people: one marker per comment, every text from the issue escaped, and
// the pull request's title within GitHub's limit.
import { describe, expect, it } from 'vitest';
import {
  filedComment,
  INTAKE_MARKER,
  problemsComment,
  pullBody,
  pullTitle,
} from '../../src/intake/comment.ts';
import type { FileReport } from '../../src/schedule/validate.ts';

const HOSTILE = '<!-- maint:intake --> @acme/everyone <img src=x> [x](http://evil.example) #12 `code`';
const report = (errors: string[] = [], warnings: string[] = []): FileReport => ({
  path: 'maintenance/2027/a.yaml',
  id: 'a',
  errors: errors.map((message) => ({ rule: 'window', severity: 'error', message, line: 1, column: 1 })),
  warnings: warnings.map((message) => ({
    rule: 'avoid-hours',
    severity: 'warning',
    message,
    line: 1,
    column: 1,
  })),
  history: false,
});
const pull = { number: 12, htmlUrl: 'https://github.com/acme/app/pull/12' };

function expectInert(body: string) {
  expect(body.match(/<!--/g)).toHaveLength(1);
  expect(body.startsWith(INTAKE_MARKER)).toBe(true);
  expect(body).not.toMatch(/@acme\/everyone/);
  expect(body).not.toContain('<img');
  expect(body).not.toContain('](http://evil');
}

describe('intake comments', () => {
  it('the fields to fix: each on its line, labels and messages escaped', () => {
    const body = problemsComment([
      { field: 'start', label: HOSTILE, message: HOSTILE },
      { field: 'services', label: 'Services', message: 'is required: fill it in' },
    ]);
    expectInert(body);
    expect(body).toContain('- **Services**: is required: fill it in');
    expect(body).toContain('No pull request was opened');
    expect(problemsComment([{ field: 'x', label: 'X', message: 'm' }], pull)).toContain(
      'Pull request #12 keeps its previous version',
    );
  });

  it.each([
    [[], [], '✅ valid'],
    [[], ['peak hours'], '⚠️ valid, with 1 warning'],
    [['outside the windows'], ['peak hours'], '❌ 1 error, 1 warning: edit this issue to fix it'],
    [['a', 'b'], [], '❌ 2 errors: edit this issue to fix them'],
  ])('validation %j %j reads %s', (errors, warnings, verdict) => {
    const body = filedComment({
      pull,
      path: 'maintenance/2027/a.yaml',
      id: 'a',
      change: 'opened',
      report: report(errors, warnings),
      baseBranch: 'main',
      validation: { runUrl: 'https://github.com/acme/app/actions/runs/7' },
    });
    expect(body).toContain(verdict);
    expect(body).toContain('[#12](https://github.com/acme/app/pull/12) adds `maintenance/2027/a.yaml`');
    expect(body).toContain('(https://github.com/acme/app/actions/runs/7)');
  });

  it('findings and a dispatch failure are escaped', () => {
    const body = filedComment({
      pull,
      path: 'maintenance/2027/a.yaml',
      id: 'a',
      change: 'updated',
      report: report([HOSTILE]),
      baseBranch: 'main',
      validation: { notStarted: HOSTILE },
    });
    expectInert(body);
    expect(body).toContain('could not be started');
  });

  it('the pull request title is one line within 256 characters; the body closes the issue', () => {
    expect(pullTitle('Kernel\r\nupdate\t now')).toBe('Maintenance request: Kernel update now');
    expect(pullTitle('x'.repeat(400))).toHaveLength(256);
    expect(pullBody(7, 'bob', 'maintenance/2027/a.yaml')).toMatch(/^Closes #7\n/);
  });
});
