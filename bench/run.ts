// `npm run bench`: the performance figures of the issues, measured on this machine and printed.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchValidate } from './validate.ts';

const root = join(tmpdir(), 'maint-bench');
const ms = (n: number) => `${(n / 1000).toFixed(2)} s`;

console.log('maint benchmark (best of 3 runs each)\n');
console.log('Validation (issue 3): generated organisations, 5 environments, 200 services, two years');
const rows = [1_000, 10_000].map((count) => benchValidate(count, join(root, `validate-${count}`)));
console.log('requests  parse alone  maint validate  ratio  findings');
for (const r of rows)
  console.log(
    `${String(r.requests).padStart(8)}  ${ms(r.parseMs).padStart(11)}  ${ms(r.validateMs).padStart(14)}  ${r.ratio.toFixed(2).padStart(5)}  ${r.errors} errors, ${r.warnings} warnings`,
  );
const [small, large] = rows as [(typeof rows)[0], (typeof rows)[0]];
const growth = large.validateMs / small.validateMs;
console.log(`1k -> 10k growth: ${growth.toFixed(1)}x (target < 12x)`);
console.log(
  `10k validated in ${ms(large.validateMs)} (target < 3 s); validate/parse ${large.ratio.toFixed(2)}x (target < 2x)`,
);
