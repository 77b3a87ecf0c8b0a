// The release workflow's shape, beyond the safety rules every workflow passes (safety.test.ts):
// who may write what, and the order that makes a release what its tag builds to.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

type Step = { uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> };
type Job = {
  needs?: string | string[];
  if?: string;
  environment?: string;
  permissions: Record<string, string>;
  steps: Step[];
};
const workflow = parse(readFileSync('.github/workflows/release.yml', 'utf8')) as {
  on: unknown;
  concurrency: unknown;
  jobs: Record<string, Job>;
};
const jobs = workflow.jobs;
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** Index of the first step whose run text or action matches. */
const stepIndex = (job: Job, pattern: RegExp) =>
  job.steps.findIndex((s) => pattern.test(s.run ?? '') || pattern.test(s.uses ?? ''));

describe('the release workflow', () => {
  it('runs on pushes to main, one run at a time', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'] } });
    expect(workflow.concurrency).toEqual({ group: 'release', 'cancel-in-progress': false });
  });

  it('grants write access only where it is used: the release PR, the tags, and npm provenance', () => {
    const writes = Object.fromEntries(
      Object.entries(jobs).map(([name, job]) => [
        name,
        Object.entries(job.permissions)
          .filter(([, level]) => level === 'write')
          .map(([scope]) => scope)
          .sort(),
      ]),
    );
    expect(writes).toEqual({
      plan: [],
      'release-pr': ['contents', 'pull-requests'],
      verify: [],
      'github-release': ['contents'],
      npm: ['id-token'],
    });
    // The npm token lives in a protected environment of the one job that publishes.
    expect(jobs.npm!.environment).toBe('npm');
    const secrets = Object.entries(jobs).filter(([, job]) => JSON.stringify(job).includes('secrets.'));
    expect(secrets.map(([name]) => name)).toEqual(['npm']);
  });

  it('opens the release pull request with changesets, whose commit rebuilds dist/', () => {
    const step = jobs['release-pr']!.steps.find((s) => s.uses?.startsWith('changesets/action@'))!;
    expect(step.with).toMatchObject({ version: 'npm run version-packages', commitMode: 'github-api' });
    expect(pkg.scripts['version-packages']).toMatch(/^changeset version && .*npm run build$/);
  });

  it('tags only a commit that passes .ci/run, and publishes to npm only after the tag', () => {
    expect(jobs['github-release']!.needs).toEqual(['plan', 'verify']);
    expect(stepIndex(jobs.verify!, /^bash \.ci\/run$/)).toBeGreaterThanOrEqual(0);
    const release = jobs['github-release']!.steps.at(-1)!.run!;
    expect(release).toContain('gh release create "v$VERSION" --target "$GITHUB_SHA"');
    expect(release).toMatch(/refs\/tags\/v\$MAJOR/);
    expect(jobs.npm!.needs).toEqual(['plan', 'github-release']);
  });

  it('publishes the tag: dist/ checked at the tag, then the release build, then npm publish --provenance', () => {
    const npm = jobs.npm!;
    expect(npm.steps[0]!.with!.ref).toBe('v${{ needs.plan.outputs.version }}');
    const check = stepIndex(npm, /npm run build\ngit diff --exit-code --stat -- dist/);
    const releaseBuild = npm.steps.findIndex(
      (s) => s.env?.MAINT_RELEASE_TAG === 'v${{ needs.plan.outputs.version }}',
    );
    const publish = stepIndex(npm, /npm publish --provenance --access public/);
    expect(check).toBeGreaterThan(0);
    expect(releaseBuild).toBeGreaterThan(check);
    expect(publish).toBeGreaterThan(releaseBuild);
    // npm publish runs prepublishOnly: it refuses a dist/cli.js that is not the tag's release build.
    expect(pkg.scripts.prepublishOnly).toBe('node scripts/release.mjs check-package');
  });
});
