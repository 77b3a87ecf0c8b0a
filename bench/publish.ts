// Issue 5 figures: building every feed and the schedule page for a generated organisation.
import { buildFeeds } from '../src/calendar/feeds.ts';
import { loadPolicy, readRequests } from '../src/workspace/local.ts';
import { renderSchedulePage } from '../src/site/schedule-page.ts';
import { BENCH_NOW, generateOrganisation } from './generate.ts';

export interface PublishFigures {
  requests: number;
  buildMs: number;
  feeds: number;
  mainFeedBytes: number;
  bytesPerEvent: number;
}

export function benchPublish(count: number, dir: string): PublishFigures {
  const { requestsDir, policyFile } = generateOrganisation(dir, count);
  const now = Date.parse(BENCH_NOW);
  const { policy } = loadPolicy(policyFile, '.', now);
  const requests = readRequests([requestsDir]).flatMap((f) => (f.request ? [f.request] : []));
  let best = Infinity;
  let feeds = new Map<string, string>();
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    feeds = buildFeeds({ requests, policy, now, sequences: new Map(), repo: { owner: 'acme', name: 'ops' } });
    renderSchedulePage({
      requests,
      policy,
      now,
      feeds: [...feeds.keys()].map((path) => ({ label: path, path })),
      baseUrl: 'https://acme.github.io/ops/',
    });
    best = Math.min(best, performance.now() - started);
  }
  const main = feeds.get('maintenance.ics') ?? '';
  const events = (main.match(/^BEGIN:VEVENT/gm) ?? []).length;
  return {
    requests: count,
    buildMs: best,
    feeds: feeds.size,
    mainFeedBytes: Buffer.byteLength(main),
    bytesPerEvent: Math.round(Buffer.byteLength(main) / Math.max(1, events)),
  };
}
