// Checks data against the published JSON Schemas (schema/*.json) and turns ajv's errors into
// findings a person can act on: the field, what is wrong, and how to fix it.
import type { ErrorObject } from 'ajv';
import { SCHEMAS, schemaValidators, type SchemaName } from './schema-validators.ts';
import { didYouMean } from './suggest.ts';
import type { FieldPath, Finding } from './types.ts';
import { quoteValue, showHidden } from './visible-text.ts';

/** Findings kept per file: past these, the rest are counted (80,000 unknown keys are one mistake). */
export const MAX_SCHEMA_FINDINGS = 20;

export { SCHEMAS, type SchemaName };

export function checkSchema(name: SchemaName, value: unknown): Finding[] {
  const validate = schemaValidators()[name];
  if (validate(value)) return [];
  return describeErrors(validate.errors ?? []);
}

function toPath(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function fieldName(path: FieldPath): string {
  if (path.length === 0) return 'the file';
  const name = path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('')
    .replace(/`/g, "'");
  return showHidden(name.length > 100 ? `${name.slice(0, 100)}…` : name, false);
}

function describeValue(data: unknown): string {
  if (Array.isArray(data)) return 'a list';
  if (data === null) return 'empty';
  if (typeof data === 'object') return 'a mapping';
  return quoteValue(data, 40);
}

const TYPE_NAMES: Record<string, string> = {
  array: 'a list (e.g. `[api, db]`)',
  object: 'a mapping of fields',
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: '`true` or `false`',
};

function describeError(error: ErrorObject): Finding {
  const path = toPath(error.instancePath);
  const field = fieldName(path);
  const hint = (error.parentSchema as { description?: string } | undefined)?.description;
  const params = error.params as Record<string, unknown>;
  const finding = (message: string, at: FieldPath = path, atKey = false): Finding => ({
    rule: 'schema',
    severity: 'error',
    message,
    path: at,
    ...(atKey ? { atKey } : {}),
  });
  switch (error.keyword) {
    case 'additionalProperties': {
      const unknown = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const where = path.length === 0 ? '' : ` in ${field}`;
      return finding(
        `unknown field ${quoteValue(unknown)}${where}${didYouMean(unknown, known) || `; known fields are ${known.join(', ')}`}`,
        [...path, unknown],
        true,
      );
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const properties = (error.parentSchema as { properties?: Record<string, { description?: string }> })
        .properties;
      const about = properties?.[missing]?.description;
      const where = path.length === 0 ? '' : ` in ${field}`;
      return finding(`missing required field \`${missing}\`${where}${about ? ` (${about})` : ''}`);
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const got = String(error.data);
      return finding(
        `\`${field}\` must be one of ${allowed.join(', ')}; got ${describeValue(error.data)}${didYouMean(got, allowed)}`,
      );
    }
    case 'const':
      return finding(`\`${field}\` must be ${JSON.stringify(params.allowedValue)}`);
    case 'type': {
      const expected = String(params.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' or ');
      return finding(`\`${field}\` must be ${expected}; got ${describeValue(error.data)}`);
    }
    case 'pattern':
      return finding(`\`${field}\` ${describeValue(error.data)} is not valid${hint ? `: ${hint}` : ''}`);
    case 'format':
      return finding(`\`${field}\` ${describeValue(error.data)} is not a valid ${String(params.format)}`);
    case 'minLength':
      return finding(`\`${field}\` must not be empty`);
    case 'maxLength':
      return finding(`\`${field}\` is too long: at most ${String(params.limit)} characters`);
    case 'minItems':
      return finding(`\`${field}\` needs at least ${String(params.limit)} item(s)`);
    case 'minProperties':
      return finding(`\`${field}\` needs at least ${String(params.limit)} entry`);
    case 'uniqueItems':
      return finding(
        `\`${field}\` lists the same value twice (items ${String(params.j)} and ${String(params.i)})`,
      );
    case 'minimum':
    case 'maximum':
      return finding(
        `\`${field}\` must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}`,
      );
    case 'propertyNames':
      return finding(`\`${field}\` has a name that is not lower-case kebab-case (letters, digits, dashes)`);
    case 'oneOf': {
      const sentence = (error.parentSchema as Record<string, unknown>)['x-message'];
      if (typeof sentence !== 'string') return finding(`\`${field}\` ${error.message ?? 'is not valid'}`);
      return finding(path.length === 0 ? sentence : `${field}: ${sentence}`);
    }
    default:
      return finding(`\`${field}\` ${error.message ?? 'is not valid'}`);
  }
}

export function describeErrors(errors: readonly ErrorObject[]): Finding[] {
  // The branches of a failed oneOf only explain the oneOf; keep its single sentence instead.
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  const kept = errors.filter(
    (e) =>
      !oneOfs.some(
        (o) => o !== e && e.instancePath === o.instancePath && e.schemaPath.startsWith(`${o.schemaPath}/`),
      ),
  );
  // propertyNames reports both the pattern and itself; the pattern under it names the key.
  const described = kept.filter((e) => !(e.keyword === 'pattern' && e.propertyName !== undefined));
  // Only what is shown is described (80,000 unknown keys need not each be compared with every field).
  const seen = new Set<string>();
  const unique: Finding[] = [];
  let index = 0;
  for (; index < described.length && unique.length <= MAX_SCHEMA_FINDINGS; index++) {
    const f = describeError(described[index]!);
    const key = `${f.message}|${(f.path ?? []).join('/')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(f);
  }
  if (unique.length <= MAX_SCHEMA_FINDINGS) return unique;
  const rest = described.length - index + 1;
  const next = unique[MAX_SCHEMA_FINDINGS]!;
  return [
    ...unique.slice(0, MAX_SCHEMA_FINDINGS),
    {
      ...next,
      message: `and ${rest.toLocaleString('en-US')} more schema problem${rest === 1 ? '' : 's'} from here on, not listed: fix the ones above first`,
    },
  ];
}
