// One invalid request per rule: each fixture declares the finding it must produce (severity, rule
// id, line:column and a part of the message) in its first line, and must produce no other error. An
// optional second line `# policy: {json}` replaces sections of the default policy for that fixture.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/model/policy.ts';
import { RULE_IDS, type Policy } from '../../src/model/types.ts';
import { parseRequest } from '../../src/model/request.ts';
import { validate } from '../../src/schedule/validate.ts';
import { readRequests } from '../../src/workspace/local.ts';

const NOW = Date.parse('2027-01-04T00:00:00Z');
const DIR = 'test/fixtures/requests/invalid';
const scheduled = readRequests(['test/fixtures/requests/scheduled']);

const cases = readdirSync(DIR)
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => {
    const path = join(DIR, name);
    const text = readFileSync(path, 'utf8');
    const match = /^# expect: (error|warning) ([a-z-]+) (\d+):(\d+) (.+)$/.exec(text.split('\n')[0]!);
    if (!match)
      throw new Error(`${path}: first line must be "# expect: <severity> <rule> <line>:<col> <text>"`);
    const [, severity, rule, line, column, message] = match;
    const policyLine = /^# policy: (.+)$/.exec(text.split('\n')[1]!);
    const policy: Policy = { ...defaultPolicy(), ...(policyLine ? JSON.parse(policyLine[1]!) : {}) };
    return {
      name,
      path,
      text,
      severity,
      rule,
      line: Number(line),
      column: Number(column),
      message: message!,
      policy,
    };
  });

describe('one invalid request per rule', () => {
  it('covers every rule id', () => {
    const rules = new Set(cases.map((c) => c.rule));
    for (const rule of RULE_IDS) expect(rules, `no fixture for ${rule}`).toContain(rule);
  });

  it.each(cases)('$name -> $severity [$rule] at $line:$column', (c) => {
    const report = validate({
      policy: c.policy,
      now: NOW,
      targets: [parseRequest({ path: c.path, text: c.text })],
      others: scheduled,
    });
    const [file] = report.files;
    const findings = c.severity === 'error' ? file!.errors : file!.warnings;
    const hit = findings.find((f) => f.rule === c.rule && f.message.includes(c.message));
    expect(hit, JSON.stringify([...file!.errors, ...file!.warnings], null, 1)).toBeDefined();
    expect({ line: hit!.line, column: hit!.column }).toEqual({ line: c.line, column: c.column });
    if (c.rule !== 'schema') {
      // The fixture is otherwise valid: nothing else is an error.
      expect(file!.errors.filter((f) => f !== hit).map((f) => f.message)).toEqual([]);
    }
  });
});
