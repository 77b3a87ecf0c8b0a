// The release workflow's own steps (.github/workflows/release.yml), as one script with subcommands,
// so each decision runs, and is tested, outside GitHub:
//   plan           what this commit of main calls for: a release pull request (changesets are
//                  pending) and/or a release (package.json's version has a CHANGELOG.md section and
//                  no tag yet); printed as GITHUB_OUTPUT lines
//   notes          the GitHub Release notes of a version: its CHANGELOG.md section and the pin
//   sync-lock      package-lock.json takes package.json's version (after `changeset version`)
//   check-package  refuses to publish a dist/cli.js that is not the release build of its tag
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryOf } from './build-info.mjs';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const git = (root, ...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

function tagCommit(root, tag) {
  try {
    return git(root, 'rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`);
  } catch {
    return undefined;
  }
}

/** The lines of CHANGELOG.md under `## <version>`, up to the next version. */
function changelogSection(changelog, version) {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${version}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

function plan(root) {
  const { version } = readJson(join(root, 'package.json'));
  const tag = `v${version}`;
  const changesetDir = join(root, '.changeset');
  const changesets = existsSync(changesetDir)
    ? readdirSync(changesetDir).filter((f) => f.endsWith('.md') && f !== 'README.md')
    : [];
  const changelog = existsSync(join(root, 'CHANGELOG.md'))
    ? readFileSync(join(root, 'CHANGELOG.md'), 'utf8')
    : '';
  const tagged = tagCommit(root, tag);
  const release = !tagged && changelogSection(changelog, version) !== undefined;
  const why = tagged
    ? `${tag} is released (${tagged})`
    : release
      ? `${tag} is not tagged yet: release it`
      : `${version} has no section in CHANGELOG.md: it was not made by a release pull request, nothing to release`;
  console.error(
    `${why}; ${changesets.length} pending changeset(s)${changesets.length ? ': open or update the release pull request' : ''}`,
  );
  return [
    `version=${version}`,
    `major=${version.split('.')[0]}`,
    `release=${release}`,
    `release-pr=${changesets.length > 0}`,
  ].join('\n');
}

function notes(root, version, commit) {
  const { name, repository } = readJson(join(root, 'package.json'));
  const section = changelogSection(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), version);
  if (section === undefined) throw new Error(`CHANGELOG.md has no section "## ${version}"`);
  if (!/^[0-9a-f]{40}$/.test(commit ?? ''))
    throw new Error(`notes: expected the release commit, got ${commit}`);
  return `${section}

---

Pin the action to this release (\`maint init\` of this version writes it):

\`\`\`yaml
- uses: ${repositoryOf(repository)}@${commit} # v${version}
\`\`\`

The CLI: \`npx ${name}@${version} validate\` (published with npm provenance).
`;
}

function syncLock(root) {
  const { version } = readJson(join(root, 'package.json'));
  const path = join(root, 'package-lock.json');
  const lock = readJson(path);
  lock.version = version;
  if (lock.packages?.['']) lock.packages[''].version = version;
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
  return `package-lock.json: version ${version}`;
}

function checkPackage(root) {
  const { version, repository } = readJson(join(root, 'package.json'));
  const tag = `v${version}`;
  const commit = tagCommit(root, tag);
  if (!commit) throw new Error(`no tag ${tag}: a package is published from its release tag`);
  const expected = `${version} (${repositoryOf(repository)}@${commit})`;
  const said = execFileSync(process.execPath, [join(root, 'dist/cli.js'), '--version'], {
    encoding: 'utf8',
  }).trim();
  if (said !== expected)
    throw new Error(
      `dist/cli.js says "${said}", not "${expected}": it is not the release build of ${tag}. ` +
        `Build it at the tag with MAINT_RELEASE_TAG=${tag} npm run build.`,
    );
  return `dist/cli.js is the release build of ${tag} (${commit})`;
}

const COMMANDS = {
  plan: (root) => plan(root),
  notes: (root, [version, commit]) => notes(root, version, commit),
  'sync-lock': (root) => syncLock(root),
  'check-package': (root) => checkPackage(root),
};

const [command, ...args] = process.argv.slice(2);
const run = COMMANDS[command];
if (!run) {
  console.error(`usage: node scripts/release.mjs ${Object.keys(COMMANDS).join('|')} [...]`);
  process.exit(2);
}
try {
  console.log(run(process.cwd(), args));
} catch (error) {
  console.error(`release ${command}: ${error.message}`);
  process.exit(1);
}
