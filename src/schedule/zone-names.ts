// Which time zone names maint accepts: every name of the tz database, exactly as tzdata writes it
// (tz-names.ts). A current name is fine; an old or merged name (a link, such as Asia/Calcutta or
// US/Eastern) still works and draws a warning naming tzdata's current name. Intl (ICU) is never
// asked: it has its own idea of canonical names (it calls Asia/Calcutta canonical and Asia/Kolkata
// an alias), and maint computes every name's offsets from its own tzdata tables (zone-offsets.ts).
import { LINKS, ZONES } from './tz-names.ts';

export type ZoneNameCheck =
  /** A zone of the tz database (or UTC). */
  | { kind: 'zone' }
  /** A link of the tz database: valid, but `current` is the name tzdata uses now. */
  | { kind: 'link'; current: string }
  /** Not a tz database name; `spelt` is the name it matches but for letter case. */
  | { kind: 'unknown'; spelt?: string };

const zones = new Set(ZONES);
let byLowerCase: Map<string, string> | undefined;

/** Every name of the tz database: zones and links. */
export function tzdataNames(): string[] {
  return [...ZONES, ...Object.keys(LINKS)];
}

/**
 * `UTC` is formally a link to Etc/UTC, but it is the name RFC 5545 and ISO 8601 use and the one the
 * default policy writes: it is accepted as it is, without a warning.
 */
function isZoneName(name: string): boolean {
  return zones.has(name) || name === 'UTC';
}

export function checkZoneName(name: string): ZoneNameCheck {
  if (isZoneName(name)) return { kind: 'zone' };
  if (Object.hasOwn(LINKS, name)) return { kind: 'link', current: LINKS[name]! };
  byLowerCase ??= new Map(tzdataNames().map((n) => [n.toLowerCase(), n]));
  const spelt = byLowerCase.get(name.toLowerCase());
  return spelt === undefined ? { kind: 'unknown' } : { kind: 'unknown', spelt };
}
