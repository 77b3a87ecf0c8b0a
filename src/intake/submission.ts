// An issue-form submission turned into a request file: the answers read back from the issue body
// (GitHub writes each answer as `### <label>`, a blank line, then the text; `_No response_` for an
// empty text field, `None` for an empty dropdown), the request document they make with the issue's
// title and author, and its YAML, parsed back with the same code as `maint validate`. Every problem
// names the form field to fix. Pure.
import { stringify } from 'yaml';
import { parseRequest, type RequestParse } from '../model/request.ts';
import { slugify, uniqueRequestId } from '../model/request-id.ts';
import type { RequestDocument } from '../model/types.ts';
import { FROM_ISSUE, type FormField } from './form.ts';

/** The issue as GitHub gives it: only the number, title, body and author login are used. */
export interface Submission {
  number: number;
  title: string;
  body: string;
  author: string;
}

export interface FieldProblem {
  /** The request field (a form id), or `title` / `requester` for what the issue itself gives. */
  field: string;
  /** How the requester knows the field: the form's label, or "the issue title". */
  label: string;
  message: string;
}

const NO_RESPONSE = '_No response_';
const NO_SELECTION = 'None';
const HEADING = /^###[ \t]+(.*?)[ \t]*$/;

/**
 * The answers by field id. A line is a field's heading only when it is `### <label>` of a field of
 * the form; a field's text that repeats another field's heading is a problem, as the body cannot
 * be read unambiguously.
 */
export function readAnswers(
  body: string,
  fields: readonly FormField[],
): { answers: Map<string, string>; problems: FieldProblem[] } {
  const byLabel = new Map(fields.map((f) => [f.label, f]));
  const sections = new Map<string, string[]>();
  const problems: FieldProblem[] = [];
  let current: string[] | undefined;
  for (const line of body.replace(/\r\n?/g, '\n').split('\n')) {
    const field = byLabel.get(HEADING.exec(line)?.[1] ?? '');
    if (!field) {
      current?.push(line);
      continue;
    }
    if (sections.has(field.id)) {
      problems.push({
        field: field.id,
        label: field.label,
        message: `the body has the heading \`### ${field.label}\` twice: a field's text cannot contain a line that is another field's heading`,
      });
      current = undefined;
      continue;
    }
    current = [];
    sections.set(field.id, current);
  }
  const answers = new Map<string, string>();
  for (const field of fields) {
    const lines = sections.get(field.id);
    if (!lines) continue;
    const text = field.kind === 'textarea' ? trimBlankLines(lines) : lines.join('\n').trim();
    const empty = text === '' || text === NO_RESPONSE || (field.kind === 'dropdown' && text === NO_SELECTION);
    if (!empty) answers.set(field.id, text);
  }
  return { answers, problems };
}

/** Leading and trailing blank lines go; the text's own indentation and inner blank lines stay. */
function trimBlankLines(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return lines
    .slice(start, end)
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n');
}

/** Comma- or line-separated names, trimmed, without empties or repeats. */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** The request document the answers make, with the issue's title and its author as the requester. */
export function requestDocument(
  submission: Submission,
  answers: ReadonlyMap<string, string>,
): RequestDocument {
  const doc: Record<string, unknown> = {};
  const put = (field: string, value: unknown) => {
    if (value !== undefined) doc[field] = value;
  };
  // The order of the schema, as `maint new` writes it.
  put('title', submission.title.replace(/\s+/g, ' ').trim());
  for (const field of ['type', 'category', 'environment']) put(field, answers.get(field));
  const services = answers.get('services');
  put('services', services === undefined ? undefined : splitList(services));
  for (const field of [
    'start',
    'timezone',
    'duration',
    'recurrence',
    'impact',
    'impact_description',
    'description',
    'justification',
    'rollback',
    'testing',
    'risks',
  ])
    put(field, answers.get(field));
  put('requester', submission.author);
  put('incident', answers.get('incident'));
  return doc as unknown as RequestDocument;
}

/** The request file's text: a comment saying where it came from, then the document as YAML data. */
export function requestFileText(doc: RequestDocument, issueNumber: number): string {
  return [
    `# Filed from issue #${issueNumber} by maint (mode: intake). Edit the issue to change it here,`,
    '# or edit this file in the pull request.',
    stringify(doc, { lineWidth: 0 }),
  ].join('\n');
}

export type Draft =
  | { ok: true; id: string; path: string; text: string; parse: RequestParse }
  | { ok: false; problems: FieldProblem[] };

export interface DraftOptions {
  /** Folder of request files (maintenance). */
  dir: string;
  /** Ids of the requests already on the default branch. */
  takenIds: ReadonlySet<string>;
  /** The file an earlier run of this issue wrote: its path (and id) stay, whatever the title says now. */
  existingPath?: string;
}

/**
 * The request file a submission makes, or every problem that keeps it from being one: empty
 * required fields, lines where one line is expected, and whatever the schema and the time
 * resolution of `maint validate` find in the file it would write.
 */
export function draftRequest(
  submission: Submission,
  fields: readonly FormField[],
  options: DraftOptions,
): Draft {
  const { answers, problems } = readAnswers(submission.body, fields);
  const labelOf = (field: string) => fields.find((f) => f.id === field)?.label ?? FROM_ISSUE[field] ?? field;
  for (const field of fields) {
    const answer = answers.get(field.id);
    if (answer === undefined && field.required)
      problems.push({ field: field.id, label: field.label, message: 'is required: fill it in' });
    if (answer !== undefined && field.kind === 'input' && field.id !== 'services' && answer.includes('\n'))
      problems.push({ field: field.id, label: field.label, message: 'must be a single line' });
  }
  if (submission.title.trim() === '')
    problems.push({ field: 'title', label: labelOf('title'), message: 'is empty: give the issue a title' });
  if (problems.length > 0) return { ok: false, problems };

  const doc = requestDocument(submission, answers);
  const existing =
    options.existingPath && isSafeRequestPath(options.existingPath, options.dir)
      ? options.existingPath
      : undefined;
  const id = existing
    ? existing.replace(/^.*\//, '').replace(/\.ya?ml$/, '')
    : uniqueRequestId(slugify(doc.title), options.takenIds);
  // Only digits reach the path: a start that is not a date-time fails the parse below anyway.
  const year = /^\d{4}(?=-)/.exec(doc.start)?.[0] ?? 'undated';
  const path = existing ?? `${options.dir}/${year}/${id}.yaml`;
  const text = requestFileText(doc, submission.number);
  const parse = parseRequest({ path, text });
  const errors = parse.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0 || !parse.request) {
    return {
      ok: false,
      problems: errors.map((f) => {
        const field = typeof f.path?.[0] === 'string' ? f.path[0] : '';
        return { field, label: field ? labelOf(field) : 'the request', message: f.message };
      }),
    };
  }
  return { ok: true, id, path, text, parse };
}

/** A request file path maint may write: under `dir`, plain folder names, a kebab-case file name. */
export function isSafeRequestPath(path: string, dir: string): boolean {
  if (!path.startsWith(`${dir}/`)) return false;
  const segments = path.slice(dir.length + 1).split('/');
  const file = segments.pop() ?? '';
  return (
    /^[a-z0-9]+(?:-[a-z0-9]+)*\.ya?ml$/.test(file) &&
    segments.every((s) => /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(s))
  );
}
