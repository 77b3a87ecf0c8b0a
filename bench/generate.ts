// Generates a synthetic organisation for the benchmark: N requests over 5 environments, 200
// services and two years, with a policy whose windows they mostly fit. Deterministic (seeded).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POLICY_YAML } from '../src/model/default-policy.ts';
import { prng } from '../test/helpers/prng.ts';

export const BENCH_NOW = '2027-01-04T00:00:00Z';

const ENVIRONMENTS = [
  { name: 'production', zone: 'UTC' },
  { name: 'production-eu', zone: 'Europe/Berlin' },
  { name: 'production-us', zone: 'America/New_York' },
  { name: 'production-apac', zone: 'Asia/Tokyo' },
  { name: 'staging', zone: 'Australia/Sydney' },
];

export const BENCH_POLICY = `version: 1
environments:
${ENVIRONMENTS.map(
  (e) => `  ${e.name}:
    windows:
      - { name: Nightly, days: [mon, tue, wed, thu, fri, sat, sun], start: '00:00', end: '06:00', timezone: ${e.zone} }
    max_concurrent: 40`,
).join('\n')}
blackouts:
  - { name: Year-end freeze, yearly: { from: '12-24', to: '12-26' } }
  - { name: Quarter-end close, last_business_days: { count: 2, of: quarter }, environments: [production] }
avoid_hours:
  windows: []
`;

export function generateOrganisation(
  dir: string,
  count: number,
  seed = 42,
): { requestsDir: string; policyFile: string } {
  rmSync(dir, { recursive: true, force: true });
  const requestsDir = join(dir, 'maintenance');
  for (const { path, text } of generateRequests(count, seed)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const policyFile = join(dir, 'policy.yaml');
  writeFileSync(policyFile, BENCH_POLICY);
  return { requestsDir, policyFile };
}

/** The request files of a generated organisation, by path (`maintenance/<year>/req-NNNNN.yaml`). */
export function generateRequests(count: number, seed = 42): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const start = Date.parse('2027-01-05T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const env = pick(ENVIRONMENTS);
    const day = new Date(start + Math.floor(rand() * 730) * 86_400_000);
    const date = day.toISOString().slice(0, 10);
    const hour = String(Math.floor(rand() * 4)).padStart(2, '0');
    const minute = pick(['00', '15', '30', '45']);
    const services = [...new Set([pick(range(200)), ...(rand() < 0.3 ? [pick(range(200))] : [])])].map(
      (s) => `svc-${s}`,
    );
    const impact = pick(['low', 'low', 'medium', 'medium', 'high']);
    const recurring = rand() < 0.05;
    const year = date.slice(0, 4);
    const text = `title: Generated maintenance ${i} on ${services.join(', ')}
type: standard
category: ${pick(['system-update', 'security-patch', 'database-migration', 'performance', 'infrastructure'])}
environment: ${env.name}
services: [${services.join(', ')}]
start: ${date}T${hour}:${minute}
timezone: ${env.zone}
duration: ${pick(['30m', '45m', '1h', '90m'])}
${recurring ? `recurrence: FREQ=MONTHLY;COUNT=12\n` : ''}impact: ${impact}
impact_description: Brief interruptions of ${services[0]}
description: |
  Generated request ${i}: rolling update of ${services.join(' and ')} in ${env.name}.
rollback: Roll back to the previous release.
requester: user${i % 97}
${rand() < 0.02 ? 'status: cancelled\n' : ''}`;
    files.push({ path: `maintenance/${year}/req-${String(i).padStart(5, '0')}.yaml`, text });
  }
  return files;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * The dense organisation of issue 12: a large team under the built-in default policy. Three quarters
 * of the requests are 30-minute jobs at the start of a production window (Sunday or Wednesday 02:00
 * UTC) or a staging one (Tuesday 22:00 or Friday 18:00 UTC) in one of 104 weeks, so at 10,000
 * requests about 18 share each slot; the rest run in development at any hour, some monthly. 200
 * services; deterministic (seeded).
 */
export function generateDenseOrganisation(
  dir: string,
  count: number,
  seed = 12,
): { requestsDir: string; policyFile: string } {
  rmSync(dir, { recursive: true, force: true });
  const requestsDir = join(dir, 'maintenance');
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  // Week w's Sunday; 2027-01-10 is the first Sunday after BENCH_NOW's Monday.
  const firstSunday = Date.parse('2027-01-10T00:00:00Z');
  const slots = [
    { environment: 'production', offsetDays: 0, time: '02:00' },
    { environment: 'production', offsetDays: 3, time: '02:00' },
    { environment: 'staging', offsetDays: 2, time: '22:00' },
    { environment: 'staging', offsetDays: 5, time: '18:00' },
  ];
  for (let i = 0; i < count; i++) {
    const week = Math.floor(rand() * 104);
    let environment: string;
    let start: string;
    let duration = '30m';
    if (rand() < 0.75) {
      const slot = pick(slots);
      environment = slot.environment;
      const day = new Date(firstSunday + (week * 7 + slot.offsetDays) * 86_400_000);
      start = `${day.toISOString().slice(0, 10)}T${slot.time}`;
    } else {
      environment = 'development';
      const day = new Date(firstSunday + Math.floor(rand() * 728) * 86_400_000);
      start = `${day.toISOString().slice(0, 10)}T${String(Math.floor(rand() * 24)).padStart(2, '0')}:${pick(['00', '30'])}`;
      duration = pick(['30m', '1h']);
    }
    const services = [...new Set([pick(range(200)), ...(rand() < 0.3 ? [pick(range(200))] : [])])].map(
      (s) => `svc-${s}`,
    );
    const recurring = environment === 'development' && rand() < 0.08;
    const text = `title: Generated maintenance ${i} on ${services.join(', ')}
type: standard
category: ${pick(['system-update', 'security-patch', 'database-migration', 'performance', 'infrastructure'])}
environment: ${environment}
services: [${services.join(', ')}]
start: ${start}
timezone: UTC
duration: ${duration}
${recurring ? `recurrence: FREQ=MONTHLY;COUNT=6\n` : ''}impact: ${pick(['low', 'low', 'medium', 'medium', 'high'])}
impact_description: Brief interruptions of ${services[0]}
description: |
  Generated request ${i}: rolling update of ${services.join(' and ')} in ${environment}.
rollback: Roll back to the previous release.
requester: user${i % 97}
${rand() < 0.02 ? 'status: cancelled\n' : ''}`;
    const year = start.slice(0, 4);
    mkdirSync(join(requestsDir, year), { recursive: true });
    writeFileSync(join(requestsDir, year, `req-${String(i).padStart(5, '0')}.yaml`), text);
  }
  const policyFile = join(dir, 'policy.yaml');
  writeFileSync(policyFile, DEFAULT_POLICY_YAML);
  return { requestsDir, policyFile };
}
