// Reads lifecycle state from untrusted JSON (a --state file, a result issue's marker): every field
// checked, unknown ones refused, and the first problem reported with its JSON path. Never throws.
import { ITEM_STATUSES, type ItemStatus } from '../execute/report.ts';
import { parseInstant } from '../schedule/time.ts';
import { parseOccurrenceKey } from './keys.ts';
import {
  BEGUN_ITEM,
  LIFECYCLE_STATES,
  isActionName,
  type ActionName,
  type LifecycleState,
  type DispatchRecord,
  type LogEntry,
  type OccurrenceState,
  type ProvenanceRecord,
  type DeliveryResult,
  type PullRequestRecord,
  type ReviewRecord,
  type StateMap,
} from './state.ts';

export interface StateProblem {
  /** JSON path of the offending value: `$["weekly-api@2027-01-10T02:00"].done[1]`. */
  path: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | ({ ok: false } & StateProblem);

class Invalid extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const member = (path: string, key: string) =>
  IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object; with `allowed`, one that has no other fields. */
function object(value: unknown, path: string, allowed?: readonly string[]): Record<string, unknown> {
  if (!isObject(value)) throw new Invalid(path, `expected an object, found ${kind(value)}`);
  for (const key of Object.keys(value))
    if (allowed && !allowed.includes(key))
      throw new Invalid(member(path, key), `unknown field (known: ${allowed.join(', ')})`);
  return value;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new Invalid(path, `expected a string, found ${kind(value)}`);
  return value;
}

function instant(value: unknown, path: string): string {
  const text = string(value, path);
  if (parseInstant(text) === undefined)
    throw new Invalid(path, `expected an ISO 8601 instant such as 2027-01-10T02:00:00Z, found ${text}`);
  return text;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new Invalid(path, `expected an array, found ${kind(value)}`);
  return value;
}

function action(value: unknown, path: string): ActionName {
  const text = string(value, path);
  if (!isActionName(text))
    throw new Invalid(
      path,
      `\`${text}\` is not an action (announce, remind:<ISO duration>, silence, start, miss, cancel, unsilence, stop, complete, fail, rollback, review, review-remind:<ISO duration>, reviewed, or skip:<action>)`,
    );
  return text;
}

const FIELDS = [
  'state',
  'done',
  'log',
  'silence',
  'issue',
  'actual',
  'begun',
  'external',
  'owed',
  'provenance',
  'dispatch',
  'results',
  'review',
  'delivery',
  'pullRequest',
] as const;

const SHA = /^[0-9a-f]{40}$/;

function sha(value: unknown, path: string): string {
  const text = string(value, path);
  if (!SHA.test(text)) throw new Invalid(path, `expected a full commit or blob SHA, found ${text}`);
  return text;
}

function count(value: unknown, path: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1)
    throw new Invalid(path, `expected a positive whole number, found ${kind(value)}`);
  return value as number;
}

function provenance(value: unknown, path: string): ProvenanceRecord {
  const doc = object(value, path, ['ok', 'blob', 'sha', 'pull', 'commit', 'reason', 'checked']);
  if (typeof doc.ok !== 'boolean')
    throw new Invalid(`${path}.ok`, `expected true or false, found ${kind(doc.ok)}`);
  const blob = sha(doc.blob, `${path}.blob`);
  const checked = instant(doc.checked, `${path}.checked`);
  if (!doc.ok) return { ok: false, blob, reason: string(doc.reason, `${path}.reason`), checked };
  return {
    ok: true,
    blob,
    sha: sha(doc.sha, `${path}.sha`),
    pull: count(doc.pull, `${path}.pull`),
    commit: sha(doc.commit, `${path}.commit`),
    checked,
  };
}

function dispatch(value: unknown, path: string): DispatchRecord {
  const doc = object(value, path, ['sha', 'blob', 'at', 'claim', 'run', 'url', 'sent']);
  return {
    sha: sha(doc.sha, `${path}.sha`),
    blob: sha(doc.blob, `${path}.blob`),
    at: instant(doc.at, `${path}.at`),
    ...(doc.claim !== undefined ? { claim: string(doc.claim, `${path}.claim`) } : {}),
    ...(doc.run !== undefined ? { run: count(doc.run, `${path}.run`) } : {}),
    ...(doc.url !== undefined ? { url: string(doc.url, `${path}.url`) } : {}),
    ...(doc.sent !== undefined ? { sent: count(doc.sent, `${path}.sent`) } : {}),
  };
}

function wholeNumber(value: unknown, path: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0)
    throw new Invalid(path, `expected a whole number, found ${kind(value)}`);
  return value as number;
}

const SERVICE = /^[a-z][a-z0-9-]*$/;

function results(value: unknown, path: string): Record<string, ItemStatus> {
  const out: Record<string, ItemStatus> = {};
  for (const [key, status] of Object.entries(object(value, path))) {
    const at = member(path, key);
    if (!BEGUN_ITEM.test(key)) throw new Invalid(at, 'expected a check or step key such as step:2');
    const text = string(status, at);
    if (!(ITEM_STATUSES as readonly string[]).includes(text))
      throw new Invalid(at, `\`${text}\` is not a result (${ITEM_STATUSES.join(', ')})`);
    out[key] = text as ItemStatus;
  }
  return out;
}

function review(value: unknown, path: string): ReviewRecord {
  const doc = object(value, path, ['since', 'due', 'done', 'seen', 'actions']);
  const out: ReviewRecord = {
    since: instant(doc.since, `${path}.since`),
    due: array(doc.due ?? [], `${path}.due`).map((item, i) => string(item, `${path}.due[${i}]`)),
  };
  if (doc.done !== undefined) {
    const done = object(doc.done, `${path}.done`, ['at', 'by']);
    out.done = { at: instant(done.at, `${path}.done.at`), by: string(done.by, `${path}.done.by`) };
  }
  if (doc.seen !== undefined) out.seen = wholeNumber(doc.seen, `${path}.seen`);
  if (doc.actions !== undefined) {
    const actions = object(doc.actions, `${path}.actions`, ['open', 'done']);
    out.actions = {
      open: wholeNumber(actions.open, `${path}.actions.open`),
      done: wholeNumber(actions.done, `${path}.actions.done`),
    };
  }
  return out;
}

function delivery(value: unknown, path: string): Record<string, Record<string, DeliveryResult>> {
  const out: Record<string, Record<string, DeliveryResult>> = {};
  for (const [channel, sent] of Object.entries(object(value, path))) {
    const at = member(path, channel);
    if (!SERVICE.test(channel)) throw new Invalid(at, 'expected a channel name such as slack');
    const actions: Record<string, DeliveryResult> = {};
    for (const [name, result] of Object.entries(object(sent, at))) {
      const where = member(at, name);
      action(name, where);
      if (result !== 'sent' && result !== 'failed')
        throw new Invalid(where, `expected sent or failed, found ${kind(result)}`);
      actions[name] = result;
    }
    out[channel] = actions;
  }
  return out;
}

function pullRequest(value: unknown, path: string): PullRequestRecord {
  const doc = object(value, path, ['number', 'opened', 'merged']);
  return {
    number: count(doc.number, `${path}.number`),
    opened: instant(doc.opened, `${path}.opened`),
    merged: instant(doc.merged, `${path}.merged`),
  };
}

function occurrenceState(value: unknown, path: string): OccurrenceState {
  const doc = object(value, path, FIELDS);
  if (doc.state === undefined) throw new Invalid(path, 'missing field `state`');
  const state = string(doc.state, `${path}.state`);
  if (!(LIFECYCLE_STATES as readonly string[]).includes(state))
    throw new Invalid(`${path}.state`, `\`${state}\` is not a state (${LIFECYCLE_STATES.join(', ')})`);
  const done: ActionName[] = [];
  for (const [i, item] of array(doc.done ?? [], `${path}.done`).entries()) {
    const name = action(item, `${path}.done[${i}]`);
    if (done.includes(name)) throw new Invalid(`${path}.done[${i}]`, `\`${name}\` is listed twice`);
    done.push(name);
  }
  const out: OccurrenceState = { state: state as LifecycleState, done };
  if (doc.log !== undefined) {
    out.log = array(doc.log, `${path}.log`).map((item, i): LogEntry => {
      const at = `${path}.log[${i}]`;
      const entry = object(item, at, ['at', 'action', 'note']);
      return {
        at: instant(entry.at, `${at}.at`),
        action: action(entry.action, `${at}.action`),
        ...(entry.note !== undefined ? { note: string(entry.note, `${at}.note`) } : {}),
      };
    });
  }
  if (doc.silence !== undefined) {
    const silence = object(doc.silence, `${path}.silence`);
    out.silence = {};
    for (const [provider, ids] of Object.entries(silence)) {
      const at = member(`${path}.silence`, provider);
      if (!/^[a-z][a-z0-9-]*$/.test(provider))
        throw new Invalid(at, 'expected an alerting provider name such as alertmanager');
      out.silence[provider] = array(ids, at).map((id, i) => string(id, `${at}[${i}]`));
    }
  }
  if (doc.issue !== undefined) {
    if (!Number.isSafeInteger(doc.issue) || (doc.issue as number) < 1)
      throw new Invalid(`${path}.issue`, `expected an issue number, found ${kind(doc.issue)}`);
    out.issue = doc.issue as number;
  }
  if (doc.actual !== undefined) {
    const actual = object(doc.actual, `${path}.actual`, ['start', 'end']);
    out.actual = {
      ...(actual.start !== undefined ? { start: instant(actual.start, `${path}.actual.start`) } : {}),
      ...(actual.end !== undefined ? { end: instant(actual.end, `${path}.actual.end`) } : {}),
    };
  }
  if (doc.begun !== undefined) {
    out.begun = array(doc.begun, `${path}.begun`).map((item, i) => {
      const key = string(item, `${path}.begun[${i}]`);
      if (!BEGUN_ITEM.test(key))
        throw new Invalid(`${path}.begun[${i}]`, `\`${key}\` is not a check or step key such as step:2`);
      return key;
    });
  }
  if (doc.owed !== undefined) {
    out.owed = array(doc.owed, `${path}.owed`).map((item, i) => action(item, `${path}.owed[${i}]`));
  }
  if (doc.provenance !== undefined) out.provenance = provenance(doc.provenance, `${path}.provenance`);
  if (doc.dispatch !== undefined) out.dispatch = dispatch(doc.dispatch, `${path}.dispatch`);
  if (doc.results !== undefined) out.results = results(doc.results, `${path}.results`);
  if (doc.review !== undefined) out.review = review(doc.review, `${path}.review`);
  if (doc.delivery !== undefined) out.delivery = delivery(doc.delivery, `${path}.delivery`);
  if (doc.pullRequest !== undefined) out.pullRequest = pullRequest(doc.pullRequest, `${path}.pullRequest`);
  if (doc.external !== undefined) {
    const external = object(doc.external, `${path}.external`);
    out.external = {};
    for (const [service, id] of Object.entries(external)) {
      const at = member(`${path}.external`, service);
      if (!SERVICE.test(service)) throw new Invalid(at, 'expected a service name such as statuspage');
      out.external[service] = string(id, at);
    }
  }
  return out;
}

function attempt<T>(read: () => T): Parsed<T> {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, path: error.path, message: error.message };
    return { ok: false, path: '$', message: error instanceof Error ? error.message : String(error) };
  }
}

/** One occurrence's state, as a result issue's marker carries it. */
export function parseOccurrenceState(value: unknown, path = '$'): Parsed<OccurrenceState> {
  return attempt(() => occurrenceState(value, path));
}

/** States by occurrence key, as `maint plan --state` reads them. */
export function parseStateMap(value: unknown): Parsed<StateMap> {
  return attempt(() => {
    const doc = object(value, '$');
    const states: StateMap = {};
    for (const [key, item] of Object.entries(doc)) {
      const path = member('$', key);
      if (!parseOccurrenceKey(key))
        throw new Invalid(path, 'expected an occurrence key: a request id, or <id>@yyyy-MM-ddTHH:mm');
      states[key] = occurrenceState(item, path);
    }
    return states;
  });
}
