// `mode: run`: one tick of the scheduler. It reads as a line: gather (the result issues, and the facts
// what is due needs), plan (pure: each occurrence's effects, as data), apply (one executor that
// records before each effect). It never runs checks or steps: due work is dispatched to the execute
// workflow (`mode: execute`), and only for content that a merged, approved pull request brought.
import type { MaintenanceRepo } from '../github/port.ts';
import { planEffects } from '../lifecycle/effects.ts';
import type { RequestParse } from '../model/request.ts';
import type { MaintenanceRequest, Policy } from '../model/types.ts';
import type { TemplateSource } from '../notices/template-source.ts';
import type { Outbound } from '../outbound/port.ts';
import type { ResultLinks } from './result-issue.ts';
import { applyOccurrence } from './tick-apply.ts';
import { gatherTick } from './tick-gather.ts';

export interface RunDeps {
  github: MaintenanceRepo;
  outbound?: Outbound;
  now: () => number;
  log: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Between writing a dispatch claim and reading it back (default 2 s). */
  claimSettleMs?: number;
}

export interface RunSettings {
  files: readonly RequestParse[];
  /** Request id -> the git blob of its file in the checkout (the default branch's head). */
  blobs: ReadonlyMap<string, string>;
  policy: Policy;
  templates: TemplateSource;
  /** Base CODEOWNERS text (the default branch's), for who may record a manual outcome. */
  codeowners: string | null;
  /** The pull request that last changed each request, by request id (from git history). */
  pullRequests?: ReadonlyMap<string, number>;

  repo: { owner: string; name: string };
  serverUrl: string;
  runUrl?: string;
  /** The default branch (its name). */
  defaultRef: string;
  /** The ref this tick runs on (`refs/heads/main`) and the commit it checked out. */
  ref: string;
  head: string;
  /** The validate check whose success provenance requires. */
  checkName: string;
  /** A secret's value by name (chat webhooks, Statuspage). */
  secret: (name: string) => string | undefined;
  /**
   * The feeds' SEQUENCE of a request's event (from git history: workspace/sequence.ts), or why it
   * cannot be known; e-mailed events carry it. Default 0, what the feeds say outside a git checkout.
   */
  eventSequence?: (request: MaintenanceRequest) => number | { problem: string };
}

export interface TickReport {
  actions: { id: string; action: string; done: boolean; note?: string }[];
  problems: string[];
}

export async function runTick(deps: RunDeps, settings: RunSettings): Promise<TickReport> {
  const gathered = await gatherTick(deps.github, settings, deps.now());
  const plans = planEffects(gathered.facts);
  const report: TickReport = { actions: [], problems: [...gathered.problems] };
  const context = {
    github: deps.github,
    ...(deps.outbound ? { outbound: deps.outbound } : {}),
    secret: settings.secret,
    templates: settings.templates,
    policy: settings.policy,
    defaultRef: settings.defaultRef,
    links: (id: string, file: string, pull?: number) => links(settings, id, file, pull),
    now: deps.now,
    sleep: deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    claimSettleMs: deps.claimSettleMs ?? 2000,
    mail: {
      repo: { ...settings.repo, serverUrl: settings.serverUrl },
      sequence: settings.eventSequence ?? (() => 0),
    },
  };
  for (const plan of plans) {
    const { key } = plan.occurrence;
    let backedOff = false;
    try {
      const applied = await applyOccurrence(
        context,
        plan,
        gathered.facts.states[key],
        gathered.issues.get(key),
      );
      report.problems.push(...applied.problems.map((p) => `${key}: ${p}`));
      backedOff = applied.backedOff;
    } catch (error) {
      report.problems.push(`${key}: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const action of plan.actions)
      report.actions.push({
        id: key,
        ...action,
        ...(backedOff ? { done: false, note: 'another tick took it over' } : {}),
      });
  }
  return report;
}

function links(settings: RunSettings, id: string, file: string, approved?: number): ResultLinks {
  const { repo, serverUrl, defaultRef, runUrl } = settings;
  const pull = approved ?? settings.pullRequests?.get(id);
  return {
    requestFile: `${serverUrl}/${repo.owner}/${repo.name}/blob/${defaultRef}/${file}`,
    ...(pull !== undefined ? { pullRequest: `${serverUrl}/${repo.owner}/${repo.name}/pull/${pull}` } : {}),
    ...(runUrl ? { run: runUrl } : {}),
  };
}
