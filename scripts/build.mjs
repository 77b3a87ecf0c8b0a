// Bundles the CLI and the action into dist/ as single ESM files (the @actions toolkit is ESM-only),
// runnable on Node 20 (our machines) and Node 24 (GitHub's runners). Output is deterministic so CI
// can check that the committed dist/ matches the source. The version (and, with MAINT_RELEASE_TAG,
// the release commit) is written in through `define` (scripts/build-info.mjs).
import { build } from 'esbuild';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { buildDefine, buildInfo } from './build-info.mjs';
import { precompiledSchemas } from './precompiled-schemas.mjs';

let info;
try {
  info = buildInfo();
} catch (error) {
  console.error(`build: ${error.message}`);
  process.exit(1);
}

// CommonJS dependencies (handlebars, rrule...) call require() for Node built-ins.
const requireShim =
  "import { createRequire as __maintCreateRequire } from 'node:module'; const require = __maintCreateRequire(import.meta.url);";

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  sourcemap: false,
  // Whitespace and names stay, so a stack trace from a runner reads like the source.
  minifySyntax: true,

  logLevel: 'warning',
  metafile: true,
  plugins: [precompiledSchemas],
  define: buildDefine(info),
};

const entries = [
  { in: 'src/cli.ts', out: 'dist/cli.js', shebang: true },
  { in: 'src/action.ts', out: 'dist/index.js', shebang: false },
].filter((entry) => existsSync(entry.in));

rmSync('dist', { recursive: true, force: true });
for (const entry of entries) {
  const result = await build({
    ...common,
    entryPoints: [entry.in],
    outfile: entry.out,
    banner: { js: `${entry.shebang ? '#!/usr/bin/env node\n' : ''}${requireShim}` },
  });
  if (entry.shebang) chmodSync(entry.out, 0o755);
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(`${entry.out}: ${(bytes / 1024).toFixed(0)} KiB`);
}
console.log(
  info.releaseCommit
    ? `release build of v${info.version}: maint init pins ${info.repository}@${info.releaseCommit}`
    : `unreleased build of ${info.version} (a release is built with MAINT_RELEASE_TAG=v${info.version})`,
);
