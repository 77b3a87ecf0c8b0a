// The workflows `maint init` writes into a repository that uses the action.

export const DEFAULT_ACTION_REF = 'maint-dev/maint@v1';

export function consumerWorkflows(action: string): [string, string][] {
  return [
    [
      'maintenance-validate.yml',
      `# Validates maintenance requests in pull requests. Runs on pull_request_target so fork PRs get
# their check and comment; it never checks out or runs the PR's content: the action reads the
# request files as data through the API, and the policy and CODEOWNERS from the base branch.
name: maintenance-validate
on:
  pull_request_target:
    types: [opened, synchronize, reopened, ready_for_review]
    paths: ['maintenance/**', '.github/maintenance-policy.yaml', '.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS']
  pull_request_review:
    types: [submitted, edited, dismissed]
permissions: {}
concurrency:
  group: maintenance-validate-\${{ github.event.pull_request.number }}
  cancel-in-progress: true
jobs:
  validate:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
      checks: write
    steps:
      - uses: ${action}
        with:
          mode: validate
          token: \${{ secrets.MAINT_TOKEN || github.token }}
`,
    ],
  ];
}
