// Generates a synthetic organisation for the benchmark: N requests over 5 environments, 200
// services and two years, with a policy whose windows they mostly fit. Deterministic (seeded).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
