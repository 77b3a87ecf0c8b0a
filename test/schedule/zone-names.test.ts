// Zone names as the tz database writes them: the generated list is tzdata's own (compared with the
// system's tzdata.zi), current names validate silently, links validate with a warning naming the
// current name, and nothing Intl calls canonical decides it.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTzdataZi } from '../../scripts/tzdata-zi.ts';
import { LINKS, TZDATA_VERSION, ZONES } from '../../src/schedule/tz-names.ts';
import { checkZoneName } from '../../src/schedule/zone-names.ts';
import { zoneFor } from '../../src/schedule/time.ts';
import { requestFile } from '../helpers/requests.ts';

const SYSTEM_TZDATA = '/usr/share/zoneinfo/tzdata.zi';
const ci = Boolean(process.env.CI) && process.env.CI !== 'false';
const installed = existsSync(SYSTEM_TZDATA);
if (!installed && ci) throw new Error(`CI must compare the zone list with ${SYSTEM_TZDATA}: install tzdata`);
if (!installed) console.warn(`skipping the comparison with the system's tz database: no ${SYSTEM_TZDATA}`);

describe.skipIf(!installed)(`src/schedule/tz-names.ts and the system's ${SYSTEM_TZDATA}`, () => {
  const system = installed ? readTzdataZi(readFileSync(SYSTEM_TZDATA, 'utf8')) : undefined;

  it('list the same zones and links (regenerate with `npm run tz-names` when tzdata moves on)', () => {
    const ours = { zones: [...ZONES], links: { ...LINKS } };
    if (system!.version === TZDATA_VERSION) {
      expect(ours).toEqual({ zones: system!.zones, links: system!.links });
    } else {
      // Another release: every name the system has must still be accepted, as a zone or a link.
      const known = new Set([...ZONES, ...Object.keys(LINKS)]);
      const missing = [...system!.zones, ...Object.keys(system!.links)].filter((name) => !known.has(name));
      expect(
        missing,
        `tzdata ${system!.version} has names ${TZDATA_VERSION} lacks: run npm run tz-names`,
      ).toEqual([]);
    }
  });

  it('every link points to a zone of the list', () => {
    for (const [link, zone] of Object.entries(LINKS)) expect(ZONES, link).toContain(zone);
  });
});

describe('zone names', () => {
  it('every tz database name has offsets, from the tzdata tables maint embeds (not from Intl)', () => {
    const unknown = [...ZONES, ...Object.keys(LINKS)].filter((name) => !zoneFor(name));
    expect(unknown).toEqual([]);
  });

  it.each([
    // Current names that Intl (ICU) calls aliases of old ones.
    'Asia/Kolkata',
    'Europe/Kyiv',
    'America/Argentina/Buenos_Aires',
    'Asia/Ho_Chi_Minh',
    'Asia/Yangon',
    'Asia/Kathmandu',
    'Pacific/Kanton',
    'Etc/UTC',
    'UTC',
    'Europe/Berlin',
    'Europe/Oslo',
  ])('%s is a current name: no finding', (name) => {
    expect(checkZoneName(name)).toEqual({ kind: 'zone' });
    expect(requestFile('x', { timezone: name }).findings).toEqual([]);
  });

  it.each([
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['US/Eastern', 'America/New_York'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['GMT', 'Etc/GMT'],
    ['Asia/Saigon', 'Asia/Ho_Chi_Minh'],
    ['Pacific/Enderbury', 'Pacific/Kanton'],
  ])('%s is a link: valid, with a warning naming %s', (name, current) => {
    expect(checkZoneName(name)).toEqual({ kind: 'link', current });
    const parsed = requestFile('x', { timezone: name });
    expect(parsed.request?.zone).toBe(name);
    expect(parsed.findings).toMatchObject([
      {
        rule: 'timezone',
        severity: 'warning',
        line: 7,
        message: expect.stringContaining(`write \`${current}\``),
      },
    ]);
  });

  it.each([
    ['europe/berlin', 'is spelt `Europe/Berlin` in the tz database'],
    ['Europe/Berln', 'did you mean `Europe/Berlin`?'],
    ['Mars/Olympus', 'is not a time zone name of the tz database'],
    ['Factory', 'is not a time zone name of the tz database'],
  ])('%s is an error: %s', (name, message) => {
    const parsed = requestFile('x', { timezone: name });
    expect(parsed.request).toBeUndefined();
    expect(parsed.findings).toMatchObject([
      { rule: 'timezone', severity: 'error', message: expect.stringContaining(message) },
    ]);
  });
});
