// The branch of an issue's intake pull request, made from the issue number alone (never its text),
// and the issue a branch name belongs to. Pure.

export function intakeBranch(issueNumber: number): string {
  return `maint/intake-${issueNumber}`;
}

export function issueOfIntakeBranch(branch: string): number | undefined {
  const match = /^maint\/intake-([1-9]\d{0,15})$/.exec(branch);
  return match ? Number(match[1]) : undefined;
}
