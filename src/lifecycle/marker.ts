// The hidden marker a result issue carries its lifecycle state in, so any run rebuilds the state from
// GitHub alone: `<!-- maint:state v1 <base64 of {"key":…,"state":…}> -->`. Base64 keeps `--` and `>`
// out of the comment whatever the state holds; the version says which reader understands it.
// Decoding reads untrusted issue text: it scans linearly, bounds sizes, and reports, never throws.
import { parseOccurrenceKey } from './keys.ts';
import { parseOccurrenceState } from './state-parse.ts';
import type { OccurrenceState } from './state.ts';

export const STATE_MARKER_VERSION = 1;

const OPEN = '<!-- maint:state';
const CLOSE = '-->';
/** GitHub issue bodies hold 65,536 characters; a marker larger than this is not ours. */
const MAX_PAYLOAD = 262_144;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export type MarkerDecode =
  | { kind: 'found'; key: string; state: OccurrenceState }
  | { kind: 'none' }
  | { kind: 'invalid'; error: string };

/** A hidden marker carrying JSON: `<open> v<version> <base64 of the JSON> -->`. */
export function encodeJsonMarker(open: string, version: number, payload: unknown): string {
  return `${open} v${version} ${Buffer.from(JSON.stringify(payload), 'utf8').toString('base64')} ${CLOSE}`;
}

export type JsonMarkerDecode =
  { kind: 'found'; payload: Record<string, unknown> } | { kind: 'none' } | { kind: 'invalid'; error: string };

/**
 * The JSON object a body's `open` marker carries. Several copies of the same marker are one; two
 * different ones are refused. `what` names the marker in errors (`state marker`).
 */
export function decodeJsonMarker(
  body: string,
  open: string,
  version: number,
  what: string,
): JsonMarkerDecode {
  const insides: string[] = [];
  let from = body.indexOf(open);
  while (from !== -1) {
    const end = body.indexOf(CLOSE, from + open.length);
    if (end === -1) return { kind: 'invalid', error: `the ${what} is not closed with -->` };
    insides.push(body.slice(from + open.length, end).trim());
    from = body.indexOf(open, end + CLOSE.length);
  }
  if (insides.length === 0) return { kind: 'none' };
  const distinct = [...new Set(insides)];
  if (distinct.length > 1)
    return {
      kind: 'invalid',
      error: `the issue has ${distinct.length} different ${what}s; keep the one maint wrote`,
    };
  const invalid = (error: string): JsonMarkerDecode => ({ kind: 'invalid', error: `${what}: ${error}` });
  const [tag, payload, ...rest] = distinct[0]!.split(/\s+/);
  if (!tag || !/^v\d{1,6}$/.test(tag) || payload === undefined || rest.length > 0)
    return invalid('expected `v<version> <base64>`');
  const number = Number(tag.slice(1));
  if (number > version)
    return invalid(`written by a newer maint (v${number}; this one reads v${version}): upgrade`);
  if (number !== version) return invalid(`version v${number} is not one maint wrote`);
  if (payload.length > MAX_PAYLOAD) return invalid(`${payload.length} characters is too long`);
  if (!BASE64.test(payload)) return invalid('the payload is not base64');
  let json: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(payload, 'base64'));
    json = JSON.parse(text);
  } catch (error) {
    return invalid(
      `the payload is not UTF-8 JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return invalid('the payload is not an object');
  return { kind: 'found', payload: json as Record<string, unknown> };
}

export function encodeStateMarker(key: string, state: OccurrenceState): string {
  return encodeJsonMarker(OPEN, STATE_MARKER_VERSION, { key, state });
}

/** The state marker in an issue body: found, none, or invalid with a sentence saying why. */
export function decodeStateMarker(body: string): MarkerDecode {
  const marker = decodeJsonMarker(body, OPEN, STATE_MARKER_VERSION, 'state marker');
  if (marker.kind !== 'found') return marker;
  const invalid = (error: string): MarkerDecode => ({ kind: 'invalid', error: `state marker: ${error}` });
  const { key, state, ...others } = marker.payload;
  const extra = Object.keys(others);
  if (extra.length > 0) return invalid(`unknown field ${extra[0]}`);
  if (typeof key !== 'string' || !parseOccurrenceKey(key))
    return invalid('`key` is not an occurrence key (<id> or <id>@yyyy-MM-ddTHH:mm)');
  const parsed = parseOccurrenceState(state, '$.state');
  if (!parsed.ok) return invalid(`${parsed.path}: ${parsed.message}`);
  return { kind: 'found', key, state: parsed.value };
}
