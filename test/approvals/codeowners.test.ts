import { describe, expect, it } from 'vitest';
import { ownersOf, parseCodeowners, winningRule } from '../../src/approvals/codeowners.ts';

// Sources:
//   docs    = GitHub, "About code owners" (the example CODEOWNERS file and its comments)
//   hmarr   = hmarr/codeowners testdata/patterns.json (the test named in quotes), the Go
//             implementation GitHub engineers point to
//   hmarr-p = hmarr/codeowners parse_test.go (the case named in quotes)
const owns = (pattern: string, path: string) => ownersOf(path, parseCodeowners(`${pattern} @o`)).length > 0;

describe('pattern matching agrees with GitHub', () => {
  it.each([
    // --- single segment: any depth, file or folder
    ['foo', 'foo', true], // hmarr "single-segment pattern"
    ['foo', 'foo.txt', false], // hmarr "single-segment pattern"
    ['foo', 'bar/foo', true], // hmarr "single-segment pattern"
    ['foo', 'bar/foo/baz', true], // hmarr "single-segment pattern"
    ['/foo', 'bar/foo', false], // hmarr "single-segment pattern with leading slash"
    ['/foo', 'foo/bar/baz', true], // hmarr "single-segment pattern with leading slash"
    ['foo/', 'foo', false], // hmarr "single-segment pattern with trailing slash"
    ['foo/', 'bar/foo/baz', true], // hmarr "single-segment pattern with trailing slash"
    ['/foo/', 'foo/bar/baz', true], // hmarr "single-segment pattern with leading and trailing slash"
    ['/foo/', 'bar/foo/baz', false], // hmarr "single-segment pattern with leading and trailing slash"
    // --- a slash anywhere but the end anchors at the root
    ['foo/bar', 'foo/bar/baz', true], // hmarr "multi-segment (implicitly left-anchored) pattern"
    ['foo/bar', 'baz/foo/bar', false], // hmarr "multi-segment (implicitly left-anchored) pattern"
    ['foo/bar', 'foo/bart', false], // hmarr "multi-segment (implicitly left-anchored) pattern"
    ['foo/bar/', 'foo/bar', false], // hmarr "multi-segment pattern with trailing slash"
    ['/foo/bar/', 'foo/bar/baz/qux', true], // hmarr "multi-segment pattern with leading and trailing slash"
    // --- wildcards
    ['*', 'bar/foo/baz', true], // hmarr "single segment lone wildcard"
    ['f*', 'bar/foo/baz', true], // hmarr "single segment pattern with wildcard"
    ['f*', 'xfoo', false], // hmarr "single segment pattern with wildcard"
    ['/*', 'foo', true], // hmarr "single segment pattern with leading slash and lone wildcard"
    ['/*', 'foo/bar', false], // hmarr "single segment pattern with leading slash and lone wildcard"
    ['f*/', 'foo', false], // hmarr "single segment pattern with trailing slash and wildcard"
    ['f*/', 'bar/foo/baz', true], // hmarr "single segment pattern with trailing slash and wildcard"
    ['/*/', 'bar/foo/baz', true], // hmarr "single segment pattern with leading and trailing slash and lone wildcard"
    ['f\\*o', 'f*o', true], // hmarr "single segment pattern with escaped wildcard"
    ['f\\*o', 'foo', false], // hmarr "single segment pattern with escaped wildcard"
    ['foo/*', 'foo/bar', true], // hmarr "pattern with trailing wildcard segment"
    ['foo/*', 'foo/bar/baz', false], // hmarr "pattern with trailing wildcard segment"
    ['foo/*.txt', 'foo/bar/baz.txt', false], // hmarr "multi-segment pattern with wildcard"
    ['foo/*/baz', 'foo/bar/baz/qux', true], // hmarr "multi-segment pattern with lone wildcard"
    ['f?o', 'foo', true], // hmarr "single segment pattern with single-character wildcard"
    ['f?o', 'fooo', false], // hmarr "single segment pattern with single-character wildcard"
    ['f\\?o', 'f?o', true], // hmarr "single segment pattern with escaped single-character wildcard"
    // --- double asterisks
    ['**/foo/bar', 'qux/foo/bar/baz', true], // hmarr "leading double-asterisk wildcard"
    ['**/foo/bar', 'qux/foo/baz/bar', false], // hmarr "leading double-asterisk wildcard"
    ['**/*bar*', 'foo/qux/bar', true], // hmarr "leading double-asterisk wildcard with regular wildcard"
    ['foo/bar/**', 'foo/bar', false], // hmarr "trailing double-asterisk wildcard"
    ['foo/bar/**', 'foo/bar/baz/qux', true], // hmarr "trailing double-asterisk wildcard"
    ['foo/**/bar', 'foo/bar', true], // hmarr "middle double-asterisk wildcard" (zero folders)
    ['foo/**/bar', 'foo/qux/quux/bar/baz', true], // hmarr "middle double-asterisk wildcard"
    ['foo/**/bar', 'qux/foo/bar', false], // hmarr "middle double-asterisk wildcard"
    ['foo/**/', 'foo', false], // hmarr "middle double-asterisk wildcard with trailing slash"
    ['foo/**/', 'foo/bar/baz', true], // hmarr "middle double-asterisk wildcard with trailing slash"
    ['foo/**/bar/b*', 'foo/qux/bar/baz', true], // hmarr "middle double-asterisk wildcard with trailing wildcard"
    ['foo/**/bar/b*', 'foo/bar/qux', false], // hmarr "middle double-asterisk wildcard with trailing wildcard"
    // --- literal characters that are special elsewhere
    ['services/foo:bar/**/*', 'services/foo:bar/baz.json', true], // hmarr "pattern with colon"
    ['services/foo:bar/**/*', 'services/foo-bar/baz.json', false], // hmarr "pattern with colon"
    ['vllm/v1/worker/^cpu', 'vllm/v1/worker/^cpu', true], // hmarr "pattern with caret"
    ['(folder)/file.txt', '(folder)/file.txt', true], // hmarr-p "team owners file with parentheses in the folder name"
    ['foo\\ bar', 'foo bar', true], // hmarr-p "pattern with space": `\ ` escapes a blank
    ['/apps/\\[param\\]/file.ts', 'apps/[param]/file.ts', true], // GitHub's error "both `[` and `]` must be escaped with a `\`" (open-sauced/pizza-cli#100)
    // --- the examples of GitHub's documentation
    ['*', 'README.md', true], // docs: "* @global-owner1 ... default owners for everything in the repo"
    ['*.js', 'src/app/index.js', true], // docs: "*.js @js-owner ... modifies JS files"
    ['*.js', 'src/app/index.jsx', false], // docs: "*.js @js-owner ... modifies JS files"
    ['/build/logs/', 'build/logs/2027/app.log', true], // docs: "build/logs directory at the root ... and any of its subdirectories"
    ['/build/logs/', 'src/build/logs/app.log', false], // docs: "build/logs directory at the root"
    ['docs/*', 'docs/getting-started.md', true], // docs: "docs/* ... will match files like docs/getting-started.md"
    ['docs/*', 'docs/build-app/troubleshooting.md', false], // docs: "but not further nested files like docs/build-app/troubleshooting.md"
    ['apps/', 'src/web/apps/main.js', true], // docs: "apps/ ... any file in an apps directory anywhere in your repository"
    ['/docs/', 'docs/guides/setup.md', true], // docs: "/docs/ ... the /docs directory in the root ... and any of its subdirectories"
    ['/docs/', 'src/docs/setup.md', false], // docs: "/docs/ ... in the root of your repository"
    ['**/logs', 'deeply/nested/logs/app.log', true], // docs: "**/logs ... /build/logs, /scripts/logs, and /deeply/nested/logs"
    ['/Docs/', 'docs/setup.md', false], // docs: "CODEOWNERS paths are case sensitive"
  ] as const)('%s owns %s: %s', (pattern, path, expected) => {
    expect(owns(pattern, path)).toBe(expected);
  });
});

describe('parseCodeowners reports and skips what GitHub rejects', () => {
  it.each([
    // docs: "Using ! to negate a pattern" does not work; github/docs#19818: GitHub says "invalid pattern"
    ['negation', '!docs/* @o', /^Invalid pattern on line 1: negation with `!`/],
    // docs: "Using [ ] to define a character range" does not work; python/cpython#112206
    [
      'character range',
      'Python/ceval*.[ch] @o',
      /^Invalid pattern on line 1: both `\[` and `\]` must be escaped/,
    ],
    // open-sauced/pizza-cli#100: GitHub's own message for unescaped brackets
    ['bracketed folder', 'pages/s/[org]/index.tsx @o', /^Invalid pattern on line 1: both `\[` and `\]`/],
    // docs: "Escaping a pattern starting with # using \ so it is treated as a pattern" does not work
    ['escaped hash', '\\#notes.md @o', /^Invalid pattern on line 1: escaping a leading `#`/],
    // GitHub REST API, codeowners/errors example: "Invalid pattern on line 3: Did you mean `**/*.rb`?"
    ['three asterisks', '***/*.rb @monalisa', /^Invalid pattern on line 1: Did you mean `\*\*\/\*\.rb`\?$/],
    // GitHub REST API, codeowners/errors example suggestion for the pattern `/`
    ['lone slash', '/ @o', /^Invalid pattern on line 1: The pattern `\/` will never match anything/],
    // GitHub REST API, codeowners/errors example: "Invalid owner on line 7: *.txt docs@"
    ['unfinished e-mail', '*.txt docs@', /^Invalid owner on line 1: `docs@` \(column 7\)/],
    // GitHub REST API, codeowners/errors schema example: "* user"
    ['owner without @', '* user', /^Invalid owner on line 1: `user` \(column 3\)/],
  ])('%s', (_name, line, message) => {
    const parsed = parseCodeowners(`* @fallback\n${line}`);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.line).toBe(2);
    expect(parsed.errors[0]!.message.replace('line 2', 'line 1')).toMatch(message);
    // docs: "If any line in your CODEOWNERS file contains invalid syntax, that line will be skipped."
    expect(parsed.rules.map((r) => r.line)).toEqual([1]);
  });

  it('numbers errors by their line in the file, blank and comment lines included', () => {
    const parsed = parseCodeowners(
      ['# comment', '', '*       @global', '!secret/ @o', '*.md    @docs bad owner', '/ok/ @ok'].join('\n'),
    );
    expect(parsed.errors.map((e) => [e.line, e.message.split(':')[0]])).toEqual([
      [4, 'Invalid pattern on line 4'],
      [5, 'Invalid owner on line 5'],
      [5, 'Invalid owner on line 5'],
    ]);
    expect(parsed.rules.map((r) => [r.line, r.pattern])).toEqual([
      [3, '*'],
      [6, '/ok/'],
    ]);
  });
});

describe('ownersOf', () => {
  const docsExample = [
    '*       @global-owner1 @global-owner2',
    '*.js    @js-owner #This is an inline comment.',
    '*.go docs@example.com',
    '*.txt @octo-org/octocats',
    '/apps/ @octocat',
    '/apps/github',
    '/scripts/ @doctocat @octocat',
  ].join('\n');
  it.each([
    ['the last matching line wins (docs)', docsExample, 'src/a.js', ['@js-owner']],
    [
      'an earlier line applies when no later one matches (docs)',
      docsExample,
      'README.md',
      ['@global-owner1', '@global-owner2'],
    ],
    ['an inline comment is not an owner (docs)', docsExample, 'index.js', ['@js-owner']],
    ['e-mail owners (docs)', docsExample, 'main.go', ['docs@example.com']],
    ['team owners (docs)', docsExample, 'notes.txt', ['@octo-org/octocats']],
    ['a line with no owners clears ownership (docs)', docsExample, 'apps/github/x.rb', []],
    ['a sibling keeps its owner (docs)', docsExample, 'apps/web/x.rb', ['@octocat']],
    [
      'owners in the order the line lists them (docs)',
      docsExample,
      'scripts/deploy.sh',
      ['@doctocat', '@octocat'],
    ],
    ['no matching line: unowned', '/src/ @dev', 'docs/a.md', []],
    // docs: "If the code owners are not on the same line, the pattern matches only the last mentioned"
    [
      'the same pattern twice: only the last line',
      'apps/ @octocat\napps/ @doctocat',
      'apps/a',
      ['@doctocat'],
    ],
    // docs: invalid lines are skipped, so an earlier valid line still applies
    ['a skipped line does not clear', '* @global\n*.md docs@', 'README.md', ['@global']],
    ['CRLF line endings', '* @global\r\n*.md @docs\r\n', 'README.md', ['@docs']],
  ])('%s', (_name, text, path, expected) => {
    expect(ownersOf(path, parseCodeowners(text))).toEqual(expected);
  });

  it('names the winning line', () => {
    const parsed = parseCodeowners('* @a\n\n/maintenance/ @org/sre\n');
    expect(winningRule('maintenance/2027/x.yaml', parsed)?.line).toBe(3);
  });

  it("reads maint init's example as intended", () => {
    const parsed = parseCodeowners(
      '/maintenance/ @org/platform-owners\n/maintenance/**/*database* @org/dba-team @org/platform-owners\n',
    );
    expect(ownersOf('maintenance/2027/database-upgrade.yaml', parsed)).toEqual([
      '@org/dba-team',
      '@org/platform-owners',
    ]);
    expect(ownersOf('maintenance/2027/os-patch.yaml', parsed)).toEqual(['@org/platform-owners']);
  });
});
