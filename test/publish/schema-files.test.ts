// The JSON Schemas on the published site: at the versioned path their `$id` names, exactly the
// schemas maint validates with, linked from the page; the README's SchemaStore entries name the same.
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMAS } from '../../src/model/schema-check.ts';
import { SCHEMA_SITE_FOLDER } from '../../src/publish/schema-files.ts';
import { cli } from '../helpers/cli.ts';

const PAGES = 'https://maint-dev.github.io/maint/';
const NAMES = ['request', 'policy'] as const;
/** Published as well: schedule.json's own schema (not used to validate input). */
const PUBLISHED = [...NAMES, 'schedule'] as const;

describe('the schemas on the published site', () => {
  it.each(PUBLISHED)("%s: $id is its stable, versioned address on maint's site", (name) => {
    const onDisk = JSON.parse(readFileSync(`schema/${name}.schema.json`, 'utf8'));
    expect(onDisk.$id).toBe(`${PAGES}${SCHEMA_SITE_FOLDER}/${name}.schema.json`);
    expect(SCHEMA_SITE_FOLDER).toMatch(/^schema\/v\d+$/);
  });

  it('maint publish writes them at that path, the page links them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maint-publish-'));
    cpSync('maintenance', join(dir, 'maintenance'), { recursive: true });
    const run = await cli(['publish', '--now', '2027-01-04T00:00:00Z', '--repo', 'maint-dev/maint'], {
      cwd: dir,
    });
    expect(run.code, run.stderr).toBe(0);
    const page = readFileSync(join(dir, 'site/index.html'), 'utf8');
    for (const name of PUBLISHED) {
      const path = `${SCHEMA_SITE_FOLDER}/${name}.schema.json`;
      const served = JSON.parse(readFileSync(join(dir, 'site', path), 'utf8'));
      if (name !== 'schedule') expect(served).toEqual(SCHEMAS[name]);
      expect(served).toEqual(JSON.parse(readFileSync(`schema/${name}.schema.json`, 'utf8')));
      // Served from maint's own site, the file is at its $id.
      expect(new URL(path, PAGES).href).toBe(served.$id);
      expect(page).toContain(`<a href="${path}" type="application/schema+json">`);
    }
  });

  it('the README gives the SchemaStore catalog entries for the same addresses', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Schemas for editors'));
    const entries = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]!) as {
      name: string;
      description: string;
      fileMatch: string[];
      url: string;
    }[];
    expect(entries.map((e) => [e.fileMatch, e.url])).toEqual([
      [['maintenance/**/*.yaml'], SCHEMAS.request.$id],
      [['.github/maintenance-policy.yaml'], SCHEMAS.policy.$id],
    ]);
    for (const entry of entries) expect(entry.name && entry.description).toBeTruthy();
  });
});
