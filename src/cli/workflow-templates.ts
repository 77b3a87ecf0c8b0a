// The workflows `maint init` writes into a repository that uses the action (the README shows the
// same text; a test keeps them equal). Least privilege, every action pinned to a commit SHA (maint's
// own pin, `owner/maint@<sha> # vX.Y.Z`, comes from action-pin.ts); the scheduler's secrets in an
// environment only the default branch may use; the work in a job of its own.

const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';
const UPLOAD_PAGES = 'actions/upload-pages-artifact@fc324d3547104276b827a68afc52ff2a11cc49c9 # v5.0.0';
const DEPLOY_PAGES = 'actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128 # v5.0.0';
/** The job that deploys the site the build job uploaded: the same in a repository and in a hub. */
const DEPLOY_JOB = `  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: ${DEPLOY_PAGES}
`;

export function consumerWorkflows(action: string): [string, string][] {
  return [
    [
      'maintenance-validate.yml',
      `# Validates maintenance requests and counts approvals on every pull request. Fork-safe: it runs
# the base branch's workflow, never checks out or runs the PR's content (the action reads request
# files through the API as data, the policy and CODEOWNERS from the base commit), and re-checks
# after reviews through maintenance-review.yml (fork reviews only get a read-only token).
name: maintenance-validate
on:
  pull_request_target: # zizmor: ignore[dangerous-triggers] -- the PR's files are only read as data
    types: [opened, synchronize, reopened, ready_for_review]
  workflow_run: # zizmor: ignore[dangerous-triggers] -- only the head SHA is used, to find the PR
    workflows: [maintenance-review]
    types: [completed]
  workflow_dispatch: # maintenance-intake.yml starts it: its pull requests start no workflow themselves
    inputs:
      pull_request:
        description: Number of the pull request to validate
        required: true
        type: string
permissions: {}
concurrency:
  group: maintenance-validate-\${{ github.event.pull_request.number || github.event.workflow_run.head_sha || github.event.inputs.pull_request }}
  cancel-in-progress: true
jobs:
  validate:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
      issues: write
      checks: write
    steps:
      - uses: ${action}
        with:
          mode: validate
          token: \${{ secrets.MAINT_TOKEN || github.token }}
`,
    ],
    [
      'maintenance-review.yml',
      `# Records pull request reviews; maintenance-validate.yml re-validates on its workflow_run.
name: maintenance-review
on:
  pull_request_review:
    types: [submitted, edited, dismissed]
permissions: {}
jobs:
  record:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - name: Hand over to maintenance-validate
        run: echo "Review event recorded; maintenance-validate re-checks the pull request."
`,
    ],
    [
      'maintenance-intake.yml',
      `# Turns an issue filed with the maintenance request form into a pull request that adds the request,
# and updates it when the issue is edited. The issue's text is only data: the action reads it through
# the API and never puts it in a shell, a branch name or a path. Pull requests made with GITHUB_TOKEN
# start no workflow, so the action dispatches maintenance-validate.yml for the pull request.
name: maintenance-intake
on:
  issues:
    types: [opened, edited]
permissions: {}
concurrency:
  group: maintenance-intake-\${{ github.event.issue.number }}
  cancel-in-progress: false
jobs:
  intake:
    if: contains(github.event.issue.labels.*.name, 'maintenance-request')
    runs-on: ubuntu-latest
    permissions:
      contents: write # the branch maint/intake-<issue number> and its request file
      pull-requests: write # the pull request
      issues: write # the one comment on the issue
      actions: write # dispatching maintenance-validate.yml for the pull request
    steps:
      - uses: ${action}
        with:
          mode: intake
`,
    ],
    [
      'maintenance-publish.yml',
      `# On merge: the calendar feeds, the schedule page and the notices, deployed to GitHub Pages.
name: maintenance-publish
on:
  push:
    branches: [main]
    paths: ['maintenance/**', '.github/maintenance-policy.yaml', '.github/maint/**']
  workflow_dispatch:
permissions: {}
concurrency:
  group: maintenance-publish
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: ${CHECKOUT}
        with:
          fetch-depth: 0 # each event's SEQUENCE comes from the request's git history
          persist-credentials: false
      - uses: ${action}
        with:
          mode: publish
      - uses: ${UPLOAD_PAGES}
        with:
          path: site
${DEPLOY_JOB}`,
    ],
    [
      'maintenance-run.yml',
      `# The scheduler, every 15 minutes (off the top of the hour, where GitHub delays schedules most) and
# as soon as a maintenance's execute run ends: announce, remind, silence alerts, hand due work to
# maintenance-execute.yml and record its outcome in the result issues. It never runs checks or steps.
# Late, repeated or dropped runs are safe: it catches up on what is still due and repeats nothing.
# Its secrets live in the \`maintenance\` environment, whose deployment branch rule admits only the
# default branch: a run on any other branch cannot read them.
name: maintenance-run
on:
  schedule:
    - cron: '7,22,37,52 * * * *'
  workflow_run: # zizmor: ignore[dangerous-triggers] -- runs the default branch's workflow; only reads the result issues
    workflows: [maintenance-execute]
    types: [completed]
  workflow_dispatch:
permissions: {}
concurrency:
  group: maintenance-run
  cancel-in-progress: false
jobs:
  tick:
    # Scheduled runs are always on the default branch; every other trigger must be too.
    if: github.event_name == 'schedule' || github.ref == format('refs/heads/{0}', github.event.repository.default_branch)
    runs-on: ubuntu-latest
    timeout-minutes: 10
    environment: maintenance # its secrets, behind a deployment branch rule: the default branch only
    permissions:
      contents: read
      issues: write
      actions: write
      pull-requests: read
      checks: read
    steps:
      - uses: ${CHECKOUT}
        with:
          fetch-depth: 0 # the SEQUENCE of e-mailed calendar events comes from the requests' git history
          persist-credentials: false
      - uses: ${action}
        with:
          mode: run
          token: \${{ secrets.MAINT_TOKEN || github.token }}
        env: # the services configured in the policy read their credentials from these
          SLACK_WEBHOOK_URL: \${{ secrets.SLACK_WEBHOOK_URL }}
          TEAMS_WEBHOOK_URL: \${{ secrets.TEAMS_WEBHOOK_URL }}
          STATUSPAGE_API_KEY: \${{ secrets.STATUSPAGE_API_KEY }}
          ALERTMANAGER_TOKEN: \${{ secrets.ALERTMANAGER_TOKEN }}
          PAGERDUTY_TOKEN: \${{ secrets.PAGERDUTY_TOKEN }}
          PAGERDUTY_FROM: \${{ secrets.PAGERDUTY_FROM }}
          DATADOG_API_KEY: \${{ secrets.DATADOG_API_KEY }}
          DATADOG_APP_KEY: \${{ secrets.DATADOG_APP_KEY }}
          MAINT_WEBHOOK_SECRET: \${{ secrets.MAINT_WEBHOOK_SECRET }}
          MAINT_SMTP_URL: \${{ secrets.MAINT_SMTP_URL }} # e-mail notices: smtps://user:password@host
`,
    ],
    ['maintenance-execute.yml', executeWorkflow(action)],
  ];
}

/** The two jobs of the execute workflow differ only in `actions: write`, for `workflow:` steps. */
function executeJob(action: string, name: string, workflows: boolean): string {
  return `  ${name}:
    if: github.ref == format('refs/heads/{0}', github.event.repository.default_branch) && inputs.workflows ${workflows ? '==' : '!='} 'true'
    runs-on: ubuntu-latest
    timeout-minutes: 360
    environment: \${{ inputs.environment }}
    permissions:
      contents: read
      issues: write
      pull-requests: read
      checks: read${workflows ? '\n      actions: write' : ''}
    steps:
      - uses: ${CHECKOUT}
        with:
          ref: \${{ inputs.sha }}
          persist-credentials: false
      - uses: ${action}
        with:
          mode: execute
          token: \${{ github.token }}
          members-token: \${{ secrets.MAINT_MEMBERS_TOKEN }}
          request: \${{ inputs.request }}
          occurrence: \${{ inputs.occurrence }}
          sha: \${{ inputs.sha }}
          environment: \${{ inputs.environment }}
          issue: \${{ inputs.issue }}
          workflows: \${{ inputs.workflows }}
        # env: the credentials your steps need, from this environment's secrets, e.g.
        #   DEPLOY_TOKEN: \${{ secrets.DEPLOY_TOKEN }}
`;
}

function executeWorkflow(action: string): string {
  return `# The work of one maintenance, dispatched by maintenance-run.yml when its window opens: checks,
# steps, post-checks and rollback on exactly the approved commit, in the GitHub environment named
# after the request's environment (its protection rules, its secrets), with none of the scheduler's
# secrets. Anyone who may write can dispatch this by hand, so the action trusts no input: it runs
# only what the scheduler recorded for this very run, approved and unchanged, within its window.
# The timeout fits the longest maintenance the default policy allows (6 h, the most a GitHub-hosted
# job may run); longer work needs a self-hosted runner (runs-on) and a larger timeout.
name: maintenance-execute
run-name: maintenance \${{ inputs.occurrence }}
on:
  workflow_dispatch:
    inputs:
      request: { description: 'The request id', required: true, type: string }
      occurrence: { description: 'The occurrence key', required: true, type: string }
      sha: { description: 'The approved commit on the default branch', required: true, type: string }
      environment: { description: "The request's environment", required: true, type: string }
      issue: { description: 'The result issue', required: true, type: string }
      workflows: { description: "'true' when a step dispatches a workflow", required: true, type: string }
permissions: {}
concurrency:
  group: maintenance-execute-\${{ inputs.occurrence }}
  cancel-in-progress: false
jobs:
${executeJob(action, 'execute', false)}${executeJob(action, 'execute-with-workflows', true)}`;
}

/** actions/create-github-app-token: the hub reads its members with an App installation token. */
const APP_TOKEN = 'actions/create-github-app-token@1b10c78c7865c340bc4f6099eb2f838309f1e8c3 # v3.1.1';

/** The workflow `maint init --hub` writes into a hub repository (the README shows the same text). */
export function hubWorkflows(action: string): [string, string][] {
  return [
    [
      'maintenance-hub.yml',
      `# The hub: every hour, one calendar, one page and one schedule.json over the repositories listed in
# .github/maint-hub.yaml, deployed to GitHub Pages, and one issue per conflict between repositories.
# Members are read with a GitHub App installation token (contents and metadata read on them); a quiet
# member costs one conditional request answered 304, which costs no rate limit.
name: maintenance-hub
on:
  schedule:
    - cron: '17 * * * *'
  workflow_dispatch:
permissions: {}
concurrency:
  group: maintenance-hub
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: read
      issues: write
    steps:
      - uses: ${CHECKOUT}
        with:
          persist-credentials: false
      - id: members
        uses: ${APP_TOKEN}
        with:
          client-id: \${{ secrets.MAINT_HUB_APP_CLIENT_ID }}
          private-key: \${{ secrets.MAINT_HUB_APP_PRIVATE_KEY }}
          owner: \${{ github.repository_owner }}
          permission-contents: read
          permission-metadata: read
      - uses: ${action}
        with:
          mode: hub
          repositories-token: \${{ steps.members.outputs.token }}
      - uses: ${UPLOAD_PAGES}
        with:
          path: site
${DEPLOY_JOB}`,
    ],
  ];
}
