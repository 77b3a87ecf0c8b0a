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

export function encodeStateMarker(key: string, state: OccurrenceState): string {
  const payload = Buffer.from(JSON.stringify({ key, state }), 'utf8').toString('base64');
  return `${OPEN} v${STATE_MARKER_VERSION} ${payload} ${CLOSE}`;
}

/** The state marker in an issue body: found, none, or invalid with a sentence saying why. */
export function decodeStateMarker(body: string): MarkerDecode {
  const insides: string[] = [];
  let from = body.indexOf(OPEN);
  while (from !== -1) {
    const end = body.indexOf(CLOSE, from + OPEN.length);
    if (end === -1) return { kind: 'invalid', error: 'the state marker is not closed with -->' };
    insides.push(body.slice(from + OPEN.length, end).trim());
    from = body.indexOf(OPEN, end + CLOSE.length);
  }
  if (insides.length === 0) return { kind: 'none' };
  const distinct = [...new Set(insides)];
  if (distinct.length > 1)
    return {
      kind: 'invalid',
      error: `the issue has ${distinct.length} different state markers; keep the one maint wrote`,
    };
  return decodeInside(distinct[0]!);
}

function decodeInside(inside: string): MarkerDecode {
  const invalid = (error: string): MarkerDecode => ({ kind: 'invalid', error: `state marker: ${error}` });
  const [version, payload, ...rest] = inside.split(/\s+/);
  if (!version || !/^v\d{1,6}$/.test(version) || payload === undefined || rest.length > 0)
    return invalid('expected `v<version> <base64>`');
  const number = Number(version.slice(1));
  if (number > STATE_MARKER_VERSION)
    return invalid(`written by a newer maint (v${number}; this one reads v${STATE_MARKER_VERSION}): upgrade`);
  if (number !== STATE_MARKER_VERSION) return invalid(`version v${number} is not one maint wrote`);
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
  const { key, state, ...others } = json as Record<string, unknown>;
  const extra = Object.keys(others);
  if (extra.length > 0) return invalid(`unknown field ${extra[0]}`);
  if (typeof key !== 'string' || !parseOccurrenceKey(key))
    return invalid('`key` is not an occurrence key (<id> or <id>@yyyy-MM-ddTHH:mm)');
  const parsed = parseOccurrenceState(state, '$.state');
  if (!parsed.ok) return invalid(`${parsed.path}: ${parsed.message}`);
  return { kind: 'found', key, state: parsed.value };
}
