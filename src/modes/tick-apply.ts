// The apply step of a tick: carries out one occurrence's effects (lifecycle/effects.ts) in order
// through the ports. Each effect comes after the record that makes it safe to repeat; what only the
// other side can name (the result issue's number, silence ids, a Statuspage incident, the execute
// run) is recorded as soon as it comes back. A dispatch is claimed first: the issue is read again,
// the claim written and read back after a pause, and a tick that finds another's claim backs off,
// so two concurrent ticks never both dispatch. How each channel took a notice is recorded with the
// next record (or one at the end); a review still due also records how many comments the issue has,
// so the next tick knows a new one without reading them.
import { randomUUID } from 'node:crypto';
import { liftRequests, silenceHandle, silenceRequests, type SilenceHandle } from '../alerts/plan.ts';
import type { IssueInfo, MaintenanceRepo } from '../github/port.ts';
import type { CommentContent, Effect, OccurrencePlan } from '../lifecycle/effects.ts';
import { decodeStateMarker } from '../lifecycle/marker.ts';
import { isFinal, isReviewPending, type ActionName, type OccurrenceState } from '../lifecycle/state.ts';
import { EXECUTE_WORKFLOW } from '../lifecycle/work.ts';
import type { Policy } from '../model/types.ts';
import type { NoticeKind } from '../notices/kinds.ts';
import type { TemplateSource } from '../notices/template-source.ts';
import type { NoticeDetails } from '../notices/view.ts';
import type { Outbound } from '../outbound/port.ts';
import { RESULT_LABEL, resultBody, resultLabels, resultTitle, type ResultLinks } from './result-issue.ts';
import type { MailContext } from './run-email.ts';
import { reviewComment } from './review-report.ts';
import { noticeComment, noticeMarker, postOnce, sendExternal, type NoticeContext } from './run-notices.ts';

export interface ApplyContext {
  github: MaintenanceRepo;
  outbound?: Outbound;
  secret: (name: string) => string | undefined;
  templates: TemplateSource;
  policy: Policy;
  /** The default branch: where the execute workflow is dispatched. */
  defaultRef: string;
  /** The result issue's links; `pull`: the approved pull request, when provenance named one. */
  links: (requestId: string, requestFile: string, pull?: number) => ResultLinks;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Between writing a dispatch claim and reading it back. */
  claimSettleMs: number;
  /** The repository and the feed's SEQUENCE of each request, for e-mail notices. */
  mail?: Pick<MailContext, 'repo' | 'sequence'>;
}

const CLOSING: Partial<Record<OccurrenceState['state'], 'completed' | 'not_planned'>> = {
  completed: 'completed',
  failed: 'completed',
  'rolled-back': 'completed',
  missed: 'not_planned',
  cancelled: 'not_planned',
};

/** The tick found another tick's dispatch claim: the rest of this occurrence is that tick's. */
class ClaimedElsewhere extends Error {}

export interface Applied {
  problems: string[];
  /** Another tick claimed this occurrence's dispatch: it carries out the rest. */
  backedOff: boolean;
}

/** Carries out one occurrence's effects; its recorded state and result issue as the tick read them. */
export async function applyOccurrence(
  context: ApplyContext,
  plan: OccurrencePlan,
  recorded: OccurrenceState | undefined,
  known: IssueInfo | undefined,
): Promise<Applied> {
  const applier = new Applier(context, plan, recorded, known);
  try {
    for (const effect of plan.effects) await applier.apply(effect);
    await applier.flush();
  } catch (error) {
    if (!(error instanceof ClaimedElsewhere)) throw error;
    return { problems: applier.problems, backedOff: true };
  }
  return { problems: applier.problems, backedOff: false };
}

/** The occurrence's result issue and the state last written to it. */
class Applier {
  readonly problems: string[] = [];
  private issue: IssueInfo | undefined;
  private current: OccurrenceState | undefined;
  private comments: string[] | undefined;
  /** How many comments the issue has, as far as this tick knows. */
  private commentCount: number | undefined;
  /** The count comes from this tick's own reading or posting (else from the issue list, and a
   * review's `seen` the plan recorded from a later reading is kept). */
  private countedHere = false;
  /** What came back from the other side, merged into every later record. */
  private readonly returned: {
    silence?: Record<string, string[]>;
    external?: Record<string, string>;
    run?: { id: number; url: string };
    claim?: string;
    delivery?: Record<string, Record<string, 'sent' | 'failed'>>;
  } = {};
  /** Something came back that no record has carried yet. */
  private unrecorded = false;

  constructor(
    private readonly context: ApplyContext,
    private readonly plan: OccurrencePlan,
    recorded: OccurrenceState | undefined,
    known: IssueInfo | undefined,
  ) {
    this.current = recorded;
    this.issue = known;
    this.commentCount = known?.comments;
  }

  /** Records what came back after the last record (how the channels took the last notice). */
  async flush(): Promise<void> {
    if (this.unrecorded && this.current) await this.write(this.current);
  }

  private get request() {
    return this.plan.occurrence.request;
  }

  async apply(effect: Effect): Promise<void> {
    switch (effect.kind) {
      case 'record':
        if (effect.claim) await this.claim(effect.state);
        else await this.write(effect.state);
        return;
      case 'comment':
        return this.comment(effect.name, effect.content);
      case 'notify':
        return this.notify(effect.notice, effect.details, effect.action);
      case 'silence':
        return this.silence();
      case 'lift':
        return this.lift();
      case 'dispatch':
        return this.dispatch(effect.inputs);
      case 'cancel-run':
        await this.context.github.cancelWorkflowRun(effect.run);
        return;
    }
  }

  private merged(state: OccurrenceState): OccurrenceState {
    const { silence, external, run, claim, delivery } = this.returned;
    const seen = this.countedHere ? this.commentCount : (state.review?.seen ?? this.commentCount);
    return {
      ...state,
      ...(this.issue ? { issue: this.issue.number } : {}),
      ...(silence ? { silence: { ...state.silence, ...silence } } : {}),
      ...(external ? { external: { ...state.external, ...external } } : {}),
      ...(delivery ? { delivery: mergeDelivery(state.delivery, delivery) } : {}),
      ...(isReviewPending(state) && seen !== undefined ? { review: { ...state.review!, seen } } : {}),
      ...(state.dispatch
        ? {
            dispatch: {
              ...state.dispatch,
              ...(claim ? { claim } : {}),
              ...(run ? { run: run.id, url: run.url } : {}),
            },
          }
        : {}),
    };
  }

  /** The links a result issue and its review show: the request file and, once proven, its pull request. */
  private resultLinks(state: OccurrenceState): ResultLinks {
    return this.context.links(
      this.request.id,
      this.request.file,
      state.provenance?.ok ? state.provenance.pull : undefined,
    );
  }

  private body(state: OccurrenceState): string {
    const { occurrence } = this.plan;
    return resultBody(
      this.context.templates,
      occurrence.key,
      this.request,
      occurrence.timeline,
      state,
      this.resultLinks(state),
    );
  }

  /**
   * Writes the state (and the body, labels and assignee it implies), creating the result issue if
   * needed. The issue is closed as the maintenance ends; one that people reopened after is left open.
   */
  private async write(planned: OccurrenceState): Promise<void> {
    const state = this.merged(planned);
    const close = isFinal(this.current) ? undefined : CLOSING[state.state];
    const requester = this.request.requester.replace(/^@/, '');
    if (!this.issue) {
      this.issue = await this.context.github.createIssue({
        title: resultTitle(this.request, this.plan.occurrence.timeline),
        body: this.body(state),
        labels: resultLabels(this.request, state),
        assignees: [requester],
      });
      this.comments = [];
      this.commentCount = 0;
      this.countedHere = true;
      this.current = { ...state, issue: this.issue.number };
      this.unrecorded = false;
      await this.keepOldestIssue();
      if (!close) return;
    }
    const issue = this.issue;
    // A review due is the requester's: assigned again if someone else took the issue.
    const assignees = issue.assignees;
    const assign =
      isReviewPending(state) &&
      assignees &&
      !assignees.some((a) => a.toLowerCase() === requester.toLowerCase())
        ? [...assignees, requester]
        : undefined;
    await this.context.github.updateIssue(issue.number, {
      body: this.body({ ...state, issue: issue.number }),
      labels: resultLabels(this.request, state),
      ...(assign ? { assignees: assign } : {}),
      ...(close && issue.state === 'open' ? { state: 'closed' as const, stateReason: close } : {}),
    });
    this.issue = {
      ...issue,
      ...(close ? { state: 'closed' as const } : {}),
      ...(assign ? { assignees: assign } : {}),
    };
    this.current = { ...state, issue: issue.number };
    this.unrecorded = false;
  }

  /**
   * Two ticks that ran at once may both have made an issue for the occurrence: the oldest open one is
   * kept, a newer one is closed as its duplicate and its tick leaves the rest to the other.
   */
  private async keepOldestIssue(): Promise<void> {
    const mine = this.issue!;
    const key = this.plan.occurrence.key;
    const tracking = (await this.context.github.openIssues(RESULT_LABEL)).filter((issue) => {
      const marker = decodeStateMarker(issue.body);
      return marker.kind === 'found' && marker.key === key;
    });
    const oldest = tracking.reduce((a, b) => (b.number < a.number ? b : a), mine);
    if (oldest.number === mine.number) return;
    await this.context.github.updateIssue(mine.number, { state: 'closed', stateReason: 'duplicate' });
    throw new ClaimedElsewhere();
  }

  /**
   * The record of a dispatch. Another tick may have recorded one since this tick read the issues:
   * read it again; write this tick's claim; after a pause read it back. Whoever's claim is there
   * then dispatches; the other stops here.
   */
  private async claim(planned: OccurrenceState): Promise<void> {
    const recorded = () =>
      this.issue
        ? this.context.github.issue(this.issue.number).then((issue) => {
            const marker = decodeStateMarker(issue.body);
            return marker.kind === 'found' ? marker.state : undefined;
          })
        : Promise.resolve(undefined);
    const fresh = await recorded();
    const expected = this.current?.dispatch?.at;
    if (this.issue && (fresh?.dispatch?.at !== expected || (fresh && fresh.state !== this.current?.state)))
      throw new ClaimedElsewhere();
    this.returned.claim = randomUUID();
    await this.write(planned);
    if (this.context.claimSettleMs > 0) await this.context.sleep(this.context.claimSettleMs);
    if ((await recorded())?.dispatch?.claim !== this.returned.claim) throw new ClaimedElsewhere();
  }

  private noticeContext(): NoticeContext {
    return {
      github: this.context.github,
      ...(this.context.outbound ? { outbound: this.context.outbound } : {}),
      secret: this.context.secret,
      templates: this.context.templates,
      policy: this.context.policy,
      now: this.context.now(),
      ...(this.context.mail ? { mail: this.mailContext(this.context.mail) } : {}),
    };
  }

  private mailContext(mail: Pick<MailContext, 'repo' | 'sequence'>): MailContext {
    const state = this.current;
    const pull = state?.provenance?.ok ? state.provenance.pull : undefined;
    const links = this.context.links(this.request.id, this.request.file, pull);
    return {
      ...mail,
      key: this.plan.occurrence.key,
      ...(links.pullRequest ? { pullRequestUrl: links.pullRequest } : {}),
    };
  }

  private withIssue(details: NoticeDetails): NoticeDetails {
    return this.issue ? { ...details, resultIssueUrl: this.issue.htmlUrl } : details;
  }

  private async ensureIssue(): Promise<IssueInfo> {
    if (!this.issue) await this.write(this.current ?? { state: 'scheduled', done: [] });
    return this.issue!;
  }

  /** The comment carrying `name`'s marker, exactly once (see run-notices.ts). */
  private async comment(name: string, content: CommentContent): Promise<void> {
    const issue = await this.ensureIssue();
    const body = this.commentBody(content);
    const existing = async () => {
      if (!this.comments) {
        this.comments = (await this.context.github.comments(issue.number)).map((c) => c.body);
        this.commentCount = this.comments.length;
        this.countedHere = true;
      }
      return this.comments;
    };
    const posted = await postOnce(this.context.github, issue.number, name, body, existing);
    this.comments?.push(noticeMarker(name));
    if (posted && this.commentCount !== undefined) this.commentCount++;
  }

  private commentBody(content: CommentContent): string {
    if ('text' in content) return content.text;
    if ('review' in content) {
      const { occurrence } = this.plan;
      const state = this.merged(this.current ?? { state: 'scheduled', done: [] });
      return reviewComment(
        this.context.templates,
        this.request,
        occurrence.timeline,
        state,
        this.resultLinks(state),
      );
    }
    return noticeComment(this.noticeContext(), content.notice, this.request, this.withIssue(content.details));
  }

  private async notify(notice: NoticeKind, details: NoticeDetails, action: ActionName): Promise<void> {
    if (!this.current || !this.context.outbound) return;
    const sent = await sendExternal(
      this.noticeContext(),
      notice,
      this.request,
      this.current,
      this.withIssue(details),
    );
    this.problems.push(...sent.problems);
    const channels = Object.entries(sent.delivered);
    if (channels.length > 0) {
      this.returned.delivery = mergeDelivery(
        this.returned.delivery,
        Object.fromEntries(channels.map(([channel, result]) => [channel, { [action]: result }])),
      );
      this.unrecorded = true;
    }
    if (Object.keys(sent.external).length > 0) {
      this.returned.external = { ...this.returned.external, ...sent.external };
      await this.write(this.current);
    }
  }

  private silenceInput() {
    return {
      request: this.request,
      occurrence: this.plan.occurrence.timeline,
      policy: this.context.policy,
      ...(this.issue ? { issueUrl: this.issue.htmlUrl } : {}),
      now: this.context.now(),
    };
  }

  /** Silences cannot be looked up again: recorded first (the record before this), then created once. */
  private async silence(): Promise<void> {
    const outbound = this.context.outbound;
    if (!outbound || !this.current) return;
    const ids: Record<string, string[]> = {};
    for (const request of silenceRequests(this.silenceInput()).requests) {
      try {
        const handle = silenceHandle(await outbound.send(request));
        if (handle)
          ids[handle.service] = [...(ids[handle.service] ?? []), 'id' in handle ? handle.id : 'sent'];
      } catch (error) {
        this.problems.push(
          `silence on ${request.service}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    if (Object.keys(ids).length > 0) {
      this.returned.silence = ids;
      await this.write(this.current);
    }
  }

  private async lift(): Promise<void> {
    const outbound = this.context.outbound;
    if (!outbound || !this.current) return;
    const handles = Object.entries(this.current.silence ?? {}).flatMap(([service, ids]): SilenceHandle[] =>
      service === 'webhook'
        ? [{ service: 'webhook' }]
        : ids.map((id) => ({ service: service as 'alertmanager' | 'pagerduty' | 'datadog', id })),
    );
    for (const request of liftRequests(this.silenceInput(), handles)) {
      try {
        await outbound.send(request);
      } catch (error) {
        this.problems.push(
          `lifting the silence on ${request.service}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  /** Dispatches the execute workflow; the run GitHub names for it is recorded at once. */
  private async dispatch(inputs: Record<string, string>): Promise<void> {
    const issue = await this.ensureIssue();
    const run = await this.context.github.dispatchWorkflow(EXECUTE_WORKFLOW, this.context.defaultRef, {
      ...inputs,
      issue: String(issue.number),
    });
    this.returned.run = { id: run.runId, url: run.htmlUrl };
    if (this.current) await this.write(this.current);
  }
}

type Delivery = NonNullable<OccurrenceState['delivery']>;

function mergeDelivery(recorded: Delivery | undefined, more: Delivery): Delivery {
  const out: Delivery = { ...recorded };
  for (const [channel, actions] of Object.entries(more)) out[channel] = { ...out[channel], ...actions };
  return out;
}
