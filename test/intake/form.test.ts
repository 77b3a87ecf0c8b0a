// The issue form: its fields are request fields, it asks every required one, its choices come from
// the schema and the policy, and it is a form GitHub accepts.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import requestSchema from '../../schema/request.schema.json' with { type: 'json' };
import {
  formFieldsOf,
  FROM_ISSUE,
  INTAKE_LABEL,
  ISSUE_FORM_PATH,
  renderIssueForm,
  requestFormFields,
} from '../../src/intake/form.ts';
import { defaultPolicy } from '../../src/model/policy.ts';
import { issueFormProblems } from './form-rules.ts';

const policy = defaultPolicy();
const formPolicy = { environments: Object.keys(policy.environments), timezone: policy.timezone };
const fields = requestFormFields(formPolicy);
const ids = fields.map((f) => f.id);

describe('the form asks the request fields', () => {
  it('every field id is a request field that the issue itself does not give', () => {
    for (const id of ids) {
      expect(Object.keys(requestSchema.properties)).toContain(id);
      expect(Object.keys(FROM_ISSUE)).not.toContain(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every required request field is asked, and required, or given by the issue (title, author)', () => {
    for (const field of requestSchema.required) {
      if (field in FROM_ISSUE) continue;
      expect(ids, field).toContain(field);
      expect(fields.find((f) => f.id === field)?.required, field).toBe(true);
    }
    // `duration` or `end` is required (oneOf): the form asks the duration, always.
    const alternatives = requestSchema.oneOf.map((o) => o.required[0]!);
    expect(fields.some((f) => alternatives.includes(f.id) && f.required)).toBe(true);
    // ...and the zone, with the policy's as the answer already there.
    expect(fields.find((f) => f.id === 'timezone')).toMatchObject({ required: true, value: 'UTC' });
  });

  it.each([
    ['type', requestSchema.properties.type.enum],
    ['category', requestSchema.properties.category.enum],
    ['impact', requestSchema.properties.impact.enum],
    ['environment', ['production', 'staging', 'development']],
  ])('%s is a dropdown of %j', (id, options) => {
    expect(fields.find((f) => f.id === id)).toMatchObject({ kind: 'dropdown', options });
  });

  it('the environments and the zone follow the policy', () => {
    const other = requestFormFields({ environments: ['eu-prod', 'no', 'on'], timezone: 'Europe/Berlin' });
    expect(other.find((f) => f.id === 'environment')?.options).toEqual(['eu-prod', 'no', 'on']);
    expect(other.find((f) => f.id === 'timezone')?.value).toBe('Europe/Berlin');
  });
});

describe('the form file', () => {
  const text = renderIssueForm(formPolicy);

  it('breaks none of GitHub documented form rules', () => {
    expect(issueFormProblems(text)).toEqual([]);
  });

  it('puts its label on the issues and reads back as the same fields', () => {
    expect((parse(text) as { labels: string[] }).labels).toEqual([INTAKE_LABEL]);
    expect(formFieldsOf(text)).toEqual(
      fields.map(({ id, kind, label, required, options }) => ({
        id,
        kind,
        label,
        required,
        ...(options ? { options } : {}),
      })),
    );
  });

  it('environments named like YAML 1.1 booleans stay strings for GitHub', () => {
    const yes = renderIssueForm({ environments: ['yes', 'no', 'on', 'off', 'y'], timezone: 'UTC' });
    expect(issueFormProblems(yes)).toEqual([]);
    expect(formFieldsOf(yes)?.find((f) => f.id === 'environment')?.options).toEqual([
      'yes',
      'no',
      'on',
      'off',
      'y',
    ]);
  });

  it.each([
    ['not YAML', ': : :\n  - ['],
    ['no body', 'name: x\ndescription: y\n'],
    [
      'only other fields',
      'name: x\ndescription: y\nbody:\n  - type: input\n    id: colour\n    attributes: { label: Colour }\n',
    ],
    ['no ids', 'name: x\ndescription: y\nbody:\n  - type: input\n    attributes: { label: Start }\n'],
  ])('a form maint cannot read (%s) is ignored', (_name, form) => {
    expect(formFieldsOf(form)).toBeUndefined();
  });

  it('a reworded form keeps its ids: labels come from the file', () => {
    const reworded = text.replace('label: Start', 'label: Wann soll es losgehen?');
    expect(formFieldsOf(reworded)?.find((f) => f.id === 'start')?.label).toBe('Wann soll es losgehen?');
  });

  it("this repository's form is the one maint init writes for its policy", () => {
    expect(readFileSync(ISSUE_FORM_PATH, 'utf8')).toBe(text);
  });
});
