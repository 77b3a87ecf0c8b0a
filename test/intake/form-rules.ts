// GitHub's rules for issue forms, as its documentation states them ("Syntax for issue forms",
// "Syntax for GitHub's form schema", "Common validation errors when creating issue forms"), written
// apart from the code that makes the form. GitHub reads forms as YAML 1.1.
import { parse } from 'yaml';

const TOP_LEVEL = new Set([
  'name',
  'description',
  'title',
  'labels',
  'assignees',
  'projects',
  'type',
  'body',
]);
const FORBIDDEN_KEYS = new Set(
  'y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF'.split(' '),
);
const ATTRIBUTES: Record<string, Set<string>> = {
  markdown: new Set(['value']),
  textarea: new Set(['label', 'description', 'placeholder', 'value', 'render']),
  input: new Set(['label', 'description', 'placeholder', 'value']),
  dropdown: new Set(['label', 'description', 'multiple', 'options', 'default']),
  checkboxes: new Set(['label', 'description', 'options']),
};
const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim() !== '';

export function issueFormProblems(text: string): string[] {
  const problems: string[] = [];
  const form = parse(text, { version: '1.1' }) as Record<string, unknown>;
  for (const key of Object.keys(form)) {
    if (!TOP_LEVEL.has(key)) problems.push(`${key} is not a permitted key`);
    if (FORBIDDEN_KEYS.has(key)) problems.push(`${key} is a forbidden key`);
  }
  for (const key of ['name', 'description'])
    if (!nonEmpty(form[key])) problems.push(`${key} must be a non-empty string`);
  if (form.labels !== undefined && !(Array.isArray(form.labels) && form.labels.every(nonEmpty)))
    problems.push('labels must be a list of strings');
  const body = form.body as Record<string, unknown>[] | undefined;
  if (!Array.isArray(body) || body.length === 0) return [...problems, 'body cannot be empty'];
  if (body.every((e) => e.type === 'markdown'))
    problems.push('body must contain at least one non-markdown field');
  const ids = new Set<string>();
  const labels = new Set<string>();
  body.forEach((element, i) => {
    const at = `body[${i}]`;
    for (const key of Object.keys(element))
      if (!['type', 'id', 'attributes', 'validations'].includes(key))
        problems.push(`${at}: ${key} is not a permitted key`);
    const type = String(element.type);
    const allowed = ATTRIBUTES[type];
    if (!allowed) return problems.push(`${at}: ${type} is not a valid input type`);
    const attributes = (element.attributes ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(attributes))
      if (!allowed.has(key)) problems.push(`${at}: ${key} is not a permitted attribute`);
    if (type === 'markdown') {
      if (!nonEmpty(attributes.value)) problems.push(`${at}: required attribute key value is missing`);
      return;
    }
    if (element.id !== undefined) {
      if (typeof element.id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(element.id))
        problems.push(`${at}: id can only contain numbers, letters, -, _`);
      else if (ids.has(element.id)) problems.push(`${at}: body must have unique ids (${element.id})`);
      else ids.add(element.id);
    }
    if (!nonEmpty(attributes.label)) problems.push(`${at}: label must be a string`);
    else if (labels.has(String(attributes.label))) problems.push(`${at}: body must have unique labels`);
    else labels.add(String(attributes.label));
    if (/password/i.test(String(attributes.label))) problems.push(`${at}: label contains forbidden word`);
    for (const key of ['description', 'placeholder', 'value'])
      if (attributes[key] !== undefined && !nonEmpty(attributes[key]))
        problems.push(`${at}: ${key} must be a string`);
    if (type === 'dropdown') {
      const options = attributes.options;
      if (!Array.isArray(options) || options.length === 0) problems.push(`${at}: options cannot be empty`);
      else {
        if (options.some((o) => typeof o === 'boolean'))
          problems.push(`${at}: options must not include booleans`);
        if (options.some((o) => typeof o !== 'string')) problems.push(`${at}: options must be strings`);
        if (new Set(options).size !== options.length) problems.push(`${at}: options must be unique`);
        if (options.some((o) => String(o).toLowerCase() === 'none'))
          problems.push(`${at}: options must not include the reserved word, none`);
        const first = attributes.default;
        if (
          first !== undefined &&
          !(Number.isInteger(first) && (first as number) >= 0 && (first as number) < options.length)
        )
          problems.push(`${at}: default must be the index of an option`);
      }
    }
    const validations = element.validations as Record<string, unknown> | undefined;
    if (validations !== undefined) {
      for (const key of Object.keys(validations))
        if (key !== 'required') problems.push(`${at}: validations.${key} is not permitted`);
      if (validations.required !== undefined && typeof validations.required !== 'boolean')
        problems.push(`${at}: validations.required must be a boolean`);
    }
  });
  return problems;
}
