// `npm run bench`: the performance figures of the issues, measured on this machine and printed.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchLargeBase, benchTicks, benchValidation } from './action.ts';
import { generateDenseOrganisation, generateOrganisation } from './generate.ts';
import { benchHub, type HubBuildFigures } from './hub.ts';
import { benchPublish } from './publish.ts';
import { benchValidate, type ValidateFigures } from './validate.ts';

const root = join(tmpdir(), 'maint-bench');
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (n: number) => `${Math.round(n)} MiB`;

function validationTable(rows: ValidateFigures[]): void {
  console.log(
    'requests  parse alone  validate (json / text)  ratio  CPU time (parse / json / text)  peak RSS (json / text)  findings',
  );
  for (const r of rows)
    console.log(
      [
        String(r.requests).padStart(8),
        s(r.parseMs).padStart(11),
        `${s(r.jsonMs)} / ${s(r.textMs)}`.padStart(22),
        r.ratio.toFixed(2).padStart(5),
        `${s(r.parseCpuMs)} / ${s(r.jsonCpuMs)} / ${s(r.textCpuMs)}`.padStart(30),
        `${mib(r.jsonRssMiB)} / ${mib(r.textRssMiB)}`.padStart(22),
        `${r.errors} errors, ${r.warnings} warnings`,
      ].join('  '),
    );
  const [small, large] = rows as [ValidateFigures, ValidateFigures];
  const slowest = (r: ValidateFigures) => Math.max(r.jsonMs, r.textMs);
  console.log(`1k -> 10k growth: ${(slowest(large) / slowest(small)).toFixed(1)}x (target < 12x)`);
}

console.log('maint benchmark (best of 3 runs each)\n');
console.log('Validation (issue 3): generated organisations, 5 environments, 200 services, two years');
validationTable(
  [1_000, 10_000].map((count) => benchValidate(count, join(root, `validate-${count}`), generateOrganisation)),
);
console.log('targets: 10k under 3 s, within 2x of parsing alone');

console.log(
  '\nValidation on the worst day (issue 12): the default policy, 3/4 of the requests 30-minute jobs at',
  '\nthe start of a production or staging window (about 18 to a slot at 10k), 200 services, two years',
);
validationTable(
  [1_000, 10_000].map((count) =>
    benchValidate(count, join(root, `dense-${count}`), generateDenseOrganisation),
  ),
);
console.log('targets: 10k under 2.5 s, within 2x of parsing alone, peak RSS under 300 MiB, json and text');

console.log('\nPublishing (issue 5): every feed and the schedule page, in process');
for (const count of [1_000, 10_000]) {
  const p = benchPublish(count, join(root, `publish-${count}`));
  console.log(
    `${String(p.requests).padStart(8)} requests: ${s(p.buildMs)} for ${p.feeds} feeds and the page; maintenance.ics ${(p.mainFeedBytes / 1024 / 1024).toFixed(1)} MiB, ${p.bytesPerEvent} bytes per event (target: 10k under 2 s)`,
  );
}

console.log('\nThe action (issues 4 and 12): bundled dist/index.js against the local GitHub API server');
const action = await benchValidation();
console.log(
  `bundle: ${action.bundleKiB} KiB; cold start to the first API request: ${Math.round(action.coldStartMs)} ms (target < 300 ms)`,
);
for (const shape of action.apiRequests)
  console.log(`API requests, ${shape.name}: ${shape.count} (target <= ${shape.target})`);
const large = await benchLargeBase(20_000, 2_000);
console.log(
  `peak RSS validating a one-request PR on a base of ${large.otherFiles} other files and ${large.requests} requests (a ${mib(large.archiveMiB)} tarball): ${mib(large.maxRssMiB)} (target < 250 MiB)`,
);

console.log(
  '\nThe run mode (issues 6 and 15): API requests of a tick with nothing due, as past maintenance accumulates',
);
const ticks = await benchTicks([0, 100, 1000]);
console.log(
  Object.entries(ticks)
    .map(([past, count]) => `${past} past: ${count.quiet} requests`)
    .join('; '),
);
console.log(
  `with a tenth of them rolled back and their reviews overdue, and 3 reviews awaiting their formal reminder: ${Object.entries(
    ticks,
  )
    .map(([past, count]) => `${past} past: ${count.withReviews} requests`)
    .join('; ')}`,
);

console.log(
  '\nThe hub (issue 16): bundled dist/index.js over a simulated organisation on the local API server',
);
const hub = await benchHub(500, 200);
console.log(
  `${hub.repositories} repositories, ${hub.requests.toLocaleString('en')} requests (4 in 5 on Pages, the rest read through the API)`,
);
const describeBuild = (name: string, b: HubBuildFigures) =>
  `${name}: ${b.seconds.toFixed(1)} s, peak ${b.maxRssMiB} MiB; API ${b.api} (${b.apiNotModified} answered 304: ${Object.entries(
    b.apiByPurpose,
  )
    .map(([purpose, n]) => `${n} ${purpose}`)
    .join(
      ', ',
    )}); Pages ${b.pages} (${b.pagesNotModified} answered 304) + ${b.readBack} of its own last build; ${b.occurrences} occurrences`;
console.log(describeBuild('first build (everything read)', hub.first));
console.log(describeBuild('rebuild, nothing changed', hub.quiet));
console.log(describeBuild('rebuild, 5 members changed', hub.fiveChanged));
console.log('targets: a build under 60 s and 1 GB; a quiet rebuild one request per member, all 304');
