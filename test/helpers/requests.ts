// Builds request files for tests from a few fields over a valid default.
import { parseRequest, type RequestParse } from '../../src/model/request.ts';
import type { MaintenanceRequest } from '../../src/model/types.ts';

export const NOW = Date.parse('2027-01-04T00:00:00Z');

const DEFAULTS: Record<string, string> = {
  title: 'Test request',
  type: 'standard',
  category: 'other',
  environment: 'production',
  services: '[api]',
  start: '2027-01-17T02:00',
  timezone: 'UTC',
  duration: '1h',
  impact: 'low',
  impact_description: 'Nothing visible',
  description: 'A test',
  rollback: 'Revert',
  requester: 'alice',
};

export function requestYaml(fields: Record<string, string | undefined> = {}): string {
  return Object.entries({ ...DEFAULTS, ...fields })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

export function requestFile(id: string, fields: Record<string, string | undefined> = {}): RequestParse {
  return parseRequest({ path: `maintenance/2027/${id}.yaml`, text: requestYaml(fields) });
}

export function request(id: string, fields: Record<string, string | undefined> = {}): MaintenanceRequest {
  const parsed = requestFile(id, fields);
  if (!parsed.request) throw new Error(`${id}: ${JSON.stringify(parsed.findings)}`);
  return parsed.request;
}
