// CODEOWNERS as GitHub reads it: lines parsed into rules (invalid lines skipped and reported, as
// GitHub's codeowners/errors endpoint does) and paths matched with GitHub's gitignore-like patterns.

/** Where GitHub looks for the file, in the order it looks. */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

export type OwnerKind = 'user' | 'team' | 'email';

export interface CodeownersRule {
  /** 1-based line number in the file. */
  line: number;
  /** The pattern as written, escapes included. */
  pattern: string;
  /** Owners as written (`@user`, `@org/team`, `a@b.c`), in line order; empty clears ownership. */
  owners: string[];
  matcher: RegExp;
}

export interface CodeownersError {
  line: number;
  message: string;
}

export interface ParsedCodeowners {
  rules: CodeownersRule[];
  errors: CodeownersError[];
}

// GitHub logins are letters, digits and dashes (Enterprise Managed Users add `_shortcode`); team
// slugs add underscores. The e-mail check only has to tell an address from a typo such as `docs@`.
const USER = /^@[A-Za-z0-9_-]+$/;
const TEAM = /^@[A-Za-z0-9-]+\/[A-Za-z0-9_.-]+$/;
const EMAIL = /^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$/;

/** What kind of owner a CODEOWNERS token names, or undefined when it names none. */
export function ownerKind(owner: string): OwnerKind | undefined {
  if (USER.test(owner)) return 'user';
  if (TEAM.test(owner)) return 'team';
  if (EMAIL.test(owner)) return 'email';
  return undefined;
}

interface Token {
  text: string;
  column: number;
}

/**
 * Splits a line at unescaped blanks. The first token is the pattern (a backslash escapes the next
 * character, a blank included); a later token that starts with `#` begins an inline comment.
 */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= line.length) break;
    if (tokens.length > 0 && line[i] === '#') break;
    const start = i;
    let text = '';
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') {
      if (line[i] === '\\' && tokens.length === 0 && i + 1 < line.length) {
        text += line.slice(i, i + 2);
        i += 2;
      } else {
        text += line[i];
        i++;
      }
    }
    tokens.push({ text, column: start + 1 });
  }
  return tokens;
}

/** Why GitHub rejects a pattern, or undefined when it accepts it. */
function patternProblem(pattern: string): string | undefined {
  if (pattern.startsWith('\\#'))
    return 'escaping a leading `#` with `\\` does not work in CODEOWNERS (unlike gitignore)';
  if (pattern.startsWith('!'))
    return 'negation with `!` does not work in CODEOWNERS; to exempt a path, add a later line with the path and no owners';
  if (pattern === '/') return 'The pattern `/` will never match anything, did you mean `*` instead?';
  if (pattern.includes('***')) return `Did you mean \`${pattern.replace(/\*{3,}/g, '**')}\`?`;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      if (i + 1 >= pattern.length) return 'the pattern ends with `\\`, which escapes nothing';
      i++;
    } else if (pattern[i] === '[' || pattern[i] === ']') {
      return 'both `[` and `]` must be escaped with a `\\`';
    }
  }
  return undefined;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

function literal(char: string): string {
  return char.replace(REGEX_SPECIAL, '\\$&');
}

/** One path segment's pattern (no `/`) as a regular expression that stays within the segment. */
function segmentSource(segment: string): string {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!;
    if (char === '\\') {
      source += literal(segment[i + 1] ?? '');
      i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += literal(char);
  }
  return source;
}

/**
 * Compiles a valid pattern to a RegExp over repository-relative paths (no leading slash):
 * - a pattern without a slash, or with only a trailing one, matches at any depth;
 * - any other slash anchors it at the root; a trailing slash matches what is inside the folder;
 * - the last segment also matches everything below it (a folder), unless it is a lone `*`
 *   (`docs/*` owns `docs/a.md`, not `docs/x/a.md`; `docs/a*` owns `docs/api/x.md`);
 * - `**` spans any number of segments, zero included (`foo/**\/bar` matches `foo/bar`).
 */
export function compilePattern(pattern: string): RegExp {
  let segments = pattern.split('/');
  if (segments[0] === '') segments = segments.slice(1);
  else if (segments.length === 1 || (segments.length === 2 && segments[1] === '')) {
    if (segments[0] !== '**') segments = ['**', ...segments];
  }
  if (segments.length > 1 && segments[segments.length - 1] === '') segments[segments.length - 1] = '**';

  const last = segments.length - 1;
  let source = '';
  let needSlash = false;
  segments.forEach((segment, i) => {
    if (segment === '**') {
      if (i === 0 && i === last) source += '.+';
      else if (i === 0) {
        source += '(?:.+/)?';
        needSlash = false;
      } else if (i === last) source += '/.*';
      else {
        source += '(?:/.+)?';
        needSlash = true;
      }
      return;
    }
    if (needSlash) source += '/';
    if (segment === '*') source += '[^/]+';
    else {
      source += segmentSource(segment);
      if (i === last) source += '(?:/.*)?';
    }
    needSlash = true;
  });
  return new RegExp(`^${source}$`, 'su');
}

/** Parses CODEOWNERS text. Invalid lines are skipped (as GitHub skips them) and listed in `errors`. */
export function parseCodeowners(text: string): ParsedCodeowners {
  const rules: CodeownersRule[] = [];
  const errors: CodeownersError[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const tokens = tokenize(raw);
    const first = tokens[0];
    if (!first || first.text.startsWith('#')) return;
    const problem = patternProblem(first.text);
    if (problem) {
      errors.push({ line, message: `Invalid pattern on line ${line}: ${problem}` });
      return;
    }
    const owners = tokens.slice(1).map((t) => t.text);
    const invalid = tokens.slice(1).filter((t) => ownerKind(t.text) === undefined);
    if (invalid.length > 0) {
      for (const token of invalid)
        errors.push({
          line,
          message: `Invalid owner on line ${line}: \`${token.text}\` (column ${token.column}) is not @user, @org/team or an e-mail address`,
        });
      return;
    }
    rules.push({ line, pattern: first.text, owners, matcher: compilePattern(first.text) });
  });
  return { rules, errors };
}

/** The rule GitHub applies to a path: the last one that matches. */
export function winningRule(path: string, parsed: ParsedCodeowners): CodeownersRule | undefined {
  for (let i = parsed.rules.length - 1; i >= 0; i--) {
    const rule = parsed.rules[i]!;
    if (rule.matcher.test(path)) return rule;
  }
  return undefined;
}

/**
 * The owners of a repository-relative path (`docs/a.md`, no leading slash), in the order the
 * winning line lists them; [] when no line matches or the winning line clears ownership.
 */
export function ownersOf(path: string, parsed: ParsedCodeowners): string[] {
  return [...(winningRule(path, parsed)?.owners ?? [])];
}
