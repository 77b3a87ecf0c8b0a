// Hostile request and policy files for issue 11, generated from a seed: every class the issue names
// (crashes, hangs, broken input accepted, links, unclear refusals) and the ones handled before it
// (alias bombs, huge files, tabs, duplicate keys, wrong types, __proto__, DST gaps, unknown zones).
// Each case says what `maint validate` must answer: the exit code, the file, the line and the message.
import { DEFAULT_POLICY_YAML } from '../../src/model/default-policy.ts';
import { requestYaml } from '../helpers/requests.ts';

export type Content = string | Buffer | { fifo: true } | { link: string } | { folder: true };

export interface HostileCase {
  kind: string;
  name: string;
  /** Files of the case's folder, by path. */
  files: Record<string, Content>;
  /** The paths given to `maint validate` (default: `maintenance/case.yaml`). */
  targets?: string[];
  /** --policy, when the case is about the policy. */
  policy?: string;
  /** More command-line arguments (they come last, so they win). */
  args?: string[];
  code: 1 | 2;
  /** The file the message must name. */
  file: string;
  /** The line the finding must be at (requests), or that the message must name (policies). */
  line?: number;
  message: RegExp;
  /** Text that must not appear in any output (a secret a link points at, raw control characters). */
  secret?: string;
  /** Too big or too special for in-process: run through the bundled dist/cli.js. */
  bundled?: boolean;
}

export const REQUEST = 'maintenance/case.yaml';

export function lineOf(text: string, key: string): number {
  const index = text.split('\n').findIndex((line) => line.startsWith(`${key}:`));
  if (index < 0) throw new Error(`no ${key} in the case`);
  return index + 1;
}

type Random = () => number;

export function generateCases(random: Random): HostileCase[] {
  const int = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const cases: HostileCase[] = [];
  const add = (kind: string, count: number, make: (i: number) => Omit<HostileCase, 'kind' | 'name'>) => {
    for (let i = 0; i < count; i++) cases.push({ kind, name: `${kind} #${i + 1}`, ...make(i) });
  };
  const request = (text: string, line: number, message: RegExp, extra: Partial<HostileCase> = {}) => ({
    files: { [REQUEST]: text },
    code: 1 as const,
    file: REQUEST,
    line,
    message,
    ...extra,
  });
  const field = (fields: Record<string, string | undefined>, key: string, message: RegExp) => {
    const text = requestYaml(fields);
    return request(text, lineOf(text, key), message);
  };

  // ---- crashes ----
  const offsets = ['+99:99', '+25:00', '+24', '+00:60', '-13:00', '+14:01', '+15', '-23:59', '+0099'];
  add('offset no clock shows', 22, (i) => {
    const offset =
      i < offsets.length
        ? offsets[i]!
        : `${pick(['+', '-'])}${String(int(15, 99)).padStart(2, '0')}:${String(int(0, 99)).padStart(2, '0')}`;
    const key = pick(['start', 'end'] as const);
    const fields =
      key === 'start'
        ? { start: `2027-01-10T03:00${offset}`, timezone: undefined }
        : { end: `2027-01-17T05:00${offset}`, duration: undefined };
    return field(
      fields,
      key,
      /has the UTC offset .* which no clock shows: offsets run from -12:00 to \+14:00/,
    );
  });
  add('duration overflow', 12, (i) => {
    const digits = i === 0 ? '99999999999999999999999' : String(int(1, 9)).repeat(int(6, 40));
    return field(
      { duration: `${digits}${pick(['h', 'd', 'm'])}` },
      'duration',
      /longer than the maximum of 366 days \(8784h\)/,
    );
  });
  add('list too long', 10, (i) => {
    const count = i === 0 ? 150_000 : int(1001, 6000);
    const services = `[${Array.from({ length: count }, (_, n) => `s${n.toString(36)}`).join(',')}]`;
    return {
      ...field({ services }, 'services', /a list of [\d,]+ items; a list may have at most 1,000/),
      bundled: i === 0,
    };
  });
  add('policy is a folder', 4, (i) => ({
    files: { [REQUEST]: requestYaml(), [`conf${i}/policy.yaml`]: { folder: true } },
    policy: `conf${i}/policy.yaml`,
    code: 2,
    file: `conf${i}/policy.yaml`,
    message: /is a folder, not a file: --policy names the policy file itself/,
  }));

  add('policy is a link', 3, (i) => ({
    files: {
      [REQUEST]: requestYaml(),
      'outside/policy.yaml': DEFAULT_POLICY_YAML,
      [`policy-${i}.yaml`]: { link: pick(['outside/policy.yaml', '/etc/passwd', 'missing.yaml']) },
    },
    policy: `policy-${i}.yaml`,
    code: 2,
    file: `policy-${i}.yaml`,
    message: /is a symbolic link: maint follows no links/,
  }));
  add('option offset no clock shows', 3, (i) => ({
    files: { [REQUEST]: requestYaml() },
    args: ['--now', `2027-01-04T00:00${['+99:99', '+24:00', '-00:75'][i]}`],
    code: 2,
    file: '--now',
    message: /has the UTC offset .* which no clock shows/,
  }));

  // ---- hangs ----
  add('named pipe', 6, (i) =>
    i % 2 === 0
      ? {
          files: { [REQUEST]: requestYaml(), [`maintenance/pipe-${i}.yaml`]: { fifo: true } },
          targets: ['maintenance'],
          code: 1,
          file: `maintenance/pipe-${i}.yaml`,
          line: 1,
          message: /is a named pipe \(FIFO\), not a file/,
          bundled: i === 0,
        }
      : {
          files: { [REQUEST]: requestYaml(), 'policy.fifo.yaml': { fifo: true } },
          policy: 'policy.fifo.yaml',
          code: 2,
          file: 'policy.fifo.yaml',
          message: /is a named pipe \(FIFO\), not a file/,
          bundled: i === 1,
        },
  );
  add('huge value in did-you-mean', 8, (i) => {
    const length = i === 0 ? 840_000 : int(200, 200_000);
    const key = pick(['timezone', 'impact', 'environment'] as const);
    const value = pick(['x', 'Europe/', 'ab'])
      .repeat(Math.ceil(length / 2))
      .slice(0, length);
    return field(
      { [key]: value },
      key,
      /is not a time zone name of the tz database|must be one of|is not valid|is not in the policy/,
    );
  });
  const neverRules = [
    'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31',
    'FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31',
    'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=31',
    'FREQ=MONTHLY;BYMONTH=11;BYMONTHDAY=31;BYDAY=SU',
    'FREQ=WEEKLY;BYDAY=SU;BYSETPOS=2',
    'FREQ=DAILY;INTERVAL=7;BYDAY=MO',
    'FREQ=DAILY;BYDAY=SU;BYSETPOS=3',
    'FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=-31;BYDAY=MO',
    'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30,31',
  ];
  add('rule that never comes round', 12, (i) =>
    field(
      { recurrence: neverRules[i % neverRules.length]! },
      'recurrence',
      /produces no occurrence within 10 years of its start/,
    ),
  );
  add('many unknown keys', 6, (i) => {
    const count = i === 0 ? 80_000 : int(2_000, 30_000);
    const text = `${requestYaml()}\n${Array.from({ length: count }, (_, n) => `k${n}: 1`).join('\n')}\n`;
    return {
      ...request(text, lineOf(text, 'k0'), /unknown field `k0`/),
      bundled: i === 0,
    };
  });

  // ---- broken input accepted before ----
  add('invalid UTF-8 in a request', 20, () => {
    const text = requestYaml({ description: `"${'é'.repeat(int(0, 5))}x${'a'.repeat(int(0, 20))}"` });
    const lines = text.split('\n');
    const at = int(0, lines.length - 1);
    const column = int(0, lines[at]!.length);
    const bad = pick([
      [0xff],
      [0xfe],
      [0xc3],
      [0xe9, 0x20],
      [0xed, 0xa0, 0x80],
      [0xf8, 0x88],
      [0x80],
      [0xc0, 0xaf],
    ]);
    const before = [...lines.slice(0, at), [...lines[at]!].slice(0, column).join('')].join('\n');
    const after = [...lines[at]!].slice(column).join('') + '\n' + lines.slice(at + 1).join('\n');
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]);
    return request(
      bytes as unknown as string,
      at + 1,
      new RegExp(
        `not valid UTF-8: byte 0x[0-9A-F]{2} at line ${at + 1}, column ${[...lines[at]!].slice(0, column).length + 1}`,
      ),
    );
  });
  add('invalid UTF-8 in the policy', 6, () => {
    const lines = DEFAULT_POLICY_YAML.split('\n');
    const at = int(1, lines.length - 2);
    const bytes = Buffer.concat([
      Buffer.from(lines.slice(0, at).join('\n') + '\n# caf'),
      Buffer.from([pick([0xe9, 0xff, 0x80])]),
      Buffer.from('\n' + lines.slice(at).join('\n')),
    ]);
    return {
      files: { [REQUEST]: requestYaml(), 'policy.yaml': bytes },
      policy: 'policy.yaml',
      code: 2,
      file: 'policy.yaml',
      line: at + 1,
      message: new RegExp(`not valid UTF-8: byte 0x[0-9A-F]{2} at line ${at + 1}, column 6`),
    };
  });
  const controls: [string, RegExp][] = [
    ['\\0', /NUL \(U\+0000\)/],
    ['\\e[2J', /ESC \(U\+001B\)/],
    ['\\x1b]0;owned\\x07', /ESC \(U\+001B\)/],
    ['\\b\\b\\b', /backspace \(U\+0008\)/],
    ['\\a', /BEL \(U\+0007\)/],
    ['\\x7f', /DEL \(U\+007F\)/],
    ['\\x9b', /control character U\+009B/],
    ['\\u202e', /bidi control U\+202E/],
    ['\\u2066', /bidi control U\+2066/],
    ['\\u200f', /bidi control U\+200F/],
  ];
  add('control or bidi character', 24, (i) => {
    // Bidi marks are refused in titles; in multi-line text they are only a warning.
    const [escape, message] = i < 10 ? controls[i]! : controls[i % 7]!;
    const key = i < 10 ? 'title' : pick(['description', 'rollback', 'impact_description'] as const);
    const text = requestYaml({ [key]: `"safe ${escape} text"` });
    return { ...request(text, lineOf(text, key), message), secret: '\u001b' };
  });
  add('line break in a title', 12, () => {
    const text = requestYaml({ title: `"first${pick(['\\n', '\\r\\n', '\\r', '\\u2028', '\\x85'])}second"` });
    return request(text, 1, /`title` must be one line/);
  });
  add('unknown tag', 14, (i) => {
    const tag =
      i === 0
        ? '!include /etc/passwd'
        : `${pick(['!include', '!env', '!custom', '!ref', '!!python/object', '!<tag:evil>'])} ${pick(['x', '/etc/passwd', 'HOME'])}`;
    const key = i === 0 ? 'title' : pick(['title', 'description', 'rollback'] as const);
    const text = requestYaml({ [key]: tag });
    return request(text, lineOf(text, key), /invalid YAML: .*tag/i);
  });

  // ---- symbolic links ----
  add('symbolic link', 10, (i) => {
    const target = pick([
      '../outside/secret.yaml',
      '/nonexistent/dangling.yaml',
      'case.yaml',
      '../outside',
      '.',
    ]);
    const name = `maintenance/link-${i}.${pick(['yaml', 'yml', 'txt'])}`;
    return {
      files: {
        [REQUEST]: requestYaml(),
        'outside/secret.yaml': 'ghp_0123456789abcdefghijklmnopqrstuvwxyz: leaked\n',
        [name]: { link: target },
      },
      targets: ['maintenance'],
      code: 1,
      file: name,
      line: 1,
      message: /is a symbolic link: maint follows no links/,
      secret: 'ghp_0123456789',
      bundled: i === 0,
    };
  });

  // ---- unclear refusals ----
  add('nesting too deep', 16, (i) => {
    const depth = i === 0 ? 10_000 : int(40, 6000);
    const shape = pick(['[', '{a: ', '- '] as const);
    const nested =
      shape === '['
        ? `${'['.repeat(depth)}${']'.repeat(depth)}`
        : shape === '{a: '
          ? `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`
          : `\n  ${'- '.repeat(depth)}x`;
    const text = `${requestYaml()}\nsteps: ${nested}\n`;
    return request(text, lineOf(text, 'steps') + (shape === '- ' ? 1 : 0), /nested deeper than 32 levels/);
  });
  add('holidays file that is not iCalendar', 10, (i) => {
    const ics = [
      'hello',
      '',
      'a:b',
      'BEGIN:VEVENT\nEND:VEVENT\n',
      'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:foo\nEND:VEVENT\nEND:VCALENDAR\n',
      'BEGIN:VCALENDAR\nEND:VCALENDAR\nBEGIN:VCALENDAR\nEND:VCALENDAR\n',
      'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270101\nDURATION:Pfoo\nEND:VEVENT\nEND:VCALENDAR\n',
      'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270101\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\nEND:VEVENT\nEND:VCALENDAR\n',
      'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270101\nEND:VEVENT\n',
      '{"not": "ics"}',
    ][i]!;
    return {
      files: {
        [REQUEST]: requestYaml(),
        'policy.yaml': `${DEFAULT_POLICY_YAML}\nholidays:\n  ics: holidays.ics\n`,
        'holidays.ics': ics,
      },
      policy: 'policy.yaml',
      code: 2,
      file: i === 0 ? 'holidays.ics' : 'holidays.ics',
      message: /iCalendar|cannot be read|calendars|is empty/,
    };
  });
  add('mis-indented key', 16, () => {
    const keys = [
      'type',
      'category',
      'environment',
      'services',
      'start',
      'duration',
      'impact',
      'description',
      'rollback',
      'requester',
    ];
    const key = pick(keys);
    const lines = requestYaml().split('\n');
    const at = lines.findIndex((line) => line.startsWith(`${key}:`));
    lines[at] = `${' '.repeat(int(1, 4))}${lines[at]}`;
    return request(lines.join('\n'), at + 1, new RegExp(`\`${key}:\` is indented more than`));
  });

  // ---- handled before issue 11 ----
  add('alias bomb', 8, () => {
    const width = int(5, 12);
    const levels = [`a0: &a0 [${Array(width).fill('"lol"').join(',')}]`];
    for (let l = 1; l < int(6, 10); l++)
      levels.push(
        `a${l}: &a${l} [${Array(width)
          .fill(`*a${l - 1}`)
          .join(',')}]`,
      );
    return request(`${requestYaml()}\n${levels.join('\n')}\n`, 1, /billion laughs/);
  });
  add('file over 1 MiB', 6, (i) => {
    const size = i === 0 ? 5 * 1024 * 1024 : int(1024 * 1024 + 1, 3 * 1024 * 1024);
    return {
      ...request(`${requestYaml()}\ndescription2: "${'x'.repeat(size)}"\n`, 1, /over the 1 MiB limit/),
      bundled: i === 0,
    };
  });
  add('tab indentation', 8, () => {
    const lines = requestYaml().split('\n');
    const at = int(1, lines.length - 1);
    lines.splice(at, 0, 'contacts:', `\t${pick(['primary', 'secondary'])}: "@alice"`);
    return request(lines.join('\n'), at + 2, /indent with spaces/);
  });
  add('duplicate key', 14, () => {
    const base = requestYaml();
    const key = pick(['title', 'type', 'start', 'duration', 'impact', 'services']);
    const text = `${base}\n${key}: again\n`;
    return request(text, text.split('\n').length - 1, /Map keys must be unique: `[a-z_]+` appears twice/);
  });
  const wrongTypes: [string, string, RegExp][] = [
    ['services', '5', /must be a list/],
    ['services', '{a: 1}', /must be a list/],
    ['title', '[a, b]', /must be text/],
    ['duration', 'true', /must be text|not valid/],
    ['impact', '3', /must be one of|must be text/],
    ['start', '[2027]', /must be text/],
    ['requester', '{x: 1}', /must be text/],
    ['type', 'null', /must be|must be one of/],
  ];
  add('wrong type', 16, (i) => {
    const [key, value, message] = wrongTypes[i % wrongTypes.length]!;
    return field({ [key]: value }, key, message);
  });
  add('__proto__ and constructor keys', 6, (i) => {
    const key = pick(['__proto__', 'constructor', 'prototype']);
    const text =
      i % 2 === 0 ? `${requestYaml()}\n${key}: {polluted: true}\n` : requestYaml({ contacts: `{${key}: x}` });
    const line = i % 2 === 0 ? text.split('\n').length - 1 : lineOf(text, 'contacts');
    return request(text, line, new RegExp(`unknown field \`${key}\``));
  });
  const gaps: [string, string][] = [
    ['2027-03-28T02:30', 'Europe/Berlin'],
    ['2027-03-14T02:15', 'America/New_York'],
    ['2027-10-03T02:00', 'Australia/Sydney'],
    ['2027-03-28T01:30', 'Europe/London'],
  ];
  add('DST gap', 10, (i) => {
    const [start, zone] = gaps[i % gaps.length]!;
    return field({ start, timezone: zone }, 'start', /does not exist in/);
  });
  add('unknown zone', 14, () => {
    const zone = pick([
      'Mars/Olympus',
      'Europe/Berln',
      'UTC+25',
      'EST5EDT6',
      'europe/berlin2',
      '../../etc/passwd',
      'Etc/GMT+99',
    ]);
    return field(
      { timezone: `"${zone}"` },
      'timezone',
      /is not a time zone name of the tz database|is spelt `[^`]+` in the tz database/,
    );
  });
  add('not YAML at all', 10, () => {
    const bytes = Buffer.from(Array.from({ length: int(1, 400) }, () => int(0, 255)));
    return {
      files: { [REQUEST]: bytes as unknown as string },
      code: 1,
      file: REQUEST,
      message:
        /not valid UTF-8|invalid YAML|must be a YAML mapping|file is empty|contains|nested|unknown field|missing required/,
    };
  });
  add('empty or comment-only', 4, (i) =>
    request(['', '# nothing\n', '---\n', '~\n'][i]!, 1, /file is empty|must be a YAML mapping/),
  );
  return cases;
}
