// The published JSON Schemas are files editors use; they are under test themselves: every example
// validates and says where its schema is, and known-bad documents fail.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_YAML } from '../../src/model/default-policy.ts';
import { findRequestFiles } from '../../src/workspace/local.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv,
) => Ajv;
const load = (name: string) => JSON.parse(readFileSync(`schema/${name}.schema.json`, 'utf8'));

// A plain ajv, as an editor would use it (not our wrapper), with the annotation keyword allowed.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const requestSchema = ajv.compile(load('request'));
const policySchema = ajv.compile(load('policy'));

describe('published schemas', () => {
  const examples = findRequestFiles(['maintenance']);

  it('there are at least 8 examples', () => expect(examples.length).toBeGreaterThanOrEqual(8));

  it.each(examples)('%s validates and links its schema', (path) => {
    const text = readFileSync(path, 'utf8');
    const link = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];
    expect(link, 'modeline').toBeDefined();
    expect(resolve(dirname(path), link!)).toBe(resolve('schema/request.schema.json'));
    expect(requestSchema(parse(text)), JSON.stringify(requestSchema.errors)).toBe(true);
  });

  it('the default policy validates', () => {
    expect(policySchema(parse(DEFAULT_POLICY_YAML)), JSON.stringify(policySchema.errors)).toBe(true);
  });

  it.each([
    ['an unknown field', { extra: 1 }],
    ['both duration and end', { end: '2027-01-17T03:00' }],
    ['no services', { services: [] }],
    ['a step with run and workflow', { steps: [{ name: 'x', run: 'a', workflow: 'b.yml' }] }],
    ['an http check without url', { checks: { before: [{ name: 'x', http: {} }] } }],
  ])('a request with %s fails', (_name, change) => {
    const valid = parse(readFileSync(examples[0]!, 'utf8'));
    expect(requestSchema({ ...valid, ...change })).toBe(false);
  });
});
