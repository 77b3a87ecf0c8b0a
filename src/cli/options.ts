// Shared parsing of option values, with messages that say what was expected.
import { UsageError } from '../errors.ts';
import { offsetProblem, requestDurationProblem } from '../model/date-time-guards.ts';
import { parseInstant, parseShortDuration } from '../schedule/time.ts';

export function instantOption(name: string, text: string | undefined, fallback: () => number): number {
  if (text === undefined) return fallback();
  const offset = offsetProblem(text);
  if (offset) throw new UsageError(`${name} ${offset}`);
  const instant = parseInstant(text);
  if (instant === undefined)
    throw new UsageError(
      `${name} ${text}: expected an ISO 8601 instant with offset, such as 2027-01-04T00:00:00Z`,
    );
  return instant;
}

export function durationOption(name: string, text: string): number {
  const ms = parseShortDuration(text);
  if (!ms) throw new UsageError(`${name} ${text}: expected a duration such as 90m, 2h or 1h30m`);
  const tooLong = requestDurationProblem(text, ms);
  if (tooLong) throw new UsageError(`${name}: ${tooLong.replace(/^`duration` /, '')}`);
  return ms;
}

export function choiceOption<T extends string>(name: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text))
    throw new UsageError(`${name} ${text}: expected one of ${choices.join(', ')}`);
  return text as T;
}

export function listOption(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A whole number from 1 to `max`, such as a thread count. */
export function countOption(name: string, text: string, max = 64): number {
  const count = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(count >= 1 && count <= max))
    throw new UsageError(`${name} ${text}: expected a whole number from 1 to ${max}`);
  return count;
}
