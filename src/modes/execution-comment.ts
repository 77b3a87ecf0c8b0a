// The comment a run posts on the result issue when the work ends: each check and step with its
// result, duration and output. Output is arbitrary text: it goes into code fences no backtick run
// inside can close, where GitHub renders nothing (no mentions, links or HTML).
import type { ExecutionReport, ItemResult } from '../execute/report.ts';
import { itemLabel } from '../execute/report.ts';
import { escapeMarkdown } from '../notices/escape.ts';
import { formatDuration } from '../schedule/time.ts';

const ICONS: Record<ItemResult['status'], string> = {
  passed: '✅',
  failed: '❌',
  'timed-out': '⏱️',
  skipped: '➖',
  'stopped-at-deadline': '⛔',
};

const OUTCOME_TITLES: Record<ExecutionReport['outcome'], string> = {
  completed: '✅ Maintenance completed',
  failed: '❌ Maintenance failed',
  'rolled-back': '↩️ Maintenance rolled back',
};

function span(ms: number): string {
  return ms < 60_000 ? `${Math.max(0, Math.round(ms / 1000))} s` : formatDuration(ms);
}

/** A fenced block that the text inside cannot close. */
export function codeBlock(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text.replace(/\n$/, '')}\n${fence}`;
}

export function executionComment(report: ExecutionReport, runUrl?: string): string {
  const lines = [`### ${OUTCOME_TITLES[report.outcome]}`, '', escapeMarkdown(report.reason), ''];
  for (const item of report.items) {
    const took = item.durationMs !== undefined ? ` (${span(item.durationMs)})` : '';
    lines.push(
      `- ${ICONS[item.status]} **${escapeMarkdown(itemLabel(item))}**: ${escapeMarkdown(item.detail)}${took}`,
    );
    if (item.runUrl) lines.push(`  - workflow run: ${item.runUrl}`);
    if (item.output && item.output.trim() !== '') {
      lines.push(
        '',
        '  <details><summary>Output</summary>',
        '',
        codeBlock(item.output).replace(/^/gm, '  '),
        '',
        '  </details>',
        '',
      );
    }
  }
  if (runUrl) lines.push('', `Run: ${runUrl}`);
  return lines.join('\n');
}
