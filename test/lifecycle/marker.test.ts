import { describe, expect, it } from 'vitest';
import { decodeStateMarker, encodeStateMarker } from '../../src/lifecycle/marker.ts';
import { parseStateMap } from '../../src/lifecycle/state-parse.ts';
import type { OccurrenceState } from '../../src/lifecycle/state.ts';

const KEY = 'weekly-api-rolling-update@2027-01-10T02:00';
const STATE: OccurrenceState = {
  state: 'in-progress',
  done: ['announce', 'skip:remind:P1D', 'silence', 'start'],
  log: [
    { at: '2027-01-02T02:00:00Z', action: 'announce' },
    { at: '2027-01-10T02:15:00Z', action: 'skip:remind:P1D', note: 'the announcement covers it --> <!-- ' },
    { at: '2027-01-10T02:15:00Z', action: 'silence' },
    { at: '2027-01-10T02:15:00Z', action: 'start', note: 'Zürich – ✓ "quoted" \\ back' },
  ],
  silence: { alertmanager: ['5b4f1c0e'], pagerduty: ['PW1', 'PW2'] },
  issue: 42,
  actual: { start: '2027-01-10T02:15:00Z' },
};

const encode = (b64: string) => `<!-- maint:state v1 ${b64} -->`;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

describe('the state marker', () => {
  it('round-trips, and is an HTML comment that nothing in the state can close', () => {
    const marker = encodeStateMarker(KEY, STATE);
    expect(marker).toMatch(/^<!-- maint:state v1 [A-Za-z0-9+/=]+ -->$/);
    expect(marker.slice(4, -3)).not.toContain('--');
    expect(decodeStateMarker(marker)).toEqual({ kind: 'found', key: KEY, state: STATE });
  });

  it.each([
    ['markdown around it', (m: string) => `## Weekly API rolling update\n\n- [ ] step 1\n\n${m}\n\n_maint_`],
    [
      'hostile comments and fake openers around it',
      (m: string) => `<!-- --> --> <!-- maint:stat ${m} <!-- x -->`,
    ],
    ['CRLF line endings and indentation', (m: string) => `line\r\n    ${m}\r\nmore`],
    ['the same marker twice (a copy)', (m: string) => `${m}\n> quoted:\n${m}`],
  ])('is found among %s', (_, wrap) => {
    expect(decodeStateMarker(wrap(encodeStateMarker(KEY, STATE)))).toEqual({
      kind: 'found',
      key: KEY,
      state: STATE,
    });
  });

  it('an issue without a marker has none', () => {
    expect(decodeStateMarker('Just an issue. <!-- a comment -->')).toEqual({ kind: 'none' });
  });

  it.each([
    ['not closed', '<!-- maint:state v1 abc', 'the state marker is not closed with -->'],
    [
      'two different markers',
      `${encodeStateMarker(KEY, STATE)} ${encodeStateMarker(KEY, { state: 'scheduled', done: [] })}`,
      'the issue has 2 different state markers; keep the one maint wrote',
    ],
    [
      'a newer version',
      encode(b64({ key: KEY, state: STATE })).replace('v1', 'v2'),
      'state marker: written by a newer maint (v2; this one reads v1): upgrade',
    ],
    ['no version', '<!-- maint:state abc -->', 'state marker: expected `v<version> <base64>`'],
    ['not base64', encode('not*base64'), 'state marker: the payload is not base64'],
    [
      'base64 of garbage',
      encode(Buffer.from('{"key":').toString('base64')),
      'state marker: the payload is not UTF-8 JSON',
    ],
    [
      'invalid UTF-8',
      encode(Buffer.from([0xff, 0xfe, 0x7b]).toString('base64')),
      'state marker: the payload is not UTF-8 JSON',
    ],
    ['an array', encode(b64([1])), 'state marker: the payload is not an object'],
    [
      'a bad key',
      encode(b64({ key: '../etc', state: STATE })),
      'state marker: `key` is not an occurrence key',
    ],
    [
      'an unknown field',
      encode(b64({ key: KEY, state: STATE, admin: true })),
      'state marker: unknown field admin',
    ],
    [
      'truncated base64',
      encode(b64({ key: KEY, state: STATE }).slice(0, -1)),
      'state marker: the payload is not base64',
    ],
    [
      'a bad state',
      encode(b64({ key: KEY, state: { state: 'exploded', done: [] } })),
      'state marker: $.state.state: `exploded` is not a state',
    ],
    [
      'an unknown action',
      encode(b64({ key: KEY, state: { state: 'announced', done: ['announce', 'rm -rf'] } })),
      'state marker: $.state.done[1]: `rm -rf` is not an action',
    ],
    ['too long', encode('A'.repeat(300_000)), 'state marker: 300000 characters is too long'],
  ])('%s: a clear error, not an exception', (_, body, error) => {
    const decoded = decodeStateMarker(body);
    expect(decoded.kind).toBe('invalid');
    expect(decoded.kind === 'invalid' && decoded.error).toContain(error);
  });

  it('a __proto__ field in the payload is an unknown field, not a prototype', () => {
    const json = `{"key":"${KEY}","state":{"state":"scheduled","done":[]},"__proto__":{"polluted":true}}`;
    const decoded = decodeStateMarker(encode(Buffer.from(json).toString('base64')));
    expect(decoded).toEqual({ kind: 'invalid', error: 'state marker: unknown field __proto__' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('state files (maint plan --state)', () => {
  it('reads the documented shape; done defaults to nothing', () => {
    expect(
      parseStateMap({
        'weekly-api-rolling-update@2027-01-10T02:00': {
          state: 'announced',
          done: ['announce', 'remind:P7D'],
        },
        'search-reindex': { state: 'scheduled' },
      }),
    ).toEqual({
      ok: true,
      value: {
        'weekly-api-rolling-update@2027-01-10T02:00': {
          state: 'announced',
          done: ['announce', 'remind:P7D'],
        },
        'search-reindex': { state: 'scheduled', done: [] },
      },
    });
  });

  it.each([
    ['not an object', [], '$', 'expected an object, found an array'],
    ['a bad key', { 'Not A Key': { state: 'scheduled' } }, '$["Not A Key"]', 'expected an occurrence key'],
    ['no state', { x: { done: [] } }, '$.x', 'missing field `state`'],
    ['an unknown field', { x: { state: 'scheduled', dnoe: [] } }, '$.x.dnoe', 'unknown field'],
    ['done not a list', { x: { state: 'scheduled', done: 'announce' } }, '$.x.done', 'expected an array'],
    [
      'an action twice',
      { 'x@2027-01-10T02:00': { state: 'announced', done: ['announce', 'announce'] } },
      '$["x@2027-01-10T02:00"].done[1]',
      '`announce` is listed twice',
    ],
    [
      'a log time without zone',
      { x: { state: 'announced', log: [{ at: '2027-01-10 02:00', action: 'announce' }] } },
      '$.x.log[0].at',
      'expected an ISO 8601 instant',
    ],
    [
      'a bad issue number',
      { x: { state: 'announced', issue: 1.5 } },
      '$.x.issue',
      'expected an issue number',
    ],
    [
      'a bad silence provider',
      { x: { state: 'announced', silence: { 'Alert Manager': ['1'] } } },
      '$.x.silence["Alert Manager"]',
      'expected an alerting provider name',
    ],
    [
      'a silence id not a string',
      { x: { state: 'announced', silence: { pagerduty: [1] } } },
      '$.x.silence.pagerduty[0]',
      'expected a string',
    ],
    [
      'silence null',
      { x: { state: 'announced', silence: null } },
      '$.x.silence',
      'expected an object, found null',
    ],
    [
      'actual with an unknown field',
      { x: { state: 'completed', actual: { begin: 'x' } } },
      '$.x.actual.begin',
      'unknown field',
    ],
  ])('%s: the JSON path of the problem', (_, value, path, message) => {
    const parsed = parseStateMap(value);
    expect(parsed.ok).toBe(false);
    expect(parsed).toMatchObject({ path });
    expect(!parsed.ok && parsed.message).toContain(message);
  });
});
