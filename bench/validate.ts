// Issue 3 figures: read + parse alone vs `maint validate` (the bundled CLI, as users run it) over
// the same files, for 1,000 and 10,000 requests.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { findRequestFiles } from '../src/workspace/local.ts';
import { BENCH_NOW, generateOrganisation } from './generate.ts';

export interface ValidateFigures {
  requests: number;
  parseMs: number;
  validateMs: number;
  ratio: number;
  errors: number;
  warnings: number;
}

function best(runs: number, fn: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

export function benchValidate(count: number, dir: string): ValidateFigures {
  const { requestsDir, policyFile } = generateOrganisation(dir, count);
  // Parse alone, in a fresh process like the CLI gets, so both sides pay the same start-up.
  const parseScript = `
    const { readdirSync, readFileSync, statSync } = require('node:fs');
    const { join } = require('node:path');
    const { parse } = require(${JSON.stringify(createRequire(import.meta.url).resolve('yaml'))});
    const walk = (d) => readdirSync(d).flatMap((n) => { const p = join(d, n); return statSync(p).isDirectory() ? walk(p) : [p]; });
    let n = 0; for (const f of walk(${JSON.stringify(requestsDir)})) { parse(readFileSync(f, 'utf8')); n++; }
    if (n !== ${count}) throw new Error('parsed ' + n);`;
  const parseMs = best(3, () => execFileSync(process.execPath, ['-e', parseScript]));
  let output = '';
  const validateMs = best(3, () => {
    try {
      output = execFileSync(
        process.execPath,
        [
          'dist/cli.js',
          'validate',
          requestsDir,
          '--policy',
          policyFile,
          '--now',
          BENCH_NOW,
          '--format',
          'json',
          '--dir',
          requestsDir,
        ],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 30,
        },
      );
    } catch (error) {
      output = (error as { stdout: string }).stdout; // exit 1: some generated requests conflict
    }
  });
  const { summary } = JSON.parse(output) as { summary: { errors: number; warnings: number } };
  // Sanity: the files are what we think.
  if (findRequestFiles([requestsDir]).length !== count) throw new Error('generated count mismatch');
  void parse(readFileSync(findRequestFiles([requestsDir])[0]!, 'utf8'));
  return {
    requests: count,
    parseMs,
    validateMs,
    ratio: validateMs / parseMs,
    errors: summary.errors,
    warnings: summary.warnings,
  };
}
