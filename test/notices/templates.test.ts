// Templates as users meet them: overriding the built-in ones, and every mistake (or attack) in a
// template reported as one precise error that names the file and line, never a crash or a leak.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../../src/errors.ts';
import { CHANNELS, NOTICE_KINDS } from '../../src/notices/kinds.ts';
import { renderNotice } from '../../src/notices/render.ts';
import { builtInTemplatesDir, loadTemplates, readTemplateFolder } from '../../src/notices/template-loader.ts';
import {
  noticeTemplateName,
  overlay,
  templatesFromMap,
  unusedOverrides,
} from '../../src/notices/template-source.ts';
import { NOW, builtIn, example, examplePolicy } from './support.ts';

const FIXTURES = resolve('test/fixtures/notices');
const request = example('orders-schema-migration');
const policy = examplePolicy([]);

/** Renders the announcement for markdown with one template in place of the built-in one. */
function withTemplate(text: string, channel: (typeof CHANNELS)[number] = 'markdown') {
  const user = templatesFromMap({ [noticeTemplateName('announcement', channel)]: text }, 'my-templates');
  return renderNotice({ kind: 'announcement', channel, request, policy, now: NOW }, overlay(user, builtIn));
}

afterEach(() => vi.restoreAllMocks());

describe('built-in templates', () => {
  it('has one template per kind and channel, found from src/', () => {
    expect(builtInTemplatesDir()).toBe(resolve('templates'));
    const names = builtIn.names();
    for (const kind of NOTICE_KINDS)
      for (const channel of CHANNELS) expect(names).toContain(noticeTemplateName(kind, channel));
  });

  it('is found from a bundle in dist/, beside which templates/ is shipped', () => {
    const root = mkdtempSync(join(tmpdir(), 'maint-dist-'));
    mkdirSync(join(root, 'dist'));
    mkdirSync(join(root, 'templates', 'notices'), { recursive: true });
    writeFileSync(join(root, 'dist', 'index.js'), '');
    expect(builtInTemplatesDir(pathToFileURL(join(root, 'dist', 'index.js')).href)).toBe(
      join(root, 'templates'),
    );
  });

  it('says so when maint was installed without them', () => {
    const root = mkdtempSync(join(tmpdir(), 'maint-bare-'));
    expect(() => builtInTemplatesDir(pathToFileURL(join(root, 'index.js')).href)).toThrow(
      /installed without its templates: no templates\/notices above/,
    );
  });
});

describe('user templates', () => {
  const loaded = loadTemplates({ root: FIXTURES, userDir: 'overrides' });

  it('replace the built-in template of the same name, and may add partials', () => {
    const result = renderNotice(
      { kind: 'announcement', channel: 'markdown', request, policy, now: NOW },
      loaded.source,
    );
    expect(result.ok && result.notice.text).toBe(
      [
        '## Heads up: Orders database schema migration \\(split order\\_items\\)',
        '',
        '- **When:** Sunday 24 January 2027, 04:00–07:00 CET \\(03:00–06:00 UTC\\)',
        '- **Duration:** 3 h',
        '- **Environment:** production',
        '- **Services:** orders-db, orders-service',
        '- **Impact:** high',
        '',
        'Questions? Ask frank in this issue.',
      ].join('\n'),
    );
  });

  it('replace a built-in partial everywhere it is included', () => {
    for (const kind of ['announcement', 'start', 'missed'] as const) {
      const result = renderNotice(
        { kind, channel: 'slack', request, policy, now: NOW, details: {} },
        loaded.source,
      );
      const json = JSON.stringify(result.ok && result.notice.json);
      expect(json).toContain('*Window:* Sunday 24 January 2027, 04:00–07:00 CET (03:00–06:00 UTC)');
      expect(json).not.toContain('*Duration:*');
    }
  });

  it('leave the other templates built in', () => {
    const result = renderNotice(
      { kind: 'announcement', channel: 'email', request, policy, now: NOW },
      loaded.source,
    );
    expect(result.ok && result.notice.subject).toBe(`📅 Scheduled maintenance: ${request.title}`);
  });

  it('that replace nothing are reported (a misspelt name)', () => {
    expect(unusedOverrides(loaded.user!, loaded.builtIn)).toEqual(['notices/anouncement.email.hbs']);
  });

  it('that do not parse give the file and the line', () => {
    const broken = loadTemplates({ root: FIXTURES, userDir: 'broken' });
    const result = renderNotice(
      { kind: 'start', channel: 'slack', request, policy, now: NOW },
      broken.source,
    );
    expect(result).toEqual({
      ok: false,
      problem: {
        file: 'broken/notices/start.slack.hbs',
        line: 5,
        message: expect.stringContaining(
          "Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'",
        ),
      },
    });
  });

  it('skip symbolic links, so no file outside the folder can be shown', () => {
    const root = mkdtempSync(join(tmpdir(), 'maint-links-'));
    mkdirSync(join(root, 'notices'));
    writeFileSync(join(root, 'secret.txt'), 'TOKEN=abc');
    symlinkSync(join(root, 'secret.txt'), join(root, 'notices', 'start.markdown.hbs'));
    expect(readTemplateFolder(root).names()).toEqual([]);
  });

  it('must be a folder', () => {
    expect(() =>
      loadTemplates({ root: FIXTURES, userDir: 'overrides/notices/announcement.markdown.hbs' }),
    ).toThrow(ConfigurationError);
  });

  it('default to .github/maint/templates, and its absence is fine', () => {
    const root = mkdtempSync(join(tmpdir(), 'maint-repo-'));
    expect(loadTemplates({ root }).user).toBeUndefined();
    mkdirSync(join(root, '.github/maint/templates/notices'), { recursive: true });
    writeFileSync(
      join(root, '.github/maint/templates/notices/start.email.hbs'),
      'Go: {{email title}}\n\nNow.\n',
    );
    const { source } = loadTemplates({ root });
    expect(source.read('notices/start.email.hbs')).toEqual({
      file: '.github/maint/templates/notices/start.email.hbs',
      text: 'Go: {{email title}}\n\nNow.\n',
    });
  });
});

describe('template mistakes and attacks', () => {
  it.each([
    [
      'a value printed without escaping',
      '{{title}}',
      1,
      1,
      '{{title}} would print without escaping: write {{md title}}',
    ],
    ['a triple-stash', 'x\n  {{{description}}}', 2, 3, '{{description}} would print without escaping'],
    [
      'another channel’s helper',
      '{{slack title}}',
      1,
      1,
      '{{slack ...}} escapes for slack; this is a markdown template',
    ],
    ['a misspelt field', 'ok\n{{md titel}}', 2, 1, '{{md ...}} was given nothing: is the field name right?'],
    ['an object', '{{md when}}', 1, 1, '{{md ...}} was given an object: print one of its fields'],
    [
      'the constructor of a value',
      '{{md title.constructor}}',
      1,
      6,
      '`title.constructor` is not a field of the notice',
    ],
    ['__proto__', '{{md __proto__}}', 1, 6, '`__proto__` is not a field of the notice'],
    [
      'the constructor in a block',
      '{{#with title}}{{md constructor.name}}{{/with}}',
      1,
      21,
      'is not a field',
    ],
    ['a constructor printed raw', '{{title.constructor}}', 1, 1, 'would print without escaping'],
    ['lookup', '{{md (lookup this "constructor")}}', 1, 6, 'only (join list ", ") may be used'],
    ['log', '{{log title}}', 1, 1, '{{log}} would print without escaping'],
    [
      'an unknown block',
      '{{#each links}}{{#raw}}x{{/raw}}{{/each}}',
      1,
      16,
      'blocks are #if, #unless, #each and #with',
    ],
    ['a dynamic partial', '{{> (md title)}}', 1, 1, 'include a partial by its plain name'],
    [
      'a missing partial',
      '{{> nope}}',
      undefined,
      undefined,
      'there is no notices/partials/nope.markdown.hbs',
    ],
    ['a decorator', '{{* decorate}}', 1, 1, 'not supported'],
    ['a null field read through', '{{md actual_start.text}}', undefined, undefined, 'cannot be rendered'],
  ])('%s', (_name, text, line, column, message) => {
    const result = withTemplate(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.file).toBe('my-templates/notices/announcement.markdown.hbs');
    expect(result.problem.line).toBe(line);
    expect(result.problem.column).toBe(column);
    expect(result.problem.message).toContain(message);
  });

  it('prototype methods resolve to nothing, silently (no console output)', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const text of ['{{md toString}}', '{{md title.toUpperCase}}', '{{md services.map}}']) {
      const result = withTemplate(text);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problem.message).toContain('was given nothing');
    }
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('a partial with an error is named itself', () => {
    const user = templatesFromMap(
      {
        'notices/announcement.markdown.hbs': 'Hello\n{{> greeting}}',
        'notices/partials/greeting.markdown.hbs': 'Dear\n\n{{md nobody}}',
      },
      'my-templates',
    );
    const result = renderNotice(
      { kind: 'announcement', channel: 'markdown', request, policy, now: NOW },
      overlay(user, builtIn),
    );
    expect(!result.ok && result.problem).toEqual({
      file: 'my-templates/notices/partials/greeting.markdown.hbs',
      line: 3,
      column: 1,
      message: '{{md ...}} was given nothing: is the field name right?',
    });
  });

  it('values are data, never templates: a title full of template syntax is printed as is', () => {
    const hostile = { ...request, title: '{{#each links}}{{md this}}{{/each}} {{> footer}} {{constructor}}' };
    const result = renderNotice(
      { kind: 'announcement', channel: 'email', request: hostile, policy, now: NOW },
      builtIn,
    );
    expect(result.ok && result.notice.subject).toBe(`📅 Scheduled maintenance: ${hostile.title}`);
  });

  it('inputs a notice needs are asked for by name', () => {
    const result = renderNotice({ kind: 'reminder', channel: 'slack', request, policy, now: NOW }, builtIn);
    expect(!result.ok && result.problem.message).toBe(
      'reminder notice for orders-schema-migration: a reminder needs its offset before the start, such as P7D (one of the policy reminders)',
    );
    const extension = renderNotice(
      { kind: 'extension', channel: 'slack', request, policy, now: NOW },
      builtIn,
    );
    expect(!extension.ok && extension.problem.message).toContain('an extension needs the new end time');
  });
});
