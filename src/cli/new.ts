// `maint new`: scaffold a request that passes validation, by default at the next free slot.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from '../errors.ts';
import { parseRequest } from '../model/request.ts';
import { slugify } from '../model/request-id.ts';
import type { RequestDocument } from '../model/types.ts';
import { toText } from '../format/validation.ts';
import { nextSlot, scheduleIndex } from '../schedule/next-slot.ts';
import { formatLocal, localAt } from '../schedule/time.ts';
import { zoneNameProblem } from '../model/zone-name.ts';
import { validate } from '../schedule/validate.ts';
import { loadPolicy, readRequests } from '../workspace/local.ts';
import { EXIT, type CliIO } from './io.ts';
import { choiceOption, durationOption, instantOption, listOption } from './options.ts';
import { schemaModeline } from './schema-link.ts';

export interface NewOptions {
  title: string;
  env: string;
  services: string;
  requester: string;
  duration: string;
  impact: string;
  type: string;
  category: string;
  timezone: string;
  start?: string;
  id?: string;
  dir: string;
  now?: string;
  policy?: string;
  description?: string;
  impactDescription?: string;
  rollback?: string;
  justification?: string;
  print?: boolean;
}

const CATEGORIES = [
  'system-update',
  'security-patch',
  'certificate-renewal',
  'database-migration',
  'performance',
  'infrastructure',
  'other',
] as const;

export function runNew(options: NewOptions, io: CliIO): number {
  const impact = choiceOption('--impact', options.impact, ['low', 'medium', 'high'] as const);
  const type = choiceOption('--type', options.type, ['standard', 'emergency'] as const);
  const category = choiceOption('--category', options.category, CATEGORIES);
  const durationMs = durationOption('--duration', options.duration);
  const services = listOption(options.services);
  if (services.length === 0)
    throw new UsageError('--services: name at least one service, e.g. --services api,db');
  const zone = options.timezone.toUpperCase() === 'UTC' ? 'UTC' : options.timezone;
  const zoneIssue = zoneNameProblem(zone, '--timezone');
  if (zoneIssue?.severity === 'error') throw new UsageError(zoneIssue.message);
  const now = instantOption('--now', options.now, io.now);
  const { policy } = loadPolicy(options.policy, io.cwd, now);
  if (!policy.environments[options.env])
    throw new UsageError(
      `--env ${options.env}: not in the policy (${Object.keys(policy.environments).join(', ')})`,
    );
  const existing = existsSync(resolve(io.cwd, options.dir)) ? readRequests([options.dir], io.cwd) : [];

  let start = options.start;
  if (start === undefined) {
    const slot = nextSlot(
      { environment: options.env, services, durationMs, impact, type },
      policy,
      scheduleIndex(
        existing.flatMap((f) => (f.request ? [f.request] : [])),
        policy,
        now,
      ),
      now,
    );
    if (!slot.found) throw new UsageError(`no free slot to propose (${slot.reason}); give --start`);
    start = formatLocal(localAt(slot.start, zone));
  }
  const id = options.id ?? slugify(options.title);
  const year = start.slice(0, 4);
  const file = join(options.dir, year, `${id}.yaml`);

  const doc: RequestDocument = {
    title: options.title,
    type,
    category,
    environment: options.env,
    services,
    start,
    timezone: zone,
    duration: options.duration,
    impact,
    impact_description: options.impactDescription ?? 'TODO: what users will notice, in one line',
    description: options.description ?? 'TODO: what will be done, step by step',
    ...(options.justification || type === 'emergency'
      ? { justification: options.justification ?? 'TODO: why this cannot wait' }
      : {}),
    rollback: options.rollback ?? 'TODO: how to revert if it goes wrong',
    requester: options.requester,
  } as RequestDocument;
  const modeline = schemaModeline(io.cwd, file, 'request');
  const text = `${modeline ? `${modeline}\n` : ''}${stringify(doc, { lineWidth: 0 })}`;

  const parsed = parseRequest({ path: file, text });
  const report = validate({ policy, now, targets: [parsed], others: existing });
  const valid = report.summary.errors === 0;
  if (options.print) {
    io.out(text);
  } else if (valid) {
    const absolute = resolve(io.cwd, file);
    if (existsSync(absolute)) throw new UsageError(`${file} already exists: choose another --id`);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, text, { flag: 'wx' });
    io.out(`Wrote ${file}: fill in the TODO fields, then open a pull request.`);
  }
  io.err(toText(report));
  if (!valid && !options.print) io.err(`Not written: ${file} would not pass validation.`);
  return valid ? EXIT.ok : EXIT.failed;
}
