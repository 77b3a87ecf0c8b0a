// What a request or the policy is told about its time zone name: nothing for a current tz database
// name, a warning naming the current name for an old one (a link), an error with the likely name
// otherwise.
import { checkZoneName, tzdataNames } from '../schedule/zone-names.ts';
import { TZDATA_VERSION } from '../schedule/tz-names.ts';
import { closest } from './suggest.ts';
import { quoteValue } from './visible-text.ts';

export interface ZoneNameProblem {
  severity: 'error' | 'warning';
  message: string;
}

/** `field` names the setting in messages, e.g. `` `timezone` ``. Undefined: a current name. */
export function zoneNameProblem(name: string, field: string): ZoneNameProblem | undefined {
  const check = checkZoneName(name);
  switch (check.kind) {
    case 'zone':
      return undefined;
    case 'link':
      return {
        severity: 'warning',
        message: `${field} \`${name}\` is an old name that the tz database keeps as a link to \`${check.current}\`: it works, but write \`${check.current}\``,
      };
    case 'unknown': {
      if (check.spelt !== undefined)
        return {
          severity: 'error',
          message: `${field} ${quoteValue(name)} is spelt \`${check.spelt}\` in the tz database (names are case-sensitive in calendars): write \`${check.spelt}\``,
        };
      const likely = closest(name, tzdataNames());
      return {
        severity: 'error',
        message: `${field} ${quoteValue(name)} is not a time zone name of the tz database (${TZDATA_VERSION})${likely ? `; did you mean \`${likely}\`?` : ': write an IANA name such as Europe/Berlin, America/New_York or UTC'}`,
      };
    }
  }
}
