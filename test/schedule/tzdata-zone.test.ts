// Luxon DateTimes in maint's zones (src/schedule/tzdata-zone.ts, what zoneFor returns and the feed
// renderer uses) have tzdata's local time, offset and abbreviation: those of the engine's tables
// (checked against zoneinfo in tz-tables.test.ts), not those of the runtime's Intl.
import { DateTime, FixedOffsetZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localAt, zoneFor } from '../../src/schedule/time.ts';
import { zoneRules } from '../../src/schedule/zone-offsets.ts';
import { tzdataNames } from '../../src/schedule/zone-names.ts';
import { TzdataZone } from '../../src/schedule/tzdata-zone.ts';
import { prng } from '../helpers/prng.ts';

describe('TzdataZone', () => {
  it('gives every name the local time and offset of the tzdata tables', () => {
    const random = prng(2027);
    const wrong: string[] = [];
    for (const name of tzdataNames()) {
      const zone = zoneFor(name)!;
      expect(zone, name).toBeInstanceOf(TzdataZone);
      for (let i = 0; i < 50; i++) {
        const instant = Date.UTC(2026, 0, 1) + Math.floor(random() * 5 * 365) * 86_400_000 + i * 1_234_567;
        const dateTime = DateTime.fromMillis(instant, { zone });
        const local = localAt(instant, name);
        const ours = [local.year, local.month, local.day, local.hour, local.minute];
        const luxon = [dateTime.year, dateTime.month, dateTime.day, dateTime.hour, dateTime.minute];
        if (
          JSON.stringify(ours) !== JSON.stringify(luxon) ||
          dateTime.offsetNameShort !== zoneRules(name)!.typeAt(instant).abbr
        )
          wrong.push(
            `${name} ${new Date(instant).toISOString()}: ${dateTime.toISO()} ${dateTime.offsetNameShort}`,
          );
      }
    }
    expect(wrong).toEqual([]);
  });

  it('formats offsets as Luxon zones do, and equals only itself', () => {
    const chatham = zoneFor('Pacific/Chatham')!;
    const winter = Date.parse('2027-07-01T00:00:00Z');
    const reference = FixedOffsetZone.instance(12 * 60 + 45);
    for (const format of ['narrow', 'short', 'techie'] as const)
      expect(chatham.formatOffset(winter, format)).toBe(reference.formatOffset(winter, format));
    expect(chatham.offset(winter)).toBe(12 * 60 + 45);
    expect(chatham.equals(zoneFor('Pacific/Chatham')!)).toBe(true);
    expect(chatham.equals(zoneFor('NZ-CHAT')!)).toBe(false);
    expect(chatham.isValid && !chatham.isUniversal && chatham.type === 'tzdata').toBe(true);
  });
});
