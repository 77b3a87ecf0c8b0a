// The `uses:` reference `maint init` writes: the action pinned to a full commit SHA with its version
// as a comment (what Dependabot and Renovate read and update). By default it is the commit of the
// release this build is (src/build-info.ts); a build that is no release refuses rather than write a
// pin that resolves to nothing. Pure: the build is an argument.
import type { BuildInfo } from '../build-info.ts';
import { UsageError } from '../errors.ts';

const FULL_SHA = /^[0-9a-f]{40}$/i;
const SHORT_SHA = /^[0-9a-f]{7,39}$/i;
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]*)\/[A-Za-z0-9._-]+$/;
const REF = /^[\w./-]+$/;
const VERSION = /^v\d+(?:\.\d+){0,2}(?:[-+][0-9A-Za-z.-]+)?$/;
const FORMS = "owner/name, owner/name@<40-hex commit> or 'owner/name@<40-hex commit> # vX.Y.Z'";

/**
 * `--action` as given (`owner/name`, `owner/name@ref`, `owner/name@<sha> # vX.Y.Z`), or nothing for
 * this release's own repository, as `owner/name@<sha> # vX.Y.Z`.
 */
export function actionPin(requested: string | undefined, build: BuildInfo): string {
  const given = requested?.trim() || build.repository;
  const hash = given.indexOf('#');
  const spec = (hash < 0 ? given : given.slice(0, hash)).trim();
  const comment = hash < 0 ? undefined : given.slice(hash + 1).trim();
  const at = spec.indexOf('@');
  const repository = at < 0 ? spec : spec.slice(0, at);
  const ref = at < 0 ? undefined : spec.slice(at + 1);
  // Only characters of names and refs: whatever is given lands inside a workflow file.
  if (!REPOSITORY.test(repository) || (ref !== undefined && !REF.test(ref)))
    throw new UsageError(`--action ${given}: expected ${FORMS}`);
  if (comment !== undefined && !VERSION.test(comment))
    throw new UsageError(`--action ${given}: the comment is the version of that commit, e.g. # v1.2.3`);
  const release = build.releaseCommit && `v${build.version}`;

  if (ref === undefined || ref === release) {
    if (!build.releaseCommit)
      throw new UsageError(
        `this maint (${build.version}) is an unreleased build: it knows no release commit to pin ` +
          `${repository} to, and will not write a pin that resolves to nothing. Run a released maint ` +
          `(npx maint@latest init), or name the commit: --action '${repository}@<40-hex commit> # vX.Y.Z'`,
      );
    return `${repository}@${build.releaseCommit} # ${comment ?? release}`;
  }
  if (FULL_SHA.test(ref)) {
    const sha = ref.toLowerCase();
    const version = comment ?? (sha === build.releaseCommit ? release : undefined);
    if (!version)
      throw new UsageError(
        `--action ${given}: add the version of ${sha.slice(0, 12)} as a comment, so Dependabot and ` +
          `Renovate can update the pin: --action '${repository}@${sha} # vX.Y.Z'`,
      );
    return `${repository}@${sha} # ${version}`;
  }
  const why = SHORT_SHA.test(ref)
    ? 'a short SHA is not a pin: give all 40 hex digits'
    : `${ref} can move; maint pins the action to a full commit SHA, and ${
        release
          ? `knows only the commit of its own release ${release}`
          : 'this unreleased build knows no release'
      }`;
  throw new UsageError(
    `--action ${given}: ${why}. Give the commit: --action '${repository}@<40-hex commit> # ${
      VERSION.test(ref) ? ref : 'vX.Y.Z'
    }' (git ls-remote https://github.com/${repository} ${ref} prints it)`,
  );
}
