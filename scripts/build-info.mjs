// What a build of maint says about itself, for esbuild's `define` (src/build-info.ts reads it): the
// version and repository from package.json and, for a release build (MAINT_RELEASE_TAG=vX.Y.Z), the
// commit that tag points to. A release build is refused unless the tag names package.json's version
// and the checkout is that commit, unmodified: the commit `maint init` pins is the tag's, by construction.
// A build cannot hold the SHA of the commit that contains it, so the committed dist/ (built without
// MAINT_RELEASE_TAG) has none; the npm package is built from the tag, after it exists.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @typedef {{ version: string, repository: string, releaseCommit?: string }} BuildInfo */

/**
 * @param {{ root?: string, env?: Record<string, string | undefined> }} [options]
 * @returns {BuildInfo}
 */
export function buildInfo({ root = process.cwd(), env = process.env } = {}) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const info = { version: String(pkg.version), repository: repositoryOf(pkg.repository) };
  const tag = env.MAINT_RELEASE_TAG;
  if (!tag) return info;
  return { ...info, releaseCommit: releaseCommitOf(tag, info.version, root) };
}

/** esbuild's `define`: each field as a literal (an object would become a module of its own). */
export function buildDefine(info) {
  return {
    MAINT_BUILD_VERSION: JSON.stringify(info.version),
    MAINT_BUILD_REPOSITORY: JSON.stringify(info.repository),
    MAINT_BUILD_RELEASE_COMMIT: JSON.stringify(info.releaseCommit ?? null),
  };
}

/** owner/name from package.json's `repository` (a string or `{ url }`, on github.com). */
export function repositoryOf(repository) {
  const url = typeof repository === 'string' ? repository : repository?.url;
  const match =
    /^(?:github:|(?:git\+)?https:\/\/github\.com\/|git@github\.com:)([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(
      url ?? '',
    );
  if (!match)
    throw new Error(`package.json: repository must be a github.com repository, not ${JSON.stringify(url)}`);
  return `${match[1]}/${match[2]}`;
}

function releaseCommitOf(tag, version, root) {
  if (tag !== `v${version}`)
    throw new Error(
      `MAINT_RELEASE_TAG=${tag} is not package.json's version ${version}: expected v${version}`,
    );
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  let commit;
  try {
    commit = git('rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`);
  } catch {
    throw new Error(
      `MAINT_RELEASE_TAG=${tag}: this repository has no tag ${tag} (fetch tags, or tag the release first)`,
    );
  }
  const head = git('rev-parse', 'HEAD');
  if (head !== commit)
    throw new Error(
      `${tag} is ${commit}, but the checkout is at ${head}: check out ${tag} to build its release`,
    );
  // dist/ is what this build replaces; anything else changed would not be the tag's source.
  const changed = git('status', '--porcelain', '--untracked-files=normal', '--', '.', ':(exclude)dist');
  if (changed)
    throw new Error(
      `${tag}: the checkout has changes, and a release is built from its tag as it is:\n${changed}`,
    );
  return commit;
}
