// Where notice templates come from, as a pure name -> text lookup: the built-in set, a user's
// overrides laid over it, or a fixed map in tests. Names are paths under the templates folder with
// `/`, such as `notices/announcement.slack.hbs` and `notices/partials/details.slack.hbs`.
import type { Channel, NoticeKind } from './kinds.ts';

export interface TemplateFile {
  text: string;
  /** Where it was read from, for messages: `.github/maint/templates/notices/start.slack.hbs`. */
  file: string;
}

export interface TemplateSource {
  read(name: string): TemplateFile | undefined;
  /** Every name it holds, sorted. */
  names(): string[];
}

/** `notices/<kind>.<channel>.hbs`: the template of one notice for one channel. */
export function noticeTemplateName(kind: NoticeKind, channel: Channel): string {
  return `notices/${kind}.${channel}.hbs`;
}

/** `notices/partials/<name>.<channel>.hbs`: what `{{> name}}` includes in a template of that channel. */
export function partialTemplateName(partial: string, channel: Channel): string {
  return `notices/partials/${partial}.${channel}.hbs`;
}

/** A source over fixed texts; `folder` prefixes the names to make the file shown in messages. */
export function templatesFromMap(
  texts: Readonly<Record<string, string>>,
  folder = 'templates',
): TemplateSource {
  const map = new Map(Object.entries(texts));
  return {
    read: (name) => {
      const text = map.get(name);
      return text === undefined ? undefined : { text, file: `${folder}/${name}` };
    },
    names: () => [...map.keys()].sort(),
  };
}

/** The first source that has a name wins: `overlay(user, builtIn)` lets a user replace any template. */
export function overlay(...sources: TemplateSource[]): TemplateSource {
  return {
    read: (name) => {
      for (const source of sources) {
        const found = source.read(name);
        if (found) return found;
      }
      return undefined;
    },
    names: () => [...new Set(sources.flatMap((s) => s.names()))].sort(),
  };
}

/**
 * Notice templates in `user` that replace nothing in `builtIn`: most likely misspelt, so never used.
 * (New partials are fine: the user's templates may include them.)
 */
export function unusedOverrides(user: TemplateSource, builtIn: TemplateSource): string[] {
  const known = new Set(builtIn.names());
  return user.names().filter((name) => !known.has(name) && !name.startsWith('notices/partials/'));
}
