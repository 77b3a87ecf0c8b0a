// The `# yaml-language-server: $schema=...` line that gives editors completion and checks.
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/** Where a repository keeps the schemas: ours in schema/, others where `maint init` put them. */
export const SCHEMA_FOLDERS = ['schema', '.github/maint/schema'];

export function schemaModeline(root: string, file: string, schema: 'request' | 'policy'): string | undefined {
  for (const folder of SCHEMA_FOLDERS) {
    const target = resolve(root, folder, `${schema}.schema.json`);
    if (existsSync(target)) {
      const link = relative(dirname(resolve(root, file)), target)
        .split('\\')
        .join('/');
      return `# yaml-language-server: $schema=${link}`;
    }
  }
  return undefined;
}
