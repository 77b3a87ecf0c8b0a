// `maint init`'s issue form: made for the policy the repository has once init has run (the one it
// wrote or the one it kept), so its environments are the repository's.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ISSUE_FORM_PATH, renderIssueForm } from '../intake/form.ts';
import { defaultPolicy } from '../model/policy.ts';
import type { Policy } from '../model/types.ts';
import { loadPolicy } from '../workspace/local.ts';
import type { CliIO } from './io.ts';

export function writeIssueForm(root: string, force: boolean | undefined, io: CliIO): void {
  const absolute = resolve(root, ISSUE_FORM_PATH);
  if (existsSync(absolute) && !force) {
    io.out(`kept     ${ISSUE_FORM_PATH} (exists; --force replaces it)`);
    return;
  }
  let policy: Policy;
  try {
    policy = loadPolicy(undefined, root, io.now()).policy;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    io.err(
      `${ISSUE_FORM_PATH}: the default policy's environments are listed, as the policy cannot be read: ${reason}`,
    );
    policy = defaultPolicy();
  }
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(
    absolute,
    renderIssueForm({ environments: Object.keys(policy.environments), timezone: policy.timezone }),
  );
  io.out(`wrote    ${ISSUE_FORM_PATH}`);
}
