// Issue 3 and 12 figures: read + parse alone vs `maint validate` (the bundled CLI, as users run it)
// over the same files, in JSON and text output, with the peak resident memory of each run.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRequestFiles } from '../src/workspace/local.ts';
import { BENCH_NOW, generateOrganisation } from './generate.ts';

export interface ValidateFigures {
  requests: number;
  parseMs: number;
  jsonMs: number;
  textMs: number;
  /** CPU time (user and system, every thread) of the same runs: what a busy machine does not hide. */
  parseCpuMs: number;
  jsonCpuMs: number;
  textCpuMs: number;
  /** The slower output over parsing alone. */
  ratio: number;
  jsonRssMiB: number;
  textRssMiB: number;
  errors: number;
  warnings: number;
}

interface Run {
  ms: number;
  /** User and system CPU time of the process, all its threads. */
  cpuMs: number;
  rssMiB: number;
  stdout: string;
}

/** Runs a command under GNU time with its output to a file (as `> report.json` would). */
function run(command: string, args: string[], dir: string): Run {
  const rssFile = join(dir, 'rss');
  const outFile = join(dir, 'out');
  const out = openSync(outFile, 'w');
  const started = performance.now();
  // Exit 1 is expected: some generated requests conflict.
  spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', rssFile, command, ...args], {
    stdio: ['ignore', out, 'ignore'],
  });
  const ms = performance.now() - started;
  closeSync(out);
  const [user, system, rssKiB] = readFileSync(rssFile, 'utf8')
    .trim()
    .split('\n')
    .pop()!
    .split(' ')
    .map(Number);
  return {
    ms,
    cpuMs: (user! + system!) * 1000,
    rssMiB: rssKiB! / 1024,
    stdout: readFileSync(outFile, 'utf8'),
  };
}

/** The fastest of each, over rounds that run them in turn, so a busy moment hits them alike. */
function bestOf<K extends string>(rounds: number, runs: Record<K, () => Run>): Record<K, Run> {
  const best = {} as Record<K, Run>;
  for (let i = 0; i < rounds; i++) {
    for (const key of Object.keys(runs) as K[]) {
      const result = runs[key]();
      if (!best[key] || result.ms < best[key].ms) best[key] = result;
    }
  }
  return best;
}

export function benchValidate(
  count: number,
  dir: string,
  generate: typeof generateOrganisation = generateOrganisation,
): ValidateFigures {
  const { requestsDir, policyFile } = generate(dir, count);
  if (findRequestFiles([requestsDir]).length !== count) throw new Error('generated count mismatch');
  // Parse alone, single-threaded in a fresh process like the CLI gets, so both pay the same start-up.
  const parseScript = `
    const { readdirSync, readFileSync, statSync } = require('node:fs');
    const { join } = require('node:path');
    const { parse } = require(${JSON.stringify(createRequire(import.meta.url).resolve('yaml'))});
    const walk = (d) => readdirSync(d).flatMap((n) => { const p = join(d, n); return statSync(p).isDirectory() ? walk(p) : [p]; });
    let n = 0; for (const f of walk(${JSON.stringify(requestsDir)})) { parse(readFileSync(f, 'utf8')); n++; }
    if (n !== ${count}) throw new Error('parsed ' + n);`;
  const validate = (format: string) => () =>
    run(
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
      dir,
    );
  const { parse, json, text } = bestOf(3, {
    parse: () => run(process.execPath, ['-e', parseScript], dir),
    json: validate('json'),
    text: validate('text'),
  });
  const { summary } = JSON.parse(json.stdout) as { summary: { errors: number; warnings: number } };
  const counted = /(\d+) errors?, (\d+) warnings?$/.exec(text.stdout.trimEnd());
  if (Number(counted?.[1]) !== summary.errors || Number(counted?.[2]) !== summary.warnings)
    throw new Error('the text and JSON reports disagree');
  return {
    requests: count,
    parseMs: parse.ms,
    jsonMs: json.ms,
    textMs: text.ms,
    parseCpuMs: parse.cpuMs,
    jsonCpuMs: json.cpuMs,
    textCpuMs: text.cpuMs,
    ratio: Math.max(json.ms, text.ms) / parse.ms,
    jsonRssMiB: json.rssMiB,
    textRssMiB: text.rssMiB,
    errors: summary.errors,
    warnings: summary.warnings,
  };
}
