// Issue 11: properties over arbitrary input. Whatever YAML value or text a request or policy file
// holds, reading and validating it never throws: every problem is a located finding. And the bounded
// check that a recurrence rule ever comes round agrees with the rrule library's own expansion.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy } from '../../src/model/policy.ts';
import { REACH_DAYS, unreachableRule } from '../../src/model/recurrence-reach.ts';
import { parseRequest } from '../../src/model/request.ts';
import { decodeUtf8 } from '../../src/model/utf8.ts';
import { RRule } from '../../src/schedule/rrule.ts';
import { validate } from '../../src/schedule/validate.ts';
import { NOW, requestYaml } from '../helpers/requests.ts';

const policy = defaultPolicy();
const SEED = 11;

/** Values near what a request holds, and anything at all. */
const fieldValue = fc.oneof(
  fc.constantFrom(
    '2027-01-17T02:00',
    '2027-03-28T02:30',
    '2027-01-10T03:00+25:00',
    'UTC',
    'Europe/Berlin',
    'FREQ=WEEKLY;BYDAY=SU',
    'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
    '99999999999999999999999h',
    '2h',
    'production',
    'high',
    'emergency',
    '__proto__',
    '\u202e\u0000\u001b[2J',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }),
  fc.anything({ maxDepth: 3 }),
);
const KEYS = [
  'title',
  'type',
  'category',
  'environment',
  'services',
  'start',
  'timezone',
  'duration',
  'end',
  'recurrence',
  'exdates',
  'impact',
  'impact_description',
  'description',
  'rollback',
  'requester',
  'status',
  'steps',
  'links',
  'contacts',
  '__proto__',
  'constructor',
];
const requestLike = fc.dictionary(
  fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 })),
  fieldValue,
  {
    maxKeys: 16,
  },
);

function readAndValidate(text: string): void {
  const parsed = parseRequest({ path: 'maintenance/2027/prop.yaml', text });
  for (const f of parsed.findings) {
    // The safety net that turns a bug into a finding must never be what answered.
    expect(f.message).not.toMatch(/could not check this file/);
    expect(f.line).toBeGreaterThanOrEqual(1);
    expect(typeof f.message).toBe('string');
  }
  validate({ policy, now: NOW, targets: [parsed], others: [] });
}

describe('properties', () => {
  it('reading and validating a request never throws, whatever YAML value it holds', () => {
    fc.assert(
      fc.property(requestLike, (value) => {
        // Valid fields underneath, so that the hostile ones reach the later checks too.
        readAndValidate(`${requestYaml()}\n${stringify(value)}`.replace(/^(\w+):.*\n(?=[\s\S]*^\1:)/gm, ''));
        readAndValidate(stringify(value));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('reading a request never throws on arbitrary text, and a policy never either', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        readAndValidate(text);
        expect(() => parsePolicy({ path: 'policy.yaml', text })).not.toThrow();
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('a policy of arbitrary values never throws', () => {
    const policyLike = fc.dictionary(
      fc.constantFrom(
        'timezone',
        'horizon',
        'environments',
        'blackouts',
        'notice',
        'max_duration',
        'holidays',
      ),
      fc.oneof(fieldValue, fc.constant({ production: { anytime: true } })),
    );
    fc.assert(
      fc.property(policyLike, (value) => {
        expect(() => parsePolicy({ path: 'policy.yaml', text: stringify(value) })).not.toThrow();
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('bytes are refused as UTF-8 exactly when a strict decoder refuses them, at the first bad byte', () => {
    const fffd = (bytes: Uint8Array) => Buffer.from(bytes).includes(Buffer.from([0xef, 0xbf, 0xbd]));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        fc.pre(!fffd(bytes)); // a real U+FFFD would look like a replaced byte below
        const decoded = decodeUtf8(bytes);
        let strict = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          strict = false;
        }
        expect('text' in decoded).toBe(strict);
        if ('notUtf8' in decoded) {
          // The lenient decoder marks the first bad byte with U+FFFD: what precedes it places it.
          const lenient = new TextDecoder('utf-8').decode(bytes);
          const before = lenient.slice(0, lenient.indexOf('\ufffd')).replace(/^\ufeff/, '');
          const lines = before.split('\n');
          expect(decoded.notUtf8).toMatchObject({ line: lines.length, column: lines.at(-1)!.length + 1 });
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('whether a daily or weekly rule comes round within 10 years (3,660 days) agrees with rrule expanding it', () => {
    // rrule stops at the year 9999: starting in 9985, its search is bounded even when nothing comes.
    const rule = fc.record({
      freq: fc.constantFrom('DAILY', 'WEEKLY'),
      interval: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
      month: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
      day: fc.option(fc.constantFrom('MO', 'TU', 'SA', 'SU', 'MO,FR'), { nil: undefined }),
      monthDay: fc.option(fc.constantFrom('29', '30', '31', '-1', '15'), { nil: undefined }),
      setPos: fc.option(fc.constantFrom('1', '-1', '2', '3'), { nil: undefined }),
      start: fc.record({ month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) }),
    });
    fc.assert(
      fc.property(rule, (r) => {
        const parts = [`FREQ=${r.freq}`];
        if (r.interval) parts.push(`INTERVAL=${r.interval}`);
        if (r.month) parts.push(`BYMONTH=${r.month}`);
        if (r.day) parts.push(`BYDAY=${r.day}`);
        if (r.monthDay && r.freq === 'DAILY') parts.push(`BYMONTHDAY=${r.monthDay}`);
        if (r.setPos) parts.push(`BYSETPOS=${r.setPos}`);
        const body = parts.join(';');
        const year = 9985;
        const start = { year, month: r.start.month, day: r.start.day, hour: 3, minute: 0, second: 0 };
        const ours = unreachableRule(body, start) === undefined;
        const dtstart = new Date(Date.UTC(year, r.start.month - 1, r.start.day, 3));
        const until = new Date(dtstart.getTime() + REACH_DAYS * 86_400_000);
        const theirs =
          new RRule({ ...RRule.parseString(body), dtstart }).between(dtstart, until, true, (_d, i) => i < 1)
            .length > 0;
        expect(ours, body).toBe(theirs);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
