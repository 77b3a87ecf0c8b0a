// A Luxon zone that takes its offsets and abbreviations from tzdata (zone-offsets.ts) instead of
// the runtime's Intl: a DateTime created with it (`{ zone: new TzdataZone(...) }`) has the local
// time tzdata says, whatever ICU release the Node.js running maint was built with.
import { Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';
import type { ZoneRules } from './zone-rules.ts';

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

export class TzdataZone extends Zone {
  constructor(
    private readonly zoneName: string,
    private readonly rules: ZoneRules,
  ) {
    super();
  }

  override get type(): string {
    return 'tzdata';
  }

  override get name(): string {
    return this.zoneName;
  }

  override get isUniversal(): boolean {
    return false;
  }

  /** tzdata's abbreviation (CET, EST, +0530), in short and long forms alike. */
  override offsetName(ts: number, _options?: ZoneOffsetOptions): string {
    return this.rules.typeAt(ts).abbr;
  }

  /** `+5:30`, `+05:30` or `+0530`, as Luxon's zones write them. */
  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    const offset = this.offset(ts);
    const hours = Math.trunc(Math.abs(offset) / 60);
    const minutes = Math.trunc(Math.abs(offset) % 60);
    const sign = offset >= 0 ? '+' : '-';
    if (format === 'narrow') return `${sign}${hours}${minutes > 0 ? `:${minutes}` : ''}`;
    if (format === 'techie') return `${sign}${pad2(hours)}${pad2(minutes)}`;
    return `${sign}${pad2(hours)}:${pad2(minutes)}`;
  }

  override offset(ts: number): number {
    return this.rules.offsetMinutes(ts);
  }

  override equals(other: Zone): boolean {
    return other instanceof TzdataZone && other.name === this.name;
  }

  override get isValid(): boolean {
    return true;
  }
}
