// Compiles and runs notice templates safely: Handlebars in strict mode without its HTML escaping,
// one escape helper per channel that every printed value must go through (checked on the template's
// syntax tree before it runs), no prototype access, no logging, and every failure reported as a
// TemplateError that names the file and line. Pure: templates come from a TemplateSource.
import Handlebars from 'handlebars';
import type { Channel } from './kinds.ts';
import {
  escapeEmail,
  escapeEmailHtml,
  escapeMarkdown,
  escapeSlack,
  escapeStatuspage,
  escapeTeams,
  formatLink,
  type LinkStyle,
} from './escape.ts';
import { partialTemplateName, type TemplateSource } from './template-source.ts';

/** The escape helper of each channel, as templates write it: `{{md title}}`, `{{slack title}}`. */
export const ESCAPE_HELPERS: Record<Channel, string> = {
  markdown: 'md',
  slack: 'slack',
  teams: 'teams',
  email: 'email',
  statuspage: 'statuspage',
};

const ESCAPERS: Record<Channel, (value: unknown) => string> = {
  markdown: escapeMarkdown,
  slack: escapeSlack,
  teams: escapeTeams,
  email: escapeEmail,
  statuspage: escapeStatuspage,
};

const LINK_STYLES: Record<Channel, LinkStyle> = {
  markdown: 'markdown',
  slack: 'slack',
  teams: 'teams',
  email: 'plain',
  statuspage: 'statuspage',
};

/**
 * How a template's output is written. E-mail templates are also rendered as `html`, the HTML part:
 * the same template, its `{{email x}}` escaped as HTML and its `{{link}}` an anchor.
 */
export type Flavour = 'text' | 'html';

function escaperOf(channel: Channel, flavour: Flavour): (value: unknown) => string {
  return flavour === 'html' ? escapeEmailHtml : ESCAPERS[channel];
}

function linkStyleOf(channel: Channel, flavour: Flavour): LinkStyle {
  return flavour === 'html' ? 'html' : LINK_STYLES[channel];
}

const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);
/** Helpers whose result is raw text: usable only inside an escape helper, `{{md (join services ", ")}}`. */
const VALUE_HELPERS = new Set(['join']);
const FORBIDDEN_SEGMENT = /^(?:__.*|constructor|prototype)$/;
const PARTIAL_NAME = /^[a-z0-9][a-z0-9-]*$/;

export interface TemplateProblem {
  /** The template file (a user's override or the built-in one); absent for input problems. */
  file?: string;
  /** 1-based, when known. */
  line?: number;
  column?: number;
  message: string;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(readonly problem: TemplateProblem) {
    const where = [problem.file, problem.line, problem.column].filter((p) => p !== undefined).join(':');
    super(where ? `${where}: ${problem.message}` : problem.message);
  }
}

type Position = { line: number; column: number };
type Located = { loc?: { start: Position } };

function fail(file: string, node: Located | undefined, message: string): TemplateError {
  const start = node?.loc?.start;
  return new TemplateError({
    file,
    ...(start ? { line: start.line, column: start.column + 1 } : {}),
    message,
  });
}

/** Turns whatever Handlebars threw into a TemplateError naming the file (and line when it says). */
function located(error: unknown, file: string): TemplateError {
  if (error instanceof TemplateError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const parse = /^Parse error on line (\d+):\n([\s\S]*)$/.exec(text);
  if (parse) return new TemplateError({ file, line: Number(parse[1]), message: parse[2]!.trim() });
  const at = / - (\d+):(\d+)$/.exec(text);
  if (at)
    return new TemplateError({
      file,
      line: Number(at[1]),
      column: Number(at[2]) + 1,
      message: text.slice(0, at.index),
    });
  return new TemplateError({ file, message: `cannot be rendered: ${text}` });
}

type Node = hbs.AST.Node;

/**
 * Checks a parsed template: every `{{...}}` prints through the channel's escape helper or `link`,
 * blocks are if/unless/each/with, partials are named plainly, no path reaches a prototype.
 * Returns the names of the partials it includes.
 */
function checkTree(program: hbs.AST.Program, channel: Channel, file: string): string[] {
  const escape = ESCAPE_HELPERS[channel];
  const partials: string[] = [];
  const expression = (node: Node): void => {
    switch (node.type) {
      case 'PathExpression': {
        const path = node as hbs.AST.PathExpression;
        const bad = path.parts.find((part) => FORBIDDEN_SEGMENT.test(part));
        if (bad) throw fail(file, node, `\`${path.original}\` is not a field of the notice`);
        return;
      }
      case 'SubExpression': {
        const sub = node as hbs.AST.SubExpression;
        if (!VALUE_HELPERS.has(sub.path.original))
          throw fail(
            file,
            node,
            `(${sub.path.original} ...): only (join list ", ") may be used inside {{...}}`,
          );
        sub.params.forEach(expression);
        sub.hash?.pairs.forEach((pair) => expression(pair.value));
        return;
      }
      default:
        return; // literals
    }
  };
  const statements = (program: hbs.AST.Program | undefined): void => {
    for (const node of program?.body ?? []) {
      switch (node.type) {
        case 'MustacheStatement': {
          const mustache = node as hbs.AST.MustacheStatement;
          const name =
            mustache.path.type === 'PathExpression' ? (mustache.path as hbs.AST.PathExpression).original : '';
          const other = Object.entries(ESCAPE_HELPERS).find(([, h]) => h === name && h !== escape)?.[0];
          if (other)
            throw fail(
              file,
              node,
              `{{${name} ...}} escapes for ${other}; this is a ${channel} template: write {{${escape} ...}}`,
            );
          if ((name !== escape && name !== 'link') || mustache.params.length === 0) {
            const shown = name || 'a literal';
            throw fail(
              file,
              node,
              `{{${shown}}} would print without escaping: write {{${escape} ${shown}}} (or {{link title url}})`,
            );
          }
          mustache.params.forEach(expression);
          mustache.hash?.pairs.forEach((pair) => expression(pair.value));
          break;
        }
        case 'BlockStatement': {
          const block = node as hbs.AST.BlockStatement;
          if (!BLOCK_HELPERS.has(block.path.original))
            throw fail(file, node, `{{#${block.path.original}}}: blocks are #if, #unless, #each and #with`);
          block.params.forEach(expression);
          block.hash?.pairs.forEach((pair) => expression(pair.value));
          statements(block.program);
          statements(block.inverse);
          break;
        }
        case 'PartialStatement': {
          const partial = node as hbs.AST.PartialStatement;
          const name =
            partial.name.type === 'PathExpression' ? (partial.name as hbs.AST.PathExpression).original : '';
          if (!PARTIAL_NAME.test(name) || partial.params.length > 0 || partial.hash)
            throw fail(file, node, `{{> ...}}: include a partial by its plain name, such as {{> details}}`);
          partials.push(name);
          break;
        }
        case 'ContentStatement':
        case 'CommentStatement':
          break;
        default:
          throw fail(file, node, `${node.type} is not supported in notice templates`);
      }
    }
  };
  statements(program);
  return partials;
}

type Compiled = (view: object) => string;

const RUNTIME = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false } as const;

/** The compiled templates of one source for one channel. */
class ChannelTemplates {
  private readonly hb = Handlebars.create();
  private readonly compiled = new Map<string, Compiled>();
  private readonly partialsDone = new Set<string>();

  constructor(
    private readonly source: TemplateSource,
    private readonly channel: Channel,
    flavour: Flavour,
  ) {
    const hb = this.hb;
    // `log` writes to the console and `lookup` takes field names as strings: neither is needed.
    hb.unregisterHelper('log');
    hb.unregisterHelper('lookup');
    const escape = escaperOf(channel, flavour);
    const linkStyle = linkStyleOf(channel, flavour);
    const helper = ESCAPE_HELPERS[channel];
    hb.registerHelper(helper, (...args: unknown[]) => {
      const options = args.pop() as Located & { data?: { maintFile?: string } };
      const value = args[0];
      if (args.length !== 1) throw helperError(options, `{{${helper}}} takes one value`);
      if (value === undefined || value === null)
        throw helperError(options, `{{${helper} ...}} was given nothing: is the field name right?`);
      if (typeof value === 'object' && !Array.isArray(value))
        throw helperError(options, `{{${helper} ...}} was given an object: print one of its fields`);
      return escape(Array.isArray(value) ? value.join(', ') : value);
    });
    hb.registerHelper('link', (...args: unknown[]) => {
      const options = args.pop() as Located;
      if (args.length !== 2) throw helperError(options, '{{link title url}} takes a title and a URL');
      return formatLink(linkStyle, args[0], args[1]);
    });
    hb.registerHelper('join', (...args: unknown[]) => {
      const options = args.pop() as Located;
      const [list, separator = ', '] = args;
      if (!Array.isArray(list)) throw helperError(options, '(join list ", ") takes a list');
      return list.map((item) => String(item)).join(String(separator));
    });
  }

  render(name: string, view: object): string {
    return this.compile(name)(view);
  }

  private compile(name: string): Compiled {
    const cached = this.compiled.get(name);
    if (cached) return cached;
    const template = this.source.read(name);
    if (!template) throw new TemplateError({ message: `there is no template ${name}` });
    const { file, text } = template;
    let partials: string[];
    let run: HandlebarsTemplateDelegate;
    try {
      partials = checkTree(Handlebars.parse(text), this.channel, file);
      run = this.hb.compile(text, {
        strict: true,
        noEscape: true,
        knownHelpers: { [ESCAPE_HELPERS[this.channel]]: true, link: true, join: true },
        knownHelpersOnly: true,
      });
    } catch (error) {
      throw located(error, file);
    }
    for (const partial of partials) this.registerPartial(partial, file);
    const compiled: Compiled = (view) => {
      try {
        return run(view, { ...RUNTIME, data: { maintFile: file } });
      } catch (error) {
        throw located(error, file);
      }
    };
    this.compiled.set(name, compiled);
    return compiled;
  }

  private registerPartial(partial: string, includedFrom: string): void {
    if (this.partialsDone.has(partial)) return;
    this.partialsDone.add(partial);
    const name = partialTemplateName(partial, this.channel);
    if (!this.source.read(name)) {
      this.partialsDone.delete(partial);
      throw new TemplateError({
        file: includedFrom,
        message: `{{> ${partial}}} names no partial: there is no ${name}`,
      });
    }
    const compiled = this.compile(name);
    this.hb.registerPartial(partial, (context: object) => compiled(context));
  }
}

function helperError(options: Located & { data?: { maintFile?: string } }, message: string): TemplateError {
  return fail(options.data?.maintFile ?? 'template', options, message);
}

const cache = new WeakMap<TemplateSource, Map<string, ChannelTemplates>>();

/** Renders the named template of a channel with the view; throws TemplateError naming the file. */
export function renderTemplate(
  source: TemplateSource,
  channel: Channel,
  name: string,
  view: object,
  flavour: Flavour = 'text',
): string {
  if (flavour === 'html' && channel !== 'email') throw new Error(`only e-mail templates render as HTML`);
  let byChannel = cache.get(source);
  if (!byChannel) cache.set(source, (byChannel = new Map()));
  const key = `${channel}:${flavour}`;
  let templates = byChannel.get(key);
  if (!templates) byChannel.set(key, (templates = new ChannelTemplates(source, channel, flavour)));
  return templates.render(name, view);
}
