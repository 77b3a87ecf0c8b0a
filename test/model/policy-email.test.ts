// `notices.email` in the policy: the sender and the recipients by environment, impact and notice
// kind, every address checked where the policy is read (file, line, what to write), so a header can
// never be forged from the policy.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_YAML } from '../../src/model/default-policy.ts';
import { parsePolicy } from '../../src/model/policy.ts';

const parse = (text: string) => parsePolicy({ path: 'policy.yaml', text });
const ENVIRONMENTS = 'environments: {production: {anytime: true}, staging: {anytime: true}}\n';

describe('notices.email', () => {
  it('reads the sender, the recipients of every notice and those of some environments, impacts and kinds', () => {
    const { policy, findings } = parse(
      `${ENVIRONMENTS}notices:
  email:
    from: '"Ops maintenance" <maintenance@example.com>'
    to: [engineering@example.com]
    recipients:
      - environments: [production]
        impacts: [medium, high]
        to: [customers@example.com]
        cc: [support@example.com]
      - kinds: [completion-with-issues, rollback]
        cc: [incidents@example.com]
`,
    );
    expect(findings).toEqual([]);
    expect(policy!.notices.email).toEqual({
      from: { name: 'Ops maintenance', address: 'maintenance@example.com' },
      to: ['engineering@example.com'],
      cc: [],
      recipients: [
        {
          environments: ['production'],
          impacts: ['medium', 'high'],
          to: ['customers@example.com'],
          cc: ['support@example.com'],
        },
        { kinds: ['completion-with-issues', 'rollback'], to: [], cc: ['incidents@example.com'] },
      ],
    });
  });

  it('a bare address is the sender; without notices.email nothing is e-mailed', () => {
    const { policy } = parse(`${ENVIRONMENTS}notices: {email: {from: maint@example.com}}\n`);
    expect(policy!.notices.email).toEqual({
      from: { address: 'maint@example.com' },
      to: [],
      cc: [],
      recipients: [],
    });
    expect(parse(ENVIRONMENTS).policy!.notices.email).toBeUndefined();
  });

  it.each([
    [
      'a recipient with a header after a line break',
      'notices:\n  email:\n    from: maint@example.com\n    to: ["ops@example.com\\r\\nBcc: x@evil.example"]\n',
      4,
      10,
      /`notices\.email\.to\[0\]` .* is not a valid email/,
    ],
    [
      'a recipient that is a name and an address',
      'notices:\n  email:\n    from: maint@example.com\n    cc: [Ops <ops@example.com>]\n',
      4,
      10,
      /`notices\.email\.cc\[0\]` .* is not a valid email/,
    ],
    [
      'a sender with a line break',
      'notices:\n  email:\n    from: "Ops\\r\\nBcc: x@evil.example <maint@example.com>"\n',
      3,
      11,
      /`notices\.email\.from` .* is not valid: The sender/,
    ],
    [
      'a sender that is no address',
      'notices:\n  email:\n    from: maintenance team\n',
      3,
      11,
      /`notices\.email\.from`: "maintenance team" is not an e-mail address: write `ops@example\.com`/,
    ],
    [
      'a sender whose name has an angle bracket',
      'notices:\n  email:\n    from: "Ops <x> <maint@example.com>"\n',
      3,
      11,
      /may not contain a line break, a control character, `<`/,
    ],
    [
      'a recipient entry of an environment the policy does not have',
      'notices:\n  email:\n    from: maint@example.com\n    recipients:\n      - environments: [prod]\n        to: [ops@example.com]\n',
      5,
      24,
      /environment `prod` is not in `environments`/,
    ],
    [
      'a recipient entry that names nobody',
      'notices:\n  email:\n    from: maint@example.com\n    recipients:\n      - impacts: [high]\n',
      5,
      9,
      /`notices\.email\.recipients\[0\]` names nobody: give it `to` or `cc` addresses/,
    ],
    [
      'an impact that is none',
      'notices:\n  email:\n    from: maint@example.com\n    recipients:\n      - impacts: [critical]\n        to: [ops@example.com]\n',
      5,
      19,
      /must be one of low, medium, high/,
    ],
    [
      'a notice kind that is none',
      'notices:\n  email:\n    from: maint@example.com\n    recipients:\n      - kinds: [reminders]\n        to: [ops@example.com]\n',
      5,
      17,
      /did you mean `reminder`/,
    ],
  ])('refuses %s, at its line', (_name, text, line, column, message) => {
    const { policy, findings } = parse(`${ENVIRONMENTS}${text}`);
    expect(policy).toBeUndefined();
    const hit = findings.find((f) => message.test(f.message));
    expect(hit, JSON.stringify(findings)).toMatchObject({ line: line + 1, column });
  });
});

describe("the README's example of notices.email", () => {
  it('is a policy section that parses', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## E-mail notices'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const { policy, findings } = parse(`${ENVIRONMENTS}${example}`);
    expect(findings).toEqual([]);
    expect(policy!.notices.email!.recipients.map((r) => [r.environments, r.impacts, r.kinds])).toEqual([
      [['production'], ['medium', 'high'], undefined],
      [undefined, undefined, ['completion-with-issues', 'rollback', 'missed']],
    ]);
  });
});

describe("the built-in policy's commented example of notices.email", () => {
  it('parses once uncommented', () => {
    const line = /^ {2}# (email: .*?) # sent through MAINT_SMTP_URL$/m.exec(DEFAULT_POLICY_YAML)![1]!;
    const { policy, findings } = parsePolicy({
      path: 'policy.yaml',
      text: DEFAULT_POLICY_YAML.replace(/^ {2}# email: .*$/m, `  ${line}`),
    });
    expect(findings).toEqual([]);
    expect(policy!.notices.email).toMatchObject({ to: ['engineering@example.com'] });
  });
});
