// The OpenAPI checker on its own: route matching, parameter coercion, nullable conversion and unknown keys;
// plus the diff and tarball helpers the server builds its answers with.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { lineDiff } from './diff.ts';
import { diffTrees } from './git.ts';
import { openApi, toJsonSchema, unknownProperties } from './openapi.ts';
import { tarball } from './tarball.ts';

const api = openApi();

describe('route matching', () => {
  it.each([
    ['GET', '/repos/o/r/pulls/12', '/repos/{owner}/{repo}/pulls/{pull_number}', { pull_number: '12' }],
    ['GET', '/repos/o/r/issues/comments', '/repos/{owner}/{repo}/issues/comments', {}],
    [
      'PATCH',
      '/repos/o/r/issues/comments/5',
      '/repos/{owner}/{repo}/issues/comments/{comment_id}',
      { comment_id: '5' },
    ],
    [
      'GET',
      '/repos/o/r/contents/a%2Fb%2Fc.txt',
      '/repos/{owner}/{repo}/contents/{path}',
      { path: 'a/b/c.txt' },
    ],
    ['GET', '/repos/o/r/contents/a/b/c.txt', '/repos/{owner}/{repo}/contents/{path}', { path: 'a/b/c.txt' }],
    ['GET', '/repos/o/r/contents', '/repos/{owner}/{repo}/contents/{path}', { path: '' }],
    [
      'GET',
      '/repos/o/r/compare/main...o2%3Afeat',
      '/repos/{owner}/{repo}/compare/{basehead}',
      { basehead: 'main...o2:feat' },
    ],
    [
      'GET',
      '/repos/o/r/tarball/refs/heads/main',
      '/repos/{owner}/{repo}/tarball/{ref}',
      { ref: 'refs/heads/main' },
    ],
    [
      'GET',
      '/repos/o/r/branches/main/protection',
      '/repos/{owner}/{repo}/branches/{branch}/protection',
      { branch: 'main' },
    ],
    [
      'GET',
      '/repos/o/r/commits/heads%2Fmain/check-runs',
      '/repos/{owner}/{repo}/commits/{ref}/check-runs',
      { ref: 'heads/main' },
    ],
    [
      'DELETE',
      '/repos/o/r/issues/3/labels/area%2Fci',
      '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
      { name: 'area/ci' },
    ],
  ])('%s %s -> %s', (method, path, template, params) => {
    const match = api.match(method, path);
    expect(match?.operation.template).toBe(template);
    expect(match?.params).toMatchObject(params);
  });

  it.each([
    ['GET', '/nope'],
    ['GET', '/repos/o/r/pulls/1/nope'],
    ['POST', '/repos/o/r/pulls/1'],
    ['GET', '/graphql'],
  ])('has no route for %s %s', (method, path) => {
    expect(api.match(method, path)).toBeUndefined();
  });
});

describe('parameters', () => {
  const list = api.operation('get', '/repos/{owner}/{repo}/pulls');
  const dispatch = api.operation('post', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches');

  it('types query values and reports unknown names, bad enums and bad numbers', () => {
    if (!list) throw new Error('no operation');
    const good = api.checkParams(
      list,
      { owner: 'o', repo: 'r' },
      new URLSearchParams('state=all&per_page=100'),
    );
    expect(good).toEqual({
      path: { owner: 'o', repo: 'r' },
      query: { state: 'all', per_page: 100 },
      problems: [],
    });
    const bad = api.checkParams(
      list,
      { owner: 'o', repo: 'r' },
      new URLSearchParams('state=x&page=y&foo=1&page=2'),
    );
    expect(bad.problems.map((p) => p.message)).toEqual([
      'query parameter state=x is not one of open, closed, all',
      'query parameter page is given 2 times',
      'unknown query parameter "foo" for GET /repos/{owner}/{repo}/pulls',
    ]);
  });

  it('accepts either branch of a oneOf path parameter', () => {
    if (!dispatch) throw new Error('no operation');
    for (const id of ['42', 'deploy.yml']) {
      expect(
        api.checkParams(dispatch, { owner: 'o', repo: 'r', workflow_id: id }, new URLSearchParams()).problems,
      ).toEqual([]);
    }
  });
});

describe('OpenAPI 3.0 -> JSON Schema', () => {
  it.each([
    ['typed', { type: 'string', nullable: true }, { type: ['string', 'null'] }],
    [
      'enum',
      { type: 'string', enum: ['a'], nullable: true },
      { type: ['string', 'null'], enum: ['a', null] },
    ],
    [
      'untyped',
      { oneOf: [{ type: 'string' }, { type: 'integer' }], nullable: true },
      { anyOf: [{ type: 'null' }, { oneOf: [{ type: 'string' }, { type: 'integer' }] }] },
    ],
    [
      'ref',
      { $ref: '#/components/schemas/simple-user', description: 'x' },
      { $ref: '#/definitions/simple-user' },
    ],
    [
      'property named like a keyword',
      { type: 'object', properties: { nullable: { type: 'boolean' } } },
      { type: 'object', properties: { nullable: { type: 'boolean' } } },
    ],
  ])('%s', (_name, input, output) => {
    expect(toJsonSchema(input, () => undefined)).toEqual(output);
  });

  it('finds keys no schema declares, following refs and combinators, and leaves open objects alone', () => {
    const definitions = { inner: { type: 'object', properties: { a: { type: 'string' } } } };
    const schema = {
      type: 'object',
      properties: {
        x: { $ref: '#/definitions/inner' },
        list: {
          type: 'array',
          items: { oneOf: [{ type: 'string' }, { type: 'object', properties: { name: {} } }] },
        },
        free: { type: 'object', additionalProperties: true },
      },
    };
    const data = {
      x: { a: '1', b: 2 },
      list: ['s', { name: 'n', nam: 'typo' }],
      free: { anything: 1 },
      extra: 1,
    };
    expect(unknownProperties(schema, data, definitions)).toEqual(['x.b', 'list[1].nam', 'extra']);
  });
});

describe('diffs', () => {
  it.each([
    ['one changed line in the middle', 'a\nb\nc\n', 'a\nB\nc\n', 1, 1, '@@ -1,3 +1,3 @@\n a\n-b\n+B\n c'],
    ['a new file', '', 'x\ny\n', 2, 0, '@@ -0,0 +1,2 @@\n+x\n+y'],
    ['a deleted file', 'x\n', '', 0, 1, '@@ -1,1 +0,0 @@\n-x'],
    [
      'a newline added at the end',
      'a\nb',
      'a\nb\n',
      1,
      1,
      '@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b',
    ],
    [
      'a new file without a final newline',
      '',
      'x',
      1,
      0,
      '@@ -0,0 +1,1 @@\n+x\n\\ No newline at end of file',
    ],
    [
      'a context line without a final newline',
      'a\nb\nc',
      'A\nb\nc',
      1,
      1,
      '@@ -1,3 +1,3 @@\n-a\n+A\n b\n c\n\\ No newline at end of file',
    ],

    [
      'two changes far apart make two hunks',
      'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\n',
      'L1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nL11\n',
      2,
      2,
      '@@ -1,4 +1,4 @@\n-l1\n+L1\n l2\n l3\n l4\n@@ -8,4 +8,4 @@\n l8\n l9\n l10\n-l11\n+L11',
    ],
  ])('%s', (_name, before, after, additions, deletions, patch) => {
    expect(lineDiff(Buffer.from(before), Buffer.from(after))).toEqual({ additions, deletions, patch });
  });

  it('leaves binary files without a patch and detects renames of identical bytes', () => {
    expect(lineDiff(Buffer.from([0, 1]), Buffer.from([0, 2]))).toEqual({ additions: 0, deletions: 0 });
    const before = new Map([['old.bin', Buffer.from([0, 1, 2])]]);
    const after = new Map([['new.bin', Buffer.from([0, 1, 2])]]);
    expect(diffTrees(before, after)).toEqual([
      expect.objectContaining({
        filename: 'new.bin',
        status: 'renamed',
        previous_filename: 'old.bin',
        changes: 0,
      }),
    ]);
  });
});

describe('tarball', () => {
  it('round-trips long paths, binary files and the pax comment through the tar package', async () => {
    const deep = `${'d'.repeat(90)}/${'e'.repeat(90)}/${'f'.repeat(120)}.txt`;
    const tree = new Map([
      ['a.txt', Buffer.from('a\n')],
      [deep, Buffer.from('deep\n')],
      ['bin/x', Buffer.from([0, 255, 1])],
    ]);
    const data = tarball(tree, {
      root: 'o-r-abc1234',
      commitSha: 'abc1234'.padEnd(40, '0'),
      mtime: new Date(0),
    });
    const dir = await mkdtemp(join(tmpdir(), 'maint-tar-'));
    try {
      await writeFile(join(dir, 't.tgz'), data);
      const seen: string[] = [];
      let comment: unknown;
      await tar.t({
        file: join(dir, 't.tgz'),
        onReadEntry: (entry) => {
          seen.push(entry.path);
          comment ??= entry.globalExtended?.comment;
        },
      });
      expect(seen).toEqual([
        'o-r-abc1234/',
        'o-r-abc1234/a.txt',
        'o-r-abc1234/bin/',
        'o-r-abc1234/bin/x',
        `o-r-abc1234/${deep.split('/')[0]}/`,
        `o-r-abc1234/${deep.split('/').slice(0, 2).join('/')}/`,
        `o-r-abc1234/${deep}`,
      ]);
      await tar.x({ file: join(dir, 't.tgz'), cwd: dir });
      expect(await readFile(join(dir, 'o-r-abc1234', deep), 'utf8')).toBe('deep\n');
      expect([...(await readFile(join(dir, 'o-r-abc1234', 'bin', 'x')))]).toEqual([0, 255, 1]);
      expect(comment).toBe('abc1234'.padEnd(40, '0'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
