// esbuild plugin: swaps src/model/schema-validators.ts for ajv standalone code, so the bundles do
// not compile JSON Schemas at start-up. Same schemas, same options as the source module.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone/index.js';

function standaloneModule() {
  const schema = (name) => JSON.parse(readFileSync(`schema/${name}.schema.json`, 'utf8'));
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    code: { source: true, esm: true },
  });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
  ajv.addSchema(schema('request'), 'request');
  ajv.addSchema(schema('policy'), 'policy');
  ajv.addSchema(schema('schedule'), 'schedule');
  ajv.addSchema(schema('hub'), 'hub');
  const code = standaloneCode(ajv, {
    request: 'request',
    policy: 'policy',
    schedule: 'schedule',
    hub: 'hub',
  });
  return `${code}
import requestSchema from '../../schema/request.schema.json' with { type: 'json' };
import policySchema from '../../schema/policy.schema.json' with { type: 'json' };
export const SCHEMAS = { request: requestSchema, policy: policySchema };
export function schemaValidators() { return { request, policy }; }
export function dataValidators() { return { schedule, hub }; }
`;
}

export const precompiledSchemas = {
  name: 'precompiled-schemas',
  setup(build) {
    build.onLoad({ filter: /src[\\/]model[\\/]schema-validators\.ts$/ }, () => ({
      contents: standaloneModule(),
      loader: 'js',
      resolveDir: 'src/model',
    }));
  },
};
