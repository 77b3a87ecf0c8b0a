// `maint next-slot`: the earliest start that passes every rule, printed in UTC to the minute.
import { nextSlot, scheduleIndex } from '../schedule/next-slot.ts';
import { isoUtc } from '../schedule/time.ts';
import { loadPolicy, readRequests } from '../workspace/local.ts';
import { UsageError } from '../errors.ts';
import { EXIT, type CliIO } from './io.ts';
import { choiceOption, durationOption, instantOption, listOption } from './options.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface NextSlotOptions {
  env: string;
  services: string;
  duration: string;
  impact: string;
  type: string;
  dir: string;
  after?: string;
  now?: string;
  policy?: string;
  format: string;
}

export function runNextSlot(options: NextSlotOptions, io: CliIO): number {
  const format = choiceOption('--format', options.format, ['text', 'json'] as const);
  const impact = choiceOption('--impact', options.impact, ['low', 'medium', 'high'] as const);
  const type = choiceOption('--type', options.type, ['standard', 'emergency'] as const);
  const durationMs = durationOption('--duration', options.duration);
  const services = listOption(options.services);
  if (services.length === 0)
    throw new UsageError('--services: name at least one service, e.g. --services api,db');
  const now = instantOption('--now', options.now, io.now);
  const after = options.after === undefined ? undefined : instantOption('--after', options.after, io.now);
  const { policy } = loadPolicy(options.policy, io.cwd, now);
  if (!policy.environments[options.env])
    throw new UsageError(
      `--env ${options.env}: not in the policy (${Object.keys(policy.environments).join(', ')})`,
    );
  const scheduled = existsSync(resolve(io.cwd, options.dir))
    ? readRequests([options.dir], io.cwd).flatMap((f) => (f.request ? [f.request] : []))
    : [];
  const slot = nextSlot(
    {
      environment: options.env,
      services,
      durationMs,
      impact,
      type,
      ...(after !== undefined ? { after } : {}),
    },
    policy,
    scheduleIndex(scheduled, policy, now),
    now,
  );
  if (!slot.found) {
    if (format === 'json') io.out(JSON.stringify({ found: false, reason: slot.reason }, null, 2));
    io.err(`maint next-slot: ${slot.reason}`);
    return EXIT.failed;
  }
  if (format === 'text') {
    io.out(isoUtc(slot.start));
    return EXIT.ok;
  }
  io.out(
    JSON.stringify(
      {
        found: true,
        start: isoUtc(slot.start),
        end: isoUtc(slot.end),
        window: slot.window
          ? {
              name: slot.window.names.join(' + '),
              start: isoUtc(slot.window.start),
              end: isoUtc(slot.window.end),
            }
          : null,
      },
      null,
      2,
    ),
  );
  return EXIT.ok;
}
