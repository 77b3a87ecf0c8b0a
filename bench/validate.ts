// Issue 3 and 12 figures: read + parse alone vs `maint validate` (the bundled CLI, as users run it)
// over the same files, in JSON and text output, with the peak resident memory of each run.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRequestFiles } from '../src/workspace/local.ts';
import { BENCH_NOW, generateOrganisation } from './generate.ts';

export interface ValidateFigures {
  requests: number;
  parseMs: number;
  jsonMs: number;
  textMs: number;
  /** The slower output over parsing alone. */
  ratio: number;
  jsonRssMiB: number;
  textRssMiB: number;
  errors: number;
  warnings: number;
}

/** Runs a command under GNU time: best wall time of `runs`, the peak memory of that run, its output. */
function measure(runs: number, command: string, args: string[], rssFile: string) {
  let fastest = { ms: Infinity, rssMiB: 0, stdout: '' };
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    let stdout: string;
    try {
      stdout = execFileSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, command, ...args], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
    } catch (error) {
      stdout = (error as { stdout: string }).stdout; // exit 1: some generated requests conflict
    }
    const ms = performance.now() - started;
    const rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    if (ms < fastest.ms) fastest = { ms, rssMiB: rssKiB / 1024, stdout };
  }
  return fastest;
}

export function benchValidate(
  count: number,
  dir: string,
  generate: typeof generateOrganisation = generateOrganisation,
): ValidateFigures {
  const { requestsDir, policyFile } = generate(dir, count);
  if (findRequestFiles([requestsDir]).length !== count) throw new Error('generated count mismatch');
  const rssFile = join(dir, 'rss');
  // Parse alone, single-threaded in a fresh process like the CLI gets, so both pay the same start-up.
  const parseScript = `
    const { readdirSync, readFileSync, statSync } = require('node:fs');
    const { join } = require('node:path');
    const { parse } = require(${JSON.stringify(createRequire(import.meta.url).resolve('yaml'))});
    const walk = (d) => readdirSync(d).flatMap((n) => { const p = join(d, n); return statSync(p).isDirectory() ? walk(p) : [p]; });
    let n = 0; for (const f of walk(${JSON.stringify(requestsDir)})) { parse(readFileSync(f, 'utf8')); n++; }
    if (n !== ${count}) throw new Error('parsed ' + n);`;
  const parse = measure(3, process.execPath, ['-e', parseScript], rssFile);
  const validate = (format: string) =>
    measure(
      3,
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
        format,
        '--dir',
        requestsDir,
      ],
      rssFile,
    );
  const json = validate('json');
  const text = validate('text');
  const { summary } = JSON.parse(json.stdout) as { summary: { errors: number; warnings: number } };
  const counted = /(\d+) errors?, (\d+) warnings?$/.exec(text.stdout.trimEnd());
  if (Number(counted?.[1]) !== summary.errors || Number(counted?.[2]) !== summary.warnings)
    throw new Error('the text and JSON reports disagree');
  return {
    requests: count,
    parseMs: parse.ms,
    jsonMs: json.ms,
    textMs: text.ms,
    ratio: Math.max(json.ms, text.ms) / parse.ms,
    jsonRssMiB: json.rssMiB,
    textRssMiB: text.rssMiB,
    errors: summary.errors,
    warnings: summary.warnings,
  };
}
