// Blackout periods of the policy as feed events: all-day when they cover whole days in the policy's
// zone (timed otherwise), shown as free time, with a UID made of the name and the start date.
import type { Policy } from '../model/types.ts';
import type { BlackoutPeriod } from '../schedule/blackouts.ts';
import { dateIn, startOfLocalDay } from '../schedule/time.ts';
import type { FeedEvent } from './feed-event.ts';
import { plainText, singleLine, slug } from './text.ts';
import { eventTzid, isAmbiguousLocal } from './zones.ts';

/** FNV-1a over UTF-16 code units: a short, stable tag that tells apart names slug() makes equal. */
function nameTag(name: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function freezeDescription(period: BlackoutPeriod, policy: Policy): string {
  const lines: string[] = [];
  if (period.reason) lines.push(plainText(period.reason).trim(), '');
  lines.push(
    `Applies to: ${period.environments ? period.environments.join(', ') : 'all environments'}`,
    policy.emergency.mayBypass.includes('blackout')
      ? 'No planned maintenance; emergency changes only, with the emergency approvers’ sign-off.'
      : 'No changes, emergencies included.',
  );
  return lines.join('\n');
}

export function freezeEvent(period: BlackoutPeriod, policy: Policy, domain: string): FeedEvent {
  const zone = policy.timezone;
  const startDate = dateIn(period.start, zone);
  const endDate = dateIn(period.end, zone);
  const wholeDays =
    period.end > period.start &&
    startOfLocalDay(startDate, zone) === period.start &&
    startOfLocalDay(endDate, zone) === period.end;
  let tzid = eventTzid(zone, false);
  if (tzid && [period.start, period.end].some((t) => isAmbiguousLocal(t, tzid!))) tzid = undefined;
  const name = singleLine(period.name);
  return {
    uid: `freeze-${slug(name) || 'freeze'}-${nameTag(name)}-${startDate.replaceAll('-', '')}@${domain}`,
    sequence: 0,
    summary: `Change freeze: ${name}`,
    description: freezeDescription(period, policy),
    categories: ['Freeze'],
    status: 'CONFIRMED',
    transparent: true,
    span: wholeDays
      ? { kind: 'all-day', startDate, endDate }
      : { kind: 'timed', start: period.start, end: period.end, ...(tzid ? { tzid } : {}) },
    ...(period.environments ? { environments: period.environments } : {}),
    services: [],
    freeze: true,
    sortKey: period.start,
  };
}

/** Freeze events of blackout periods, with UIDs made unique should two share a name and a day. */
export function freezeEvents(
  periods: readonly BlackoutPeriod[],
  policy: Policy,
  domain: string,
): FeedEvent[] {
  const seen = new Map<string, number>();
  return periods.map((period) => {
    const event = freezeEvent(period, policy, domain);
    const count = seen.get(event.uid) ?? 0;
    seen.set(event.uid, count + 1);
    if (count === 0) return event;
    const [local, host] = event.uid.split('@') as [string, string];
    return { ...event, uid: `${local}-${count + 1}@${host}` };
  });
}
