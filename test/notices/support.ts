// Shared setup for the notice tests: the real examples and policy, the built-in templates, and what a
// reader of each channel sees once the channel's own escaping is undone.
import { loadPolicy, readRequests } from '../../src/workspace/local.ts';
import type { MaintenanceRequest, Policy } from '../../src/model/types.ts';
import type { Channel } from '../../src/notices/kinds.ts';
import { renderNotice, type RenderedNotice } from '../../src/notices/render.ts';
import { loadTemplates } from '../../src/notices/template-loader.ts';
import type { TemplateSource } from '../../src/notices/template-source.ts';
import type { NoticeInput } from '../../src/notices/view.ts';

export const NOW = Date.parse('2027-01-04T00:00:00Z');
export const STATUS_PAGE = 'https://status.example.com/';
export const RESULT_ISSUE = 'https://github.com/acme/ops/issues/42';

export const builtIn: TemplateSource = loadTemplates({ root: '/nonexistent' }).source;

export function examplePolicy(extraZones: string[] = ['America/New_York']): Policy {
  const { policy } = loadPolicy(undefined, '.', NOW);
  return { ...policy, notices: { ...policy.notices, extraZones, statusPageUrl: STATUS_PAGE } };
}

export function examples(): MaintenanceRequest[] {
  return readRequests(['maintenance']).flatMap((file) => (file.request ? [file.request] : []));
}

export function example(id: string): MaintenanceRequest {
  const found = examples().find((r) => r.id === id);
  if (!found) throw new Error(`no example ${id}`);
  return found;
}

/** Renders and fails the test with the problem when there is one. */
export function render(input: NoticeInput, templates: TemplateSource = builtIn): RenderedNotice {
  const result = renderNotice(input, templates);
  if (!result.ok) throw new Error(JSON.stringify(result.problem));
  return result.notice;
}

interface Json {
  [key: string]: unknown;
}

/** Every piece of text a notice shows, as sent (still escaped for its channel). */
export function shownTexts(notice: RenderedNotice): string[] {
  const json = notice.json as Json | undefined;
  switch (notice.channel) {
    case 'markdown':
      return [notice.text ?? ''];
    case 'email':
      return [notice.subject ?? '', notice.text ?? ''];
    case 'slack': {
      const blocks = (json!.blocks as Json[]).flatMap((block) =>
        block.type === 'context'
          ? (block.elements as Json[]).map((e) => String(e.text))
          : [String((block.text as Json).text)],
      );
      return [String(json!.text), ...blocks];
    }
    case 'teams': {
      const card = ((json!.attachments as Json[])[0]!.content as Json).body as Json[];
      return card.map((block) => String(block.text));
    }
    case 'statuspage': {
      const incident = json!.incident as Json;
      return [notice.subject ?? '', String(incident.body)];
    }
  }
}

/** What a reader sees: the channel's escapes undone, zero-width spaces gone. */
export function visible(channel: Channel, text: string): string {
  let shown = text.replace(/\u200b/g, '');
  if (channel === 'markdown') shown = shown.replace(/\\([\\`*_[\]()!|~$#+\-.=>)])/g, '$1');
  if (channel === 'markdown' || channel === 'slack')
    shown = shown.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return shown;
}

export function visibleText(notice: RenderedNotice): string {
  return shownTexts(notice)
    .map((text) => visible(notice.channel, text))
    .join('\n');
}
