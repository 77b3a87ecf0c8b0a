// The JSON Schemas as every published site serves them, at the versioned path their `$id` names
// (schema/v1/<name>.schema.json on maint's own Pages site): where editors and SchemaStore fetch
// them. v1 only changes compatibly; a breaking change of the format would be published as v2 beside it.
import { SCHEMAS, type SchemaName } from '../model/schema-check.ts';
import scheduleSchema from '../../schema/schedule.schema.json' with { type: 'json' };

export const SCHEMA_SITE_FOLDER = 'schema/v1';

export interface SchemaLink {
  label: string;
  /** Relative to the site's root. */
  path: string;
}

type PublishedSchema = SchemaName | 'schedule';

const LABELS: Record<PublishedSchema, string> = {
  request: 'maintenance requests (maintenance/**/*.yaml)',
  policy: 'the policy (.github/maintenance-policy.yaml)',
  schedule: 'schedule.json (this schedule as data)',
};

/** Every published schema by name: the two maint validates with, and schedule.json's own. */
const PUBLISHED: Record<PublishedSchema, object> = { ...SCHEMAS, schedule: scheduleSchema };

export const SCHEMA_LINKS: SchemaLink[] = (Object.keys(LABELS) as PublishedSchema[]).map((name) => ({
  label: LABELS[name],
  path: `${SCHEMA_SITE_FOLDER}/${name}.schema.json`,
}));

/** The site's schema files, by path: the schemas exactly as maint validates with them. */
export function schemaSiteFiles(): [string, string][] {
  return (Object.keys(LABELS) as PublishedSchema[]).map((name) => [
    `${SCHEMA_SITE_FOLDER}/${name}.schema.json`,
    `${JSON.stringify(PUBLISHED[name], null, 2)}\n`,
  ]);
}
