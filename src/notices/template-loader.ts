// Reads notice templates from disk (the one I/O module of notices): the built-in `templates/`
// folder shipped beside src/ and dist/, overlaid by the user's folder (policy notices.templates_dir).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '../errors.ts';
import { describeSize } from '../model/yaml-source.ts';
import { unreadableMessage } from '../model/unreadable.ts';
import { readLimited } from '../workspace/local.ts';
import { overlay, templatesFromMap, type TemplateSource } from './template-source.ts';

/** Where users put their overrides, relative to the repository root. */
export const DEFAULT_TEMPLATES_DIR = '.github/maint/templates';

/**
 * The built-in `templates/` folder: the first folder named `templates` that holds `notices`, walking
 * up from this module (src/notices/ when run from source, dist/ when bundled).
 */
export function builtInTemplatesDir(from: string = import.meta.url): string {
  const start = dirname(fileURLToPath(from));
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(candidate, 'notices'))) return candidate;
    if (dirname(dir) === dir)
      throw new Error(`maint is installed without its templates: no templates/notices above ${start}`);
  }
}

/**
 * Every `.hbs` file under `folder`, by its path relative to it (`notices/start.slack.hbs`).
 * Symbolic links are skipped, so a template can only be a file of the folder itself.
 */
export function readTemplateFolder(folder: string, shownAs: string = folder): TemplateSource {
  const texts: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(folder, relative), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(name);
      else if (entry.isFile() && entry.name.endsWith('.hbs')) {
        const content = readLimited(join(folder, name));
        if ('tooBig' in content)
          throw new ConfigurationError(
            `${shownAs}/${name}`,
            `is ${describeSize(content.tooBig)}, over the 1 MiB limit`,
          );
        if (!('text' in content))
          throw new ConfigurationError(`${shownAs}/${name}`, unreadableMessage(content));
        texts[name] = content.text;
      }
    }
  };
  walk('');
  return templatesFromMap(texts, shownAs);
}

export interface LoadedTemplates {
  /** The user's templates over the built-in ones. */
  source: TemplateSource;
  builtIn: TemplateSource;
  /** The user's own, when their folder exists. */
  user?: TemplateSource;
}

/**
 * The templates to render with: `userDir` (relative to `root`, default .github/maint/templates) laid
 * over the built-in folder. A missing user folder is not an error; a file in its place is.
 */
export function loadTemplates(options: {
  root: string;
  userDir?: string;
  builtInDir?: string;
}): LoadedTemplates {
  const builtIn = readTemplateFolder(options.builtInDir ?? builtInTemplatesDir(), 'templates');
  const shown = options.userDir ?? DEFAULT_TEMPLATES_DIR;
  const userPath = resolve(options.root, shown);
  if (!existsSync(userPath)) return { source: builtIn, builtIn };
  if (!statSync(userPath).isDirectory())
    throw new ConfigurationError(shown, 'notices.templates_dir must name a folder of templates');
  const user = readTemplateFolder(userPath, shown.replace(/\/+$/, ''));
  return { source: overlay(user, builtIn), builtIn, user };
}
