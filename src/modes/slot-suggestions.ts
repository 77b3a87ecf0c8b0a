// The next free slot as a change the requester commits with one click. For each request refused
// for its time: the edit that moves it there (start, and end by the same amount, in the file's own
// way of writing time), kept only when the moved file passes validation as the pull request would
// then have it, and placed as GitHub suggestions on the lines of the diff that hold `start` (and
// `end`). A recurring request moves as a whole: its start goes to a later occurrence of its own
// rule (so the rule still matches), the first from which every occurrence passes. Pure: the pull
// request's data and report in, review comments and one note per file out.
import { escapeMarkdown } from '../notices/escape.ts';
import { headLinesOfHunks } from '../github/patch.ts';
import type { NewReviewComment } from '../github/port.ts';
import { parseRequest, type RequestParse } from '../model/request.ts';
import type { LocatedFinding, MaintenanceRequest } from '../model/types.ts';
import { seriesOccurrences } from '../schedule/recurrence.ts';
import { editedLines, linesOf, moveRequestText, type SlotEdit } from '../schedule/slot-edit.ts';
import { DAY, formatBoth } from '../schedule/time.ts';
import { TIME_RULES, type FileReport, type ValidationReport } from '../schedule/validate.ts';
import type { PullRequestData } from './pull-request-data.ts';

/** Every suggestion comment carries this, so the next run finds (and replaces) it. */
export const SUGGESTION_MARKER = '<!-- maint:slot-suggestion -->';

/** Later occurrences of a recurring request tried as its new start. */
export const SERIES_CANDIDATES = 12;
/** Slots tried for a one-off request, the first included. */
export const ONE_OFF_TRIES = 3;
/** Moved files validated in one run at most: each is a validation of the whole pull request. */
export const MAX_CANDIDATE_CHECKS = 24;

export interface SlotSuggestion {
  path: string;
  /** For the sticky comment: what is suggested where, or why nothing is. */
  note: string;
  /** The review comments that carry the change; none when it cannot be placed on the diff. */
  comments: NewReviewComment[];
  /** The file as the suggestion makes it, when a slot that passes was found. */
  text?: string;
  startsAt?: number;
}

/** Validates the pull request as it would be with these head files instead. */
export type Revalidate = (data: PullRequestData) => ValidationReport;

const refusedForTime = (file: FileReport) =>
  file.errors.some((f) => TIME_RULES.has(f.rule)) && file.request !== undefined && !file.history;

export function planSlotSuggestions(
  data: PullRequestData,
  report: ValidationReport,
  revalidate: Revalidate,
): SlotSuggestion[] {
  const heads = new Map(data.heads.map((h) => [h.path, h]));
  const moved = new Map<string, RequestParse>();
  const budget = { checks: MAX_CANDIDATE_CHECKS };
  const out: SlotSuggestion[] = [];
  for (const file of report.files) {
    const head = heads.get(file.path);
    const request = file.request;
    if (!refusedForTime(file) || !head || !request || !file.nextSlot) continue;
    const text = head.positions.text;
    const slot = file.nextSlot;
    if (!slot.found) {
      out.push({
        path: file.path,
        note: "No change is suggested: there is no free slot within the policy's horizon.",
        comments: [],
      });
      continue;
    }
    const candidates = request.series ? laterStarts(request, data.policy.horizonMs) : [slot.start];
    const { accepted, refusal } = firstPassingMove(file, request, text, candidates, {
      data,
      moved,
      revalidate,
      budget,
    });
    if (!accepted) {
      out.push({
        path: file.path,
        note: request.series
          ? `No change is suggested: moving the series' start to one of its next ${SERIES_CANDIDATES} occurrences does not make it pass (${refusal ?? 'none is left'}). Change the rule's day or time, or skip refused occurrences with \`exdates\`.`
          : `No change is suggested: ${refusal ?? 'the slot could not be checked'}.`,
        comments: [],
      });
      continue;
    }
    moved.set(file.path, accepted.parse);
    const window =
      !request.series && slot.window && slot.start === accepted.startsAt
        ? ` in ${slot.window.names.join(' + ')}`
        : '';
    const when = `${formatBoth(accepted.startsAt, request.zone)}${window}`;
    out.push({
      path: file.path,
      ...placed(file.path, text, accepted.edit, request, when, data),
      text: accepted.edit.text,
      startsAt: accepted.startsAt,
    });
  }
  return out;
}

interface MoveContext {
  data: PullRequestData;
  /** The files suggestions were found for so far, as they would be. */
  moved: ReadonlyMap<string, RequestParse>;
  revalidate: Revalidate;
  /** Validations left in this run. */
  budget: { checks: number };
}

/**
 * The first candidate start at which the moved file passes, or why none does. A one-off request
 * whose slot is taken by a request moved before it (or that still breaks a rule there) tries the
 * next free slot validation finds for the moved file, a few times.
 */
function firstPassingMove(
  file: FileReport,
  request: MaintenanceRequest,
  text: string,
  candidates: number[],
  context: MoveContext,
): { accepted?: { edit: SlotEdit; startsAt: number; parse: RequestParse }; refusal?: string } {
  let refusal: string | undefined;
  for (let i = 0; i < candidates.length; i++) {
    const startsAt = candidates[i]!;
    if (context.budget.checks <= 0)
      return { refusal: refusal ?? 'too many requests to move in one pull request: fix the others first' };
    const result = moveRequestText(text, request, startsAt);
    if ('problem' in result) return { refusal: `maint cannot rewrite the time: ${result.problem}` };
    const parse = parseRequest({ path: file.path, text: result.edit.text });
    context.budget.checks--;
    const { blocking, next } = check(file, parse, context);
    if (!blocking) return { accepted: { edit: result.edit, startsAt, parse } };
    refusal = `moved to ${formatBoth(startsAt, request.zone)} it would still break \`${blocking.rule}\`: ${blocking.message}`;
    const retry = !request.series && next !== undefined && !candidates.includes(next);
    if (retry && candidates.length < ONE_OFF_TRIES) candidates.push(next);
  }
  return refusal ? { refusal } : {};
}

/**
 * Where a series could start instead: the next occurrences of its rule after its start, the rule
 * followed past its COUNT or UNTIL (a series moved by COUNT keeps its number of occurrences).
 */
function laterStarts(request: MaintenanceRequest, horizonMs: number): number[] {
  const series = request.series!;
  const rrule = series.rrule
    .split(';')
    .filter((part) => !/^(COUNT|UNTIL)=/i.test(part))
    .join(';');
  const unbounded = { ...request, series: { ...series, rrule } };
  const until = request.startsAt + Math.max(horizonMs, 366 * DAY);
  return seriesOccurrences(unbounded, request.startsAt + 1, until)
    .slice(0, SERIES_CANDIDATES)
    .map((o) => o.start);
}

/**
 * The first error the moved file still has that the suggestion should have fixed (any time rule,
 * or a rule the file did not break before: its other errors are the requester's to fix), and the
 * next free slot validation finds for the moved file.
 */
function check(
  file: FileReport,
  parse: RequestParse,
  { data, moved, revalidate }: MoveContext,
): { blocking?: LocatedFinding; next?: number } {
  // The pull request as it would be: this file moved, and the files moved before it too.
  const heads = data.heads.map((h) => (h.path === file.path ? parse : (moved.get(h.path) ?? h)));
  const checked = revalidate({ ...data, heads }).files.find((f) => f.path === file.path);
  const first = parse.findings.find((f) => f.severity === 'error');
  if (!checked) return first ? { blocking: first } : {};
  const before = new Set(file.errors.filter((f) => !TIME_RULES.has(f.rule)).map((f) => f.rule));
  const blocking = checked.errors.find((f) => TIME_RULES.has(f.rule) || !before.has(f.rule));
  const next = checked.nextSlot?.found ? checked.nextSlot.start : undefined;
  return { ...(blocking ? { blocking } : {}), ...(next !== undefined ? { next } : {}) };
}

/** The edit as review comments on the diff's lines, or, off the diff, the note that says the change. */
function placed(
  path: string,
  text: string,
  edit: SlotEdit,
  request: MaintenanceRequest,
  when: string,
  data: PullRequestData,
): Pick<SlotSuggestion, 'note' | 'comments'> {
  const spans = mergeSpans(edit.edits.map((e) => ({ fields: [e.field], ...linesOf(text, e) })));
  const patch = data.files.find((f) => f.filename === path)?.patch;
  const hunks = patch === undefined ? [] : headLinesOfHunks(patch);
  const hunkOf = (span: { first: number; last: number }) =>
    hunks.findIndex((h) => h.first <= span.first && span.last <= h.last);
  const where = spans.map(hunkOf);
  const moves = (at: string) =>
    request.series
      ? `moves the series to start at ${at}, the first occurrence of its rule from which every occurrence passes (the rule is unchanged)`
      : `moves the request to the next free slot, ${at}`;
  const endToo = edit.edits.some((e) => e.field === 'end') ? '; `end` moves by the same amount' : '';

  if (where.some((h) => h < 0)) {
    const lines = spans
      .map((s) => {
        const changed = editedLines(text, edit.edits, s.first, s.last).join(' ');
        return `line ${s.first}${s.last > s.first ? `-${s.last}` : ''} to: ${changed}`;
      })
      .join('; ');
    const span = spans.find((_, i) => where[i]! < 0)!;
    return {
      note: `A change that ${moves(when)} cannot be suggested here: line ${span.first} (\`${span.fields.join('`, `')}\`) is not part of this pull request's diff, and GitHub takes suggestions only on lines of the diff. Change ${lines}.`,
      comments: [],
    };
  }
  const together = new Set(where).size === 1 ? [spanOf(spans)] : spans;
  const many = together.length > 1;
  const comments = together.map((span): NewReviewComment => {
    const fields = span.fields.map((f) => `\`${f}\``).join(' and ');
    // The policy's window names and zone labels are shown as text, never as Markdown.
    const intro = many
      ? `**Next free slot:** this change to ${fields} ${moves(escapeMarkdown(when))}; commit it together with the other suggestion on this file (Add suggestion to batch), or the file is left half-moved.`
      : `**Next free slot:** this change ${moves(escapeMarkdown(when))}${endToo}. Click **Commit suggestion** to take it.`;
    return {
      path,
      line: span.last,
      ...(span.first < span.last ? { startLine: span.first } : {}),
      body: suggestionBody(intro, editedLines(text, edit.edits, span.first, span.last)),
    };
  });
  const lines = together.map((s) => (s.first < s.last ? `lines ${s.first}-${s.last}` : `line ${s.first}`));
  return {
    note: `Suggested as a change on ${lines.join(' and ')} of the diff that ${moves(when)}${many ? '' : endToo}: commit the suggestion to take it.`,
    comments,
  };
}

interface Span {
  fields: string[];
  first: number;
  last: number;
}

/** Spans that share lines become one (start and end written on one line). */
function mergeSpans(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const span of [...spans].sort((a, b) => a.first - b.first)) {
    const last = out[out.length - 1];
    if (last && span.first <= last.last) {
      last.fields.push(...span.fields);
      last.last = Math.max(last.last, span.last);
    } else out.push({ ...span, fields: [...span.fields] });
  }
  return out;
}

function spanOf(spans: Span[]): Span {
  return {
    fields: spans.flatMap((s) => s.fields),
    first: Math.min(...spans.map((s) => s.first)),
    last: Math.max(...spans.map((s) => s.last)),
  };
}

/** The comment: the marker, what it does, and the lines in a fence no line inside can close. */
export function suggestionBody(intro: string, lines: readonly string[]): string {
  const longest = Math.max(2, ...lines.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
  const fence = '`'.repeat(longest + 1);
  return [SUGGESTION_MARKER, intro, '', `${fence}suggestion`, ...lines, fence].join('\n');
}

/** Notes for the sticky comment, by file. */
export function suggestionNotes(suggestions: readonly SlotSuggestion[]): Map<string, string> {
  return new Map(suggestions.map((s) => [s.path, s.note]));
}
