// Compiled validators for the published schemas. The bundle replaces this module with ajv's
// standalone code generated at build time (scripts/build.mjs), so the CLI and the action start
// without compiling schemas; from source (tests) they are compiled here with the same options.
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import requestSchema from '../../schema/request.schema.json' with { type: 'json' };
import policySchema from '../../schema/policy.schema.json' with { type: 'json' };
import scheduleSchema from '../../schema/schedule.schema.json' with { type: 'json' };
import hubSchema from '../../schema/hub.schema.json' with { type: 'json' };

export type SchemaName = 'request' | 'policy';

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

export const AJV_OPTIONS: Options = {
  allErrors: true,
  verbose: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
};

/** An ajv instance set up as the validators need: formats, and our `x-message` annotation. */
export function configuredAjv(options: Options = AJV_OPTIONS): Ajv {
  const ajv = new Ajv(options);
  addFormats(ajv);
  // The sentence to show when a oneOf does not match.
  ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
  return ajv;
}

export const SCHEMAS = { request: requestSchema, policy: policySchema } as const;

let compiled: Record<SchemaName, ValidateFunction> | undefined;

export function schemaValidators(): Record<SchemaName, ValidateFunction> {
  if (!compiled) {
    const ajv = configuredAjv();
    compiled = { request: ajv.compile(requestSchema), policy: ajv.compile(policySchema) };
  }
  return compiled;
}

/** Schemas of data maint reads but does not write by hand: a hub's config and schedule.json. */
export type DataSchemaName = 'schedule' | 'hub';

let compiledData: Record<DataSchemaName, ValidateFunction> | undefined;

export function dataValidators(): Record<DataSchemaName, ValidateFunction> {
  if (!compiledData) {
    const ajv = configuredAjv();
    compiledData = { schedule: ajv.compile(scheduleSchema), hub: ajv.compile(hubSchema) };
  }
  return compiledData;
}
