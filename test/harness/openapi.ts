// GitHub's OpenAPI description as a request checker: loads @octokit/openapi once per process, finds the
// operation for a method and concrete path, and checks path params, query params and JSON bodies against it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

type Json = Record<string, unknown>;

export interface ParamSpec {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Json;
}

export interface Operation {
  method: string;
  template: string;
  operationId: string;
  pathParams: ParamSpec[];
  queryParams: Map<string, ParamSpec>;
  body?: { required: boolean; contentTypes: string[]; schema?: Json };
  responses: Json;
}

export interface RouteMatch {
  operation: Operation;
  /** Decoded path parameters, still strings. */
  params: Record<string, string>;
}

export type Problem = {
  kind: 'path-param' | 'query-param' | 'body' | 'unknown-body-property';
  message: string;
};

interface Segment {
  /** Literal text, or a regex with named params for segments like `{base}...{head}`. */
  literal?: string;
  pattern?: RegExp;
  names: string[];
  /** 2 literal, 0 a bare parameter, -1 mixed: more specific templates win, and the one mixed segment there is,
   *  the older `compare/{base}...{head}`, yields to `compare/{basehead}` which octokit's methods use. */
  weight: number;
}

interface Candidate {
  operation: Operation;
  segments: Segment[];
  /** The last segment is a bare parameter that may span several segments (`contents/{path}`). */
  greedy: boolean;
}

// Parameters GitHub lets contain slashes when they end a path.
const GREEDY_NAMES = new Set(['path', 'ref', 'dir', 'branch', 'basehead', 'head', 'tag', 'name']);

const SPEC_MODULE = '@octokit/openapi/generated/api.github.com.json';

// Where GitHub's answers differ from its own description, the test server answers like GitHub.
const KNOWN_SCHEMA_GAPS = [
  // Labels without a description carry `description: null`; pull-request-simple documents a plain string.
  /\/labels\/\d+\/description must be string$/,
];

export class OpenApiIndex {
  private readonly byMethod = new Map<string, Candidate[]>();
  private readonly byTemplate = new Map<string, Operation>();
  private readonly byOperationId = new Map<string, Operation>();
  private ajv: Ajv | undefined;
  private readonly bodyValidators = new Map<string, CompiledSchema>();
  private readonly responseValidators = new Map<string, CompiledSchema | null>();

  constructor(private readonly doc: Json) {
    const paths = doc.paths as Record<string, Record<string, Json>>;
    for (const [template, item] of Object.entries(paths)) {
      for (const [method, raw] of Object.entries(item)) {
        const operation = this.toOperation(method, template, raw);
        this.byTemplate.set(`${method} ${template}`, operation);
        this.byOperationId.set(operation.operationId, operation);
        const segments = template.slice(1).split('/').map(toSegment);
        const last = segments[segments.length - 1];
        const greedy = last !== undefined && last.weight === 0 && GREEDY_NAMES.has(last.names[0] ?? '');
        const list = this.byMethod.get(method) ?? [];
        list.push({ operation, segments, greedy });
        this.byMethod.set(method, list);
      }
    }
  }

  get operationCount(): number {
    return this.byTemplate.size;
  }

  operation(method: string, template: string): Operation | undefined {
    return this.byTemplate.get(`${method.toLowerCase()} ${template}`);
  }

  operationById(operationId: string): Operation | undefined {
    return this.byOperationId.get(operationId);
  }

  /** The operation for a concrete (still percent-encoded) path, or undefined when GitHub has no such route. */
  match(method: string, rawPath: string): RouteMatch | undefined {
    const candidates = this.byMethod.get(method.toLowerCase()) ?? [];
    const parts = rawPath.replace(/^\//, '').split('/');
    let best: { candidate: Candidate; params: Record<string, string>; score: number[] } | undefined;
    for (const candidate of candidates) {
      const params = matchSegments(candidate, parts);
      if (!params) continue;
      // An exact segment count beats a greedy parameter; then literal segments beat parameters.
      const score = [
        parts.length === candidate.segments.length ? 1 : 0,
        ...candidate.segments.map((s) => s.weight),
      ];
      if (!best || compareScores(score, best.score) > 0) best = { candidate, params, score };
    }
    if (!best) return undefined;
    return { operation: best.candidate.operation, params: best.params };
  }

  /** Checks path and query parameters; returns the typed values and any problems. */
  checkParams(
    operation: Operation,
    pathParams: Record<string, string>,
    query: URLSearchParams,
  ): { path: Record<string, unknown>; query: Record<string, unknown>; problems: Problem[] } {
    const problems: Problem[] = [];
    const path: Record<string, unknown> = {};
    for (const spec of operation.pathParams) {
      const raw = pathParams[spec.name];
      const parsed = raw === undefined ? undefined : coerce(spec.schema, raw, (r) => this.resolve(r));
      if (parsed === undefined || !parsed.ok) {
        problems.push({
          kind: 'path-param',
          message: `path parameter ${spec.name}=${raw} is not ${describe(spec)}`,
        });
      } else path[spec.name] = parsed.value;
    }
    const typedQuery: Record<string, unknown> = {};
    for (const name of new Set(query.keys())) {
      const spec = operation.queryParams.get(name);
      if (!spec) {
        problems.push({
          kind: 'query-param',
          message: `unknown query parameter "${name}" for ${operation.method.toUpperCase()} ${operation.template}`,
        });
        continue;
      }
      const values = query.getAll(name);
      const schema = this.resolve(spec.schema);
      if (schema.type === 'array') {
        const items = values.flatMap((v) => v.split(','));
        const results = items.map((v) => coerce((schema.items ?? {}) as Json, v, (r) => this.resolve(r)));
        if (results.some((r) => !r.ok))
          problems.push({ kind: 'query-param', message: `query parameter ${name} is not ${describe(spec)}` });
        else typedQuery[name] = results.map((r) => (r.ok ? r.value : undefined));
        continue;
      }
      if (values.length > 1) {
        problems.push({
          kind: 'query-param',
          message: `query parameter ${name} is given ${values.length} times`,
        });
        continue;
      }
      const parsed = coerce(schema, values[0] ?? '', (r) => this.resolve(r));
      if (!parsed.ok)
        problems.push({
          kind: 'query-param',
          message: `query parameter ${name}=${values[0] ?? ''} is not ${describe(spec)}`,
        });
      else typedQuery[name] = parsed.value;
    }
    for (const spec of operation.queryParams.values()) {
      if (spec.required && !query.has(spec.name))
        problems.push({ kind: 'query-param', message: `query parameter ${spec.name} is required` });
    }
    return { path, query: typedQuery, problems };
  }

  /** Checks a parsed JSON body (undefined when the request had none) against the operation's requestBody. */
  checkBody(operation: Operation, body: unknown, contentType: string | undefined): Problem[] {
    const spec = operation.body;
    if (body === undefined) {
      return spec?.required ? [{ kind: 'body', message: 'a request body is required' }] : [];
    }
    if (!spec) return [{ kind: 'body', message: 'this operation takes no request body' }];
    const type = (contentType ?? 'application/json').split(';')[0]?.trim() ?? '';
    if (!spec.contentTypes.includes(type) && !(type === 'application/json' && !spec.schema)) {
      return [
        { kind: 'body', message: `content type ${type} is not one of ${spec.contentTypes.join(', ')}` },
      ];
    }
    if (!spec.schema) return [];
    const key = `${operation.method} ${operation.template}`;
    let compiled = this.bodyValidators.get(key);
    if (!compiled) {
      compiled = this.compile(spec.schema);
      this.bodyValidators.set(key, compiled);
    }
    if (!compiled.validate(body)) {
      return (compiled.validate.errors ?? []).map((e) => ({ kind: 'body', message: formatAjvError(e) }));
    }
    return unknownProperties(compiled.schema, body, compiled.definitions).map((path) => ({
      kind: 'unknown-body-property',
      message: `"${path}" is not a permitted key`,
    }));
  }

  /** Problems of a response body against the documented schema for its status (none when undocumented). */
  checkResponse(operation: Operation, status: number, body: unknown): string[] {
    const key = `${operation.method} ${operation.template} ${status}`;
    let compiled = this.responseValidators.get(key);
    if (compiled === undefined) {
      const response = this.resolve(
        ((operation.responses[String(status)] ?? operation.responses.default) as Json | undefined) ?? {},
      );
      const content = response.content as Record<string, Json> | undefined;
      const schema = content?.['application/json']?.schema as Json | undefined;
      compiled = schema ? this.compile(schema) : null;
      this.responseValidators.set(key, compiled);
    }
    if (!compiled) return [];
    if (compiled.validate(body)) return [];
    return (compiled.validate.errors ?? [])
      .filter((e) => !KNOWN_SCHEMA_GAPS.some((gap) => gap.test(`${e.instancePath} ${e.message ?? ''}`)))
      .slice(0, 10)
      .map(formatAjvError);
  }

  /** Follows a local `$ref` (components/parameters, requestBodies, responses, schemas). */
  resolve(node: Json): Json {
    let current = node;
    for (let i = 0; i < 20 && typeof current.$ref === 'string'; i++) {
      current = pointer(this.doc, current.$ref);
    }
    return current;
  }

  private toOperation(method: string, template: string, raw: Json): Operation {
    const pathParams: ParamSpec[] = [];
    const queryParams = new Map<string, ParamSpec>();
    for (const ref of (raw.parameters ?? []) as Json[]) {
      const p = this.resolve(ref);
      const spec: ParamSpec = {
        name: String(p.name),
        in: p.in === 'path' ? 'path' : 'query',
        required: p.required === true,
        schema: (p.schema ?? {}) as Json,
      };
      if (p.in === 'path') pathParams.push(spec);
      else if (p.in === 'query') queryParams.set(spec.name, spec);
    }
    const operation: Operation = {
      method,
      template,
      operationId: String(raw.operationId),
      pathParams,
      queryParams,
      responses: (raw.responses ?? {}) as Json,
    };
    if (raw.requestBody) {
      const rb = this.resolve(raw.requestBody as Json);
      const content = (rb.content ?? {}) as Record<string, Json>;
      const json = content['application/json'];
      operation.body = {
        required: rb.required === true,
        contentTypes: Object.keys(content),
        ...(json?.schema ? { schema: json.schema as Json } : {}),
      };
    }
    return operation;
  }

  private compile(schema: Json): CompiledSchema {
    if (!this.ajv) {
      this.ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true });
      addFormats(this.ajv);
    }
    const definitions: Record<string, Json> = {};
    const pending: string[] = [];
    const root = toJsonSchema(schema, (name) => {
      if (!(name in definitions)) {
        definitions[name] = {};
        pending.push(name);
      }
    });
    while (pending.length > 0) {
      const name = pending.pop() as string;
      const component = (this.doc.components as { schemas: Record<string, Json> }).schemas[name] ?? {};
      definitions[name] = toJsonSchema(component, (n) => {
        if (!(n in definitions)) {
          definitions[n] = {};
          pending.push(n);
        }
      });
    }
    const validate = this.ajv.compile({ definitions, allOf: [root] });
    return { validate, schema: root, definitions };
  }
}

interface CompiledSchema {
  validate: ValidateFunction;
  schema: Json;
  definitions: Record<string, Json>;
}

let shared: OpenApiIndex | undefined;
let loadMillis = 0;

/** The process-wide index; the first call reads and parses the description (~13 MB). */
export function openApi(): OpenApiIndex {
  if (!shared) {
    const started = performance.now();
    const file = createRequire(import.meta.url).resolve(SPEC_MODULE);
    shared = new OpenApiIndex(JSON.parse(readFileSync(file, 'utf8')) as Json);
    loadMillis = performance.now() - started;
  }
  return shared;
}

/** How long loading and indexing the description took in this process (0 before the first load). */
export function openApiLoadMillis(): number {
  return loadMillis;
}

function toSegment(text: string): Segment {
  const names = [...text.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
  if (names.length === 0) return { literal: text, names, weight: 2 };
  if (text === `{${names[0]}}`) return { names, weight: 0 };
  const source = text
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '(.+?)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return { pattern: new RegExp(`^${source}$`), names, weight: -1 };
}

function matchSegments(candidate: Candidate, parts: string[]): Record<string, string> | undefined {
  const { segments, greedy } = candidate;
  // `contents/{path}` with an empty path: octokit drops the trailing slash and GitHub lists the root.
  if (greedy && parts.length === segments.length - 1 && segments[segments.length - 1]?.names[0] === 'path') {
    return matchSegments(candidate, [...parts, '']);
  }
  if (parts.length !== segments.length && !(greedy && parts.length > segments.length)) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as Segment;
    const last = i === segments.length - 1;
    const raw = last && greedy ? parts.slice(i).join('/') : (parts[i] as string);
    const text = safeDecode(raw);
    if (text === undefined) return undefined;
    if (segment.literal !== undefined) {
      if (segment.literal !== text) return undefined;
    } else if (segment.pattern) {
      const m = segment.pattern.exec(text);
      if (!m) return undefined;
      segment.names.forEach((name, k) => (params[name] = m[k + 1] as string));
    } else {
      // Only `contents/{path}` may be empty (the repository root).
      if (text === '' && segment.names[0] !== 'path') return undefined;
      params[segment.names[0] as string] = text;
    }
  }
  return params;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  }
  return a.length - b.length;
}

function pointer(doc: Json, ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (!node || typeof node !== 'object') throw new Error(`dangling $ref ${ref}`);
  return node as Json;
}

type Coerced = { ok: true; value: unknown } | { ok: false };

function coerce(schemaIn: Json, raw: string, resolve: (s: Json) => Json): Coerced {
  const schema = resolve(schemaIn);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key] as Json[] | undefined;
    if (options) {
      for (const option of options) {
        const result = coerce(option, raw, resolve);
        if (result.ok) return result;
      }
      return { ok: false };
    }
  }
  let value: unknown = raw;
  switch (schema.type) {
    case 'integer':
      if (!/^-?\d+$/.test(raw)) return { ok: false };
      value = Number(raw);
      break;
    case 'number':
      if (raw.trim() === '' || Number.isNaN(Number(raw))) return { ok: false };
      value = Number(raw);
      break;
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') return { ok: false };
      value = raw === 'true';
      break;
    default:
      break;
  }
  const allowed = schema.enum as unknown[] | undefined;
  if (allowed && !allowed.includes(value)) return { ok: false };
  return { ok: true, value };
}

function describe(spec: ParamSpec): string {
  const s = spec.schema;
  if (Array.isArray(s.enum)) return `one of ${(s.enum as unknown[]).join(', ')}`;
  if (s.oneOf || s.anyOf) return 'of an allowed type';
  return `a valid ${String(s.type ?? 'value')}`;
}

function formatAjvError(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'body' : e.instancePath;
  const extra =
    e.keyword === 'enum'
      ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
      : e.keyword === 'additionalProperties'
        ? ` (${(e.params as { additionalProperty: string }).additionalProperty})`
        : '';
  return `${where} ${e.message ?? 'is invalid'}${extra}`;
}

const SCHEMA_MAPS = ['properties', 'patternProperties'] as const;
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;
const DROPPED = new Set([
  'description',
  'example',
  'examples',
  'discriminator',
  'xml',
  'externalDocs',
  'title',
]);

/**
 * OpenAPI 3.0 schema -> JSON Schema draft 7: `nullable` becomes a null type, component `$ref`s point at
 * `#/definitions/NAME` (each reported through `need`), documentation keywords are dropped.
 */
export function toJsonSchema(node: Json, need: (component: string) => void): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref') {
      const name = String(value).replace('#/components/schemas/', '');
      need(name);
      out.$ref = `#/definitions/${encodeURIComponent(name.replace(/~/g, '~0').replace(/\//g, '~1'))}`;
    } else if ((SCHEMA_MAPS as readonly string[]).includes(key)) {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, Json>).map(([k, v]) => [k, toJsonSchema(v, need)]),
      );
    } else if ((SCHEMA_LISTS as readonly string[]).includes(key)) {
      out[key] = (value as Json[]).map((v) => toJsonSchema(v, need));
    } else if (
      key === 'items' ||
      key === 'not' ||
      (key === 'additionalProperties' && typeof value === 'object')
    ) {
      out[key] = Array.isArray(value)
        ? (value as Json[]).map((v) => toJsonSchema(v, need))
        : toJsonSchema(value as Json, need);
    } else if (key !== 'nullable') {
      out[key] = value;
    }
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else if (out.type === undefined) {
      return { anyOf: [{ type: 'null' }, out] };
    }
  }
  return out;
}

/** Paths of object keys in `data` that no (sub)schema declares, where the schema lists its properties. */
export function unknownProperties(schema: Json, data: unknown, definitions: Record<string, Json>): string[] {
  const found: string[] = [];
  walkUnknown([schema], data, '', definitions, found);
  return found;
}

function expand(schemas: Json[], definitions: Record<string, Json>, depth = 0): Json[] {
  const out: Json[] = [];
  for (const s of schemas) {
    if (depth > 30) continue;
    if (typeof s.$ref === 'string') {
      const name = decodeURIComponent(s.$ref.replace('#/definitions/', ''))
        .replace(/~1/g, '/')
        .replace(/~0/g, '~');
      const target = definitions[name];
      if (target) out.push(...expand([target], definitions, depth + 1));
      continue;
    }
    out.push(s);
    for (const key of SCHEMA_LISTS) {
      const list = s[key] as Json[] | undefined;
      if (list) out.push(...expand(list, definitions, depth + 1));
    }
  }
  return out;
}

function walkUnknown(
  schemas: Json[],
  data: unknown,
  path: string,
  definitions: Record<string, Json>,
  found: string[],
): void {
  const all = expand(schemas, definitions);
  if (Array.isArray(data)) {
    const itemSchemas = all.map((s) => s.items).filter((i): i is Json => !!i && typeof i === 'object');
    if (itemSchemas.length > 0)
      data.forEach((item, i) => walkUnknown(itemSchemas, item, `${path}[${i}]`, definitions, found));
    return;
  }
  if (!data || typeof data !== 'object') return;
  const objectSchemas = all.filter((s) => s.properties || s.type === 'object' || s.additionalProperties);
  if (objectSchemas.length === 0) return;
  const open = objectSchemas.some(
    (s) =>
      (s.additionalProperties !== undefined && s.additionalProperties !== false) ||
      s.patternProperties !== undefined ||
      (s.properties === undefined && s.additionalProperties === undefined),
  );
  for (const [key, value] of Object.entries(data as Json)) {
    const keyPath = path === '' ? key : `${path}.${key}`;
    const propertySchemas = objectSchemas
      .map((s) => (s.properties as Record<string, Json> | undefined)?.[key])
      .filter((p): p is Json => !!p);
    if (propertySchemas.length === 0) {
      if (!open) found.push(keyPath);
      continue;
    }
    walkUnknown(propertySchemas, value, keyPath, definitions, found);
  }
}
