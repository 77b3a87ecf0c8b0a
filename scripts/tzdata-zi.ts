// Reads the zone and link names out of tzdata's compiled source, tzdata.zi (zic's input format):
// `Z NAME ...` lines are zones, `L TARGET NAME` lines are links. Used to generate
// src/schedule/tz-names.ts and, in its test, to compare that module with the system's tzdata.

export interface TzdataNames {
  /** `2025b`, from the `# version` line. */
  version: string;
  zones: string[];
  /** Link name -> the zone it points to. */
  links: Record<string, string>;
}

/**
 * `Factory` is tzdata's placeholder for "local time not configured" (its abbreviation is `-00`),
 * not a place: Intl does not know it and no calendar can publish it, so it is left out.
 */
const NOT_PLACES = new Set(['Factory']);

export function readTzdataZi(text: string): TzdataNames {
  const version = /^# version (\S+)$/m.exec(text)?.[1];
  if (!version) throw new Error('tzdata.zi has no `# version` line');
  const zones: string[] = [];
  const links: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'Z' && fields[1] && !NOT_PLACES.has(fields[1])) zones.push(fields[1]);
    else if (fields[0] === 'L' && fields[1] && fields[2]) links[fields[2]] = fields[1];
  }
  zones.sort();
  const sortedLinks = Object.fromEntries(Object.entries(links).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { version, zones, links: sortedLinks };
}
