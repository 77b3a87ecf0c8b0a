// What this build of maint is: its version, the repository its action is used from, and, for a
// release, the commit its tag points to. scripts/build.mjs writes these in at build time (esbuild
// `define`, see scripts/build-info.mjs); any build but one of a release tag has no release commit.

export interface BuildInfo {
  /** package.json's version, e.g. 1.2.3. */
  version: string;
  /** owner/name of the repository the action is published from (package.json `repository`). */
  repository: string;
  /** The full SHA of the commit tagged v<version>, only in a build made from that tag. */
  releaseCommit?: string;
}

// Replaced by literals at build time (scripts/build-info.mjs); undeclared when run from source.
declare const MAINT_BUILD_VERSION: string;
declare const MAINT_BUILD_REPOSITORY: string;
declare const MAINT_BUILD_RELEASE_COMMIT: string | null;

/** Run from source without the defines (tests, tsx), maint knows neither its version nor a release. */
const SOURCE_BUILD: BuildInfo = { version: '0.0.0-source', repository: 'maint-dev/maint' };

export const BUILD: BuildInfo =
  typeof MAINT_BUILD_VERSION === 'undefined'
    ? SOURCE_BUILD
    : {
        version: MAINT_BUILD_VERSION,
        repository: MAINT_BUILD_REPOSITORY,
        ...(MAINT_BUILD_RELEASE_COMMIT ? { releaseCommit: MAINT_BUILD_RELEASE_COMMIT } : {}),
      };

/** What `maint --version` prints: the version, and the release commit or that there is none. */
export function describeBuild(build: BuildInfo): string {
  return build.releaseCommit
    ? `${build.version} (${build.repository}@${build.releaseCommit})`
    : `${build.version} (unreleased build)`;
}
