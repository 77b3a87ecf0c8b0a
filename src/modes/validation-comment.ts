// The sticky pull request comment: a view of the validation and approvals, rendered from the
// Handlebars template `comment/validation.markdown.hbs` (a repository may override it), with every
// value escaped for GitHub Markdown by the template layer. The marker that finds the comment again
// is added here, outside the template, so an override cannot lose it.
import type { ApprovalAnalysis } from '../approvals/evaluate.ts';
import { describeRecurrence, describeSlot, describeWhen } from '../format/validation.ts';
import type { MaintenanceRequest } from '../model/types.ts';
import { RULE_IDS } from '../model/types.ts';
import { renderTemplate } from '../notices/compile.ts';
import type { TemplateSource } from '../notices/template-source.ts';
import { crossesOffsetChange, occurrencesBetween } from '../schedule/recurrence.ts';
import { formatBoth, offsetAt } from '../schedule/time.ts';
import type { FileReport, ValidationReport } from '../schedule/validate.ts';
import type { PullRequestData } from './pull-request-data.ts';

export const VALIDATION_MARKER = '<!-- maint:validate -->';
export const COMMENT_TEMPLATE = 'comment/validation.markdown.hbs';

const RULE_ICONS = { pass: '✅', error: '❌', warning: '⚠️', skipped: '➖' } as const;

function ruleResults(file: FileReport) {
  const skipped = file.history || file.request?.status === 'cancelled' || !file.request;
  return RULE_IDS.map((rule) => {
    const result = file.errors.some((f) => f.rule === rule)
      ? 'error'
      : file.warnings.some((f) => f.rule === rule)
        ? 'warning'
        : skipped && rule !== 'schema' && rule !== 'timezone'
          ? 'skipped'
          : 'pass';
    return { rule, result, icon: RULE_ICONS[result] };
  });
}

function upcoming(request: MaintenanceRequest, now: number): { next: string[]; dst: boolean } {
  if (!request.series) return { next: [], dst: false };
  const year = occurrencesBetween(request, now, now + 366 * 86_400_000);
  return {
    next: year.slice(0, 3).map((o) => formatBoth(o.start, request.zone)),
    dst: crossesOffsetChange(year, (instant) => offsetAt(instant, request.zone)),
  };
}

export function validationView(
  data: PullRequestData,
  report: ValidationReport,
  approvals: ApprovalAnalysis,
  now: number,
  /** What was suggested for a request refused for its time (or why nothing was), by path. */
  suggestions: ReadonlyMap<string, string> = new Map(),
) {
  const { decision, hints } = approvals;
  const valid = report.summary.errors === 0;
  const requests = report.files.map((file) => {
    const request = file.request;
    const { next, dst } = request ? upcoming(request, now) : { next: [], dst: false };
    const finding = (f: FileReport['errors'][number]) => ({
      rule: f.rule,
      line: f.line,
      column: f.column,
      message: f.message,
    });
    return {
      path: file.path,
      title: request?.title ?? file.id,
      hasRequest: request !== undefined,
      when: request ? describeWhen(request) : '',
      repeats: request ? (describeRecurrence(request) ?? '') : '',
      next: next.join('; '),
      dstWarning: dst,
      zone: request?.zone ?? '',
      where: request ? `${request.environment}: ${request.services.join(', ')}` : '',
      what: request ? `${request.type} ${request.category}, ${request.impact} impact` : '',
      notice: request?.impact_description ?? '',
      status: file.history
        ? 'past (only its format is checked)'
        : request?.status === 'cancelled'
          ? 'cancelled'
          : '',
      rules: ruleResults(file),
      errors: file.errors.map(finding),
      warnings: file.warnings.map(finding),
      nextSlot: file.nextSlot && request ? describeSlot(file.nextSlot, request.zone) : '',
      suggestion: suggestions.get(file.path) ?? '',
    };
  });
  const groups = decision.files.flatMap((f) =>
    f.groups.map((g) => ({
      path: f.path,
      name: g.name,
      have: Math.min(g.approved_by.length, g.need),
      need: g.need,
      approvedBy: g.approved_by.length > 0 ? g.approved_by.join(', ') : 'nobody yet',
      missing: g.missing,
      // Only people whose approval could count; when nobody is left, why not and the fix.
      askFrom: g.missing > 0 ? (hints.askFrom[g.name] ?? []).join(', ') : '',
      nobody: g.missing > 0 ? (hints.nobody[g.name] ?? '') : '',
    })),
  );
  return {
    valid,
    approved: decision.approved,
    errorCount: report.summary.errors,
    warningCount: report.summary.warnings,
    headSha: data.pr.headSha.slice(0, 7),
    policySource: data.policySource,
    requests,
    groups,
    hasGroups: groups.length > 0,
    blocking: decision.blocking.map((b) => b.user),
    problems: decision.problems,
    notes: hints.notes,
  };
}

export function renderValidationComment(
  templates: TemplateSource,
  data: PullRequestData,
  report: ValidationReport,
  approvals: ApprovalAnalysis,
  context: {
    runUrl?: string | undefined;
    now: number;
    suggestions?: ReadonlyMap<string, string>;
    /** A hidden line saying which suggestions stand (suggestion-review.ts), kept outside the template. */
    posted?: string | undefined;
  },
): string {
  const view = {
    ...validationView(data, report, approvals, context.now, context.suggestions),
    runUrl: context.runUrl ?? '',
  };
  const posted = context.posted ? `${context.posted}\n` : '';
  return `${VALIDATION_MARKER}\n${posted}${renderTemplate(templates, 'markdown', COMMENT_TEMPLATE, view).trim()}\n`;
}
