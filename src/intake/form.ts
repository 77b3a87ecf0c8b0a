// The issue form `maint init` writes (.github/ISSUE_TEMPLATE/maintenance-request.yml): its fields
// are request fields, their ids the field names, built from the request schema (enums, required
// fields, descriptions) and the policy (environments, zone) so the form cannot drift from either.
// Also reads a repository's own form back (ids and labels), for the parser. Pure.
import { parse, stringify } from 'yaml';
import { SCHEMAS } from '../model/schema-check.ts';

export const ISSUE_FORM_PATH = '.github/ISSUE_TEMPLATE/maintenance-request.yml';
/** The label the form puts on its issues; the intake workflow and mode act only on issues with it. */
export const INTAKE_LABEL = 'maintenance-request';

export type FormFieldKind = 'input' | 'textarea' | 'dropdown';

export interface FormField {
  /** The request field the answer goes to. */
  id: string;
  kind: FormFieldKind;
  /** The heading GitHub writes above the answer in the issue body. */
  label: string;
  required: boolean;
  description?: string;
  placeholder?: string;
  /** Pre-filled answer. */
  value?: string;
  options?: string[];
}

/** What the policy decides about the form: its environments (in order) and its zone. */
export interface FormPolicy {
  environments: string[];
  timezone: string;
}

interface AskedField {
  id: string;
  kind: FormFieldKind;
  label: string;
  /** Instead of the schema's description, where the form needs its own words. */
  description?: string;
  placeholder?: string;
}

/** The request fields the form asks, in the order a requester thinks of them. */
const ASKED: readonly AskedField[] = [
  { id: 'type', kind: 'dropdown', label: 'Type' },
  { id: 'category', kind: 'dropdown', label: 'Category' },
  {
    id: 'environment',
    kind: 'dropdown',
    label: 'Environment',
    description: 'Where the work happens (the environments of the maintenance policy).',
  },
  {
    id: 'services',
    kind: 'input',
    label: 'Services',
    description:
      'The components touched, separated by commas (lower-case names); conflicts and calendar subscriptions key on these.',
    placeholder: 'api, orders-db',
  },
  {
    id: 'start',
    kind: 'input',
    label: 'Start',
    description:
      'Local date and time in the time zone below (2027-01-17T02:00), or with an offset (2027-01-17T02:00+01:00).',
    placeholder: '2027-01-17T02:00',
  },
  {
    id: 'timezone',
    kind: 'input',
    label: 'Time zone',
    description: 'IANA time zone name the start is read in, such as Europe/Berlin, America/New_York or UTC.',
  },
  {
    id: 'duration',
    kind: 'input',
    label: 'Duration',
    description: 'How long the work takes: 90m, 2h, 1h30m.',
    placeholder: '2h',
  },
  {
    id: 'recurrence',
    kind: 'input',
    label: 'Recurrence',
    description: 'Only for repeating work: an RRULE such as FREQ=MONTHLY;BYDAY=1SU. Leave empty otherwise.',
  },
  { id: 'impact', kind: 'dropdown', label: 'Impact' },
  { id: 'impact_description', kind: 'input', label: 'What users will notice' },
  {
    id: 'description',
    kind: 'textarea',
    label: 'Description',
    description: 'What will be done, step by step.',
  },
  { id: 'justification', kind: 'textarea', label: 'Justification' },
  { id: 'rollback', kind: 'textarea', label: 'Rollback plan' },
  { id: 'testing', kind: 'textarea', label: 'Testing' },
  { id: 'risks', kind: 'textarea', label: 'Risks' },
  { id: 'incident', kind: 'input', label: 'Incident reference' },
];

/** Required by the form though the schema has alternatives: the form always asks the zone and the duration. */
const REQUIRED_BY_FORM = new Set(['timezone', 'duration']);

/** Request fields the issue itself answers: its title and its author. */
export const FROM_ISSUE: Readonly<Record<string, string>> = {
  title: 'the issue title',
  requester: 'the issue author',
};

interface PropertySchema {
  description?: string;
  enum?: string[];
}

const schema = SCHEMAS.request as unknown as {
  required: string[];
  properties: Record<string, PropertySchema>;
};

/** The form's fields for a policy: options from the schema's enums and the policy's environments. */
export function requestFormFields(policy: FormPolicy): FormField[] {
  return ASKED.map((asked) => {
    const property = schema.properties[asked.id] ?? {};
    const options = asked.id === 'environment' ? policy.environments : property.enum;
    const description = asked.description ?? property.description;
    return {
      id: asked.id,
      kind: asked.kind,
      label: asked.label,
      required: schema.required.includes(asked.id) || REQUIRED_BY_FORM.has(asked.id),
      ...(description ? { description } : {}),
      ...(asked.placeholder ? { placeholder: asked.placeholder } : {}),
      ...(asked.id === 'timezone' ? { value: policy.timezone } : {}),
      ...(asked.kind === 'dropdown' ? { options: [...(options ?? [])] } : {}),
    };
  });
}

const INTRO = [
  'Request planned maintenance. maint turns this issue into a pull request that adds the request file',
  "`maintenance/<year>/<id>.yaml`: **the issue title becomes the request's title** and, in kebab-case, its",
  'id; you are its requester. The pull request then goes through the usual validation and approvals.',
  'Edit this issue to change the request; steps, checks, contacts and notifications can be added in the',
  'pull request.',
].join(' ');

/** The issue form as YAML, ready for `.github/ISSUE_TEMPLATE/`. */
export function renderIssueForm(policy: FormPolicy): string {
  const body = [
    { type: 'markdown', attributes: { value: INTRO } },
    ...requestFormFields(policy).map((field) => ({
      type: field.kind,
      id: field.id,
      attributes: {
        label: field.label,
        ...(field.description ? { description: field.description } : {}),
        ...(field.placeholder ? { placeholder: field.placeholder } : {}),
        ...(field.value ? { value: field.value } : {}),
        ...(field.options ? { options: field.options } : {}),
        ...(field.id === 'type' ? { default: 0 } : {}),
      },
      validations: { required: field.required },
    })),
  ];
  const form = {
    name: 'Maintenance request',
    description: 'Request planned maintenance; maint opens the pull request that schedules it.',
    labels: [INTAKE_LABEL],
    body,
  };
  const header = [
    '# Generated by `maint init` from the request schema and the maintenance policy.',
    '# Each field id is a request field, which maint reads back from the issue: labels and',
    '# descriptions may be reworded, ids must stay. Re-run `maint init --force` after changing',
    '# the policy environments (it rewrites every file it writes).',
  ].join('\n');
  // YAML 1.1, as GitHub reads it: options such as `no` or `on` come out quoted, never booleans.
  return `${header}\n${stringify(form, { version: '1.1', lineWidth: 0, singleQuote: true })}`;
}

/**
 * The answerable fields of a repository's own form (id, label, kind), when it is a form maint can
 * read: undefined when the text is not an issue form with at least one request field.
 */
export function formFieldsOf(text: string): FormField[] | undefined {
  let form: unknown;
  try {
    form = parse(text, { version: '1.1' });
  } catch {
    return undefined;
  }
  const body = (form as { body?: unknown } | null)?.body;
  if (!Array.isArray(body)) return undefined;
  const fields: FormField[] = [];
  for (const element of body as Record<string, unknown>[]) {
    const kind = element?.type;
    const attributes = element?.attributes as Record<string, unknown> | undefined;
    if (kind !== 'input' && kind !== 'textarea' && kind !== 'dropdown') continue;
    if (typeof element.id !== 'string' || typeof attributes?.label !== 'string') continue;
    if (!(element.id in schema.properties)) continue;
    const options = Array.isArray(attributes.options) ? attributes.options.map(String) : undefined;
    fields.push({
      id: element.id,
      kind,
      label: attributes.label.trim(),
      required: (element.validations as { required?: unknown } | undefined)?.required === true,
      ...(options ? { options } : {}),
    });
  }
  return fields.length > 0 ? fields : undefined;
}
